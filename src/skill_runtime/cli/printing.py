"""Results as the user sees them: sentences and MEDIA lines, or one JSON object (--json).

Errors go to stderr; files finished before an error still reach the user.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

from .. import atomic
from ..batch.models import FileReport, OnFile
from ..errors import ErrorCode
from ..messages import redact, render
from ..results import MediaFile, Result, answer_data
from ..store import home


def media_json(media: list[MediaFile]) -> list[dict[str, Any]]:
    return [m.model_dump(mode="json") | {"path": str(m.path.resolve())} for m in media]


def item(result: Result) -> dict[str, Any]:
    """One result's JSON: its action, sentence and files, then its action's keys."""
    return {
        "action": result.action,
        "message": render(result.template, **result.context),
        "media": media_json(result.media),
        **answer_data(result),
    }


def print_json(payload: dict[str, Any]) -> None:
    print(redact(json.dumps(payload, ensure_ascii=False, default=str)))


def print_text(result: Result) -> None:
    text = render(result.template, **result.context)
    if text:
        print(text)
    for media in result.media:
        print(f"MEDIA: {media.path.resolve()}")


def print_all(done: list[Result]) -> None:
    """With --json, one object: the result's own keys, or `results` for several."""
    ok = all(r.ok for r in done)
    items = [item(r) for r in done]
    print_json({"ok": ok, **items[0]} if len(items) == 1 else {"ok": ok, "results": items})


def file_line(as_json: bool) -> OnFile:
    """With --json, one JSON line per file as it finishes (the summary object comes last)."""

    def emit(report: FileReport) -> None:
        if as_json:
            payload = report.model_dump(mode="json", exclude={"media"})
            print_json({**payload, "media": media_json(report.media)})
            sys.stdout.flush()  # a reader sees each file as it finishes, even through a pipe

    return emit


def fail(
    code: ErrorCode,
    context: dict[str, Any],
    as_json: bool,
    status: int,
    media: list[MediaFile] | None = None,
    done: list[Result] | None = None,
) -> int:
    """The error on stderr; files finished before it still reach the user."""
    message = render(f"errors/{code}", **context)
    print(message, file=sys.stderr)
    media = media or []
    if as_json:
        payload: dict[str, Any] = {"ok": False, "error": code, "message": message}
        if media:
            payload["media"] = media_json(media)
        if done:
            payload["results"] = [item(r) for r in done]
        print_json(payload)
    else:
        for file in media:
            print(f"MEDIA: {file.path.resolve()}")
    return status


_TEMP_LOG = f"ai-subtitles-last-error-{os.getuid() if hasattr(os, 'getuid') else 0}.txt"


def log_crash() -> str | None:
    """Keep the traceback for a bug report: in the state folder, else the system's temporary
    folder; the path written. When neither can be written it goes to stderr (redacted), so a
    message never points to a log that does not exist."""
    report = redact(traceback.format_exc())
    for path in (home() / "last-error.txt", Path(tempfile.gettempdir()) / _TEMP_LOG):
        with contextlib.suppress(OSError):
            atomic.write_text(path, report, mode=0o600)
            return str(path)
    print(report, file=sys.stderr)
    return None
