"""Utterance plus attachments → the actions to run, in order, and why.

The table lives in skill.yaml (`intents`, `order`, `suppress`). The chat
stream (sse) is the fallback; it is also chained after another action when
the sentence carries an instruction of its own ("add captions" with a file).
"""

from __future__ import annotations

from pydantic import BaseModel, computed_field

from . import keywords
from .settings.skill import Action, SkillConfig


class Route(BaseModel):
    action: Action
    then: list[Action]
    rule: str

    @computed_field  # type: ignore[prop-decorator]
    @property
    def skip_sse(self) -> bool:
        """The first action makes its own call; only the chat goes to the SSE stream."""
        return self.action != "sse"

    @property
    def actions(self) -> list[Action]:
        return [self.action, *self.then]


def route(text: str, config: SkillConfig, attachments: int = 0) -> Route:
    hits: dict[Action, str] = {}
    for action, intent in config.intents.items():
        found = keywords.find(intent.keywords, text)
        if found:
            hits[action] = f'keyword "{found}"'
        elif intent.on_attachment and attachments:
            hits[action] = "file attached"
    dropped = []
    for rule in config.suppress:
        if all(a in hits for a in rule.when) and rule.drop in hits:
            del hits[rule.drop]
            dropped.append(f"{rule.drop} dropped: {rule.why}")
    if not hits:
        return Route(action="sse", then=[], rule="no keyword matched: chat")
    if "sse" in hits and len(hits) == 1:
        return Route(action="sse", then=[], rule=f"{hits['sse']}: chat")
    ordered = [a for a in config.order if a in hits]
    reason = "; ".join(f"{a} ({hits[a]})" for a in ordered)
    if dropped:
        reason += "; " + "; ".join(dropped)
    return Route(action=ordered[0], then=ordered[1:], rule=reason)
