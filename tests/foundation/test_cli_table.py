"""The CLI is a table of commands; its choices come from the types and skill.yaml."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import get_args

import pytest

from skill_runtime import cli
from skill_runtime.cli.commands import COMMANDS, said
from skill_runtime.config import config
from skill_runtime.context import CaptionRequest
from skill_runtime.environment import Environment
from skill_runtime.settings.base import Aspect, FitMode


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    found = next(
        a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction)
    )
    return dict(found.choices)


def test_every_table_entry_is_a_command_in_table_order() -> None:
    assert list(_subcommands()) == [c.name for c in COMMANDS]


@pytest.mark.parametrize(("option", "values"), [("--aspect", Aspect), ("--fit", FitMode)])
def test_frame_choices_are_the_types_values(option: str, values: object) -> None:
    caption = _subcommands()["caption"]
    action = next(a for a in caption._actions if option in a.option_strings)
    assert tuple(action.choices or ()) == get_args(values)


@pytest.mark.parametrize(
    ("command", "option", "table"),
    [
        ("caption", "--style", lambda: config().local.styles),
        ("batch", "--platform", lambda: config().local.platforms),
        ("export", "--for", lambda: config().local.delivery.channels),
    ],
)
def test_help_lists_skill_yaml_tables(command: str, option: str, table: object) -> None:
    parser = _subcommands()[command]
    action = next(a for a in parser._actions if option in a.option_strings)
    assert action.help is not None
    assert "|".join(table()) in action.help  # type: ignore[operator]


@pytest.mark.parametrize(
    ("request_", "sentence"),
    [
        (CaptionRequest(path=Path("/videos/talk.mp4")), "caption talk.mp4"),
        (
            CaptionRequest(
                path=Path("talk.mp4"), languages=["en", "es"], burn=False, aspect="9:16"
            ),
            "caption talk.mp4 --languages en,es --soft --aspect 9:16",
        ),
        (
            CaptionRequest(path=Path("x"), url="https://example.com/v.mp4", burn=True, fit="pad"),
            "caption https://example.com/v.mp4 --burn --fit pad",
        ),
        # Options that do not change how the captions look stay out of the history.
        (CaptionRequest(path=Path("talk.mp4"), model="tiny", audio_track=1), "caption talk.mp4"),
    ],
)
def test_the_history_sentence_repeats_what_was_asked(
    request_: CaptionRequest, sentence: str
) -> None:
    assert said(request_) == sentence


def test_caption_command_records_its_sentence() -> None:
    args = cli.build_parser().parse_args(["caption", "talk.mp4", "--style", "pop", "--soft"])
    call = cli.commands.Call(args, config(), Environment.read(config()))
    request = cli.commands._caption_request(call)
    assert request.said == "caption talk.mp4 --soft --style pop"
