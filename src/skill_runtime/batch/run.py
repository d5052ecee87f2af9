"""`ai-subtitles batch`: expand the sources, skip what the manifest says is done, run the rest.

Two option keys decide what a re-run redoes: the recognition key (the file's
size and time, model, spoken language, recognition settings) and the render key
(caption settings, cue rules, styles, frames, encoder, translation). A changed
render key re-renders from the recognised words kept in the manifest.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import filelock

from ..captions import CaptionSettings
from ..context import CaptionRequest, Context
from ..errors import SkillError
from ..local import pipeline
from ..local.accel import detect
from ..local.asr.models import requested, resolve_model
from ..local.render.ffmpeg import locate
from ..outputs import LEDGER, Ledger, check_folder
from ..results import MediaFile, Result
from . import ray_executor
from .executor import plan, run_local
from .manifest import Entry, Manifest, options_key
from .models import BatchOptions, FileReport, OnFile
from .progress import Board
from .sources import expand, output_names
from .worker import WORK_DIR, FileJob, FileOutcome, Worker

LOCK_NAME = ".ai-subtitles-batch.lock"


def _request(options: BatchOptions, path: Path) -> CaptionRequest:
    return CaptionRequest.model_validate({"path": path, **options.caption_fields()})


def _keys(
    path: Path, options: BatchOptions, ctx: Context, size: int, mtime: int
) -> tuple[str, str]:
    local = ctx.config.local
    recognise = options_key(
        size,
        mtime,
        requested(local.model, options.model or ctx.model, ctx.env),
        options.source_language or ctx.language,
        local.model.model_dump(mode="json"),
        local.recognition.model_dump(mode="json"),
    )
    settings = pipeline.apply_request(CaptionSettings(), _request(options, path), local)
    render = options_key(
        settings.model_dump(mode="json"),
        local.model_dump(mode="json", exclude={"model", "recognition"}),
        ctx.config.translation.model_dump(mode="json"),
        detect().encoder,
    )
    return recognise, render


def _finished(entry: Entry, recognise: str, render: str) -> bool:
    return (
        entry.state == "done"
        and entry.recognise_key == recognise
        and entry.render_key == render
        and bool(entry.outputs)
        and all(m.path.is_file() for m in entry.outputs)
    )


def _own_files(path: Path, entry: Entry | None, ledger: Ledger) -> list[Path]:
    """Files `path`'s outputs may replace: an earlier batch's, or any this tool wrote for it."""
    mine = [m.path for m in entry.outputs] if entry is not None else []
    return mine + [Path(f) for f in ledger.files if ledger.ours(Path(f), path)]


def _job_or_skip(
    path: Path,
    name: str,
    entry: Entry | None,
    options: BatchOptions,
    ctx: Context,
    stat: os.stat_result,
    ledger: Ledger,
) -> FileJob | FileReport:
    """The job left to do for `path`, with recognised words reused when still valid."""
    recognise, render = _keys(path, options, ctx, stat.st_size, stat.st_mtime_ns)
    if entry is not None and _finished(entry, recognise, render):
        return FileReport(file=path, name=name, state="skipped", media=entry.outputs)
    reuse = entry is not None and entry.recognise_key == recognise and entry.words is not None
    return FileJob(
        path=path,
        name=name,
        request=_request(options, path),
        recognise_key=recognise,
        render_key=render,
        words=entry.words if reuse and entry else None,
        language=entry.language if reuse and entry else None,
        replaceable=_own_files(path, entry, ledger),
        overwrite=ctx.overwrite,
    )


def _check_ready(options: BatchOptions, ctx: Context) -> None:
    """Fail before any work on what would fail every file: folder, style, model, ffmpeg."""
    check_folder(ctx.out_dir)
    if options.style is not None:
        pipeline.style_preset(ctx.config.local, options.style)
    if ray_executor.address(options.ray, ctx.env) is None:
        resolve_model(ctx.config.local.model, options.model or ctx.model, ctx.env)
        locate()


class _Driver:
    """Holds the manifest and the display; every outcome passes through here."""

    def __init__(
        self,
        manifest: Manifest,
        board: Board,
        ctx: Context,
        on_file: OnFile,
        jobs: list[FileJob],
        previous: dict[Path, Entry],
    ) -> None:
        self.manifest, self.board, self.on_file = manifest, board, on_file
        self.out_dir, self.store = ctx.out_dir, ctx.store
        self.jobs = {j.path: j for j in jobs}
        self.previous = previous
        self.reports: list[FileReport] = []

    def report(self, report: FileReport) -> None:
        self.reports.append(report)
        self.on_file(report)

    def done(self, outcome: FileOutcome) -> None:
        item = self.jobs[outcome.path]
        if outcome.error == "interrupted":
            return
        words, language, recognise_key = outcome.words, outcome.language, outcome.recognise_key
        if recognise_key is None and item.words is not None:
            words, language, recognise_key = item.words, item.language, item.recognise_key
        self.manifest.record(
            outcome.path,
            state=outcome.state,
            recognise_key=recognise_key,
            render_key=outcome.render_key,
            language=language,
            words=words,
            outputs=outcome.outputs,
            error=outcome.error,
            message=outcome.message,
            seconds=outcome.seconds,
        )
        self._drop_stale(outcome)
        self._record_ours(outcome.path, outcome.outputs)
        self.board.done(outcome.name, outcome.state, outcome.message)
        self.report(
            FileReport(
                file=outcome.path,
                name=outcome.name,
                state=outcome.state,
                error=outcome.error,
                message=outcome.message,
                seconds=round(outcome.seconds, 2),
                media=outcome.outputs,
            )
        )

    def _record_ours(self, source: Path, media: list[MediaFile]) -> None:
        """The ledger learns the published files, so `caption` of the same file replaces them."""
        if not media:
            return
        with self.store.locked(LEDGER):
            ledger = self.store.load(LEDGER, Ledger) or Ledger()
            for m in media:
                with contextlib.suppress(OSError):
                    ledger.record(m.path, source)
            ledger.prune()
            self.store.save(LEDGER, ledger)

    def _drop_stale(self, outcome: FileOutcome) -> None:
        """Outputs of an earlier run that this run did not make again (a language removed)."""
        before = self.previous.get(outcome.path)
        if before is None or outcome.state != "done":
            return
        kept = {m.path for m in outcome.outputs}
        for old in before.outputs:
            if old.path not in kept and old.path.parent == self.out_dir:
                with contextlib.suppress(OSError):
                    old.path.unlink()


@contextlib.contextmanager
def _only_batch_on(out_dir: Path) -> Iterator[None]:
    """One batch per output folder: a second one would delete the first's work folder.

    An OS file lock, so a killed batch frees it; the second batch refuses at once.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(out_dir / LOCK_NAME, timeout=0)
    try:
        lock.acquire()
    except filelock.Timeout as exc:
        raise SkillError("batch_busy", folder=str(out_dir)) from exc
    try:
        yield
    finally:
        lock.release()


def run_batch(options: BatchOptions, ctx: Context, on_file: OnFile) -> Result:
    """Caption every file the sources name; skip finished ones; one failure stops nothing."""
    _check_ready(options, ctx)
    out_dir = ctx.out_dir
    config = ctx.config
    paths = expand(
        options.sources,
        folder_extensions=config.local.video_extensions,
        file_extensions=config.local.media_extensions,
        skip=out_dir,
    )
    where = ray_executor.address(options.ray, ctx.env)
    with _only_batch_on(out_dir), Manifest(out_dir) as manifest:
        names = output_names(paths, manifest.names())
        entries = manifest.entries()
        ledger = ctx.store.load(LEDGER, Ledger) or Ledger()
        driver_jobs: list[FileJob] = []
        skipped: list[FileReport] = []
        for path in paths:
            stat = path.stat()
            manifest.add(path, names[path], stat.st_size, stat.st_mtime_ns)
            todo = _job_or_skip(path, names[path], entries.get(path), options, ctx, stat, ledger)
            if isinstance(todo, FileJob):
                driver_jobs.append(todo)
            else:
                skipped.append(todo)
        board = Board(len(paths), skipped=len(skipped), quiet=ctx.progress.quiet)
        driver = _Driver(manifest, board, ctx, on_file, driver_jobs, entries)
        for report in skipped:
            driver.report(report)
        stop = threading.Event()
        ray_timings: dict[str, float] | None = None
        try:
            if driver_jobs:
                ray_timings = _execute(driver_jobs, options, ctx, where, driver, board, stop)
        finally:
            board.close()
            with contextlib.suppress(OSError):
                (out_dir / WORK_DIR).rmdir()
        return _summary(driver.reports, manifest.path, where, ray_timings)


def _execute(
    jobs: list[FileJob],
    options: BatchOptions,
    ctx: Context,
    where: str | None,
    driver: _Driver,
    board: Board,
    stop: threading.Event,
) -> dict[str, float] | None:
    """Run the jobs here or on Ray; on Ray, how long Ray's start-up and shutdown took."""
    model = options.model or ctx.model
    language = options.source_language or ctx.language
    if where is not None:
        cluster = ray_executor.RayCluster(where)
        try:
            ray_executor.run_ray(
                cluster,
                jobs,
                config=ctx.config,
                out_dir=ctx.out_dir,
                model=model,
                language=language,
                on_done=driver.done,
                board=board,
                stop=stop,
            )
        finally:
            cluster.close()
        return cluster.timings()
    shape = plan(options.workers)
    worker = Worker(
        ctx.config,
        ctx.out_dir,
        env=ctx.env,
        model=model,
        language=language,
        sink=board,
        recognisers=shape.recognisers,
        encoders=shape.encoders,
        stop=stop,
    )
    run_local(jobs, worker, shape.in_flight, driver.done, stop)
    return None


def _summary(
    reports: list[FileReport],
    manifest: Path,
    where: str | None,
    ray_timings: dict[str, float] | None = None,
) -> Result:
    count: dict[str, int] = {"done": 0, "failed": 0, "skipped": 0}
    for r in reports:
        count[r.state] += 1
    failed = [r for r in reports if r.state == "failed"]
    media = [m for r in reports if r.state != "failed" for m in r.media]
    context: dict[str, Any] = {
        **count,
        "total": len(reports),
        "failed_files": [{"name": r.file.name, "reason": r.message} for r in failed],
        "manifest": str(manifest),
        "where": where,
    }
    data = {
        **count,
        "manifest": str(manifest),
        "failures": [{"file": str(r.file), "error": r.error, "message": r.message} for r in failed],
    }
    if ray_timings is not None:
        data["ray"] = ray_timings
    if failed:
        error = SkillError("batch_failed", **context)
        error.context["data"] = data
        raise error.with_media(media + [m for r in failed for m in r.media])
    return Result(action="batch", template="batch/summary", context=context, media=media, data=data)
