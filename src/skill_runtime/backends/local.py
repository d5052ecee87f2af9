"""The local backend: everything on this machine, nothing uploaded.

Thin on purpose: the pipeline lives in `skill_runtime.local`; this class keeps
one caption job per file (`local.session`), turns outcomes into Results and
answers the other actions.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

from ..batch.models import BatchOptions, OnFile
from ..context import CaptionRequest
from ..draft import summarize
from ..errors import SkillError
from ..language_names import language_name
from ..local import job as pipeline
from ..local.accel import detect
from ..local.asr.models import requested, resolve_model
from ..local.chat import CaptionNext, RenderNext, respond
from ..local.deliver import render_sized, size_target
from ..local.edits.apply import Change
from ..local.history import diff_settings
from ..local.links import download
from ..local.preview import contact_sheet
from ..local.probe import probe
from ..local.render.ffmpeg import locate
from ..local.render.fonts import font_files
from ..local.session import CaptionJob, LocalSession, edit_session, load_session
from ..local.translate.doctor import translation_check
from ..local.translate.setup import install_pair
from ..messages import render
from ..outputs import check_folder, shown, where_written
from ..results import Check, MediaFile, Result
from .base import Backend


def _changes(changes: list[Change]) -> list[dict[str, Any]]:
    return [c.model_dump(mode="json") for c in changes]


class LocalBackend(Backend):
    name: ClassVar[str] = "local"

    def load_session(self) -> LocalSession:
        """A read-only view of every job; change it only inside `jobs()`."""
        return load_session(self.ctx.store)

    def jobs(self) -> AbstractContextManager[LocalSession]:
        """The session under the store's lock, saved when the block succeeds."""
        return edit_session(self.ctx.store)

    def language_names(self) -> dict[str, str]:
        translation = self.ctx.config.translation
        return {code: language_name(code) for code in translation.languages}

    def current_job(self) -> CaptionJob:
        job = self.load_session().current
        if job is None:
            raise SkillError("no_upload")
        return job

    def upload(
        self, files: list[Path], urls: list[str], *, captioning_next: bool = False
    ) -> Result:
        files = [*files, *(self.linked(url) for url in urls)]
        infos = [probe(path, self.ctx.config.local.media_extensions) for path in files]
        rows: list[dict[str, Any]] = []
        with self.jobs() as session:
            for info in infos:
                opened = session.open(info)
                job = opened.job
                rows.append(
                    info.model_dump(mode="json")
                    | {
                        "new": opened.new,
                        "changed": opened.changed,
                        "languages": [language_name(lang) for lang in job.tracks],
                        "kept": _changes(job.carried_over()),
                        "edits": len(job.history.entries),
                    }
                )
        return Result(
            action="upload",
            template="local/uploaded",
            context={
                "files": rows,
                "captioning_next": captioning_next,
                "names": self.language_names(),
            },
            data={"files": [str(i.path) for i in infos]},
        )

    def linked(self, url: str) -> Path:
        """A link's video, downloaded into the store (`local.links`); it is then a file like any."""
        root = self.ctx.store.root / "links"
        return download(url, root, self.ctx.config.local, self.ctx.progress, locate().exe)

    def caption(self, request: CaptionRequest) -> Result:
        """The whole job for one file, with this file's own settings.

        Options apply to this file's job; a file captioned before keeps its job's
        settings and word corrections, and the previous captions stay one "undo"
        away. Recognition runs on a copy, outside the lock; nothing is saved
        unless it succeeds, and its tracks are saved before the render, so a
        failed render does not cost the recognition.
        """
        settings = self.ctx.config.local
        if request.url:  # the output folder is checked before a download, not after
            check_folder(self.ctx.out_dir)
            request = request.model_copy(update={"path": self.linked(request.url), "url": None})
        info = probe(request.path, settings.media_extensions)
        check_folder(self.ctx.out_dir)
        work = self.load_session().open(info).job
        work.settings = pipeline.apply_request(work.settings, request, settings)
        missing = pipeline.recognise(work, request, self.ctx)
        with self.jobs() as session:
            opened = session.open(info)
            job = opened.job
            previous = job.model_copy(deep=True)
            job.settings = pipeline.apply_request(job.settings, request, settings)
            options = diff_settings(previous.settings, job.settings)
            if previous.tracks:
                job.history.record(
                    request.said or f"caption {info.path.name}",
                    [*options, Change(field="recognised")],
                    [],
                    previous.settings,
                    previous.tracks,
                )
            job.words, job.tracks = work.words, work.tracks
            job.source_language = work.source_language
            job.settings.languages = work.settings.languages
            job.settings.burn_languages = work.settings.burn_languages
            work = job.model_copy(deep=True)
        media = pipeline.render_outputs(work, self.ctx, video=not request.preview)
        self._keep_outputs(work, media)
        if missing:
            raise pipeline.missing_languages(missing, work, media, self.ctx)
        if request.preview:
            return self.previewed(work, [contact_sheet(work, self.ctx)])
        carried = {
            "new": not previous.tracks and not opened.changed,
            "changed": opened.changed,
            "kept": _changes(previous.carried_over()),
            "options": _changes([c for c in options if c.field != "burn_languages"]),
            "settings": _changes(work.carried_over()),
        }
        return self._captioned(work, media, "caption", carried)

    def preview(self) -> Result:
        """The contact sheet of the transcribed job, as it stands."""
        job = self.current_job()
        return self.previewed(job, [contact_sheet(job, self.ctx)])

    def previewed(self, job: CaptionJob, media: list[MediaFile]) -> Result:
        platform = self.ctx.config.local.platforms.get(job.settings.platform or "")
        return Result(
            action="preview",
            template="local/preview",
            context={
                "file_name": shown(job.media.path.name),
                "style": job.settings.style,
                "aspect": job.settings.aspect,
                "platform": platform.name if platform else None,
                "burn": job.settings.burn,
            },
            media=media,
        )

    def export_sized(self, *, channel: str | None = None, max_bytes: int | None = None) -> Result:
        """An MP4 under a size limit (a channel's, or the one given); the answer gives its size."""
        target = size_target(self.ctx.config.local.delivery, channel=channel, max_bytes=max_bytes)
        job = self.current_job()
        if not job.tracks:
            raise SkillError("no_captions", file_name=job.media.path.name, path=str(job.media.path))
        media, report = render_sized(job, self.ctx, target)
        self._keep_outputs(job, media)
        result = self._captioned(job, media, "export")
        sized = report.model_dump()
        return result.model_copy(
            update={
                "template": "local/sized",
                "context": result.context | {"sized": sized, "source": target.source},
                "data": result.data | {"size": sized},
            }
        )

    def batch(self, options: BatchOptions, on_file: OnFile | None = None) -> Result:
        """Every file the sources name, each its own job; see skill_runtime.batch."""
        from ..batch.run import run_batch

        return run_batch(options, self.ctx, on_file or (lambda _report: None))

    def render(self, job: CaptionJob, action: str = "export") -> Result:
        """Render a job's outputs from its tracks and settings (after edits, or export)."""
        media = pipeline.render_outputs(job, self.ctx)
        self._keep_outputs(job, media)
        return self._captioned(job, media, action)

    def _keep_outputs(self, job: CaptionJob, media: list[MediaFile]) -> None:
        job.outputs = media
        with self.jobs() as session:
            if job.key in session.jobs:
                session.jobs[job.key].outputs = media

    def _captioned(
        self,
        job: CaptionJob,
        media: list[MediaFile],
        action: str,
        carried: dict[str, Any] | None = None,
    ) -> Result:
        burned = pipeline.burn_languages(job) if job.settings.burn else []
        return Result(
            action=action,
            template="local/captioned",
            context={
                "file_name": shown(job.media.path.name),
                "source_language": job.source_language,
                "tracks": {lang: len(cues) for lang, cues in job.tracks.items()},
                "burn": job.settings.burn,
                "burned": burned,
                "style": job.settings.style,
                "aspect": job.settings.aspect,
                "action": action,
                "carried": carried,
                "changes": [],
                "names": self.language_names()
                | {c: language_name(c) for c in job.settings.languages},
                **where_written(job.media.path, media),
            },
            media=media,
            data={
                "file": str(job.media.path),
                "settings": job.settings.model_dump(mode="json"),
                "burned": burned,
                "soft_tracks": list(job.tracks),
                "tracks": {
                    lang: [c.model_dump() for c in cues]
                    for lang, cues in job.timed_tracks().items()
                },
            },
        )

    def chat(self, text: str) -> Result:
        """The chat layer decides; captioning and rendering it asks for happen here."""
        reply = respond(self.ctx, text)
        if isinstance(reply, CaptionNext):
            return self.caption(reply.request).model_copy(update={"action": "sse"})
        if isinstance(reply, RenderNext):
            result = self.render(self.current_job(), action="sse")
            result.context["changes"] = reply.changes
            return result
        return reply

    def state(self) -> Result:
        session = self.load_session()
        job = session.current
        others = [
            {"file": key, "captioned": bool(other.tracks), "edits": len(other.history.entries)}
            for key, other in session.jobs.items()
            if job is None or key != job.key
        ]
        if job is None:
            return Result(
                action="state",
                template="local/state",
                context={"tracks": [], "job": None, "others": others},
                data={"job": None, "other_files": others, "draft": {}},
            )
        draft = job.to_draft()
        tracks = summarize(draft)
        return Result(
            action="state",
            template="local/state",
            context={
                "tracks": tracks,
                "job": job.describe(),
                "file_name": job.media.path.name,
                "others": others,
                "names": self.language_names(),
            },
            data={
                "job": job.describe(),
                "other_files": others,
                "timeline": [t.model_dump() for t in tracks],
                "draft": draft.model_dump(),
            },
        )

    def credits(self) -> Result:
        return Result(action="credits", template="local/credits")

    def export(self, *, resume: bool = False, cancel: bool = False) -> Result:
        if cancel:
            return Result(action="export", template="local/nothing_to_cancel")
        job = self.current_job()
        if not job.tracks:
            raise SkillError("no_captions", file_name=job.media.path.name, path=str(job.media.path))
        wanted = job.settings
        if wanted.deliver or wanted.max_mb:
            limit = round(wanted.max_mb * 1e6) if wanted.max_mb else None
            return self.export_sized(channel=wanted.deliver, max_bytes=limit)
        return self.render(job)

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

    def setup_translation(self, pair: str) -> Result:
        return install_pair(pair, self.ctx.config.translation, self.ctx.progress)

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
        checks.append(translation_check(self.ctx.config.translation))
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
