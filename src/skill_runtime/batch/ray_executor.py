"""The Ray executor: the same jobs on Ray actors, each keeping its Whisper model.

Each actor is one `Worker` (so each overlaps recognition and encode like the
local executor) and reserves `cpus_per_actor` CPUs; the cluster's CPUs decide
how many actors start. The driver hands out jobs, collects outcomes and alone
writes the manifest. Inputs and the output folder must be at the same path on
every node (shared storage), and every node needs this package with the
`local` extra installed.
"""

from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..errors import SkillError
from ..messages import render
from ..settings.skill import SkillConfig
from .progress import Board, StageRecorder
from .worker import FileJob, FileOutcome, Worker

ADDRESS_ENV = "AI_SUBTITLES_RAY_ADDRESS"
LOCAL = "local"
CPUS_PER_ACTOR = 2
JOBS_PER_ACTOR = 2  # one recognising while one encodes
_POLL_S = 0.5


def address(option: str | None) -> str | None:
    """Where to run: `--ray ADDRESS`, else the environment; "local" starts a Ray on this machine."""
    if option and option != LOCAL:
        return option
    from_env = os.environ.get(ADDRESS_ENV, "").strip()
    if from_env:
        return from_env
    return LOCAL if option == LOCAL else None


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise SkillError("ray_missing") from exc
    return ray


class _ActorWorker:
    """The body of the Ray actor (wrapped by `ray.remote` at run time, so Ray stays optional)."""

    def __init__(self, config: SkillConfig, out_dir: Path, model: str | None, lang: str | None):
        self.stages = StageRecorder()
        self.worker = Worker(config, out_dir, model=model, language=lang, sink=self.stages)

    def run(self, item: FileJob) -> FileOutcome:
        try:
            return self.worker.run(item)
        finally:
            self.stages.forget(item.name)

    def snapshot(self) -> dict[str, tuple[str, str]]:
        return self.stages.snapshot()


class RayCluster:
    """Ray for one batch: joins `address`, or starts (and later stops) a local instance."""

    def __init__(self, where: str) -> None:
        self.ray = _ray()
        self.started = False
        if self.ray.is_initialized():
            return
        try:
            if where == LOCAL:
                self.ray.init(include_dashboard=False, log_to_driver=False)
            else:
                self.ray.init(address=where, log_to_driver=False)
        except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError...
            raise SkillError("ray_unreachable", address=where, detail=str(exc)) from exc
        self.started = True

    def cpus(self) -> int:
        return int(self.ray.cluster_resources().get("CPU", 1))

    def close(self) -> None:
        if self.started:
            self.ray.shutdown()


def run_ray(
    cluster: RayCluster,
    jobs: Iterable[FileJob],
    *,
    config: SkillConfig,
    out_dir: Path,
    model: str | None,
    language: str | None,
    on_done: Callable[[FileOutcome], None],
    board: Board,
    stop: threading.Event,
) -> None:
    ray = cluster.ray
    cpus = cluster.cpus()
    per_actor = min(CPUS_PER_ACTOR, cpus)
    actor_class = ray.remote(num_cpus=per_actor, max_concurrency=JOBS_PER_ACTOR + 1)(_ActorWorker)
    actors = [
        actor_class.remote(config, out_dir, model, language)
        for _ in range(max(1, cpus // per_actor))
    ]
    queue = deque(jobs)
    running: dict[Any, tuple[Any, FileJob]] = {}
    load = {a: 0 for a in actors}

    def hand_out() -> None:
        for actor in actors:
            while queue and load[actor] < JOBS_PER_ACTOR:
                item = queue.popleft()
                running[actor.run.remote(item)] = (actor, item)
                load[actor] += 1

    try:
        hand_out()
        while running:
            ready, _ = ray.wait(list(running), num_returns=1, timeout=_POLL_S)
            for ref in ready:
                actor, item = running.pop(ref)
                load[actor] -= 1
                on_done(_outcome(ray, ref, item))
            for actor in actors:
                for name, (template, text) in _stages(ray, actor).items():
                    board.stage(name, template, text)
            hand_out()
    except BaseException:
        stop.set()
        raise
    finally:
        for actor in actors:
            ray.kill(actor)


def _outcome(ray: Any, ref: Any, item: FileJob) -> FileOutcome:
    try:
        outcome: FileOutcome = ray.get(ref)
        return outcome
    except ray.exceptions.RayError as exc:
        return FileOutcome(
            path=item.path,
            name=item.name,
            state="failed",
            error="ray_worker_lost",
            message=render("errors/ray_worker_lost", detail=type(exc).__name__),
        )


def _stages(ray: Any, actor: Any) -> dict[str, tuple[str, str]]:
    try:
        stages: dict[str, tuple[str, str]] = ray.get(actor.snapshot.remote(), timeout=_POLL_S)
        return stages
    except Exception:  # a busy or lost actor only means no stage update this time
        return {}
