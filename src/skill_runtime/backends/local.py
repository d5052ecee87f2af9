"""The local backend: everything on this machine, nothing uploaded.

Thin on purpose: the pipeline lives in `skill_runtime.local`; this class keeps
the session, turns outcomes into Results and answers the other actions.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path
from typing import ClassVar

from ..batch.models import BatchOptions, OnFile
from ..draft import summarize
from ..errors import SkillError
from ..local import job
from ..local.accel import detect
from ..local.asr.models import requested, resolve_model
from ..local.chat import respond
from ..local.probe import probe
from ..local.render.ffmpeg import locate
from ..local.render.fonts import font_files
from ..local.session import LocalSession, load_session, save_session
from ..messages import render
from ..results import MediaFile, Result
from .base import Backend, CaptionRequest, Check


class LocalBackend(Backend):
    name: ClassVar[str] = "local"

    def load_session(self) -> LocalSession:
        return load_session(self.ctx.store)

    def save_session(self, session: LocalSession) -> None:
        save_session(self.ctx.store, session)

    def upload(self, files: list[Path], urls: list[str]) -> Result:
        if urls:
            raise SkillError("not_available", backend=self.name, action="upload from a link")
        session = self.load_session()
        infos = [probe(path, self.ctx.config.local.media_extensions) for path in files]
        for info in infos:
            session.use(info)
        self.save_session(session)
        return Result(
            action="upload",
            template="local/uploaded",
            context={"files": [i.model_dump(mode="json") for i in infos]},
            data={"files": [str(i.path) for i in infos]},
        )

    def caption(self, request: CaptionRequest) -> Result:
        """The whole job for one file; the session is saved even when a later step fails."""
        session = self.load_session()
        try:
            media = job.caption(session, request, self.ctx)
        finally:
            if session.current is not None:
                self.save_session(session)
        return self._captioned(session, media, "caption")

    def batch(self, options: BatchOptions, on_file: OnFile | None = None) -> Result:
        """Every file the sources name, each its own job; see skill_runtime.batch."""
        from ..batch.run import run_batch

        return run_batch(options, self.ctx, on_file or (lambda _report: None))

    def render(self, session: LocalSession, action: str = "export") -> Result:
        """Re-render a session's outputs from its tracks and settings (after edits, or export)."""
        media = job.render_outputs(session, self.ctx)
        self.save_session(session)
        return self._captioned(session, media, action)

    def _captioned(self, session: LocalSession, media: list[MediaFile], action: str) -> Result:
        session.outputs = media
        self.save_session(session)
        info = session.current
        assert info is not None
        return Result(
            action=action,
            template="local/captioned",
            context={
                "file_name": info.path.name,
                "source_language": session.source_language,
                "tracks": {lang: len(cues) for lang, cues in session.tracks.items()},
                "burn": session.settings.burn,
                "burned": job.burn_languages(session) if session.settings.burn else [],
                "style": session.settings.style,
                "aspect": session.settings.aspect,
                "action": action,
            },
            media=media,
            data={
                "tracks": {
                    lang: [c.model_dump() for c in cues] for lang, cues in session.tracks.items()
                }
            },
        )

    def chat(self, text: str) -> Result:
        return respond(self, text)

    def state(self) -> Result:
        session = self.load_session()
        return Result(
            action="state",
            template="timeline",
            context={"tracks": summarize(session.to_draft())},
            data={"draft": session.to_draft().model_dump()},
        )

    def credits(self) -> Result:
        return Result(action="credits", template="local/credits")

    def export(self, *, resume: bool = False, cancel: bool = False) -> Result:
        if cancel:
            return Result(action="export", template="local/nothing_to_cancel")
        session = self.load_session()
        if session.current is None:
            raise SkillError("no_upload")
        if not session.tracks:
            raise SkillError(
                "no_captions", file_name=session.current.path.name, path=str(session.current.path)
            )
        return self.render(session)

    def setup(self) -> Result:
        settings = self.ctx.config.local
        self.ctx.progress.status("progress/assembling_model")
        model = resolve_model(settings.model, self.ctx.model)
        ffmpeg = locate()
        fonts = font_files(settings.fonts)
        if not fonts:
            raise SkillError(
                "font_missing",
                family=settings.fonts.family,
                packages=settings.fonts.packages,
                chars="",
            )
        return Result(
            action="setup",
            template="local/setup",
            context={
                "model": model,
                "ffmpeg": ffmpeg.exe,
                "ffmpeg_source": ffmpeg.source,
                "font": str(fonts[0]),
            },
        )

    def doctor(self) -> list[Check]:
        settings = self.ctx.config.local
        checks: list[Check] = []
        try:
            ffmpeg = locate()
            checks.append(
                Check(
                    name="ffmpeg (libass, libx264)",
                    ok=True,
                    detail=f"{ffmpeg.exe} ({ffmpeg.source})",
                )
            )
        except SkillError:
            checks.append(
                Check(
                    name="ffmpeg (libass, libx264)",
                    ok=False,
                    detail=render("local/doctor_no_ffmpeg"),
                )
            )
        fonts = font_files(settings.fonts)
        checks.append(
            Check(
                name="caption font",
                ok=bool(fonts),
                detail=str(fonts[0])
                if fonts
                else render("local/doctor_no_font", packages=settings.fonts.packages),
            )
        )
        checks += _scale_checks()
        choice = requested(settings.model, self.ctx.model)
        try:
            where = resolve_model(settings.model, self.ctx.model)
            offline = Path(where).is_dir()
            checks.append(
                Check(
                    name=f"speech model ({choice})",
                    ok=True,
                    detail=where
                    if offline
                    else render("local/doctor_model_download", model=choice),
                )
            )
        except SkillError as exc:
            checks.append(
                Check(
                    name=f"speech model ({choice})",
                    ok=False,
                    detail=render(f"errors/{exc.code}", **exc.context),
                )
            )
        return checks


def _scale_checks() -> list[Check]:
    """The GPU (chosen automatically when it works) and Ray for `batch --ray`: both optional."""
    acc = detect()
    try:
        ray_detail = render("local/doctor_ray", version=metadata.version("ray"))
    except metadata.PackageNotFoundError:
        ray_detail = render("local/doctor_ray", version=None)
    return [
        Check(
            name="GPU",
            ok=True,
            required=False,
            detail=render(
                "local/doctor_gpu", cuda=acc.cuda_devices, nvenc=acc.nvenc, encoder=acc.encoder
            ),
        ),
        Check(name="Ray (batch --ray)", ok=True, required=False, detail=ray_detail),
    ]
