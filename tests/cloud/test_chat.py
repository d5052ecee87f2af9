"""The SSE chat: both event styles, hidden internals, silence, faults, GUI wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator import Emulator, Fault
from skill_runtime.backends.cloud import CloudBackend
from skill_runtime.cloud.sse import TextAssembler
from skill_runtime.errors import SkillError
from skill_runtime.messages import render

from .conftest import Harness


def _uploaded(harness: Harness, video: Path) -> CloudBackend:
    backend = harness.backend()
    backend.upload([video], [])
    return backend


@pytest.mark.parametrize("style", ["adk", "flat"])
def test_reply_text_arrives_once_without_internals(
    harness: Harness, emulator: Emulator, video: Path, style: str
) -> None:
    emulator.state.sse_style = style  # type: ignore[assignment]
    result = _uploaded(harness, video).chat("add background music")
    assert result.context["text"] == "Added a Lo-fi background track at 35% volume."


def test_thoughts_and_tool_names_never_reach_the_user(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    result = _uploaded(harness, video).chat("add background music")
    shown = render(result.template, **result.context)
    assert "Planning" not in shown and "edit_timeline" not in shown


def test_silent_edit_is_summarised_from_the_timeline(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    emulator.state.no_text_rate = 1.0
    result = _uploaded(harness, video).chat("add captions in Spanish")
    shown = render(result.template, **result.context)
    assert result.template == "cloud/edit_applied"
    assert '- Added: Subtitles "Spanish" (0-11.5s)' in shown
    assert "Timeline (2 tracks)" in shown


def test_a_silent_edit_after_a_spoken_one_is_summarised_not_given_the_old_reply(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    backend = _uploaded(harness, video)
    spoken = backend.chat("add background music")
    emulator.state.no_text_rate = 1.0
    silent = backend.chat("add captions in Spanish")
    shown = render(silent.template, **silent.context)
    assert spoken.context["text"] == "Added a Lo-fi background track at 35% volume."
    assert silent.template == "cloud/edit_applied"
    assert "35% volume" not in shown
    assert '- Added: Subtitles "Spanish" (0-11.5s)' in shown
    assert "Timeline (3 tracks)" in shown


def test_gui_preview_wording_becomes_a_timeline_summary(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    result = _uploaded(harness, video).chat("add captions in English and Spanish")
    shown = render(result.template, **result.context)
    assert "Preview in timeline" not in shown
    assert "Added English and Spanish captions." in shown
    assert "Timeline (3 tracks)" in shown
    assert result.data["follow_ups"] == ["state"]


def test_gui_export_wording_runs_the_export(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    result = _uploaded(harness, video).chat("what can you do?")
    assert "Click Export" not in result.context["text"]
    assert result.data["follow_ups"] == ["export"]
    assert result.media[0].path.is_file()


def test_in_stream_error_is_reported(harness: Harness, emulator: Emulator, video: Path) -> None:
    backend = _uploaded(harness, video)
    emulator.state.inject("chat", Fault(in_stream=True, message="model overloaded"))
    with pytest.raises(SkillError) as err:
        backend.chat("add background music")
    assert (err.value.code, err.value.context["detail"]) == ("server_error", "model overloaded")


def test_in_stream_session_loss_recovers_in_a_new_session(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    backend = _uploaded(harness, video)
    emulator.state.inject("chat", Fault(in_stream=True, code=1002))
    backend.chat("add background music")
    assert len(emulator.state.calls("/with-session/")) == 2


def test_stream_dropped_midway_is_a_network_error_and_keeps_the_session(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    backend = _uploaded(harness, video)
    session = backend.conn.session().session_id
    emulator.state.inject("chat", Fault(in_stream=True, drop=True))
    with pytest.raises(SkillError) as err:
        backend.chat("add background music")
    assert err.value.context["reason"] == "dropped"
    assert harness.backend().conn.session().session_id == session


def _patient(backend: CloudBackend, every_s: float, timeout_s: float) -> CloudBackend:
    settings = backend.conn.settings.model_copy(
        update={"still_working_every_s": every_s, "stream_timeout_s": timeout_s}
    )
    backend.conn.settings = settings
    return backend


def test_long_silence_says_still_working(harness: Harness, emulator: Emulator, video: Path) -> None:
    backend = _patient(_uploaded(harness, video), every_s=0.2, timeout_s=30)
    emulator.state.heartbeats, emulator.state.heartbeat_every_s = 3, 0.25
    backend.chat("add background music")
    assert harness.stderr.getvalue().count("⏳ Still working...") >= 2


def test_stream_stops_at_the_time_limit(harness: Harness, emulator: Emulator, video: Path) -> None:
    backend = _patient(_uploaded(harness, video), every_s=10, timeout_s=0.3)
    emulator.state.heartbeats, emulator.state.heartbeat_every_s = 20, 0.1
    with pytest.raises(SkillError) as err:
        backend.chat("add background music")
    assert err.value.code == "stream_timeout"


def test_assembler_prefers_the_final_aggregate_over_partials() -> None:
    text = TextAssembler()
    for chunk in ("Hel", "lo"):
        text.delta(chunk)
    text.final("Hello")
    text.final("Hello")
    assert text.text() == "Hello"


def test_assembler_accepts_cumulative_snapshots() -> None:
    text = TextAssembler()
    for snapshot in ("Add", "Added captions", "Added captions."):
        text.delta(snapshot)
    assert text.text() == "Added captions."


def test_assembler_keeps_partials_when_no_final_arrives() -> None:
    text = TextAssembler()
    for chunk in ("One ", "two"):
        text.delta(chunk)
    assert text.text() == "One two"
