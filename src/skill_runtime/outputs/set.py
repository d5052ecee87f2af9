"""One result's files: written under temporary names, verified, then renamed together."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SkillError
from ..store import Store
from .folders import disk_full, prepare_folder
from .ledger import LEDGER, Ledger
from .names import MAX_NUMBER, has_control, safe_stem, shown
from .verify import Expect, verify


@dataclass(frozen=True)
class Committed:
    """What `OutputSet.commit()` published: the stem it chose and each suffix's final path."""

    stem: str
    files: dict[str, Path]


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
    _temps: dict[str, Path] = field(default_factory=dict)
    _expect: dict[str, Expect] = field(default_factory=dict)
    _made: list[Path] = field(default_factory=list)

    def __post_init__(self) -> None:
        missing = [p for p in (self.folder, *self.folder.parents) if not p.exists()]
        self.folder = prepare_folder(self.folder).resolve()
        self._made = [p.resolve() for p in missing]
        self.ledger = self.store.load(LEDGER, Ledger) or Ledger()
        self.stem = self._free_stem(safe_stem(self.source.stem))

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
        for n in range(1, MAX_NUMBER + 1):
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

    def commit(self) -> Committed:
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
        return Committed(stem=self.stem, files=finals)

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

    def _unmake(self) -> None:
        """Folders this set created for a result that never came, if nothing else went in."""
        for folder in self._made:  # the deepest first
            try:
                folder.rmdir()
            except OSError:
                return

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(self, kind: object, exc: BaseException | None, tb: object) -> None:
        self.cleanup()
        if exc is not None:
            self._unmake()
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            raise disk_full(self.folder) from exc
        if isinstance(exc, SkillError) and exc.code == "disk_full" and not exc.context["folder"]:
            exc.context["folder"] = str(self.folder)


@contextlib.contextmanager
def output_set(
    folder: Path, source: Path, suffixes: list[str], store: Store, overwrite: bool = False
) -> Iterator[OutputSet]:
    with OutputSet(folder, source, suffixes, store, overwrite) as outs:
        yield outs
