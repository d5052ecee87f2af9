"""Without the local extra, everything but the local engine still loads.

A core install (`pip install ai-subtitles-for-video`, no `[local]`) has no av,
numpy, faster-whisper or pysubs2, and `--backend cloud` must work there. Every
module outside the local engine is imported in a fresh interpreter in which
those libraries raise ImportError; only the modules that drive the local engine
(`local/`, `backends/local.py`, the batch runner) may need them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from functools import cache

import grimp

PACKAGE = "skill_runtime"
ENGINE = f"{PACKAGE}.local"
# The libraries of the `local` extra, by import name.
LOCAL_EXTRA = (
    "av",
    "numpy",
    "faster_whisper",
    "ctranslate2",
    "pysubs2",
    "charset_normalizer",
    "imageio_ffmpeg",
    "sentencepiece",
    "yt_dlp",
)

_IMPORT_BLOCKED = textwrap.dedent(
    """
    import importlib, importlib.abc, json, sys

    blocked = set(sys.argv[1].split(","))

    class Refuse(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in blocked:
                raise ImportError(f"{name} is not installed", name=name)
            return None

    sys.meta_path.insert(0, Refuse())
    failed = {}
    for module in sys.argv[2:]:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            failed[module] = exc.name
    print(json.dumps(failed))
    """
)


@cache
def _graph() -> grimp.ImportGraph:
    return grimp.build_graph(PACKAGE, cache_dir=None)


def _drives_engine(module: str) -> bool:
    """In the local engine, or imports it (at load or inside a function)."""
    reached = {module, *_graph().find_upstream_modules(module)}
    return any(m == ENGINE or m.startswith(f"{ENGINE}.") for m in reached)


def core_modules() -> list[str]:
    # `__main__` runs the CLI when imported; `launcher`, which it calls, is imported instead.
    return sorted(
        m for m in _graph().modules if not _drives_engine(m) and m != f"{PACKAGE}.__main__"
    )


def import_blocked(modules: list[str]) -> dict[str, str]:
    """Module → the blocked library that stopped it, for each that failed to import."""
    answer = subprocess.run(
        [sys.executable, "-c", _IMPORT_BLOCKED, ",".join(LOCAL_EXTRA), *modules],
        capture_output=True,
        text=True,
        check=True,
    )
    failed: dict[str, str] = json.loads(answer.stdout)
    return failed


def test_the_cli_the_mcp_server_and_the_cloud_backend_are_core_modules() -> None:
    expected = {
        f"{PACKAGE}.launcher",
        f"{PACKAGE}.cli",
        f"{PACKAGE}.mcp_server",
        f"{PACKAGE}.handlers",
        f"{PACKAGE}.backends",
        f"{PACKAGE}.backends.cloud",
        f"{PACKAGE}.cloud.exports",
        f"{PACKAGE}.outputs",
        f"{PACKAGE}.outputs.verify",
        f"{PACKAGE}.track_summary",
    }
    assert expected <= set(core_modules())


def test_every_module_outside_the_local_engine_loads_without_the_local_extra() -> None:
    assert import_blocked(core_modules()) == {}


def test_the_local_backend_is_refused_when_its_libraries_are_missing() -> None:
    failed = import_blocked([f"{PACKAGE}.backends.local"])
    assert failed.get(f"{PACKAGE}.backends.local") in LOCAL_EXTRA
