"""The speed fixes around Whisper change how it runs, never what it writes."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.asr.engine import SplitThreads, Whisper, split_threads
from skill_runtime.local.asr.models import recognition_threads, resolve_model
from skill_runtime.settings.local import ThreadSplit

from .conftest import transcribe_file

LOCAL = config().local
SPLIT = ThreadSplit(decoder_threads=1, max_model_mb=200)


@pytest.mark.parametrize(
    ("model_mb", "split", "threads", "decoder_threads"),
    [
        (145, SPLIT, 2, 1),  # base: decodes on its own one-thread copy
        (75, SPLIT, 8, 1),  # tiny on a bigger machine
        (145, SPLIT, 1, None),  # one core: nothing to split
        (484, SPLIT, 8, None),  # small and up: the decoder uses the cores
        (145, None, 2, None),  # split turned off in skill.yaml
    ],
)
def test_which_models_decode_on_fewer_threads(
    tmp_path: Path, model_mb: int, split: ThreadSplit | None, threads: int, decoder_threads: int
) -> None:
    with (tmp_path / "model.bin").open("wb") as fh:
        fh.truncate(model_mb * 1_000_000)
    assert split_threads(tmp_path, split, threads) == decoder_threads


@pytest.mark.parametrize(
    ("omp_num_threads", "threads"),
    [
        ("2", min(2, len(os.sched_getaffinity(0)))),  # a Ray actor reserving 2 CPUs
        ("1", 1),
        ("100000", len(os.sched_getaffinity(0))),  # never more threads than cores
        (None, len(os.sched_getaffinity(0))),  # unset: the cores this process may run on
        ("0", len(os.sched_getaffinity(0))),
        ("many", len(os.sched_getaffinity(0))),
    ],
)
def test_recognition_uses_the_cores_it_was_given(
    monkeypatch: pytest.MonkeyPatch, omp_num_threads: str | None, threads: int
) -> None:
    if omp_num_threads is None:
        monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    else:
        monkeypatch.setenv("OMP_NUM_THREADS", omp_num_threads)
    assert recognition_threads(Environment.read()) == threads


class _CountingEncoder:
    """Counts encoder passes of the CTranslate2 model underneath."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.passes = 0

    def encode(self, *args: Any, **kwargs: Any) -> Any:
        self.passes += 1
        return self.model.encode(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.model, name)


def _model(split: ThreadSplit | None) -> Whisper:
    return Whisper(
        Path(resolve_model(LOCAL.model, None, Environment.read(config()))),
        device="cpu",
        compute_type=LOCAL.model.compute_type,
        cpu_threads=2,
        escalation=LOCAL.model.escalation,
        split=split,
    )


def _words(model: Whisper, path: Path, language: str | None) -> tuple[str, list[str]]:
    transcript = transcribe_file(model, path, language)
    return transcript.language, [w.text for w in transcript.words]


@pytest.fixture(scope="module")
def split_model() -> Whisper:
    return _model(SPLIT)


@pytest.mark.slow
def test_detecting_the_language_reuses_the_first_windows_encoder_pass(
    split_model: Whisper, recording: Path
) -> None:
    """The Beckett recording is one window: one encoder pass, with or without a language."""
    counter = _CountingEncoder(split_model.model)
    split_model.model = counter
    try:
        detected = _words(split_model, recording, None)
        passes_detecting = counter.passes
        given = _words(split_model, recording, "en")
    finally:
        split_model.model = counter.model
    assert passes_detecting == 1
    assert counter.passes - passes_detecting == 1
    assert detected == given


@pytest.mark.slow
@pytest.mark.parametrize("clip", ["recording", "talk_clip"])
def test_decoding_on_a_one_thread_copy_writes_the_same_words(
    split_model: Whisper, clip: str, request: pytest.FixtureRequest
) -> None:
    path = request.getfixturevalue(clip)
    assert isinstance(split_model.model, SplitThreads)
    one_copy = _model(None)
    assert not isinstance(one_copy.model, SplitThreads)
    assert _words(split_model, path, None) == _words(one_copy, path, None)
