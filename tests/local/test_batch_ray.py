"""`batch --ray` on a real local Ray instance: the same jobs and outputs as the local executor."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill_runtime.backends.local import LocalBackend
from skill_runtime.batch.models import BatchOptions, FileReport
from skill_runtime.batch.progress import Board
from skill_runtime.batch.ray_executor import _Stages
from skill_runtime.local.sample import make_clip
from skill_runtime.results import Result

from .conftest import make_ctx

ray = pytest.importorskip("ray", reason="Ray is not installed (pip install -e '.[scale]')")

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray_instance(home: Path) -> Iterator[Any]:
    """A Ray started by the test with two CPUs (workers inherit AI_SUBTITLES_HOME)."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.fixture(scope="module")
def two_clips(clips: Path) -> Path:
    folder = clips / "ray"
    make_clip(folder / "a" / "ep.mp4", "The first episode.", size="160x90")
    make_clip(folder / "b" / "ep.mp4", "The second episode.", size="160x90")
    return folder


def _run(home: Path, out: Path, sources: Path, ray_address: str | None) -> tuple[Result, list]:
    reports: list[FileReport] = []
    backend = LocalBackend(make_ctx(home, out))
    options = BatchOptions(sources=[str(sources)], burn=False, ray=ray_address)
    return backend.batch(options, reports.append), reports


def test_ray_makes_the_same_outputs_as_the_local_executor_and_resumes_from_the_manifest(
    ray_instance: Any, home: Path, two_clips: Path, tmp_path: Path
) -> None:
    local, _ = _run(home, tmp_path / "local", two_clips, None)
    on_ray, reports = _run(home, tmp_path / "ray", two_clips, "local")
    assert [r.state for r in reports] == ["done", "done"]
    assert on_ray.context["where"] == "local"
    # Ray was already up: start-up is only the actors coming up, and nothing to stop.
    assert on_ray.data["ray"]["start_s"] > 0
    assert on_ray.data["ray"]["stop_s"] == 0
    assert "ray" not in local.data
    names = sorted(m.path.name for m in on_ray.media)
    assert names == sorted(m.path.name for m in local.media)
    for name in (n for n in names if n.endswith(".srt")):
        assert (tmp_path / "ray" / name).read_text() == (tmp_path / "local" / name).read_text()
    assert ray_instance.is_initialized()  # a Ray the caller started is left running
    # The driver kept the manifest: running again on Ray finds everything done.
    _, again = _run(home, tmp_path / "ray", two_clips, "local")
    assert [r.state for r in again] == ["skipped", "skipped"]


def _stub(ray: Any) -> Any:
    """An actor that reports one running and one finished file's stage."""

    class Stub:  # local, so Ray ships it by value to a worker that cannot import tests
        def snapshot(self) -> dict[str, tuple[str, str]]:
            return {"running.mp4": ("t", "recognising"), "finished.mp4": ("t", "encoding")}

    return ray.remote(Stub).remote()


def test_a_shown_display_gets_the_stages_of_running_files_only(ray_instance: Any) -> None:
    stream = io.StringIO()
    actor = _stub(ray_instance)
    stages = _Stages(ray_instance, [actor], Board(2, stream=stream))
    assert stages.wait_s is not None  # a shown display is refreshed while files run
    ray_instance.get(stages.asked[actor])
    stages.refresh({"running.mp4"})
    assert "running.mp4" in stream.getvalue()
    assert "finished.mp4" not in stream.getvalue()


def test_a_quiet_run_asks_the_actors_nothing_but_their_jobs(ray_instance: Any) -> None:
    actor = _stub(ray_instance)
    stages = _Stages(ray_instance, [actor], Board(2, stream=io.StringIO(), quiet=True))
    assert stages.wait_s is None and stages.asked == {}


_NICENESS = """
import os
from skill_runtime.batch.ray_executor import RayCluster
cluster = RayCluster("local")
nice = cluster.ray.remote(num_cpus=1)(lambda: os.nice(0))
print(cluster.ray.get(nice.remote()))
cluster.close()
"""


def test_a_local_ray_runs_its_workers_at_normal_priority() -> None:
    """Ray's default nice 15 would hand a busy machine's CPU to everything else first."""
    done = subprocess.run(
        [sys.executable, "-c", _NICENESS],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "AI_SUBTITLES_RAY_ADDRESS": ""},
        check=True,
    )
    assert done.stdout.split()[-1] == str(os.nice(0))
