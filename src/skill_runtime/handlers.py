"""What a sentence asks for, run as actions onto whichever backend is active.

Handlers know nothing of HTTP, ffmpeg or Whisper; they turn a routed request
into rows of `backends.actions`' table, so both backends answer every action
the same way, and the same way as the CLI's commands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .backends import Backend, actions
from .backends.actions import Ask
from .results import Result
from .router import route
from .settings.skill import Action, SkillConfig

_URL = re.compile(r"https?://[^\s<>\"']+")


def urls_in(text: str) -> list[str]:
    return _URL.findall(text)


def is_link(text: str) -> bool:
    """The whole argument is one web link (a file name may contain "http://" too)."""
    return _URL.fullmatch(text) is not None


def run_action(
    action: Action,
    backend: Backend,
    text: str,
    files: list[Path],
    config: SkillConfig,
    then: list[Action] | None = None,
) -> Result:
    """Actions listed in skill.yaml's `skip_sse` run their own call; the rest go to chat.

    `then` are the actions the same sentence runs next.
    """
    ask = Ask(text=text, files=files, urls=urls_in(text), then=tuple(then or ()))
    return actions.run(action if action in config.skip_sse else "sse", backend, ask)


def say(text: str, files: list[Path], backend: Backend, config: SkillConfig) -> Iterator[Result]:
    """Route the sentence, then run each action it asks for, in the table's order."""
    decision = route(text, config, attachments=len(files) + len(urls_in(text)))
    for i, action in enumerate(decision.actions):
        yield run_action(action, backend, text, files, config, decision.actions[i + 1 :])
