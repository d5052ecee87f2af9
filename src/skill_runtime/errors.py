"""One exception type for every failure a user should hear about.

The code names a row in skill.yaml's `errors` table, which gives the exit
status; the sentence comes from `prompts/errors/<code>.j2`, so no handler ever
formats a user-facing message itself.
"""

from __future__ import annotations

from typing import Any


class SkillError(Exception):
    """A failure with a known cause, rendered through its template."""

    def __init__(self, code: str, **context: Any) -> None:
        super().__init__(code)
        self.code = code
        self.context = context

    def __repr__(self) -> str:
        return f"SkillError({self.code!r})"
