"""Both backends describe a timeline in one neutral shape: tracks, cues, languages, seconds."""

from __future__ import annotations

from pathlib import Path

from skill_runtime.captions import Cue
from skill_runtime.cloud.draft import Draft, Segment, Track, summarize
from skill_runtime.local.probe import MediaInfo
from skill_runtime.local.session import CaptionJob
from skill_runtime.messages import render
from skill_runtime.track_summary import TimelineSummary


def _job() -> CaptionJob:
    media = MediaInfo(path=Path("/clips/talk.mp4"), duration=12.5, has_video=True, has_audio=True)
    return CaptionJob(
        media=media,
        tracks={
            "en": [Cue(start=0.5, end=2.0, lines=["Hello"]), Cue(start=3, end=9.25, lines=["Bye"])],
            "es": [Cue(start=0.5, end=2.0, lines=["Hola", "amigos"])],
        },
    )


def _draft() -> Draft:
    return Draft(
        d=12_500,
        t=[
            Track(tt=0, sg=[Segment(s=0, d=12_500, m={"name": "talk.mp4"})]),
            Track(
                tt=7,
                m={"kind": "Captions (en)", "language": "en"},
                sg=[Segment(s=500, d=1500, m={"text": "Hello"}), Segment(s=3000, d=6250)],
            ),
            Track(
                tt=7,
                m={"kind": "Captions (es)", "language": "es"},
                sg=[Segment(s=500, d=1500, m={"text": "Hola\namigos"})],
            ),
        ],
    )


def test_a_local_job_and_the_same_cloud_draft_summarise_alike() -> None:
    assert _job().timeline() == summarize(_draft())


def test_the_summary_counts_cues_and_names_the_languages() -> None:
    summary = _job().timeline()
    assert (summary.duration_s, summary.languages, summary.cue_count) == (12.5, ["en", "es"], 3)
    assert [(t.label, t.cues, t.start_s, t.end_s) for t in summary.tracks] == [
        ("Video", None, 0.0, 12.5),
        ("Captions (en)", 2, 0.5, 9.25),
        ("Captions (es)", 1, 0.5, 2.0),
    ]


def test_json_carries_the_computed_counts() -> None:
    dumped = _job().timeline().model_dump()
    assert set(dumped) == {"tracks", "duration_s", "languages", "cue_count"}
    assert TimelineSummary.model_validate(dumped) == _job().timeline()


def test_a_single_cue_is_shown_by_its_text_and_more_by_their_count() -> None:
    assert render("timeline", tracks=_job().timeline().tracks) == (
        "Timeline (3 tracks): 1. Video: talk.mp4 (0-12.5s) 2. Captions (en): 2 cues (0.5-9.2s) "
        '3. Captions (es): "Hola amigos" (0.5-2s)'
    )


def test_an_empty_project_has_no_tracks_and_no_length() -> None:
    summary = summarize(Draft())
    assert (summary.tracks, summary.duration_s, summary.cue_count) == ([], 0.0, 0)
