"""The GPU is used only when it works; without one, the CPU path is chosen and doctor says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill_runtime.backends.local import LocalBackend
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.accel import cuda_devices, detect, encoder_args
from skill_runtime.local.asr.models import load_model

from .conftest import make_ctx

NO_GPU = "no CUDA device on this machine (the GPU path is checked where one exists)"


def test_doctor_names_the_acceleration_in_use(home: Path, tmp_path: Path) -> None:
    checks = {c.name: c for c in LocalBackend(make_ctx(home, tmp_path)).doctor()}
    gpu = checks["GPU"]
    assert not gpu.required
    assert ("float16" in gpu.detail) == (cuda_devices() > 0)
    assert detect().encoder in gpu.detail


# Loads the real Whisper model.
@pytest.mark.slow
@pytest.mark.skipif(cuda_devices() > 0 or detect().nvenc, reason="this machine has a GPU")
def test_without_a_gpu_whisper_and_the_encoder_run_on_the_cpu(home: Path) -> None:

    model = load_model(config().local.model, None, Environment.read(config()))
    assert model.model.device == "cpu" and model.model.compute_type.startswith("int8")
    args = encoder_args(config().local.video)
    assert args[args.index("-c:v") + 1] == "libx264"


@pytest.mark.slow
@pytest.mark.skipif(cuda_devices() == 0, reason=NO_GPU)
def test_with_a_gpu_whisper_runs_on_cuda_in_float16(home: Path) -> None:

    model = load_model(config().local.model, None, Environment.read(config()))
    assert model.model.device == "cuda"
    assert model.model.compute_type == "float16"


@pytest.mark.skipif(not detect().nvenc, reason="no working NVENC encoder in this ffmpeg")
def test_with_nvenc_the_burn_in_encodes_on_the_gpu() -> None:
    args = encoder_args(config().local.video)
    assert args[args.index("-c:v") + 1] == "h264_nvenc"
