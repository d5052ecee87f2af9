"""Peak RSS growth of the client while it uploads a 500 MB file (goal: under 50 MB).

The multipart body is generated from disk chunk by chunk; if anything buffered
the file, the growth would be about the file's size.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _emulator import emulator

SIZE = 500 * 1024 * 1024
GOAL_MB = 50


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    with emulator() as url, tempfile.TemporaryDirectory() as tmp:
        os.environ.update(NEMO_API_BASE=url, AI_SUBTITLES_HOME=tmp)
        os.environ.pop("NEMO_TOKEN", None)
        from skill_runtime.backends.cloud import CloudBackend
        from skill_runtime.config import config
        from skill_runtime.context import Context
        from skill_runtime.environment import Environment
        from skill_runtime.progress import Progress
        from skill_runtime.store import Store

        video = Path(tmp) / "big.mp4"
        with video.open("wb") as fh:
            # Real bytes, not a sparse hole, so reads cost what they would for a video.
            block = os.urandom(1024 * 1024)
            for _ in range(SIZE // len(block)):
                fh.write(block)
        ctx = Context(
            config=config(),
            store=Store(Path(tmp)),
            out_dir=Path(tmp) / "out",
            progress=Progress(quiet=True),
            version="bench",
            env=Environment.read(config()),
            platform="unknown",
        )
        backend = CloudBackend(ctx)
        backend.setup()
        before = peak_rss_mb()
        start = time.perf_counter()
        backend.upload([video], [])
        seconds = time.perf_counter() - start
        growth = peak_rss_mb() - before
    print(f"upload size:        {SIZE / 1024 / 1024:.0f} MB")
    print(f"upload time:        {seconds:.1f} s ({SIZE / 1024 / 1024 / seconds:.0f} MB/s)")
    print(f"peak RSS before:    {before:.1f} MB")
    verdict = "PASS" if growth < GOAL_MB else "FAIL"
    print(f"peak RSS growth:    {growth:.1f} MB (goal < {GOAL_MB} MB: {verdict})")


if __name__ == "__main__":
    main()
