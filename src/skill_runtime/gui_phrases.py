"""Backend replies are written for a visual editor; rewrite them for a chat.

Each sentence that names a GUI gesture ("click Export", "open the timeline")
is taken out of the reply and turned into the action it stands for, which the
runtime then performs itself. The table is skill.yaml's `gui_phrases`.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from . import keywords
from .router import route
from .settings.skill import Action, SkillConfig

_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]*\s*")


class GuiTranslation(BaseModel):
    text: str
    follow_ups: list[Action]


def _gui_action(sentence: str, config: SkillConfig) -> tuple[bool, Action | None]:
    """(names a GUI gesture?, the action it stands for, if any)."""
    for entry in config.gui_phrases:
        if keywords.find(entry.phrases, sentence):
            if entry.action != "route":
                return True, entry.action
            target = route(sentence, config).action
            return True, target if target != "sse" else None
    return False, None


def translate_gui(text: str, config: SkillConfig) -> GuiTranslation:
    kept: list[str] = []
    follow_ups: list[Action] = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0)
        gui, action = _gui_action(sentence, config)
        if not gui:
            kept.append(sentence)
        elif action is not None and action not in follow_ups:
            follow_ups.append(action)
    return GuiTranslation(text="".join(kept).strip(), follow_ups=follow_ups)
