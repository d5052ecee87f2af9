"""Keyword matching shared by the router and the GUI-phrase translator.

Latin keywords match whole words (so "add" is not found in "address");
CJK keywords have no word boundaries, so they match as substrings.
"""

from __future__ import annotations

import re
from functools import cache

_CJK = re.compile(r"[\u3000-\u9fff\uac00-\ud7af\uff00-\uffef]")


def is_cjk(keyword: str) -> bool:
    return bool(_CJK.search(keyword))


@cache
def pattern(keyword: str) -> re.Pattern[str]:
    escaped = r"\s+".join(re.escape(part) for part in keyword.split())
    if is_cjk(keyword):
        return re.compile(escaped, re.IGNORECASE)
    return re.compile(rf"(?<![\w]){escaped}(?![\w])", re.IGNORECASE)


def find(keywords: list[str], text: str) -> str | None:
    """The first keyword found in text, in the table's order."""
    return next((k for k in keywords if pattern(k).search(text)), None)
