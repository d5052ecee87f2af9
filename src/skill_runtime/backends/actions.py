"""One table from action to backend call.

The CLI's commands, the router's handlers (`say`) and the cloud backend's
follow-ups (a GUI instruction such as "click Export", done for the user) all
run an action through `run`, so an action means the same call wherever it
starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..batch.models import BatchOptions, OnFile
from ..errors import SkillError
from ..results import Result
from ..settings.skill import Action
from .base import Backend


@dataclass(frozen=True)
class Ask:
    """What an action may need; each action reads only its own part."""

    text: str = ""
    files: list[Path] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    # The actions the same sentence runs next, so an upload does not tell the
    # user to ask for what is about to happen anyway.
    then: tuple[Action, ...] = ()
    resume: bool = False
    cancel: bool = False
    channel: str | None = None
    max_bytes: int | None = None
    batch: BatchOptions | None = None
    on_file: OnFile | None = None


@dataclass(frozen=True)
class Entry:
    call: Callable[[Backend, Ask], Result]
    # Needs nothing from the user, so the runtime may do it when a reply says "click ...".
    unattended: bool


def _upload(backend: Backend, ask: Ask) -> Result:
    if not ask.files and not ask.urls:
        raise SkillError("no_upload")
    return backend.upload(ask.files, ask.urls, captioning_next="sse" in ask.then)


def _batch(backend: Backend, ask: Ask) -> Result:
    options = ask.batch
    if options is None:
        if not ask.files:
            raise SkillError("batch_no_sources")
        options = BatchOptions(sources=[str(f) for f in ask.files])
    return backend.batch(options, ask.on_file)


def _chat(backend: Backend, ask: Ask) -> Result:
    return backend.chat(ask.text)


def _state(backend: Backend, ask: Ask) -> Result:
    return backend.state()


def _credits(backend: Backend, ask: Ask) -> Result:
    return backend.credits()


def _export(backend: Backend, ask: Ask) -> Result:
    if ask.channel or ask.max_bytes is not None:
        return backend.export_sized(channel=ask.channel, max_bytes=ask.max_bytes)
    return backend.export(resume=ask.resume, cancel=ask.cancel)


TABLE: dict[Action, Entry] = {
    "upload": Entry(_upload, unattended=False),
    "batch": Entry(_batch, unattended=False),
    "sse": Entry(_chat, unattended=False),
    "state": Entry(_state, unattended=True),
    "credits": Entry(_credits, unattended=True),
    "export": Entry(_export, unattended=True),
}

# The CLI commands that are actions, by the router's name for them.
COMMANDS: dict[str, Action] = {
    "upload": "upload",
    "batch": "batch",
    "chat": "sse",
    "state": "state",
    "credits": "credits",
    "export": "export",
}


def run(action: Action, backend: Backend, ask: Ask) -> Result:
    return TABLE[action].call(backend, ask)


def unattended(action: Action) -> bool:
    return TABLE[action].unattended
