"""Renders: submit, poll every published shape, download atomically, resume, cancel."""

from __future__ import annotations

from pathlib import Path

import pytest

from emulator import Emulator, Fault
from skill_runtime.backends.cloud import CloudBackend
from skill_runtime.errors import SkillError

from .conftest import Harness


class Interrupted(Exception):
    """Stands in for Ctrl-C or a closed terminal while the render is polled."""


def _captioned(harness: Harness, video: Path) -> CloudBackend:
    backend = harness.backend()
    backend.upload([video], [])
    backend.chat("add captions in English")
    return backend


def _interrupt(backend: CloudBackend) -> None:
    def stop(_: float) -> None:
        raise Interrupted

    backend.sleep = stop
    with pytest.raises(Interrupted):
        backend.export()


@pytest.mark.parametrize("shape", [1, 2, 3])
def test_every_poll_shape_leads_to_the_download(
    harness: Harness, emulator: Emulator, video: Path, shape: int
) -> None:
    emulator.state.poll_shape = shape  # type: ignore[assignment]
    result = _captioned(harness, video).export()
    (media,) = result.media
    assert media.path.read_bytes()[4:8] == b"ftyp"
    assert len(emulator.state.calls("/render/proxy/lambda/")) == 3


def test_submit_sends_the_draft_and_mp4_high(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    backend = _captioned(harness, video)
    backend.export()
    (job,) = emulator.state.jobs.values()
    assert job.id.startswith("render_") and job.id[7:].isdigit()
    assert job.session_id == backend.conn.session().session_id
    assert [t["tt"] for t in job.draft["t"]] == [0, 7]


def test_render_id_is_kept_before_polling(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    backend = _captioned(harness, video)
    _interrupt(backend)
    (pending,) = harness.backend().conn.session().pending_renders
    assert pending.id in emulator.state.jobs


def test_resume_finishes_an_interrupted_export(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    _interrupt(_captioned(harness, video))
    result = harness.backend().export(resume=True)
    assert result.context["resumed"] is True
    assert result.media[0].path.is_file()
    assert harness.backend().conn.session().pending_renders == []


def test_a_later_export_finishes_the_left_job_instead_of_submitting_again(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    _interrupt(_captioned(harness, video))
    harness.backend().export()
    assert len(emulator.state.jobs) == 1


def test_a_later_export_after_more_edits_renders_the_new_timeline_too(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    backend = _captioned(harness, video)
    _interrupt(backend)
    again = harness.backend()
    again.chat("add background music")
    result = again.export()
    assert len(emulator.state.jobs) == 2
    assert len(result.media) == 2


def test_cancel_stops_the_running_render(harness: Harness, emulator: Emulator, video: Path) -> None:
    _interrupt(_captioned(harness, video))
    result = harness.backend().export(cancel=True)
    assert result.data["cancelled"] == list(emulator.state.jobs)
    assert [j.status for j in emulator.state.jobs.values()] == ["cancelled"]
    assert harness.backend().conn.session().pending_renders == []


def test_cancel_with_nothing_running_says_so(harness: Harness) -> None:
    assert harness.backend().export(cancel=True).template == "cloud/nothing_to_cancel"


def test_render_cancelled_elsewhere_is_reported(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    backend = _captioned(harness, video)
    _interrupt(backend)
    for job in emulator.state.jobs.values():
        job.status = "cancelled"
    with pytest.raises(SkillError) as err:
        harness.backend().export(resume=True)
    assert err.value.code == "render_cancelled"


def test_failed_render_is_reported_and_forgotten(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    emulator.state.render_fails = True
    backend = _captioned(harness, video)
    with pytest.raises(SkillError) as err:
        backend.export()
    assert err.value.code == "cloud_render_failed"
    assert harness.backend().conn.session().pending_renders == []


def test_render_that_outlasts_the_limit_times_out_and_stays_resumable(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    emulator.state.polls_to_complete = 10**6
    backend = _captioned(harness, video)
    backend.conn.settings = backend.conn.settings.model_copy(update={"render_timeout_s": 0.2})
    with pytest.raises(SkillError) as err:
        backend.export()
    assert err.value.code == "render_timeout"
    assert len(harness.backend().conn.session().pending_renders) == 1


def test_dropped_download_leaves_no_partial_file_and_can_resume(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    backend = _captioned(harness, video)
    emulator.state.inject("download", Fault(drop=True))
    with pytest.raises(SkillError) as err:
        backend.export()
    assert err.value.context["reason"] == "dropped"
    assert not harness.ctx.out_dir.exists() or list(harness.ctx.out_dir.iterdir()) == []
    assert harness.backend().export(resume=True).media[0].path.is_file()


def test_free_plan_export_block_is_a_plan_limit(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    backend = _captioned(harness, video)
    emulator.state.inject("render", Fault(http=402))
    with pytest.raises(SkillError) as err:
        backend.export()
    assert err.value.code == "plan_limit"
    assert harness.backend().conn.session().pending_renders == []


def test_empty_timeline_has_nothing_to_export(harness: Harness) -> None:
    with pytest.raises(SkillError) as err:
        harness.backend().export()
    assert (err.value.code, err.value.context["reason"]) == ("nothing_to_export", "empty")


def test_resume_without_a_left_job_says_so(harness: Harness) -> None:
    with pytest.raises(SkillError) as err:
        harness.backend().export(resume=True)
    assert err.value.context["reason"] == "no_pending"


def test_caption_uploads_asks_and_exports(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    from skill_runtime.context import CaptionRequest

    result = harness.backend().caption(CaptionRequest(path=video, languages=["en", "es"]))
    (chat,) = emulator.state.calls("/run_sse")
    assert result.media[0].path.is_file()
    assert "English and Spanish" in result.context["reply"]
    assert chat["path"] == "/run_sse"
