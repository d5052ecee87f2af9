"""What a batch covers: folders (searched recursively), glob patterns, list files, files.

Every source is checked before any work starts. Each file gets an output name
after its stem; two files with the same stem get the stem plus a short digest
of their path, and a name once given is kept by the manifest.
"""

from __future__ import annotations

import glob
import hashlib
from collections.abc import Iterable
from pathlib import Path

from ..errors import SkillError

LIST_SUFFIXES = (".txt", ".list")
_GLOB_CHARS = set("*?[")


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _inside(path: Path, folder: Path | None) -> bool:
    return folder is not None and (path == folder or folder in path.parents)


def _folder(root: Path, extensions: set[str], skip: Path | None) -> list[Path]:
    """Media files under `root`, skipping hidden ones and the batch's own output folder."""
    found = [
        p
        for p in root.rglob("*")
        if p.suffix.lower().lstrip(".") in extensions
        and p.is_file()
        and not _hidden(p, root)
        and not _inside(p.resolve(), skip)
    ]
    return sorted(found)


def _list_file(path: Path) -> list[str]:
    """One path a line, relative to the list file; blank lines and # comments are ignored."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise SkillError("file_missing", path=str(path)) from exc
    base = path.parent
    return [
        str(base / line.strip())
        for line in lines
        if line.strip() and not line.strip().startswith("#")
    ]


def expand(
    sources: Iterable[str],
    *,
    folder_extensions: Iterable[str],
    file_extensions: Iterable[str],
    skip: Path | None = None,
) -> list[Path]:
    """Every media file the sources name, resolved, each once, in the order given.

    Folders and patterns pick files by `folder_extensions` (videos); a file named
    outright may be any of `file_extensions`. A source that names nothing fails.
    """
    videos = {e.lower() for e in folder_extensions}
    media = {e.lower() for e in file_extensions} | videos
    skip = skip.resolve() if skip else None
    found: list[Path] = []
    for source in sources:
        path = Path(source).expanduser()
        if path.is_dir():
            hits = _folder(path, videos, skip)
        elif path.is_file() and path.suffix.lower() in LIST_SUFFIXES:
            hits = expand(
                _list_file(path), folder_extensions=videos, file_extensions=media, skip=skip
            )
        elif path.is_file():
            if path.suffix.lower().lstrip(".") not in media:
                raise SkillError(
                    "unsupported_type",
                    path=str(path),
                    ext=path.suffix.lstrip("."),
                    supported=sorted(media),
                )
            hits = [path]
        elif _GLOB_CHARS & set(source):
            hits = sorted(
                Path(p)
                for p in glob.glob(str(path), recursive=True)
                if Path(p).is_file() and Path(p).suffix.lower().lstrip(".") in videos
            )
        else:
            raise SkillError("file_missing", path=str(path))
        if not hits:
            raise SkillError("no_sources", source=source, formats=sorted(videos))
        found += [p.resolve() for p in hits]
    return list(dict.fromkeys(found))


def _digest(path: Path) -> str:
    return hashlib.sha256(str(path).encode("utf-8")).hexdigest()[:6]


def output_names(paths: list[Path], known: dict[Path, str]) -> dict[Path, str]:
    """A distinct output name per file (case-insensitively): its stem, or stem-digest on a clash.

    `known` holds names given in earlier runs; they are kept, so outputs never move.
    """
    names = {p: known[p] for p in paths if p in known}
    taken = {n.casefold() for n in known.values()}
    stems: dict[str, int] = {}
    for p in paths:
        stems[p.stem.casefold()] = stems.get(p.stem.casefold(), 0) + 1
    for p in paths:
        if p in names:
            continue
        name = p.stem
        if stems[p.stem.casefold()] > 1 or name.casefold() in taken:
            name = f"{p.stem}-{_digest(p)}"
        names[p] = name
        taken.add(name.casefold())
    return names
