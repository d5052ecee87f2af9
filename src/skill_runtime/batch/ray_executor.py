"""The Ray executor: the same jobs on Ray actors, each keeping its Whisper model.

Each actor is one `Worker` (so each overlaps recognition and encode like the
local executor) and reserves `CPUS_PER_ACTOR` CPUs; the cluster's CPUs decide
how many actors start. The driver hands out jobs, blocks in `ray.wait` until
one finishes (no polling: a quiet run asks the actors nothing else), and alone
writes the manifest. The settings travel to the object store once, not once per
actor. Ray's own start-up and shutdown are timed, so a report can tell them
from the work. Inputs and the output folder must be at the same path on
every node (shared storage), and every node needs this package with the
`local` extra installed.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from ..environment import Environment
from ..errors import SkillError
from ..messages import render
from ..settings.skill import SkillConfig
from .progress import Board, StageRecorder
from .worker import FileJob, FileOutcome, Worker

LOCAL = "local"
CPUS_PER_ACTOR = 2
JOBS_PER_ACTOR = 2  # one recognising while one encodes
_REFRESH_S = 1.0  # how often a shown display asks the actors for their files' stages


def address(option: str | None, env: Environment) -> str | None:
    """Where to run: `--ray ADDRESS`, else the environment; "local" starts a Ray on this machine."""
    if option and option != LOCAL:
        return option
    if env.ray_address:
        return env.ray_address
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
        # The actor's own process: Ray sets its OMP_NUM_THREADS, so its snapshot is read here.
        env = Environment.read(config)
        self.worker = Worker(config, out_dir, env=env, model=model, language=lang, sink=self.stages)

    def run(self, item: FileJob) -> FileOutcome:
        try:
            return self.worker.run(item)
        finally:
            self.stages.forget(item.name)

    def snapshot(self) -> dict[str, tuple[str, str]]:
        return self.stages.snapshot()

    def ready(self) -> bool:
        """Answers once the actor's process is up and its worker built."""
        return True


class RayCluster:
    """Ray for one batch: joins `address`, or starts (and later stops) a local instance."""

    def __init__(self, where: str) -> None:
        began = time.monotonic()
        self.ray = _ray()
        self.started = False
        self.start_s = 0.0  # joining or starting Ray, then the actors' processes coming up
        self.stop_s = 0.0
        if self.ray.is_initialized():
            return
        try:
            if where == LOCAL:
                # Ray runs its workers at nice 15; a batch is the work here, not a guest.
                self.ray.init(
                    include_dashboard=False,
                    log_to_driver=False,
                    _system_config={"worker_niceness": 0},
                )
            else:
                self.ray.init(address=where, log_to_driver=False)
        except Exception as exc:  # Ray raises ConnectionError, RuntimeError, ValueError...
            raise SkillError("ray_unreachable", address=where, detail=str(exc)) from exc
        self.started = True
        self.start_s = time.monotonic() - began

    def cpus(self) -> int:
        return int(self.ray.cluster_resources().get("CPU", 1))

    def close(self) -> None:
        began = time.monotonic()
        if self.started:
            self.ray.shutdown()
        self.stop_s = time.monotonic() - began

    def timings(self) -> dict[str, float]:
        return {"start_s": round(self.start_s, 2), "stop_s": round(self.stop_s, 2)}


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
    began = time.monotonic()
    shared = ray.put(config)
    actors = [
        actor_class.remote(shared, out_dir, model, language)
        for _ in range(max(1, cpus // per_actor))
    ]
    # A failed actor shows as a ready (errored) reference; its jobs then fail one by one.
    ray.wait([a.ready.remote() for a in actors], num_returns=len(actors), timeout=None)
    cluster.start_s += time.monotonic() - began
    queue = deque(jobs)
    running: dict[Any, tuple[Any, FileJob]] = {}
    load = {a: 0 for a in actors}
    stages = _Stages(ray, actors, board)

    def hand_out() -> None:
        for actor in actors:
            while queue and load[actor] < JOBS_PER_ACTOR:
                item = queue.popleft()
                running[actor.run.remote(item)] = (actor, item)
                load[actor] += 1

    try:
        hand_out()
        while running:
            ready, _ = ray.wait(list(running), num_returns=1, timeout=stages.wait_s)
            for ref in ready:
                actor, item = running.pop(ref)
                load[actor] -= 1
                on_done(_outcome(ray, ref, item))
            stages.refresh({item.name for _, item in running.values()})
            hand_out()
    except BaseException:
        stop.set()
        raise
    finally:
        for actor in actors:
            ray.kill(actor)


class _Stages:
    """Files' stages for a shown display, fetched without ever blocking the driver."""

    def __init__(self, ray: Any, actors: list[Any], board: Board) -> None:
        self.ray, self.board = ray, board
        shown = not board.quiet
        self.wait_s = _REFRESH_S if shown else None
        self.asked = {a: a.snapshot.remote() for a in actors} if shown else {}

    def refresh(self, running: set[str]) -> None:
        """Show the stages that have come back (of files still running), and ask again."""
        for actor, ref in self.asked.items():
            answered, _ = self.ray.wait([ref], timeout=0)
            if not answered:
                continue  # a busy actor answers next time
            try:
                snapshot: dict[str, tuple[str, str]] = self.ray.get(ref)
            except self.ray.exceptions.RayError:
                snapshot = {}  # a lost actor's files fail on their own
            for name, (template, text) in snapshot.items():
                if name in running:  # an answer sent before its file finished is stale
                    self.board.stage(name, template, text)
            self.asked[actor] = actor.snapshot.remote()


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
