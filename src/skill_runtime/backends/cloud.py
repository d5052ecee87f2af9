"""The cloud backend: NemoVideo's API behind the same actions as the local one.

An adapter: the calls live in `skill_runtime.cloud` (account, upload,
conversation, exports); here each action makes sure we are connected (showing
"Setting things up..." on first contact), runs them, and returns a Result
whose template says what happened in the user's terms.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import httpx

from ..cloud.account import balance, way_out_of_credits
from ..cloud.changes import describe_changes
from ..cloud.connection import Connection
from ..cloud.conversation import ChatReply, converse
from ..cloud.draft import Draft, summarize
from ..cloud.exports import Destination, Exports
from ..cloud.instruction import caption_instruction
from ..cloud.models import UploadedFile
from ..cloud.sessions import SessionRecord
from ..cloud.settings import effective
from ..cloud.timeline import read_draft
from ..cloud.upload import check_files, send_files, send_urls
from ..context import CaptionRequest, Context
from ..errors import SkillError
from ..language_names import language_name
from ..messages import render
from ..results import Check, MediaFile, Result
from . import actions
from .base import Backend

T = TypeVar("T")


def language_list(codes: list[str]) -> str:
    names = [language_name(c) for c in codes]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


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
                env=self.ctx.env,
                sleep=self.sleep,
            )
        return self._conn

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
            raise SkillError("out_of_credits", **way_out_of_credits(self.conn)) from exc

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
            answer = balance(self.conn)
            context = {
                "available": answer.available,
                "frozen": answer.frozen,
                "total": answer.grand_total,
            }
            return Result(action="credits", template="credits", context=context, data=context)

        return self._guard(run)

    # Timeline.

    def state(self) -> Result:
        def run() -> Result:
            self._ready()
            timeline = summarize(read_draft(self.conn))
            return Result(
                action="state",
                template="timeline",
                context={"tracks": timeline.tracks},
                data={"timeline": timeline.model_dump()},
            )

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
                added += send_files(self.conn, paths, self.ctx.progress)
            if urls:
                added += send_urls(self.conn, urls)
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

    # Chat.

    def _converse(self, text: str) -> ChatReply:
        self._ready()
        return converse(self.conn, text, self.ctx.config, self.ctx.progress)

    def _silent_edit(self, reply: ChatReply) -> Result:
        tracks = summarize(reply.after or Draft()).tracks
        changes = describe_changes(summarize(reply.before).tracks, tracks)
        return Result(
            action="sse",
            template="cloud/edit_applied",
            context={"changes": changes, "tracks": tracks},
            data={
                "changes": [c.model_dump() for c in changes],
                "tracks": [t.model_dump() for t in tracks],
            },
        )

    def _one_version(self) -> None:
        """Aspect and style travel in each instruction; a project has no named versions."""
        if self.ctx.rendition is not None:
            raise SkillError(
                "not_available", backend=self.name, action="keep named versions (--rendition)"
            )

    def chat(self, text: str) -> Result:
        self._one_version()

        def run() -> Result:
            reply = self._converse(text)
            if reply.after is not None:
                return self._silent_edit(reply)
            sections: list[str] = []
            media: list[MediaFile] = []
            # What the agent told a GUI user to do, done for them; an edit is never re-sent.
            done = [action for action in reply.follow_ups if actions.unattended(action)]
            for action in done:
                follow = actions.run(action, self, actions.Ask())
                sections.append(render(follow.template, **follow.context))
                media += follow.media
            return Result(
                action="sse",
                template="cloud/reply",
                context={"text": reply.text, "sections": sections},
                media=media,
                data={"reply": reply.text, "follow_ups": done},
            )

        return self._guard(run)

    # Export.

    def export(self, *, resume: bool = False, cancel: bool = False) -> Result:
        self._one_version()
        return self._export(resume=resume, cancel=cancel)

    def _export(self, *, resume: bool = False, cancel: bool = False) -> Result:
        def run() -> Result:
            session = self._ready()
            exports = Exports(
                self.conn,
                Destination(self.ctx.out_dir, self.ctx.store, self.ctx.overwrite),
                self.ctx.progress,
                self.sleep,
            )
            if cancel:
                ids = exports.cancel(session)
                template = "cloud/export_cancelled" if ids else "cloud/nothing_to_cancel"
                return Result(
                    action="export",
                    template=template,
                    context={"count": len(ids)},
                    data={"cancelled": ids},
                )
            exported = exports.export(session, resume=resume)
            files = [{"name": m.path.name, "size": m.path.stat().st_size} for m in exported.media]
            context = {"files": files, "resumed": exported.resumed}
            return Result(
                action="export",
                template="export_done",
                context=context,
                media=exported.media,
                data=context,
            )

        try:
            return self._guard(run)
        except KeyboardInterrupt:
            # The render id is already stored, so the job is not orphaned.
            raise SkillError("interrupted", resumable=True) from None

    # The whole job in one call.

    def caption(self, request: CaptionRequest) -> Result:
        words = self.ctx.config.cloud.caption_instruction
        languages = request.languages or [request.source_language or self.conn.language]
        asked = caption_instruction(request, language_list(languages), words)

        def run() -> Result:
            uploaded = (
                self.upload([], [request.url]) if request.url else self.upload([request.path], [])
            )
            reply = self._converse("; ".join(asked))
            exported = self._export()
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
                    "rendition": request.rendition,
                },
                media=exported.media,
                data={"languages": languages, "instruction": asked, **exported.data},
            )

        return self._guard(run)

    # Diagnostics.

    def doctor(self) -> list[Check]:
        try:
            settings = effective(self.ctx.config.cloud, self.ctx.env)
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
