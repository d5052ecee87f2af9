"""One file's job, run by a worker that keeps the Whisper model for every file it gets.

A worker lets one file recognise while another encodes: a recognition slot and
encode slots (semaphores) bound each stage, so with two files in flight the
next file's speech recognition overlaps the previous file's ffmpeg encode (the
thread waiting on ffmpeg holds no GIL). Outputs are made as one verified set
(`skill_runtime.outputs`) in a hidden work folder and moved under their final
names only when the file's set is complete. A file at a final name that this
batch did not make for this source (and the ledger does not know as ours) is
never replaced: the set takes a numbered name instead, unless `--overwrite`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import threading
import time
import traceback
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from .. import atomic
from ..captions import Word
from ..context import CaptionRequest, Context
from ..environment import Environment
from ..errors import SkillError
from ..local import pipeline
from ..local.probe import probe
from ..local.session import CaptionJob, fingerprint
from ..messages import redact, render
from ..outputs.names import MAX_NUMBER, safe_stem
from ..results import MediaFile
from ..settings.skill import SkillConfig
from ..store import Store, home
from .models import FileRecord
from .progress import FileProgress, StageSink, Stopped

WORK_DIR = ".ai-subtitles-work"


class FileJob(BaseModel):
    path: Path
    name: str
    request: CaptionRequest
    recognise_key: str
    render_key: str
    words: list[Word] | None = None
    language: str | None = None
    # Final names this file may take over: its own earlier outputs (manifest, ledger).
    replaceable: list[Path] = Field(default_factory=list)
    overwrite: bool = False


class FileOutcome(FileRecord):
    state: Literal["done", "failed"]
    seconds: float = 0.0


def work_dir(out_dir: Path, name: str) -> Path:
    return out_dir / WORK_DIR / name


def _stem_for(
    suffixes: list[str], name: str, out_dir: Path, replaceable: set[Path], overwrite: bool
) -> str:
    """`name`, or `name-2`, `name-3`…: the first whose files are free or this file's own."""
    base = safe_stem(name)
    for n in range(1, MAX_NUMBER + 1):
        stem = base if n == 1 else f"{base}-{n}"
        finals = [out_dir / f"{stem}{suffix}" for suffix in suffixes]
        if overwrite or all(not (f.exists() or f.is_symlink()) or f in replaceable for f in finals):
            return stem
    raise SkillError("out_not_writable", path=str(out_dir), reason="no free file name")


def publish(
    media: list[MediaFile],
    produced_stem: str,
    item: FileJob,
    out_dir: Path,
) -> list[MediaFile]:
    """Move a finished set from the work folder to `out_dir`, named after the file's output name."""
    if not media:
        return []
    cut = len(safe_stem(produced_stem))
    suffixes = [m.path.name[cut:] for m in media]
    stem = _stem_for(suffixes, item.name, out_dir, set(item.replaceable), item.overwrite)
    moved: list[MediaFile] = []
    for m, suffix in zip(media, suffixes, strict=True):
        final = out_dir / f"{stem}{suffix}"
        os.replace(m.path, final)
        moved.append(m.model_copy(update={"path": final}))
    return moved


class _Waiting:
    """A worker's stage slot: says the file is waiting, then holds the slot for the stage."""

    def __init__(self, slot: threading.Semaphore, ctx: Context, template: str) -> None:
        self._slot, self._ctx, self._template = slot, ctx, template

    def __enter__(self) -> None:
        self._ctx.progress.status(self._template)
        self._slot.acquire()

    def __exit__(self, *exc: object) -> None:
        self._slot.release()


class Worker:
    def __init__(
        self,
        config: SkillConfig,
        out_dir: Path,
        *,
        env: Environment,
        model: str | None,
        language: str | None,
        sink: StageSink,
        recognisers: int = 1,
        encoders: int = 1,
        stop: threading.Event | None = None,
    ) -> None:
        self.config = config
        self.env = env
        self.out_dir = out_dir
        self.model = model
        self.language = language
        self.sink = sink
        self.stop = stop
        self._recognise = threading.Semaphore(recognisers)
        self._encode = threading.Semaphore(encoders)

    def _context(self, name: str, folder: Path) -> Context:
        # The set's ledger lives and dies with the work folder: the driver records
        # the published files in the user's ledger.
        return Context(
            config=self.config,
            store=Store(folder / ".state"),
            out_dir=folder,
            progress=FileProgress(name, self.sink, self.stop),
            version="batch",
            platform="batch",
            env=self.env,
            language=self.language,
            model=self.model,
        )

    def run(self, item: FileJob) -> FileOutcome:
        """Caption one file; any failure becomes a failed outcome, never an exception."""
        began = time.monotonic()
        folder = work_dir(self.out_dir, item.name)
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        ctx = self._context(item.name, folder)
        outcome = FileOutcome(path=item.path, name=item.name, state="done")
        try:
            info = probe(item.path, self.config.local.media_extensions)
            work = CaptionJob(media=info, fingerprint=fingerprint(info))
            work.settings = pipeline.apply_request(work.settings, item.request, self.config.local)
            if item.words is not None and item.language is not None:
                work.words, work.source_language = item.words, item.language
            limits = pipeline.Limits(
                recognise=_Waiting(self._recognise, ctx, "batch/waiting_recognise"),
                encode=_Waiting(self._encode, ctx, "batch/waiting_encode"),
            )
            try:
                media, missing = pipeline.caption_file(work, item.request, ctx, limits)
            finally:  # the words are kept for a resume, even when the render failed
                if work.words and work.source_language:
                    outcome.recognise_key = item.recognise_key
                    outcome.words, outcome.language = work.words, work.source_language
            if missing:
                raise pipeline.missing_languages(missing, work, media, ctx)
            outcome.outputs = publish(media, info.path.stem, item, self.out_dir)
            outcome.render_key = item.render_key
        except SkillError as exc:
            outcome.state, outcome.error = "failed", exc.code
            outcome.message = render(f"errors/{exc.code}", **exc.context)
            finished = [m for m in exc.media if m.path.exists()]
            # The failure is the news; its finished files are a bonus.
            with contextlib.suppress(OSError, SkillError):
                outcome.outputs = publish(finished, item.path.stem, item, self.out_dir)
        except Stopped:
            outcome.state, outcome.error = "failed", "interrupted"
            outcome.message = render("errors/interrupted")
        except Exception:  # one file's bug must not stop the others; the trace goes to a log
            log = home(self.env) / "last-error.txt"
            with contextlib.suppress(OSError):
                atomic.write_text(log, redact(traceback.format_exc()), mode=0o600)
            outcome.state, outcome.error = "failed", "internal"
            outcome.message = render("errors/internal", log=str(log))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        outcome.seconds = time.monotonic() - began
        return outcome
