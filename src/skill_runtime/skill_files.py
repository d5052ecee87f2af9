"""Where SKILL.md, skill.yaml and prompts/ live: the checkout, or the installed wheel."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def skill_root() -> Path:
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "SKILL.md").is_file() and (checkout / "skill.yaml").is_file():
        return checkout
    return Path(__file__).resolve().parent / "_skill"
