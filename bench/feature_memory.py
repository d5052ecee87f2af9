"""Peak RSS growth of Whisper's log-mel features: faster-whisper's extractor vs blocks.

faster-whisper takes the STFT of the whole audio at once, so its peak grows
several times faster than the audio; `BlockFeatures` should grow by little more
than its output (80 float32 per 10 ms) and one block. Each figure comes from a
fresh child process: a warm-up call first (FFT and BLAS buffers), then the
high-water mark (VmHWM) is reset and the whole audio goes through once.

Usage: PYTHONPATH=src python bench/feature_memory.py [MINUTES ...]   (default 4 30)
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from pathlib import Path

SPEECH = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "two_cities.flac"
KINDS = ("faster-whisper", "blocks")


def vm_hwm_mb() -> float:
    status = Path("/proc/self/status").read_text()
    match = re.search(r"VmHWM:\s+(\d+) kB", status)
    assert match, "no VmHWM in /proc/self/status"
    return int(match.group(1)) / 1024


def child(kind: str, minutes: float) -> None:
    """Print the peak RSS growth (MB) and seconds of one extraction of `minutes` of speech."""
    import numpy as np
    from faster_whisper.audio import decode_audio
    from faster_whisper.feature_extractor import FeatureExtractor

    from skill_runtime.local.asr.features import BlockFeatures

    extractor = FeatureExtractor() if kind == "faster-whisper" else BlockFeatures()
    speech = decode_audio(str(SPEECH))
    audio = np.resize(speech, round(minutes * 60 * extractor.sampling_rate))
    extractor(audio[: 60 * extractor.sampling_rate])
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS
    before = vm_hwm_mb()
    start = time.perf_counter()
    features = extractor(audio)
    seconds = time.perf_counter() - start
    print(f"{vm_hwm_mb() - before:.1f} {seconds:.2f} {features.nbytes / 2**20:.1f}")


def main(minutes: list[float]) -> None:
    print(f"{'minutes':>7} {'extractor':>15} {'peak RSS growth':>16} {'output':>9} {'time':>7}")
    for length in minutes:
        for kind in KINDS:
            run = subprocess.run(
                [sys.executable, __file__, "--child", kind, str(length)],
                check=True,
                capture_output=True,
                text=True,
            )
            growth, seconds, output = run.stdout.split()
            print(f"{length:>7g} {kind:>15} {growth:>13} MB {output:>6} MB {seconds:>6} s")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], float(sys.argv[3]))
    else:
        main([float(arg) for arg in sys.argv[1:]] or [4, 30])
