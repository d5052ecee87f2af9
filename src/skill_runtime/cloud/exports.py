"""The cloud export lifecycle: finish pending renders, submit the draft, poll, download, cancel.

Every render id is written to the session record before the server hears of
it and dropped only once its file is in place (or the server no longer knows
it), so a run that dies anywhere leaves a job the next `export` finishes
instead of an orphan. The single steps (request body, polling, download) are
in `render`; this module strings them together.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ErrorCode, SkillError
from ..outputs import Expect, output_set
from ..progress import Progress
from ..results import MediaFile
from ..store import Store
from .client import ApiFailure
from .connection import Connection
from .draft import Draft
from .models import RenderPoll
from .render import download, draft_hash, new_render_id, read_poll, submit_body, wait_for
from .sessions import PendingRender, SessionRecord
from .timeline import read_draft

# A job that ended like this is over on the server: nothing left to resume.
_JOB_ENDED: frozenset[ErrorCode] = frozenset({"render_cancelled", "cloud_render_failed"})


@dataclass(frozen=True)
class Destination:
    """Where finished videos go, and whether a file of the user's there may be replaced."""

    folder: Path
    store: Store
    overwrite: bool = False


@dataclass(frozen=True)
class Exported:
    media: list[MediaFile]
    # Only jobs an earlier run left behind were finished; nothing new was submitted.
    resumed: bool


class Exports:
    def __init__(
        self,
        conn: Connection,
        destination: Destination,
        progress: Progress,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.conn = conn
        self.destination = destination
        self.progress = progress
        self.sleep = sleep

    def export(self, session: SessionRecord, *, resume: bool = False) -> Exported:
        """Finish what earlier runs left, then render the draft unless that is already done."""
        finished: list[MediaFile] = []
        last_hash: str | None = None
        for job in list(session.pending_renders):
            self.progress.status("cloud/resuming_render", render_id=job.id)
            path = self._finish(job)
            if path is not None:
                finished.append(MediaFile(path=path, kind="video", format="mp4"))
                last_hash = job.draft_hash
        if resume:
            if not finished:
                raise SkillError("nothing_to_export", reason="no_pending")
            return Exported(finished, resumed=True)
        draft = read_draft(self.conn)
        if finished and last_hash == draft_hash(draft):
            return Exported(finished, resumed=True)
        if not draft.t:
            raise SkillError("nothing_to_export", reason="empty")
        path = self._finish(self._submit(draft))
        if path is not None:
            finished.append(MediaFile(path=path, kind="video", format="mp4"))
        return Exported(finished, resumed=False)

    def cancel(self, session: SessionRecord) -> list[str]:
        """Cancel every pending render; the ids cancelled (a job already gone counts)."""
        jobs = list(session.pending_renders)
        for job in jobs:
            path = self.conn.settings.endpoints.render_cancel.format(render_id=job.id)

            def cancel(token: str, path: str = path) -> object:
                return self.conn.client.call("POST", path, token=token)

            try:
                self.conn.run_plain(cancel)
            except ApiFailure as exc:
                if exc.http_status != 404:
                    raise
            self._forget(job.id)
        return [j.id for j in jobs]

    def _remember(self, update: Callable[[list[PendingRender]], list[PendingRender]]) -> None:
        self.conn.update_session(
            lambda record: record.model_copy(
                update={"pending_renders": update(list(record.pending_renders))}
            )
        )

    def _forget(self, render_id: str) -> None:
        self._remember(lambda jobs: [j for j in jobs if j.id != render_id])

    def _submit(self, draft: Draft) -> PendingRender:
        def claim_second(record: SessionRecord) -> SessionRecord:
            now = max(int(time.time()), record.last_render_at + 1)
            return record.model_copy(update={"last_render_at": now})

        now = self.conn.update_session(claim_second).last_render_at
        render_id = new_render_id(now)
        job = PendingRender(id=render_id, submitted_at=now, draft_hash=draft_hash(draft))
        # Written down before the server hears of it: a run killed mid-submit still knows the id.
        self._remember(lambda jobs: [*jobs, job])

        def send(token: str, session: SessionRecord) -> None:
            self.conn.client.call(
                "POST",
                self.conn.settings.endpoints.render,
                token=token,
                json_body=submit_body(render_id, session.session_id, draft),
            )

        try:
            self.conn.run(send)
        except ApiFailure:
            self._forget(render_id)
            raise
        self.progress.status("cloud/render_submitted")
        return job

    def _finish(self, job: PendingRender) -> Path | None:
        """Poll to the end and download; a job the server no longer knows is dropped."""
        settings = self.conn.settings

        def poll() -> RenderPoll:
            path = settings.endpoints.render_poll.format(render_id=job.id)
            return self.conn.run_plain(
                lambda token: read_poll(self.conn.client.call("GET", path, token=token))
            )

        try:
            url = wait_for(
                poll,
                render_id=job.id,
                interval_s=settings.poll_interval_s,
                timeout_s=settings.render_timeout_s,
                progress=self.progress,
                sleep=self.sleep,
            )
        except ApiFailure as exc:
            if exc.http_status == 404:
                self._forget(job.id)
                return None
            raise
        except SkillError as exc:
            if exc.code in _JOB_ENDED:
                self._forget(job.id)
            raise
        try:
            path = self._download(job, url)
        except SkillError as exc:
            if exc.code == "download_refused":
                # Its link will never be opened: kept, it would block every later export.
                self._forget(job.id)
            raise
        self._forget(job.id)
        return path

    def _download(self, job: PendingRender, url: str) -> Path:
        """Verified (size, decodable, full length) before it takes its name, like local outputs."""
        source = Path(f"{job.id}.mp4")
        where = self.destination
        with output_set(where.folder, source, [".mp4"], where.store, where.overwrite) as outs:
            temp = outs.temp(".mp4", Expect("mp4"))
            token = self.conn.auth.token()
            download(self.conn.client, url, token, temp, self.progress, source.name)
            try:
                return outs.commit().files[".mp4"]
            except SkillError as exc:
                if exc.code != "output_incomplete":
                    raise
                detail = f"the downloaded video is {exc.context['problem']}"
                raise SkillError("cloud_render_failed", detail=detail) from exc
