"""`caption`'s options as words in the instruction NemoVideo's agent receives.

The cloud API takes edits only as chat, so `--burn/--soft/--aspect/--fit/--style/--platform`
travel as phrases from skill.yaml's `cloud.caption_instruction`. An option with
no wording there is refused before anything is uploaded, never dropped.
"""

from __future__ import annotations

from ..context import CaptionRequest
from ..errors import SkillError
from ..settings.cloud import CaptionInstruction


def _phrase(table: dict[str, str], value: str, option: str) -> str:
    if value not in table:
        if option == "style":
            raise SkillError("unknown_style", style=value, styles=sorted(table))
        choices = ", ".join(sorted(table))
        raise SkillError("usage", problem=f"--{option} {value} is not one of {choices}", usage="")
    return table[value]


def caption_instruction(
    request: CaptionRequest, languages: str, words: CaptionInstruction
) -> list[str]:
    """The instruction's parts: the captions, then each option the request sets."""
    parts = [words.captions.format(languages=languages)]
    if request.burn is not None:
        parts.append(words.burn if request.burn else words.soft)
    if request.aspect is not None:
        parts.append(_phrase(words.aspect, request.aspect, "aspect"))
    if request.fit is not None:
        parts.append(_phrase(words.fit, request.fit, "fit"))
    if request.style is not None:
        parts.append(_phrase(words.style, request.style, "style"))
    if request.platform is not None:
        parts.append(_phrase(words.platform, request.platform, "platform"))
    return parts
