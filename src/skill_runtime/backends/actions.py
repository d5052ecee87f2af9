"""One table from action to its handler, the one backend call it makes.

The handlers keep the design's names: Upload, SSE (the chat), State, Credits and
Export, and Batch for many files. The CLI's commands, the router's sentences
(`say`) and the cloud backend's follow-ups (a GUI instruction such as "click
Export", done for the user) all run an action through `run`, so an action means
the same call wherever it starts.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

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


class Handler(ABC):
    """One action onto a backend: the design's handlers, one per routed action."""

    action: ClassVar[Action]
    # Needs nothing from the user, so the runtime may do it when a reply says "click ...".
    unattended: ClassVar[bool] = False

    @abstractmethod
    def __call__(self, backend: Backend, ask: Ask) -> Result:
        """Run the action on `backend` with what it needs from `ask`."""


class UploadHandler(Handler):
    """Adds the files and links the user gave; refuses when there are none."""

    action = "upload"

    def __call__(self, backend: Backend, ask: Ask) -> Result:
        if not ask.files and not ask.urls:
            raise SkillError("no_upload")
        return backend.upload(ask.files, ask.urls, captioning_next="sse" in ask.then)


class BatchHandler(Handler):
    """Many files through the caption pipeline: the CLI's options, or the attached files."""

    action = "batch"

    def __call__(self, backend: Backend, ask: Ask) -> Result:
        options = ask.batch
        if options is None:
            if not ask.files:
                raise SkillError("batch_no_sources")
            options = BatchOptions(sources=[str(f) for f in ask.files])
        return backend.batch(options, ask.on_file)


class SSEHandler(Handler):
    """The chat: the sentence itself is the instruction.

    Named for NemoVideo's chat stream (`POST /run_sse`), where the cloud backend sends
    it; the local backend reads it with its own chat layer. It is the router's fallback
    and the one handler that does not skip the stream.
    """

    action = "sse"

    def __call__(self, backend: Backend, ask: Ask) -> Result:
        return backend.chat(ask.text)


class StateHandler(Handler):
    """The timeline as it stands."""

    action = "state"
    unattended = True

    def __call__(self, backend: Backend, ask: Ask) -> Result:
        return backend.state()


class CreditsHandler(Handler):
    """The credit balance (the local backend has nothing to count)."""

    action = "credits"
    unattended = True

    def __call__(self, backend: Backend, ask: Ask) -> Result:
        return backend.credits()


class ExportHandler(Handler):
    """The finished MP4: sized for a channel or a limit when asked, else as set."""

    action = "export"
    unattended = True

    def __call__(self, backend: Backend, ask: Ask) -> Result:
        if ask.channel or ask.max_bytes is not None:
            return backend.export_sized(channel=ask.channel, max_bytes=ask.max_bytes)
        return backend.export(resume=ask.resume, cancel=ask.cancel)


TABLE: dict[Action, Handler] = {
    h.action: h
    for h in (
        UploadHandler(),
        BatchHandler(),
        SSEHandler(),
        StateHandler(),
        CreditsHandler(),
        ExportHandler(),
    )
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
    return TABLE[action](backend, ask)


def unattended(action: Action) -> bool:
    return TABLE[action].unattended
