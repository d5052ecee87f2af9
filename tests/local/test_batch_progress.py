"""Batch progress on stderr, as a log or an agent sees it (not a terminal)."""

from __future__ import annotations

import io

from skill_runtime.batch.progress import Board


def test_a_log_gets_a_line_per_stage_and_the_overall_bar_after_each_file() -> None:
    stream = io.StringIO()
    board = Board(3, skipped=1, stream=stream)
    board.stage("ep2", "progress/transcribing", "Transcribing speech: 10%")
    board.stage("ep2", "progress/transcribing", "Transcribing speech: 60%")
    board.stage("ep2", "progress/encoding", "Encoding video: 5%")
    board.done("ep2", "done")
    board.done("ep3", "failed", "the file is broken")
    lines = stream.getvalue().splitlines()
    assert lines[:3] == ["ep2: Transcribing speech: 10%", "ep2: Encoding video: 5%", "✓ ep2: done"]
    assert "2/3 files" in lines[3] and "left" in lines[3]
    assert lines[4] == "✗ ep3: failed — the file is broken"
    assert "3/3 files, 1 failed" in lines[5] and "left" not in lines[5]


def test_quiet_prints_nothing() -> None:
    stream = io.StringIO()
    board = Board(1, stream=stream, quiet=True)
    board.stage("ep1", "progress/encoding", "Encoding video: 5%")
    board.done("ep1", "done")
    assert stream.getvalue() == ""
