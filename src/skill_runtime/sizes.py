"""File sizes as people write them ("16MB", "800k"), parsed before any work.

Kept apart from the size-fitted export so the CLI can check `--max-size`
without loading the media stack.
"""

from __future__ import annotations

import re

from .errors import SkillError

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(kb|k|mb|m|gb|g)?\s*$", re.IGNORECASE)
_UNIT = {"k": 1e3, "kb": 1e3, "m": 1e6, "mb": 1e6, "g": 1e9, "gb": 1e9}


def parse_size(text: str) -> int:
    """'16MB', '16 M', '1.5GB', '800k' (a bare number is MB) in bytes."""
    match = _SIZE.match(text)
    if match is None or float(match.group(1)) <= 0:
        raise SkillError("bad_size", value=text)
    return round(float(match.group(1)) * _UNIT[(match.group(2) or "mb").lower()])
