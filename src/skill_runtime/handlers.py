"""What a sentence asks for, run as actions onto whichever backend is active.

Nothing here knows HTTP, ffmpeg or Whisper: a routed sentence becomes calls to
the handlers of `backends.actions`' table (Upload, SSE (the chat), State,
Credits, Export, and Batch), so both backends answer every action the same way,
and the same way as the CLI's commands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .backends import Backend, actions
from .backends.actions import Ask
from .results import Result
from .router import route
from .settings.skill import SkillConfig

_URL = re.compile(r"https?://[^\s<>\"']+")


def urls_in(text: str) -> list[str]:
    return _URL.findall(text)


def is_link(text: str) -> bool:
    """The whole argument is one web link (a file name may contain "http://" too)."""
    return _URL.fullmatch(text) is not None


def say(text: str, files: list[Path], backend: Backend, config: SkillConfig) -> Iterator[Result]:
    """Route the sentence, then run each action's handler, in the table's order.

    Each handler but SSE (the chat) makes its own call and skips the stream; `then`
    tells a handler what the same sentence runs next.
    """
    decision = route(text, config, attachments=len(files) + len(urls_in(text)))
    for i, action in enumerate(decision.actions):
        then = tuple(decision.actions[i + 1 :])
        ask = Ask(text=text, files=files, urls=urls_in(text), then=then)
        yield actions.run(action, backend, ask)
