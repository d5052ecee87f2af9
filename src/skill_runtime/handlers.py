"""The five actions, each a thin call onto whichever backend is active.

Handlers know nothing of HTTP, ffmpeg or Whisper; they turn a routed request
into a backend call, so both backends answer every action the same way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from .backends import Backend
from .batch.models import BatchOptions
from .errors import SkillError
from .results import Result
from .router import route
from .settings.skill import Action, SkillConfig

_URL = re.compile(r"https?://[^\s<>\"']+")


def urls_in(text: str) -> list[str]:
    return _URL.findall(text)


def run_action(
    action: Action,
    backend: Backend,
    text: str,
    files: list[Path],
    config: SkillConfig,
    then: list[Action] | None = None,
) -> Result:
    """Actions listed in skill.yaml's `skip_sse` call their endpoint; the rest go to chat.

    `then` are the actions the same sentence runs next, so an upload does not
    tell the user to ask for what is about to happen anyway.
    """
    if action not in config.skip_sse:
        return backend.chat(text)
    if action == "upload":
        urls = urls_in(text)
        if not files and not urls:
            raise SkillError("no_upload")
        return backend.upload(files, urls, captioning_next="sse" in (then or []))
    if action == "batch":
        if not files:
            raise SkillError("batch_no_sources")
        return backend.batch(BatchOptions(sources=[str(f) for f in files]))
    if action == "state":
        return backend.state()
    if action == "credits":
        return backend.credits()
    if action == "export":
        return backend.export()
    return backend.chat(text)


def say(text: str, files: list[Path], backend: Backend, config: SkillConfig) -> Iterator[Result]:
    """Route the sentence, then run each action it asks for, in the table's order."""
    decision = route(text, config, attachments=len(files) + len(urls_in(text)))
    for i, action in enumerate(decision.actions):
        yield run_action(action, backend, text, files, config, decision.actions[i + 1 :])
