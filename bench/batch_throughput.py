"""Many files: one-by-one `caption` calls vs `batch` (local threads) vs `batch --ray` (local Ray).

Usage: python bench/batch_throughput.py [WORKDIR] [--clips N] [--seconds S]

Prints, from one run over N (default 8) espeak clips of about S seconds
(default 60) with default
options (burned in, 1080p): files per hour, peak memory (RSS summed over the
whole process tree, sampled every 0.2 s), CPU seconds per file (which, unlike
wall time, other load on a shared machine hardly moves) and the load average
during each way; then a batch killed
(SIGKILL) half-way and run again: what survived, and how long the rest took;
then one clip's recognition and encode times (wall and CPU seconds), and from
them where the bottleneck is and how throughput would grow with workers.
Ray's time is the honest total a user waits (`batch --ray` starts and stops a
local Ray); its start-up and shutdown, as the run reports them in its --json
summary, are also shown apart.
Goals on 2 cores: batch >= one-by-one; Ray within 10 % of local batch.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from skill_runtime.config import config
from skill_runtime.context import CaptionRequest, Context
from skill_runtime.environment import Environment
from skill_runtime.local import pipeline
from skill_runtime.local.probe import probe
from skill_runtime.local.sample import make_clip
from skill_runtime.local.session import CaptionJob
from skill_runtime.progress import Progress
from skill_runtime.store import Store

SENTENCES = [
    "Welcome back to the channel, today we look at clip number {n} of the season.",
    "Most viewers watch with the sound off, so every line has to be easy to read.",
    "A caption line holds about forty characters and shows for a few seconds at most.",
    "If the text moves too fast, people stop reading and scroll away to something else.",
    "First, the font size, which should be large enough to read on a small phone screen.",
    "Second, the position, which must stay clear of the buttons the app draws on top.",
    "Third, the timing, which should follow the speech without flickering on and off.",
]
WORDS_PER_SECOND = 2.9  # espeak-ng at its default speed, pauses included


def clip_text(n: int, seconds: float) -> str:
    text, k = [], 0
    while sum(len(s.split()) for s in text) < WORDS_PER_SECOND * seconds:
        text.append(SENTENCES[k % len(SENTENCES)].format(n=n))
        k += 1
    return " ".join(text)


_TICK = os.sysconf("SC_CLK_TCK")


def tree_usage(root: int) -> tuple[int, dict[int, float]]:
    """Resident bytes of `root` and every descendant, and each one's own CPU seconds, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        pid = int(entry.name)
        children.setdefault(int(fields[1]), []).append(pid)
        cpu[pid] = (int(fields[11]) + int(fields[12])) / _TICK  # utime + stime
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[pid] = int(line.split()[1]) * 1024
    total, seen, stack = 0, {}, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        seen[pid] = cpu.get(pid, 0.0)
        stack += children.get(pid, [])
    return total, seen


class PeakSampler:
    """Peak RSS of a process tree, and the CPU seconds its processes used (sampled every
    0.2 s, so Ray's workers count too although they are never reaped by the bench)."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            rss, cpu = tree_usage(self.pid)
            self.peak = max(self.peak, rss)
            for pid, used in cpu.items():
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), used)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        global CPU_USED
        CPU_USED += sum(self.cpu.values())
        return self.peak


CPU_USED = 0.0  # CPU seconds of every timed run so far


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "skill_runtime", "--quiet", *args]


def timed(cmd: list[str]) -> tuple[float, int, str]:
    began = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    sampler = PeakSampler(proc.pid)
    out, _ = proc.communicate()
    peak = sampler.stop()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed with {proc.returncode}:\n{out[-2000:]}")
    return time.monotonic() - began, peak, out


def _children_cpu() -> float:
    """CPU seconds of the timed runs so far: the same work on a busy or idle machine
    costs about the same, so this compares the ways where wall time cannot."""
    return CPU_USED


def per_hour(files: int, seconds: float) -> float:
    return files * 3600 / seconds


def killed_half_way(clips: Path, out: Path, n: int) -> None:
    """SIGKILL the batch once half the files are done, then run it again."""
    cmd = cli("--json", "batch", str(clips), "--out", str(out))
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True
    )
    assert proc.stdout is not None
    done = 0
    began = time.monotonic()
    for line in proc.stdout:
        if json.loads(line).get("state") == "done":
            done += 1
            if done >= n // 2:
                os.killpg(proc.pid, signal.SIGKILL)
                break
    proc.wait()
    killed_at = time.monotonic() - began
    finals = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    partial = [p for p in out.rglob("*") if ".part-" in p.name]
    print(f"killed after {done} files done at {killed_at:.0f} s; {len(finals)} files under final")
    print(f"  names (partials only in hidden work folder: {len(partial)})")
    seconds, _, stdout = timed(cli("--json", "batch", str(clips), "--out", str(out)))
    states = [json.loads(x).get("state") for x in stdout.splitlines()[:-1]]
    print(
        f"resume: {seconds:.0f} s to finish; {states.count('skipped')} skipped, "
        f"{states.count('done')} redone, {states.count('failed')} failed"
    )


class Stage:
    """Wall and CPU seconds of one stage (this process's threads plus finished children)."""

    def __enter__(self) -> Stage:
        self._wall, self._cpu = time.monotonic(), _cpu()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall, self.cpu = time.monotonic() - self._wall, _cpu() - self._cpu


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def stage_split(clip: Path, work: Path) -> tuple[Stage, Stage, float]:
    """One clip's recognition vs everything after it (cues, files, 1080p encode), in-process."""
    cfg = config()
    ctx = Context(
        config=cfg,
        store=Store(work / "store"),
        out_dir=work / "split",
        progress=Progress(quiet=True),
        version="bench",
        env=Environment.read(config()),
        platform="bench",
    )
    request = CaptionRequest(path=clip)
    info = probe(clip, cfg.local.media_extensions)
    work = CaptionJob(media=info)
    work.settings = pipeline.apply_request(work.settings, request, cfg.local)
    pipeline.recognise_words(info, request, ctx)  # model load, not counted
    with Stage() as recognise:
        work.words, work.source_language = pipeline.recognise_words(info, request, ctx)
    with Stage() as render:
        pipeline.make_tracks(work, ctx)
        pipeline.render_outputs(work, ctx)
    print(
        f"one clip ({info.duration:.0f} s), alone on the machine's cores: "
        f"recognition {recognise.wall:.1f} s wall / {recognise.cpu:.1f} CPU-s, "
        f"cues+files+encode {render.wall:.1f} s wall / {render.cpu:.1f} CPU-s"
    )
    return recognise, render, info.duration


def bottleneck(recognise: Stage, render: Stage, batch_rate: float, cores: int) -> None:
    """Where the time goes and how files per hour would grow, from the measured stages.

    Both stages keep every core busy when alone, so one node's ceiling is its cores
    over the CPU seconds a file needs; the pipeline only fills the idle gaps. More
    workers add throughput only with their own cores (Ray actors on more cores or
    nodes): each 2-CPU actor runs at about the measured local batch rate.
    """
    per_file = recognise.cpu + render.cpu
    encode_bound = render.cpu >= recognise.cpu
    slow, fast = ("encode", "recognition") if encode_bound else ("recognition", "encode")
    share = max(render.cpu, recognise.cpu) / per_file
    ceiling = 3600 * cores / per_file
    print(f"bottleneck: {slow} ({share:.0%} of a file's {per_file:.1f} CPU-s; {fast} the rest)")
    print(
        f"  ceiling on these {cores} cores: {ceiling:.0f} files/h; batch reached "
        f"{batch_rate:.0f} files/h ({batch_rate / ceiling:.0%} of it)"
    )
    print(
        f"  {slow} made free would lift the ceiling to "
        f"{3600 * cores / min(render.cpu, recognise.cpu):.0f} files/h"
    )
    actor_cpus = 2
    steps = ", ".join(f"{n} -> {n * batch_rate * actor_cpus / cores:.0f}" for n in (1, 2, 4, 8))
    print(
        f"  workers with their own {actor_cpus} cores each (Ray actors), files/h: {steps} "
        f"(linear: the driver only hands out jobs and writes the manifest); "
        f"more workers on the same {cores} cores stay under {ceiling:.0f}"
    )


def _option(args: list[str], name: str, default: int) -> int:
    if name not in args:
        return default
    k = args.index(name)
    value = int(args[k + 1])
    del args[k : k + 2]
    return value


def main() -> int:
    args = sys.argv[1:]
    n = _option(args, "--clips", 8)
    seconds = _option(args, "--seconds", 60)
    work = Path(args[0]) if args else Path(tempfile.mkdtemp(prefix="batch-bench-"))
    os.environ.setdefault("AI_SUBTITLES_HOME", str(work / "home"))
    os.environ.pop("AI_SUBTITLES_RAY_ADDRESS", None)
    clips = work / "clips"
    clips.mkdir(parents=True, exist_ok=True)
    for k in range(n):
        path = clips / f"episode {k + 1:02d}.mp4"
        if not path.exists():
            make_clip(path, clip_text(k + 1, seconds), tail_s=1.0)
    total = sum(probe(p, config().local.media_extensions).duration for p in clips.iterdir())
    print(
        f"{n} clips, {total / 60:.1f} min of video, {os.cpu_count()} cores "
        f"(shared machine, load average {os.getloadavg()[0]:.1f})"
    )
    subprocess.run(cli("setup"), check=True, capture_output=True)

    loads: list[float] = []
    began, peak, cpu = time.monotonic(), 0, _children_cpu()
    for clip in sorted(clips.iterdir()):
        _, p, _ = timed(cli("caption", str(clip), "--out", str(work / "one-by-one")))
        peak = max(peak, p)
    one, one_cpu = time.monotonic() - began, _children_cpu() - cpu
    loads.append(os.getloadavg()[1])
    cpu = _children_cpu()
    batch, batch_peak, _ = timed(cli("batch", str(clips), "--out", str(work / "batch")))
    batch_cpu = _children_cpu() - cpu
    loads.append(os.getloadavg()[1])
    cpu = _children_cpu()
    ray, ray_peak, out = timed(
        cli("--json", "batch", str(clips), "--out", str(work / "ray"), "--ray")
    )
    ray_cpu = _children_cpu() - cpu
    loads.append(os.getloadavg()[1])
    ray_times = json.loads(out.splitlines()[-1])["ray"]
    overhead = ray_times["start_s"] + ray_times["stop_s"]
    print("way                        wall    files/h  peak RSS   CPU-s/file  load (5 min)")
    for name, seconds, mem, used, load in (
        ("one-by-one caption", one, peak, one_cpu, loads[0]),
        ("batch (local)", batch, batch_peak, batch_cpu, loads[1]),
        ("batch --ray (local Ray)", ray, ray_peak, ray_cpu, loads[2]),
        ("  without Ray start/stop", ray - overhead, ray_peak, ray_cpu, loads[2]),
    ):
        print(
            f"{name:24s} {seconds:7.1f} s  {per_hour(n, seconds):6.1f}  "
            f"{mem / 2**20:6.0f} MB  {used / n:8.1f}     {load:5.1f}"
        )
    print(
        f"Ray start-up {ray_times['start_s']:.1f} s (ray.init + actor processes), "
        f"shutdown {ray_times['stop_s']:.1f} s"
    )
    print(
        f"batch vs one-by-one: {one / batch:.2f}x; Ray vs batch: {batch / ray:.2f}x "
        f"({batch / (ray - overhead):.2f}x without Ray start/stop)"
    )
    killed_half_way(clips, work / "killed", n)
    recognise, render, _ = stage_split(sorted(clips.iterdir())[0], work)
    bottleneck(recognise, render, per_hour(n, batch), os.cpu_count() or 1)
    print(f"load average at the end: {os.getloadavg()[0]:.1f} (shared machine)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
