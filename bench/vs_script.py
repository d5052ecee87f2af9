"""`ai-subtitles caption --burn` against the pipeline a user would script, side by side.

Usage: python bench/vs_script.py [WORKDIR] [--pairs N] [--minutes M]

Makes a 1080p clip (testsrc2 picture, espeak speech; 4 minutes by default),
then times, as whole processes in paired runs A B A B ... (so a shared
machine's drift hits both alike):

- A: `ai-subtitles caption CLIP --burn --aspect 16:9` (the project, its skill.yaml);
- B: the scripted pipeline on the same Whisper base int8 model:
  whisper-ctranslate2 (beam 5, VAD, SRT; `pip install -e ".[bench]"`), or
  faster-whisper's own transcribe at beam 5 when whisper-ctranslate2 is not
  installed, then `ffmpeg -vf subtitles=` with the project's x264 preset/crf;
- C: that ffmpeg burn alone (a bare burn of the same subtitles).

For each: median wall, CPU (user + sys of the process and all it waited
for) and peak RSS (the largest single process), and the ratios A/B pair by
pair and A/C. The machine's core count and load average are printed with
the figures: on a shared machine wall times are pessimistic, CPU steadier.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from caption_e2e import SENTENCES
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.asr import models
from skill_runtime.local.render.ffmpeg import escape_filter_value, locate
from skill_runtime.local.sample import make_clip

FALLBACK = """
import sys
from faster_whisper import WhisperModel
import pysubs2
model_dir, clip, srt = sys.argv[1:4]
model = WhisperModel(model_dir, device="cpu", compute_type="int8")
segments, _ = model.transcribe(clip, beam_size=5, vad_filter=True)
subs = pysubs2.SSAFile()
for s in segments:
    subs.append(pysubs2.SSAEvent(start=int(s.start * 1000), end=int(s.end * 1000),
                                 text=s.text.strip()))
subs.save(srt)
"""


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    rss_mb: float


def timed(argv: list[str], env: dict[str, str] | None = None) -> Run:
    """One run as a whole process: wall, CPU of it and its reaped children, largest RSS."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read() if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(argv)}\n{err[-2000:]}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def clip_text(minutes: float) -> str:
    """Enough sentences for `minutes` of espeak speech (about 3 words a second)."""
    wanted, text, k = int(minutes * 60 * 3.05), [], 0
    while sum(len(s.split()) for s in text) < wanted:
        text.append(SENTENCES[k % len(SENTENCES)])
        k += 1
    return " ".join(text)


def sh(*parts: str) -> str:
    return shlex.join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description="The project against a scripted pipeline.")
    parser.add_argument("work", nargs="?", type=Path, help="folder for clip and outputs")
    parser.add_argument("--pairs", type=int, default=2, help="A B pairs (default 2)")
    parser.add_argument("--minutes", type=float, default=4.0, help="clip length (default 4)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="vs-script-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "AI_SUBTITLES_HOME": str(work / "home")}
    os.environ["AI_SUBTITLES_HOME"] = env["AI_SUBTITLES_HOME"]
    local = config().local
    model_dir = models.resolve_model(
        local.model, None, Environment.read(config())
    )  # assembled outside the timings
    ffmpeg = locate().exe
    clip = work / f"talk {args.minutes:g}min 1080p.mp4"
    if not clip.exists():
        print("making the clip...", file=sys.stderr)
        make_clip(clip, clip_text(args.minutes), size="1920x1080", rate=25, tail_s=1.0)

    cli = shutil.which("ai-subtitles", path=str(Path(sys.executable).parent)) or "ai-subtitles"
    project = [cli, "caption", str(clip), "--burn", "--aspect", "16:9", "--quiet", "--overwrite"]
    project += ["--out", str(work / "project")]
    srt = work / "script" / "clip.srt"
    srt.parent.mkdir(exist_ok=True)
    wc2 = shutil.which("whisper-ctranslate2", path=str(Path(sys.executable).parent))
    if wc2:
        recognise = sh(wc2, str(clip), "--model_directory", model_dir, "--compute_type", "int8")
        recognise += " " + sh("--beam_size", "5", "--vad_filter", "True", "--output_format")
        recognise += " " + sh("srt", "-o", str(srt.parent), "--verbose", "False")
        recognise += " && " + sh("mv", str(srt.parent / (clip.stem + ".srt")), str(srt))
        scripted_asr = "whisper-ctranslate2 (beam 5, VAD)"
    else:
        recognise = sh(sys.executable, "-c", FALLBACK, model_dir, str(clip), str(srt))
        scripted_asr = "faster-whisper transcribe (beam 5, VAD)"
    video = local.video
    burn = [ffmpeg, "-v", "error", "-y", "-i", str(clip)]
    burn += ["-vf", f"subtitles=filename={escape_filter_value(srt)}"]
    burn += ["-c:v", "libx264", "-preset", video.preset, "-crf", str(video.crf)]
    burn += ["-pix_fmt", "yuv420p", "-c:a", "copy", str(work / "script" / "burned.mp4")]
    scripted = ["sh", "-c", recognise + " && " + sh(*burn)]

    print(
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start; "
        "the machine is shared with other developers' jobs, so wall times are pessimistic"
    )
    print(f"clip: {clip.name}; A = project, B = {scripted_asr} + ffmpeg subtitles burn")
    print(f"x264 {video.preset} crf {video.crf} for both; model base int8 ({model_dir})")
    a_runs: list[Run] = []
    b_runs: list[Run] = []
    c_runs: list[Run] = []
    for k in range(max(1, args.pairs)):
        a_runs.append(timed(project, env))
        b_runs.append(timed(scripted, env))
        c_runs.append(timed(burn, env))
        print(
            f"pair {k + 1}: A {a_runs[-1].wall:.1f} s, B {b_runs[-1].wall:.1f} s, "
            f"C {c_runs[-1].wall:.1f} s",
            file=sys.stderr,
        )

    def med(runs: list[Run], field: str) -> float:
        return statistics.median(getattr(r, field) for r in runs)

    print(f"{'':28}{'wall s':>10}{'CPU s':>10}{'peak RSS MB':>13}")
    for name, runs in (
        ("A project caption --burn", a_runs),
        ("B scripted pipeline", b_runs),
        ("C bare ffmpeg burn", c_runs),
    ):
        print(
            f"{name:28}{med(runs, 'wall'):10.1f}{med(runs, 'cpu'):10.1f}{med(runs, 'rss_mb'):13.0f}"
        )
    for label, other in (("A/B", b_runs), ("A/C", c_runs)):
        ratios = {
            f: statistics.median(
                getattr(a, f) / getattr(b, f) for a, b in zip(a_runs, other, strict=True)
            )
            for f in ("wall", "cpu", "rss_mb")
        }
        print(
            f"{label} pair by pair (median): wall {ratios['wall']:.3f}, CPU {ratios['cpu']:.3f}, "
            f"peak RSS {ratios['rss_mb']:.3f}"
        )
    print(f"load average at the end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
