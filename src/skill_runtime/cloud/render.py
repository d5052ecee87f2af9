"""Exports: submit, poll until done, download; each step safe to interrupt.

The render id is written to the session record before the first poll, so a
run that dies (closed terminal, lost network) leaves a job the next export
finishes instead of an orphan. The file is written under a temporary name and
renamed only when complete.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..atomic import atomic_path
from ..errors import SkillError
from ..progress import Progress
from .client import ApiClient, parse, short
from .draft import Draft
from .models import RenderPoll

DONE = {"completed", "complete", "succeeded", "success", "done", "finished"}
FAILED = {"failed", "error", "errored"}
CANCELLED = {"cancelled", "canceled", "aborted"}
DOWNLOAD_CHUNK = 256 * 1024


def draft_hash(draft: Draft) -> str:
    return hashlib.sha256(draft.model_dump_json(by_alias=True).encode()).hexdigest()[:16]


def new_render_id(now: float | None = None) -> str:
    return f"render_{int(now if now is not None else time.time())}"


def submit_body(render_id: str, session_id: str, draft: Draft) -> dict[str, Any]:
    return {
        "id": render_id,
        "sessionId": session_id,
        "draft": draft.model_dump(mode="json", by_alias=True, exclude_none=True),
        "output": {"format": "mp4", "quality": "high"},
    }


def read_poll(data: Any) -> RenderPoll:
    poll: RenderPoll = parse(RenderPoll, data if isinstance(data, dict) else {})
    return poll


def wait_for(
    poll: Callable[[], RenderPoll],
    *,
    render_id: str,
    interval_s: float,
    timeout_s: float,
    progress: Progress,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> str:
    """Poll until the job ends and give its download link; failure or cancellation raise."""
    deadline = clock() + timeout_s
    while True:
        answer = poll()
        if answer.status in DONE:
            progress.bar("cloud/render_progress", 100, 100)
            progress.finish()
            if not answer.url:
                raise SkillError("server_error", detail="the finished render has no download link")
            return answer.url
        if answer.status in FAILED:
            progress.finish()
            raise SkillError("cloud_render_failed", detail=short(answer.error or "no reason given"))
        if answer.status in CANCELLED:
            progress.finish()
            raise SkillError("render_cancelled", render_id=render_id)
        progress.bar("cloud/render_progress", answer.percent, 100)
        if clock() + interval_s > deadline:
            progress.finish()
            raise SkillError("render_timeout", minutes=round(timeout_s / 60), render_id=render_id)
        sleep(interval_s)


def download(
    client: ApiClient, url: str, token: str, dest: Path, progress: Progress, name: str = ""
) -> Path:
    """Stream `url` into `dest` (atomically); a short body is a dropped connection."""
    with client.download_stream(url, token) as response, atomic_path(dest) as tmp:
        total = int(response.headers.get("content-length") or 0)
        done = 0
        with tmp.open("wb") as fh:
            for chunk in response.iter_bytes(DOWNLOAD_CHUNK):
                fh.write(chunk)
                done += len(chunk)
                progress.bar("cloud/download_progress", done, total, file=name or dest.name)
        if total and done != total:
            raise SkillError("network", reason="dropped", host=client.host)
    progress.finish()
    return dest
