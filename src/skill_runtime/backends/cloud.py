"""The cloud backend: NemoVideo's API behind the same five actions as the local one.

Everything here is orchestration; HTTP, streaming, uploads and renders live in
`skill_runtime.cloud`. Each public method first makes sure we are connected
(showing "Setting things up..." on first contact) and returns a Result whose
template says what happened in the user's terms.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx

from ..cloud.changes import describe_changes
from ..cloud.client import ApiFailure, parse
from ..cloud.connection import Connection
from ..cloud.instruction import caption_instruction
from ..cloud.models import (
    ClaimToken,
    Credits,
    RenderPoll,
    SessionState,
    UploadAnswer,
    UploadedFile,
)
from ..cloud.render import (
    download,
    draft_hash,
    new_render_id,
    read_poll,
    submit_body,
    wait_for,
)
from ..cloud.sessions import PendingRender, SessionRecord
from ..cloud.settings import effective
from ..cloud.sse import stream_chat
from ..cloud.upload import MultipartBody, UploadMeter, check_files
from ..config import Endpoints
from ..draft import Draft, summarize
from ..errors import SkillError
from ..gui_phrases import translate_gui
from ..language_names import language_name
from ..messages import render
from ..outputs import Expect, output_set
from ..results import MediaFile, Result
from .base import Backend, CaptionRequest, Check, Context

T = TypeVar("T")


def language_list(codes: list[str]) -> str:
    names = [language_name(c) for c in codes]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


class _ChatReply:
    def __init__(
        self, text: str, follow_ups: list[str], before: Draft, after: Draft | None
    ) -> None:
        self.text = text
        self.follow_ups = follow_ups
        self.before = before
        self.after = after


class CloudBackend(Backend):
    name = "cloud"

    def __init__(self, ctx: Context, sleep: Callable[[float], None] = time.sleep) -> None:
        super().__init__(ctx)
        self.sleep = sleep
        self._conn: Connection | None = None

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            self._conn = Connection(
                self.ctx.config,
                self.ctx.store,
                self.ctx.progress,
                self.ctx.version,
                self.ctx.platform,
                self.ctx.language,
                sleep=self.sleep,
            )
        return self._conn

    @property
    def endpoints(self) -> Endpoints:
        return self.conn.settings.endpoints

    # Connection and accounts.

    def _ready(self) -> SessionRecord:
        if self.conn.connected:
            return self.conn.session()
        self.ctx.progress.status("setting_up")
        session = self.conn.session()
        self.ctx.progress.status("connected", **self._connected_context())
        return session

    def _connected_context(self) -> dict[str, Any]:
        return {
            "anonymous": not self.conn.auth.user_supplied,
            "credits": self.conn.auth.record.credits,
        }

    def _guard(self, fn: Callable[[], T]) -> T:
        """Out-of-credits needs a way forward, which depends on who the user is."""
        try:
            return fn()
        except SkillError as exc:
            if exc.code != "out_of_credits" or "anonymous" in exc.context:
                raise
            raise SkillError("out_of_credits", **self._credits_way_out()) from exc

    def _credits_way_out(self) -> dict[str, Any]:
        if self.conn.auth.user_supplied:
            return {"anonymous": False, "link": None}
        session = self.conn.session()
        try:
            data = self.conn.run_plain(
                lambda token: self.conn.client.call(
                    "POST",
                    self.endpoints.claim,
                    token=token,
                    json_body={"task_id": session.task_id, "session_id": session.session_id},
                )
            )
            claim: ClaimToken = parse(ClaimToken, data)
            link = self.conn.settings.claim_url.format(claim_token=claim.claim_token)
        except SkillError:
            user = self.conn.auth.record.user_id or session.user_id or ""
            link = self.conn.settings.register_url.format(user_id=user)
        return {"anonymous": True, "link": link}

    def setup(self) -> Result:
        def run() -> Result:
            self.ctx.progress.status("setting_up")
            self.conn.session()
            context = self._connected_context()
            return Result(action="setup", template="connected", context=context, data=context)

        return self._guard(run)

    def credits(self) -> Result:
        def run() -> Result:
            self._ready()
            data = self.conn.run_plain(
                lambda token: self.conn.client.call("GET", self.endpoints.credits, token=token)
            )
            balance: Credits = parse(Credits, data)
            context = {
                "available": balance.available,
                "frozen": balance.frozen,
                "total": balance.grand_total,
            }
            return Result(action="credits", template="credits", context=context, data=context)

        return self._guard(run)

    # Timeline.

    def _draft(self) -> Draft:
        def read(token: str, session: SessionRecord) -> SessionState:
            path = self.endpoints.state.format(session_id=session.session_id)
            answer: SessionState = parse(
                SessionState, self.conn.client.call("GET", path, token=token)
            )
            return answer

        return self.conn.run(read).state.draft or Draft()

    def _timeline(self, draft: Draft) -> Result:
        tracks = summarize(draft)
        return Result(
            action="state",
            template="timeline",
            context={"tracks": tracks},
            data={"tracks": [t.model_dump() for t in tracks]},
        )

    def state(self) -> Result:
        def run() -> Result:
            self._ready()
            return self._timeline(self._draft())

        return self._guard(run)

    # Upload.

    def upload(
        self, files: list[Path], urls: list[str], *, captioning_next: bool = False
    ) -> Result:
        def run() -> Result:
            paths = check_files(files, self.ctx.config)
            if not paths and not urls:
                raise SkillError("no_upload")
            self._ready()
            added: list[UploadedFile] = []
            if paths:
                added += self._send_files(paths)
            if urls:
                added += self._send_urls(urls)
            self.conn.update_session(
                lambda record: record.model_copy(update={"uploads": [*record.uploads, *added]})
            )
            rows = [
                f.model_dump(include={"filename", "file_type", "duration", "width", "height"})
                for f in added
            ]
            return Result(
                action="upload",
                template="cloud/uploaded",
                context={"files": rows},
                data={"files": rows},
            )

        return self._guard(run)

    def _send_files(self, paths: list[Path]) -> list[UploadedFile]:
        body = MultipartBody(paths)
        meter = UploadMeter(self.ctx.progress, sum(body.sizes), ", ".join(p.name for p in paths))

        def fresh() -> Iterator[bytes]:
            meter.restart()
            return body.chunks(meter)

        def send(token: str, session: SessionRecord) -> UploadAnswer:
            data = self.conn.client.call(
                "POST",
                self.endpoints.upload.format(session_id=session.session_id),
                token=token,
                body=fresh,
                headers={"Content-Type": body.content_type, "Content-Length": str(body.length)},
            )
            answer: UploadAnswer = parse(UploadAnswer, data)
            return answer

        answer = self.conn.run(send)
        self.ctx.progress.finish()
        return answer.files

    def _send_urls(self, urls: list[str]) -> list[UploadedFile]:
        def send(token: str, session: SessionRecord) -> UploadAnswer:
            data = self.conn.client.call(
                "POST",
                self.endpoints.upload.format(session_id=session.session_id),
                token=token,
                json_body={"urls": urls},
            )
            answer: UploadAnswer = parse(UploadAnswer, data)
            return answer

        return self.conn.run(send).files

    # Chat.

    def _converse(self, text: str) -> _ChatReply:
        self._ready()
        before = self._draft()
        settings = self.conn.settings

        def talk(token: str, session: SessionRecord) -> str:
            body = {
                "app_name": settings.app_name,
                "user_id": session.user_id or self.conn.auth.record.user_id or "me",
                "session_id": session.session_id,
                "new_message": {"role": "user", "parts": [{"text": text}]},
            }
            outcome = stream_chat(
                self.conn.client,
                self.endpoints.chat,
                token,
                body,
                self.ctx.progress,
                settings.still_working_every_s,
                settings.stream_timeout_s,
                settings.max_reply_chars,
            )
            return outcome.text

        reply = self.conn.run(talk)
        if not reply:
            return _ChatReply("", [], before, self._draft())
        translated = translate_gui(reply, self.ctx.config)
        return _ChatReply(translated.text, list(translated.follow_ups), before, None)

    def _silent_edit(self, reply: _ChatReply) -> Result:
        after = reply.after or Draft()
        changes = describe_changes(summarize(reply.before), summarize(after))
        tracks = summarize(after)
        return Result(
            action="chat",
            template="cloud/edit_applied",
            context={"changes": changes, "tracks": tracks},
            data={
                "changes": [c.model_dump() for c in changes],
                "tracks": [t.model_dump() for t in tracks],
            },
        )

    def chat(self, text: str) -> Result:
        def run() -> Result:
            reply = self._converse(text)
            if reply.after is not None:
                return self._silent_edit(reply)
            sections: list[str] = []
            media: list[MediaFile] = []
            done: list[str] = []
            for action in reply.follow_ups:
                follow = self._follow_up(action)
                if follow is None:
                    continue
                done.append(action)
                sections.append(render(follow.template, **follow.context))
                media += follow.media
            return Result(
                action="chat",
                template="cloud/reply",
                context={"text": reply.text, "sections": sections},
                media=media,
                data={"reply": reply.text, "follow_ups": done},
            )

        return self._guard(run)

    def _follow_up(self, action: str) -> Result | None:
        """What the agent told a GUI user to do, done for them; an edit is never re-sent."""
        if action == "state":
            return self.state()
        if action == "export":
            return self.export()
        if action == "credits":
            return self.credits()
        return None

    # Export.

    def export(self, *, resume: bool = False, cancel: bool = False) -> Result:
        def run() -> Result:
            session = self._ready()
            if cancel:
                return self._cancel(session)
            return self._export(session, resume)

        try:
            return self._guard(run)
        except KeyboardInterrupt:
            # The render id is already stored, so the job is not orphaned.
            raise SkillError("interrupted", resumable=True) from None

    def _export(self, session: SessionRecord, resume: bool) -> Result:
        finished: list[MediaFile] = []
        last_hash: str | None = None
        for job in list(session.pending_renders):
            self.ctx.progress.status("cloud/resuming_render", render_id=job.id)
            path = self._finish(job)
            if path is not None:
                finished.append(MediaFile(path=path, kind="video", format="mp4"))
                last_hash = job.draft_hash
        if resume:
            if not finished:
                raise SkillError("nothing_to_export", reason="no_pending")
            return self._exported(finished, resumed=True)
        draft = self._draft()
        if finished and last_hash == draft_hash(draft):
            return self._exported(finished, resumed=True)
        if not draft.t:
            raise SkillError("nothing_to_export", reason="empty")
        job = self._submit(draft)
        path = self._finish(job)
        if path is not None:
            finished.append(MediaFile(path=path, kind="video", format="mp4"))
        return self._exported(finished, resumed=False)

    def _exported(self, media: list[MediaFile], resumed: bool) -> Result:
        files = [{"name": m.path.name, "size": m.path.stat().st_size} for m in media]
        return Result(
            action="export",
            template="export_done",
            context={"files": files, "resumed": resumed},
            media=media,
            data={"files": files, "resumed": resumed},
        )

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
                self.endpoints.render,
                token=token,
                json_body=submit_body(render_id, session.session_id, draft),
            )

        try:
            self.conn.run(send)
        except ApiFailure:
            self._forget(render_id)
            raise
        self.ctx.progress.status("cloud/render_submitted")
        return job

    def _finish(self, job: PendingRender) -> Path | None:
        """Poll to the end and download; a job the server no longer knows is dropped."""
        settings = self.conn.settings

        def poll() -> RenderPoll:
            return self.conn.run_plain(
                lambda token: read_poll(
                    self.conn.client.call(
                        "GET", self.endpoints.render_poll.format(render_id=job.id), token=token
                    )
                )
            )

        try:
            url = wait_for(
                poll,
                render_id=job.id,
                interval_s=settings.poll_interval_s,
                timeout_s=settings.render_timeout_s,
                progress=self.ctx.progress,
                sleep=self.sleep,
            )
        except ApiFailure as exc:
            if exc.http_status == 404:
                self._forget(job.id)
                return None
            raise
        except SkillError as exc:
            if exc.code in ("render_cancelled", "cloud_render_failed"):
                self._forget(job.id)
            raise
        # Verified (size, decodable, full length) before it takes its name, like local outputs.
        source = Path(f"{job.id}.mp4")
        with output_set(
            self.ctx.out_dir, source, [".mp4"], self.ctx.store, self.ctx.overwrite
        ) as outs:
            temp = outs.temp(".mp4", Expect("mp4"))
            token = self.conn.auth.token()
            download(self.conn.client, url, token, temp, self.ctx.progress, source.name)
            try:
                path = outs.commit()[".mp4"]
            except SkillError as exc:
                if exc.code != "output_incomplete":
                    raise
                detail = f"the downloaded video is {exc.context['problem']}"
                raise SkillError("cloud_render_failed", detail=detail) from exc
        self._forget(job.id)
        return path

    def _cancel(self, session: SessionRecord) -> Result:
        jobs = list(session.pending_renders)
        for job in jobs:
            path = self.endpoints.render_cancel.format(render_id=job.id)
            try:
                self._post_plain(path)
            except ApiFailure as exc:
                if exc.http_status != 404:
                    raise
            self._forget(job.id)
        template = "cloud/export_cancelled" if jobs else "cloud/nothing_to_cancel"
        ids = [j.id for j in jobs]
        return Result(
            action="export", template=template, context={"count": len(ids)}, data={"cancelled": ids}
        )

    def _post_plain(self, path: str) -> Any:
        return self.conn.run_plain(lambda token: self.conn.client.call("POST", path, token=token))

    # The whole job in one call.

    def caption(self, request: CaptionRequest) -> Result:
        words = self.ctx.config.cloud.caption_instruction
        languages = request.languages or [request.source_language or self.conn.language]
        asked = caption_instruction(request, language_list(languages), words)

        def run() -> Result:
            uploaded = self.upload([request.path], [])
            reply = self._converse("; ".join(asked))
            exported = self.export()
            if reply.after is None:
                said = reply.text
            else:
                silent = self._silent_edit(reply)
                said = render(silent.template, **silent.context)
            return Result(
                action="caption",
                template="cloud/caption_done",
                context={
                    "uploaded": render(uploaded.template, **uploaded.context),
                    "asked": asked,
                    "reply": said,
                    "exported": render(exported.template, **exported.context),
                },
                media=exported.media,
                data={"languages": languages, "instruction": asked, **exported.data},
            )

        return self._guard(run)

    # Diagnostics.

    def doctor(self) -> list[Check]:
        try:
            settings = effective(self.ctx.config.cloud)
        except SkillError as exc:
            detail = render(f"errors/{exc.code}", **exc.context)
            return [Check(name="cloud API", ok=False, detail=detail, required=False)]
        try:
            with httpx.Client(timeout=5.0) as http:
                http.get(settings.base_url)
            ok, reason = True, ""
        except httpx.HTTPError as exc:
            ok, reason = False, type(exc).__name__
        detail = render("cloud/doctor", ok=ok, base_url=settings.base_url, reason=reason)
        return [Check(name="cloud API", ok=ok, detail=detail, required=False)]
