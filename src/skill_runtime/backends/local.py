"""The local backend: everything on this machine, nothing uploaded.

Thin on purpose: the pipeline lives in `skill_runtime.local`; this class keeps
one caption job per file (`local.session`), turns outcomes into Results and
answers the other actions.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

from ..batch.models import BatchOptions, OnFile
from ..context import CaptionRequest, Context
from ..errors import SkillError
from ..language_names import language_name
from ..local import handoffs, imports, pipeline
from ..local.accel import detect
from ..local.ahead import Ahead
from ..local.asr.models import requested, resolve_model
from ..local.chat import CaptionNext, RenderNext, respond
from ..local.deliver import SizeTarget, size_target
from ..local.edits.apply import Change
from ..local.history import diff_settings
from ..local.links import download
from ..local.preview import contact_sheet
from ..local.probe import MediaInfo, check_path, probe
from ..local.proofread import import_corrections
from ..local.render.ffmpeg import locate
from ..local.render.fonts import font_files
from ..local.render.layout import output_shape
from ..local.renditions import checked, derived_name, valid_name
from ..local.session import CaptionJob, LocalSession, edit_session, load_session
from ..local.translate.doctor import translation_check
from ..local.translate.setup import install_pair
from ..messages import render
from ..outputs import check_folder, shown, where_written
from ..platform import detect_host
from ..results import Check, MediaFile, Result
from ..settings.edits import RenditionWords
from ..settings.local import LocalSettings
from ..track_summary import TimelineSummary
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
        subtitles = [f for f in files if self._is_subtitles(f)]
        if subtitles:
            media = [f for f in files if f not in subtitles]
            return self.import_subtitles(media, subtitles, captioning_next=captioning_next)
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
        """The whole job for one file, with this file's own settings, for one rendition.

        Options apply to the rendition `--rendition` names (made from the current
        one if new), else the current one; a file's first captions name their
        rendition by the options. A file captioned before keeps its job's
        settings and word corrections, and the previous captions stay one
        "undo" away. Recognition runs on a copy, outside the lock; nothing is
        saved unless it succeeds, and its tracks are saved before the render,
        so a failed render does not cost the recognition.
        """
        settings = self.ctx.config.local
        if request.url:  # the output folder is checked before a download, not after
            check_folder(self.ctx.out_dir)
            request = request.model_copy(update={"path": self.linked(request.url), "url": None})
        info = probe(request.path, settings.media_extensions)
        check_folder(self.ctx.out_dir)
        name = valid_name(request.rendition) if request.rendition else None
        if request.subtitles is not None:
            return self._caption_imported(info, request, name)
        work = self.load_session().open(info).job
        shared = _shares_words(work, name, request)
        _choose(work, name, request, self.ctx.config.edits.renditions, settings)
        work.settings = pipeline.apply_request(work.settings, request, settings)
        ahead_or_none = nullcontext() if shared else pipeline.burning_ahead(work, request, self.ctx)
        with ahead_or_none as ahead:
            if shared:
                missing = imports.translate_missing(work, self.ctx)
            else:
                missing = pipeline.recognise(work, request, self.ctx, ahead)
            with self.jobs() as session:
                opened = session.open(info)
                job = opened.job
                created, previous, options = _reopened(job, name, request, self.ctx)
                if previous.tracks:
                    recognised = [] if shared else [Change(field="recognised")]
                    _recaptioned(
                        job,
                        previous,
                        created,
                        request.said or f"caption {info.path.name}",
                        [*options, *recognised],
                    )
                job.words, job.tracks = work.words, work.tracks
                job.source_language = work.source_language
                job.settings.languages = work.settings.languages
                job.settings.burn_languages = work.settings.burn_languages
                work = job.model_copy(deep=True)
            written = self._rendered(work, request, missing, ahead)
        if request.preview:
            return self.previewed(work, [contact_sheet(work, self.ctx)])
        carried = {
            "shared_from": work.renditions[work.rendition].parent if shared else None,
            "new": not previous.tracks and not opened.changed,
            "changed": opened.changed,
            "kept": _changes(previous.carried_over()),
            "options": _changes([c for c in options if c.field != "burn_languages"]),
            "settings": _changes(work.carried_over()),
        }
        return self._captioned(work, written, "caption", carried)

    def _is_subtitles(self, path: Path) -> bool:
        return path.suffix.lower().lstrip(".") in self.ctx.config.local.subtitle_extensions

    def import_subtitles(
        self, media: list[Path], files: list[Path], *, captioning_next: bool = False
    ) -> Result:
        """The user's own subtitle files as language tracks of the current job (after `media`)."""
        uploaded = self.upload(media, [], captioning_next=captioning_next) if media else None
        paths = [check_path(f, self.ctx.config.local.subtitle_extensions) for f in files]
        with self.jobs() as session:
            job = session.current
            if job is None:
                raise SkillError("no_upload")
            done = [
                imports.import_file(
                    job, p, imports.language_of(p, self.ctx.language, self.ctx), self.ctx
                )
                for p in paths
            ]
            tracks = {lang: len(cues) for lang, cues in job.tracks.items()}
            file_name = job.media.path.name
        context = uploaded.context if uploaded else {"files": [], "captioning_next": True}
        return Result(
            action="upload",
            template="local/imported",
            context=context
            | {
                "imported": [i.model_dump(mode="json") for i in done],
                "tracks": tracks,
                "file_name": shown(file_name),
                "names": self.language_names() | {c: language_name(c) for c in tracks},
            },
            data={
                "files": [str(m) for m in media],
                "imported": [i.model_dump(mode="json") for i in done],
            },
        )

    def _caption_imported(
        self, info: MediaInfo, request: CaptionRequest, name: str | None
    ) -> Result:
        """`caption VIDEO --subtitles FILE`: the file is the spoken track; nothing is recognised.

        Other languages asked for are translated from it, and the rendition
        (`--rendition`, else the current one) renders as usual.
        """
        assert request.subtitles is not None
        settings = self.ctx.config.local
        path = check_path(request.subtitles, settings.subtitle_extensions)
        language = imports.language_of(path, request.source_language or self.ctx.language, self.ctx)
        with self.jobs() as session:
            job = session.open(info).job
            created, previous, _ = _reopened(job, name, request, self.ctx)
            if previous.tracks:
                _recaptioned(
                    job,
                    previous,
                    created,
                    request.said or f"caption {info.path.name}",
                    [Change(field="imported", before=None, after=[language])],
                )
            job.tracks, job.words, job.source_language = {}, [], None
            done = imports.import_file(job, path, language, self.ctx)
            missing = imports.translate_missing(job, self.ctx)
            work = job.model_copy(deep=True)
        written = self._rendered(work, request, missing)
        if request.preview:
            return self.previewed(work, [contact_sheet(work, self.ctx)])
        result = self._captioned(work, written, "caption")
        result.context["imported"] = [done.model_dump(mode="json")]
        result.data["imported"] = [done.model_dump(mode="json")]
        return result.model_copy(update={"template": "local/captioned_imported"})

    def _rendered(
        self,
        work: CaptionJob,
        request: CaptionRequest,
        missing: list[SkillError],
        ahead: Ahead | None = None,
    ) -> pipeline.Written:
        """The captioned job's files (no video for a preview), kept as its rendition's.

        A language no translator reached fails the run after the others are written.
        """
        written = pipeline.render_outputs(work, self.ctx, video=not request.preview, ahead=ahead)
        self._keep_outputs(work, written, rendered=not request.preview)
        if missing:
            raise pipeline.missing_languages(missing, work, written.media, self.ctx)
        return written

    def _selected(self) -> list[CaptionJob]:
        """The current file's job, once per rendition `--rendition` picks (else the current one)."""
        job = self.current_job()
        names = checked(job, self.ctx.rendition) or [job.rendition]
        return [job.select(name) for name in names]

    def preview(self) -> Result:
        """The contact sheet of the transcribed job, as it stands, for each rendition picked."""
        jobs = self._selected()
        return self.previewed(jobs[-1], [contact_sheet(job, self.ctx) for job in jobs])

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
                **_versions(job),
            },
            media=media,
        )

    def _sized(self, job: CaptionJob, target: SizeTarget) -> Result:
        """One rendition's MP4 under `target`; the answer gives its size and where it came from."""
        written, report = pipeline.render_sized(job, self.ctx, target)
        self._keep_outputs(job, written, rendered=False)
        result = self._captioned(job, written, "export")
        sized = report.model_dump()
        return result.model_copy(
            update={
                "template": "local/sized",
                "context": result.context | {"sized": sized, "source": target.source},
                "data": result.data | {"size": sized},
            }
        )

    def export_sized(self, *, channel: str | None = None, max_bytes: int | None = None) -> Result:
        """An MP4 under a size limit (a channel's, or the one given); the answer gives its size."""
        target = size_target(self.ctx.config.local.delivery, channel=channel, max_bytes=max_bytes)
        results = []
        for job in self._selected():
            if not job.tracks:
                raise SkillError(
                    "no_captions", file_name=job.media.path.name, path=str(job.media.path)
                )
            results.append(self._sized(job, target))
        return _joined(results)

    def batch(self, options: BatchOptions, on_file: OnFile | None = None) -> Result:
        """Every file the sources name, each its own job; see skill_runtime.batch."""
        from ..batch.run import run_batch

        return run_batch(options, self.ctx, on_file or (lambda _report: None))

    def render(self, job: CaptionJob, action: str = "export") -> Result:
        """Render a rendition's outputs from the job's tracks and its settings (after edits, or
        export); a rendition whose look did not change since its last render is not drawn again."""
        if pipeline.up_to_date(job, self.ctx):
            kept = pipeline.Written(list(job.outputs), job.renditions[job.rendition].stem)
            result = self._captioned(job, kept, action)
            result.context["unchanged"] = True
            return result
        written = pipeline.render_outputs(job, self.ctx)
        self._keep_outputs(job, written, rendered=True)
        return self._captioned(job, written, action)

    def _keep_outputs(self, job: CaptionJob, written: pipeline.Written, *, rendered: bool) -> None:
        """The rendition's files and their stem; a full render also records the look it drew."""
        digest = pipeline.look_digest(job) if rendered else None
        media = written.media
        job.outputs = media
        job.renditions[job.rendition].stem = written.stem
        with self.jobs() as session:
            saved = session.jobs.get(job.key)
            if saved is not None and job.rendition in saved.renditions:
                rendition = saved.renditions[job.rendition]
                rendition.stem = written.stem
                rendition.outputs = media if rendered else _merged(rendition.outputs, media)
                if rendered:
                    rendition.rendered = digest
                saved.rendition = job.rendition
                job.outputs = rendition.outputs

    def _captioned(
        self,
        job: CaptionJob,
        written: pipeline.Written,
        action: str,
        carried: dict[str, Any] | None = None,
    ) -> Result:
        burned = pipeline.burn_languages(job) if job.settings.burn else []
        written_cues = pipeline.drawing(job, self.ctx).text  # as in the files: fitted to the frame
        shown_languages = list(written_cues)
        media = written.media
        folder = media[0].path.parent if media else None
        return Result(
            action=action,
            template="local/captioned",
            context={
                "file_name": shown(job.media.path.name),
                "source_language": job.source_language,
                "tracks": {lang: len(cues) for lang, cues in written_cues.items()},
                "burn": job.settings.burn,
                "burned": burned,
                "style": job.settings.style,
                "aspect": job.settings.aspect,
                "fit": job.settings.fit,
                "reframed": _reframed(job, self.ctx.config.local),
                "action": action,
                "carried": carried,
                "changes": [],
                "unchanged": False,
                "names": self.language_names()
                | {c: language_name(c) for c in job.settings.languages},
                **_versions(job),
                **where_written(job.media.path, folder, written.stem),
            },
            media=media,
            data={
                "file": str(job.media.path),
                "rendition": job.rendition,
                "settings": job.settings.model_dump(mode="json"),
                "burned": burned,
                "soft_tracks": shown_languages,
                "tracks": {
                    lang: [c.model_dump() for c in cues] for lang, cues in written_cues.items()
                },
            },
        )

    def translate(self, language: str, *, handoff: bool, answers: Path | None) -> Result:
        if answers is not None:
            return handoffs.import_translation(self.ctx, answers, language)
        return handoffs.start(self.ctx, "translate", language)

    def proofread(self, language: str | None, *, handoff: bool, answers: Path | None) -> Result:
        if answers is not None:
            return import_corrections(self.ctx, answers)
        return handoffs.start(self.ctx, "proofread", language)

    def chat(self, text: str) -> Result:
        """The chat layer decides; captioning and rendering it asks for happen here.

        A language no translator can reach is handed to the host agent when
        there is one (it translates, the import checks its answers).
        """
        try:
            reply = respond(self.ctx, text)
        except SkillError as exc:
            agent = detect_host(self.ctx.config.hosts, self.ctx.env).rule.name != "unknown"
            if exc.code != "translation_unavailable" or not agent:
                raise
            return handoffs.start(self.ctx, "translate", exc.context["target"])
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
                data={
                    "job": None,
                    "other_files": others,
                    "timeline": TimelineSummary(tracks=[], duration_s=0).model_dump(),
                },
            )
        timeline = job.timeline()
        return Result(
            action="state",
            template="local/state",
            context={
                "tracks": timeline.tracks,
                "job": job.describe(),
                "file_name": job.media.path.name,
                "others": others,
                "names": self.language_names(),
            },
            data={
                "job": job.describe(),
                "other_files": others,
                "timeline": timeline.model_dump(),
            },
        )

    def credits(self) -> Result:
        return Result(action="credits", template="local/credits")

    def export(self, *, resume: bool = False, cancel: bool = False) -> Result:
        if cancel:
            return Result(action="export", template="local/nothing_to_cancel")
        results = []
        for job in self._selected():
            if not job.tracks:
                raise SkillError(
                    "no_captions", file_name=job.media.path.name, path=str(job.media.path)
                )
            wanted = job.settings
            if wanted.deliver or wanted.max_mb:
                limit = round(wanted.max_mb * 1e6) if wanted.max_mb else None
                target = size_target(
                    self.ctx.config.local.delivery, channel=wanted.deliver, max_bytes=limit
                )
                results.append(self._sized(job, target))
            else:
                results.append(self.render(job))
        return _joined(results)

    def setup(self) -> Result:
        settings = self.ctx.config.local
        self.ctx.progress.status("progress/assembling_model")
        model = resolve_model(settings.model, self.ctx.model, self.ctx.env)
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
        return install_pair(pair, self.ctx.config.translation, self.ctx.progress, self.ctx.env)

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
        choice = requested(settings.model, self.ctx.model, self.ctx.env)
        try:
            where = resolve_model(settings.model, self.ctx.model, self.ctx.env)
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
        checks.append(translation_check(self.ctx.config.translation, self.ctx.env))
        return checks


def _choose(
    job: CaptionJob,
    name: str | None,
    request: CaptionRequest,
    words: RenditionWords,
    settings: LocalSettings,
) -> bool:
    """Work on rendition `name` (made from the current one when new); True if it was made.

    A file's first captions name its one rendition: `name`, else by the options.
    """
    if not job.tracks and len(job.renditions) == 1:
        look = pipeline.apply_request(job.settings, request, settings)
        job.rename_first(name or derived_name(look, words))
        return False
    if name is None or name in job.renditions:
        job.rendition = name or job.rendition
        return False
    job.add_rendition(name, job.rendition)
    job.rendition = name
    return True


def _shares_words(job: CaptionJob, name: str | None, request: CaptionRequest) -> bool:
    """Whether a caption run makes a new version of a captioned file from its words.

    Versions of one video share its words and translations: a new one is not
    recognised again (which takes minutes, and may hear a word differently
    from the versions already made), unless the request changes what is heard.
    """
    new_version = name is not None and name not in job.renditions and bool(job.tracks)
    return (
        new_version
        and bool(job.words)
        and request.model is None
        and request.audio_track is None
        and request.source_language in (None, job.source_language)
    )


def _reopened(
    job: CaptionJob, name: str | None, request: CaptionRequest, ctx: Context
) -> tuple[bool, CaptionJob, list[Change]]:
    """The job on the request's rendition with its options: (created, the job before, options)."""
    settings = ctx.config.local
    created = _choose(job, name, request, ctx.config.edits.renditions, settings)
    previous = job.model_copy(deep=True)
    job.settings = pipeline.apply_request(job.settings, request, settings)
    return created, previous, diff_settings(previous.settings, job.settings)


def _recaptioned(
    job: CaptionJob, previous: CaptionJob, created: bool, said: str, changes: list[Change]
) -> None:
    """A file captioned again: one history entry, so "undo" brings back the captions before.

    A rendition this run made is recorded as new (undo removes it).
    """
    parent = job.renditions[job.rendition].parent
    made = [Change(field="rendition", before=parent, after=job.rendition)] if created else []
    job.history.record(
        said,
        {job.rendition: [*made, *changes]},
        [],
        {job.rendition: None if created else previous.settings},
        previous.tracks,
    )


def _reframed(job: CaptionJob, settings: LocalSettings) -> bool:
    """Whether the frame's shape differs from the picture's, so the fit (blur, crop, bars) shows."""
    media = job.media
    if not media.width or not media.height:
        return False
    s = job.settings
    shape = output_shape(settings, s.aspect, media, s.height, s.platform)
    return abs(shape.width / shape.height - media.width / media.height) > 0.01


def _merged(kept: list[MediaFile], new: list[MediaFile]) -> list[MediaFile]:
    """A delivery's files added to the rendition's render: the render stays reusable."""
    paths = {m.path for m in new}
    return [*(m for m in kept if m.path not in paths), *new]


def _versions(job: CaptionJob) -> dict[str, Any]:
    return {"rendition": job.rendition, "renditions": list(job.renditions)}


def _joined(results: list[Result]) -> Result:
    """One answer for several renditions: each one's text, every file."""
    if len(results) == 1:
        return results[0]
    first = results[0]
    return first.model_copy(
        update={
            "template": "local/several",
            "context": {"parts": [render(r.template, **r.context) for r in results]},
            "media": [m for r in results for m in r.media],
            "data": {"renditions": {r.data["rendition"]: r.data for r in results}},
        }
    )


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
