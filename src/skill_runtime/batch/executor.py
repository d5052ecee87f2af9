"""The local executor: a few threads over one worker, so files overlap stage by stage.

How many files are in flight follows the cores and the free memory: one
recogniser (CTranslate2 already spreads one file over every core) and as many
encoders as the cores and memory carry; ffmpeg runs as a subprocess, so the
threads waiting on it leave the recogniser the GIL.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from pathlib import Path

from pydantic import BaseModel

from .worker import FileJob, FileOutcome, Worker

_GIB = 1 << 30
RECOGNISER_BYTES = _GIB  # the base model, decoded audio of a long file, decoder buffers
ENCODER_BYTES = 3 * _GIB // 4  # ffmpeg + libx264 + libass at 1080p


class Plan(BaseModel):
    recognisers: int
    encoders: int
    in_flight: int


def available_memory() -> int:
    """Bytes the kernel says can be had without swapping (MemAvailable), else free pages."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 4 * _GIB


def plan(workers: int | None = None, cores: int | None = None, memory: int | None = None) -> Plan:
    """Files in flight: `workers` if given, else one recogniser plus encoders for cores/memory."""
    if workers is not None:
        return Plan(recognisers=1, encoders=max(1, workers - 1), in_flight=max(1, workers))
    cores = cores or os.cpu_count() or 1
    memory = available_memory() if memory is None else memory
    by_memory = (memory - RECOGNISER_BYTES) // ENCODER_BYTES
    encoders = max(1, min(cores // 2, by_memory))
    return Plan(recognisers=1, encoders=encoders, in_flight=1 + encoders)


def run_local(
    jobs: Iterable[FileJob],
    worker: Worker,
    in_flight: int,
    on_done: Callable[[FileOutcome], None],
    stop: threading.Event,
) -> None:
    """Run every job, calling `on_done` in this thread as each finishes.

    Only `in_flight` jobs are handed out at a time, so an interrupt leaves the rest
    unstarted; on one, `stop` makes the running jobs drop out at their next step.
    """
    queue = iter(jobs)
    with ThreadPoolExecutor(max_workers=in_flight, thread_name_prefix="batch") as pool:
        running: set[Future[FileOutcome]] = set()
        try:
            for item in queue:
                running.add(pool.submit(worker.run, item))
                if len(running) < in_flight:
                    continue
                finished, running = wait(running, return_when=FIRST_COMPLETED)
                for fut in finished:
                    on_done(fut.result())
            for fut in _as_finished(running):
                on_done(fut.result())
        except BaseException:
            stop.set()
            raise


def _as_finished(running: set[Future[FileOutcome]]) -> Iterable[Future[FileOutcome]]:
    while running:
        finished, running = wait(running, return_when=FIRST_COMPLETED)
        yield from finished
