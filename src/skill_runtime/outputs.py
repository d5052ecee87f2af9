"""Output files written as one set: temporary names, verified, then renamed together.

A run either leaves a complete, checked set under its final names or leaves
the folder as it found it. A file this tool did not write (or wrote for
another source, or that was changed since) is never replaced: the set moves
to a numbered stem instead, unless the user passed `--overwrite`. Every name
is checked to lie inside the output folder, and control characters in a
source's name become `_`, so a `MEDIA:` line is always one real path.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import av
import pysubs2
from pydantic import BaseModel, Field

from .errors import SkillError
from .results import MediaFile
from .store import Store

LEDGER = "outputs"
_MAX_NUMBER = 999


class _Written(BaseModel):
    source: str
    size: int
    mtime_ns: int


class Ledger(BaseModel):
    """Which files in output folders this tool wrote, for which source, as they were then."""

    files: dict[str, _Written] = Field(default_factory=dict)

    def ours(self, path: Path, source: Path) -> bool:
        entry = self.files.get(str(path))
        if entry is None or entry.source != str(source):
            return False
        try:
            st = path.stat()
        except OSError:
            return False
        return (st.st_size, st.st_mtime_ns) == (entry.size, entry.mtime_ns)

    def record(self, path: Path, source: Path) -> None:
        st = path.stat()
        self.files[str(path)] = _Written(
            source=str(source), size=st.st_size, mtime_ns=st.st_mtime_ns
        )

    def prune(self) -> None:
        self.files = {k: v for k, v in self.files.items() if Path(k).exists()}


# NAME_MAX (255 bytes on every common file system) less what a name adds to its stem: the
# hidden part-file prefix and tag (".", ".part-" and 8 hex), a number ("-999") and the
# longest suffix (".captioned.mp4", ".sr-Latn-RS.json": 32 bytes left for it).
STEM_BYTES = 255 - 15 - 4 - 32


def has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in text)


def shown(name: str) -> str:
    """A name for a message: control characters written as escapes (\\n), never raw."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if has_control(ch) else ch for ch in name
    )


def safe_stem(stem: str) -> str:
    """The stem with control and line-breaking characters replaced by `_`, and short enough
    (STEM_BYTES of UTF-8, whole characters) that every name made from it fits the file
    system's limit: a long source name never fails after the work is done."""
    cleaned = "".join(
        "_" if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in stem
    )
    fitted = cleaned.encode("utf-8")[:STEM_BYTES].decode("utf-8", "ignore")
    return fitted.strip() or "captions"


def disk_full(folder: Path) -> SkillError:
    return SkillError("disk_full", folder=str(folder))


def check_folder(folder: Path) -> Path:
    """Fail now, before any slow work, if `folder` could not take the outputs.

    Nothing is created: a run that fails later for another reason leaves no
    empty folder behind. A missing folder needs a writable nearest ancestor.
    """
    if has_control(str(folder)):
        raise SkillError("unsafe_name", file_name=shown(str(folder)), what="output folder")
    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise SkillError("out_not_folder", path=str(folder))
    if not os.access(existing, os.W_OK | os.X_OK):
        reason = "read-only" if _read_only(existing) else "permission denied"
        raise SkillError("out_not_writable", path=str(folder), reason=reason)
    return folder


def _read_only(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def prepare_folder(folder: Path) -> Path:
    """Create `folder` if needed and prove a file can be made in it."""
    check_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".ai-subtitles-probe-"):
            pass
    except (FileExistsError, NotADirectoryError) as exc:
        raise SkillError("out_not_folder", path=str(folder)) from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise disk_full(folder) from exc
        raise SkillError("out_not_writable", path=str(folder), reason=exc.strerror or "") from exc
    return folder


@dataclass
class Expect:
    """What a finished file must be: its kind and, for subtitles, how many cues it holds."""

    kind: str
    count: int = 0


def verify(path: Path, expect: Expect) -> str | None:
    """None when `path` is complete, else why not (in a few words)."""
    try:
        size = path.stat().st_size
    except OSError:
        return "missing"
    if size == 0:
        return "empty"
    try:
        if expect.kind == "mp4":
            return _verify_mp4(path)
        if expect.kind == "png":
            return None if path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" else "not a PNG"
        if expect.kind == "json":
            cues = json.loads(path.read_text(encoding="utf-8")).get("cues", [])
            return None if len(cues) == expect.count else "cues missing"
        events = pysubs2.load(str(path), encoding="utf-8")
        # An ASS style may draw one cue as several events (layers, word pops).
        if expect.kind == "ass":
            return None if len(events) >= expect.count else "cues missing"
        return None if len(events) == expect.count else "cues missing"
    except (OSError, ValueError, av.FFmpegError, pysubs2.Pysubs2Error) as exc:
        return type(exc).__name__


def _verify_mp4(path: Path) -> str | None:
    """Opens, has a duration, and every packet up to that duration is there."""
    with av.open(str(path)) as container:
        if not container.duration or container.duration <= 0:
            return "no duration"
        streams = [s for s in (*container.streams.video[:1], *container.streams.audio[:1])]
        if not streams:
            return "no streams"
        ends = {s.index: 0.0 for s in streams}
        for packet in container.demux(*streams):
            if packet.pts is not None and packet.time_base is not None and packet.size:
                end = float((packet.pts + (packet.duration or 0)) * packet.time_base)
                ends[packet.stream.index] = max(ends[packet.stream.index], end)
        want = container.duration / av.time_base
        if max(ends.values()) < want - 0.5:
            return f"ends at {max(ends.values()):.1f} s of {want:.1f} s"
        if container.streams.video:
            container.seek(0)
            next(container.decode(video=0))
    return None


@dataclass
class OutputSet:
    """The files of one result: `temp(suffix)` to write, `commit()` to publish them all.

    Use it as a context manager: leaving the block without `commit()` (an
    error, a signal) removes every temporary file and touches no final name.
    """

    folder: Path
    source: Path
    suffixes: list[str]
    store: Store
    overwrite: bool = False
    stem: str = ""
    renamed: bool = False
    _temps: dict[str, Path] = field(default_factory=dict)
    _expect: dict[str, Expect] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.folder = prepare_folder(self.folder).resolve()
        base = safe_stem(self.source.stem)
        self.renamed = base != self.source.stem
        self.ledger = self.store.load(LEDGER, Ledger) or Ledger()
        self.stem = self._free_stem(base)

    def _inside(self, name: str) -> Path:
        """`name` in the output folder; one that would leave it (or break a line) is refused."""
        path = self.folder / name
        if path.parent != self.folder or path.name != name or has_control(name):
            raise SkillError("unsafe_name", file_name=shown(name), what="output file")
        return path

    def final(self, suffix: str) -> Path:
        return self._inside(f"{self.stem}{suffix}")

    def _free(self, stem: str) -> bool:
        for suffix in self.suffixes:
            path = self._inside(f"{stem}{suffix}")
            taken = path.exists() or path.is_symlink()
            if taken and not self.overwrite and not self.ledger.ours(path, self.source):
                return False
        return True

    def _free_stem(self, base: str) -> str:
        for n in range(1, _MAX_NUMBER + 1):
            stem = base if n == 1 else f"{base}-{n}"
            if self._free(stem):
                return stem
        raise SkillError("out_not_writable", path=str(self.folder), reason="no free file name")

    @property
    def numbered(self) -> bool:
        return self.stem != safe_stem(self.source.stem)

    def temp(self, suffix: str, expect: Expect) -> Path:
        """A hidden name beside the final one (same filesystem, so the rename is atomic)."""
        final = self.final(suffix)
        path = final.with_name(f".{self.stem}.part-{secrets.token_hex(4)}{suffix}")
        self._temps[suffix] = path
        self._expect[suffix] = expect
        return path

    def discard(self, suffix: str) -> None:
        path = self._temps.pop(suffix, None)
        self._expect.pop(suffix, None)
        if path is not None:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()

    def commit(self) -> dict[str, Path]:
        """Verify every file, then rename them all; nothing is renamed if one is wrong."""
        for suffix, path in self._temps.items():
            problem = verify(path, self._expect[suffix])
            if problem is not None:
                self._raise_incomplete(path, suffix, problem)
        finals: dict[str, Path] = {}
        try:
            for suffix, path in self._temps.items():
                final = self.final(suffix)
                os.replace(path, final)
                finals[suffix] = final
        except OSError as exc:
            if exc.errno == errno.ENOSPC:
                raise disk_full(self.folder) from exc
            raise
        self._temps = {}
        ledger = self.store.load(LEDGER, Ledger) or Ledger()
        for final in finals.values():
            ledger.record(final, self.source)
        ledger.prune()
        self.store.save(LEDGER, ledger)
        return finals

    def _raise_incomplete(self, path: Path, suffix: str, problem: str) -> None:
        with contextlib.suppress(OSError):
            free = os.statvfs(self.folder)
            if free.f_bavail * free.f_frsize < 1024 * 1024:
                raise disk_full(self.folder)
        raise SkillError("output_incomplete", file_name=self.final(suffix).name, problem=problem)

    def cleanup(self) -> None:
        for path in self._temps.values():
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        self._temps = {}

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        self.cleanup()
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            raise disk_full(self.folder) from exc
        if isinstance(exc, SkillError) and exc.code == "disk_full":
            exc.context["folder"] = str(self.folder)


def where_written(source: Path, media: list[MediaFile]) -> dict[str, str | None]:
    """The folder the files went to, and their stem when it is not the source's own name."""
    if not media:
        return {"folder": None, "stem": None, "reason": None}
    name, plain = media[0].path.name, safe_stem(source.stem)
    stem = next(
        (f"{plain}-{n}" for n in range(2, _MAX_NUMBER + 1) if name.startswith(f"{plain}-{n}.")),
        None,
    )
    reason = "numbered" if stem else None
    if plain != source.stem:
        stem = stem or plain
        reason = "shortened" if len(source.stem.encode("utf-8")) > STEM_BYTES else "control"
    return {"folder": str(media[0].path.parent), "stem": stem, "reason": reason}


@contextlib.contextmanager
def output_set(
    folder: Path, source: Path, suffixes: list[str], store: Store, overwrite: bool = False
) -> Iterator[OutputSet]:
    with OutputSet(folder, source, suffixes, store, overwrite) as outs:
        yield outs
