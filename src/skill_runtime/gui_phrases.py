"""Backend replies are written for a visual editor; rewrite them for a chat.

Each sentence that names a GUI gesture ("click Export", "open the timeline")
is taken out of the reply and turned into the action it stands for, which the
runtime then performs itself. The table is skill.yaml's `gui_phrases`.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from . import keywords
from .config import Action, SkillConfig
from .router import route

_SENTENCE = re.compile(r"[^.!?。！？\n]+[.!?。！？]*\s*")


class GuiTranslation(BaseModel):
    text: str
    follow_ups: list[Action]


def _action_for(sentence: str, config: SkillConfig) -> Action | None:
    for entry in config.gui_phrases:
        if keywords.find(entry.phrases, sentence):
            if entry.action != "route":
                return entry.action
            target = route(sentence, config).action
            return target if target != "sse" else None
    return None


def translate_gui(text: str, config: SkillConfig) -> GuiTranslation:
    kept: list[str] = []
    follow_ups: list[Action] = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0)
        action = _action_for(sentence, config)
        if action is None:
            kept.append(sentence)
        elif action not in follow_ups:
            follow_ups.append(action)
    return GuiTranslation(text="".join(kept).strip(), follow_ups=follow_ups)
