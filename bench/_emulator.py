"""Start the test emulator in its own process, so only the client is measured."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1] / "tests"


@contextmanager
def emulator(*args: str) -> Iterator[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", "from emulator.server import main; main()", *args],
        cwd=TESTS,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        yield proc.stdout.readline().strip()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
