"""Whisper's features computed in blocks are faster-whisper's own, to the last bit."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from faster_whisper.feature_extractor import FeatureExtractor

from skill_runtime.config import config
from skill_runtime.local.asr.features import BlockFeatures
from skill_runtime.local.audio import load_audio
from skill_runtime.local.probe import probe


@pytest.fixture(scope="module")
def speech(recording: Path) -> np.ndarray:
    """About 130 s of a real recording: twelve blocks and more."""
    once = load_audio(probe(recording, config().local.media_extensions))
    return np.concatenate([once] * int(np.ceil(130 * 16000 / len(once))))


@pytest.mark.parametrize(
    # Fewer samples than the reflected edge; under a block; one block (10.23 s is 1024
    # frames) and one, two or four frames more; two blocks; many blocks and some.
    "seconds",
    [0.005, 0.5, 7.3, 10.23, 10.24, 10.25, 10.27, 20.47, 30.0, 123.0],
)
def test_block_features_equal_faster_whispers(speech: np.ndarray, seconds: float) -> None:
    audio = speech[: round(seconds * 16000)]
    assert np.array_equal(BlockFeatures()(audio), FeatureExtractor()(audio))


def test_block_features_take_other_sample_types_as_faster_whisper_does(
    speech: np.ndarray,
) -> None:
    """Each block converts its own samples to float32; faster-whisper converts the file."""
    audio = speech[: 25 * 16000].astype(np.float64)
    assert np.array_equal(BlockFeatures()(audio), FeatureExtractor()(audio))


def test_block_features_take_a_chunk_length_as_faster_whisper_does(speech: np.ndarray) -> None:
    ours, theirs = BlockFeatures(), FeatureExtractor()
    audio = speech[: 12 * 16000]
    assert np.array_equal(ours(audio, chunk_length=10), theirs(audio, chunk_length=10))
    assert (ours.n_samples, ours.nb_max_frames) == (theirs.n_samples, theirs.nb_max_frames)


def test_the_model_computes_features_in_blocks(home: Path) -> None:
    from skill_runtime.environment import Environment
    from skill_runtime.local.asr import load_model

    model = load_model(config().local.model, None, Environment.read(config()), cores=1)
    assert isinstance(model.feature_extractor, BlockFeatures)
