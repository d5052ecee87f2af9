"""One table from action to backend call: the CLI, `say` and the cloud follow-ups share it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from skill_runtime import cli
from skill_runtime.backends import Backend, actions
from skill_runtime.batch.models import BatchOptions, OnFile
from skill_runtime.errors import SkillError
from skill_runtime.results import Result
from skill_runtime.settings.skill import ACTIONS
from skill_runtime.sizes import parse_size

Call = tuple[str, dict[str, Any]]
URL = "https://example.com/talk.mp4"


class Recorder(Backend):
    """Answers every action by noting which backend method was called, and how."""

    name = "recorder"

    def __init__(self) -> None:
        self.calls: list[Call] = []

    def _note(self, method: str, **args: Any) -> Result:
        self.calls.append((method, args))
        return Result(action=method, template="setting_up")

    def upload(
        self, files: list[Path], urls: list[str], *, captioning_next: bool = False
    ) -> Result:
        return self._note("upload", files=files, urls=urls, captioning_next=captioning_next)

    def chat(self, text: str) -> Result:
        return self._note("chat", text=text)

    def state(self) -> Result:
        return self._note("state")

    def credits(self) -> Result:
        return self._note("credits")

    def export(self, *, resume: bool = False, cancel: bool = False) -> Result:
        return self._note("export", resume=resume, cancel=cancel)

    def export_sized(self, *, channel: str | None = None, max_bytes: int | None = None) -> Result:
        return self._note("export_sized", channel=channel, max_bytes=max_bytes)

    def batch(self, options: BatchOptions, on_file: OnFile | None = None) -> Result:
        return self._note("batch", sources=options.sources, per_file=on_file is not None)


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    backend = Recorder()
    monkeypatch.setattr(cli.commands, "get_backend", lambda name, ctx: backend)
    return backend


def test_every_action_has_one_row() -> None:
    assert set(actions.TABLE) == set(ACTIONS)


def test_each_command_row_is_a_cli_command_and_an_action() -> None:
    subcommands = next(
        a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    for command, action in actions.COMMANDS.items():
        assert command in subcommands.choices
        assert action in actions.TABLE


def test_only_actions_needing_nothing_from_the_user_run_unattended() -> None:
    """What the cloud does itself when a reply says "click ..."; an edit is never re-sent."""
    assert [a for a in ACTIONS if actions.unattended(a)] == ["state", "credits", "export"]


EXPORT = {"resume": False, "cancel": False}


@pytest.mark.parametrize(
    ("argv", "call"),
    [
        (["upload", "a.mp4", URL], ("upload", {"files": [Path("a.mp4")], "urls": [URL],
                                               "captioning_next": False})),
        (["chat", "make it bigger"], ("chat", {"text": "make it bigger"})),
        (["state"], ("state", {})),
        (["credits"], ("credits", {})),
        (["export"], ("export", EXPORT)),
        (["export", "--resume"], ("export", {**EXPORT, "resume": True})),
        (["export", "--cancel"], ("export", {**EXPORT, "cancel": True})),
        (["export", "--max-size", "16MB"],
         ("export_sized", {"channel": None, "max_bytes": parse_size("16MB")})),
        (["export", "--for", "whatsapp"],
         ("export_sized", {"channel": "whatsapp", "max_bytes": None})),
        (["batch", "clips"], ("batch", {"sources": ["clips"], "per_file": True})),
    ],
)  # fmt: skip
def test_cli_command_makes_its_backend_call(
    recorder: Recorder, argv: list[str], call: Call
) -> None:
    assert cli.main(["--json", "--quiet", *argv]) == 0
    assert recorder.calls == [call]


@pytest.mark.parametrize(
    ("sentence", "attached", "calls"),
    [
        ("what is my credit balance", [], [("credits", {})]),
        ("show the timeline", [], [("state", {})]),
        ("export it", [], [("export", EXPORT)]),
        (f"upload {URL}", [], [("upload", {"files": [], "urls": [URL],
                                           "captioning_next": False})]),
        ("add captions", ["a.mp4"], [
            ("upload", {"files": [Path("a.mp4")], "urls": [], "captioning_next": True}),
            ("chat", {"text": "add captions"}),
        ]),
        ("caption all the videos in this folder", ["clips"],
         [("batch", {"sources": ["clips"], "per_file": False})]),
    ],
)  # fmt: skip
def test_said_action_makes_the_same_backend_call(
    recorder: Recorder, sentence: str, attached: list[str], calls: list[Call]
) -> None:
    files = [x for f in attached for x in ("--file", f)]
    assert cli.main(["--json", "--quiet", "say", sentence, *files]) == 0
    assert recorder.calls == calls


def test_the_handlers_keep_the_names_the_design_gives_them() -> None:
    names = {action: type(handler).__name__ for action, handler in actions.TABLE.items()}
    assert names == {
        "upload": "UploadHandler",
        "batch": "BatchHandler",
        "sse": "SSEHandler",
        "state": "StateHandler",
        "credits": "CreditsHandler",
        "export": "ExportHandler",
    }


@pytest.mark.parametrize(
    ("action", "code"), [("upload", "no_upload"), ("batch", "batch_no_sources")]
)
def test_action_needing_files_refuses_without_them(action: str, code: str) -> None:
    backend = Recorder()
    with pytest.raises(SkillError) as caught:
        actions.run(action, backend, actions.Ask(text="do it"))  # type: ignore[arg-type]
    assert caught.value.code == code
    assert backend.calls == []
