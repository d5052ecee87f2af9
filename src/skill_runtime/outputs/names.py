"""Names for output files: one line each, inside the folder's limit, shown without raw controls."""

from __future__ import annotations

import unicodedata
from pathlib import Path

# NAME_MAX (255 bytes on every common file system) less what a name adds to its stem: the
# hidden part-file prefix and tag (".", ".part-" and 8 hex), a number ("-999") and the
# longest suffix (".captioned.mp4", ".sr-Latn-RS.json": 32 bytes left for it).
STEM_BYTES = 255 - 15 - 4 - 32
# The highest number a set's stem takes (`talk-999`) before the folder counts as full.
MAX_NUMBER = 999

_CONTROL = ("Cc", "Cf", "Zl", "Zp")


def has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in _CONTROL for ch in text)


def shown(name: str) -> str:
    """A name for a message: control characters written as escapes (\\n), never raw."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if has_control(ch) else ch for ch in name
    )


def safe_stem(stem: str) -> str:
    """The stem with control and line-breaking characters replaced by `_`, and short enough
    (STEM_BYTES of UTF-8, whole characters) that every name made from it fits the file
    system's limit: a long source name never fails after the work is done."""
    cleaned = "".join("_" if unicodedata.category(ch) in _CONTROL else ch for ch in stem)
    fitted = cleaned.encode("utf-8")[:STEM_BYTES].decode("utf-8", "ignore")
    return fitted.strip() or "captions"


def where_written(source: Path, folder: Path | None, stem: str) -> dict[str, str | None]:
    """The folder a set went to, and its stem when that is not the source's own name (and why).

    `stem` is the one `OutputSet.commit()` chose (empty: not known, as in state saved before it
    was kept); `folder` is None when nothing was written.
    """
    if folder is None:
        return {"folder": None, "stem": None, "reason": None}
    plain = safe_stem(source.stem)
    chosen = stem if stem and stem != plain else None
    reason = "numbered" if chosen else None
    if plain != source.stem:
        chosen = chosen or plain
        reason = "shortened" if len(source.stem.encode("utf-8")) > STEM_BYTES else "control"
    return {"folder": str(folder), "stem": chosen, "reason": reason}
