"""Caption a 3-minute 1080p talking-style clip end to end and compare with the bare parts.

Usage: python bench/caption_e2e.py [WORKDIR]

Prints, from one run: end-to-end wall time, bare faster-whisper time (beam 5,
model load included, like the end-to-end run), bare ffmpeg re-encode time at the
same settings, their ratio (goal <= 1.10), the ASR real-time factor of the
project's recognition and of raw faster-whisper beam 5, both with model load
excluded (goal <= 0.10 with base int8 on 2 cores), their process CPU seconds
per audio second (steadier than wall time on a shared machine), WER of both
against the spoken text, the soft-subtitle export time (goal <= 5 s, no
re-encode) and peak RSS (goal < 1.5 GB).
"""

from __future__ import annotations

import os
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import jiwer

from skill_runtime.backends.local import LocalBackend
from skill_runtime.config import config
from skill_runtime.context import CaptionRequest, Context
from skill_runtime.environment import Environment
from skill_runtime.local.asr import models
from skill_runtime.local.probe import probe
from skill_runtime.local.render.fonts import fonts_dir
from skill_runtime.local.render.video import burn
from skill_runtime.local.sample import make_clip
from skill_runtime.progress import Progress
from skill_runtime.store import Store

SENTENCES = [
    "Welcome back to the channel, today we are talking about how to make videos people can follow.",
    "The first thing to know is that most viewers watch with the sound off, especially on phones.",
    "That is why captions matter so much, and why they need to be short and well timed.",
    "A good caption line holds about forty characters, and a cue shows for a few seconds at most.",
    "If the text moves too fast, people stop reading and simply scroll away to something else.",
    "Now let me show you the three settings I change on every single project I edit.",
    "First, the font size, which should be large enough to read on a small screen.",
    "Second, the position, which must stay clear of the buttons that the app draws on top.",
    "Third, the timing, which should follow the speech closely without flickering on and off.",
]
DURATION_S = 180.0


def spoken_text() -> str:
    """About three minutes of sentences (espeak reads ~3 words a second)."""
    words_needed = int(DURATION_S * 3.05)
    text, k = [], 0
    while sum(len(s.split()) for s in text) < words_needed:
        text.append(SENTENCES[k % len(SENTENCES)])
        k += 1
    return " ".join(text)


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s']", " ", re.sub(r"[-—–]", " ", text.lower())).split())


def talking_clip(folder: Path) -> Path:
    """About three minutes of speech over a moving 1080p test picture."""
    return make_clip(
        folder / "talk 1080p.mp4", spoken_text(), size="1920x1080", rate=25, tail_s=1.0
    )


def peak_rss_mb() -> tuple[float, float]:
    """(this process, largest child) peak resident set, in MB (Linux reports KB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, child


def _instrument() -> dict[str, float]:
    """Time the recognition and the encode inside the end-to-end run, so the printed
    overhead is the pipeline's own and not other load on a shared machine."""
    from skill_runtime.local import pipeline

    spent: dict[str, float] = {"asr": 0.0, "burn": 0.0, "asr_cpu": 0.0}

    def timed(name: str, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - t0
                if name == "asr":
                    spent["asr_cpu"] += time.process_time() - c0

        return wrapper

    pipeline.transcribe = timed("asr", pipeline.transcribe)  # type: ignore[assignment]
    pipeline.burn = timed("burn", pipeline.burn)  # type: ignore[assignment]
    return spent


def main() -> int:
    work = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="caption-bench-"))
    )
    work.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("AI_SUBTITLES_HOME", str(work / "home"))
    cfg = config()
    local = cfg.local
    clip = work / "talk 1080p.mp4"
    if not clip.exists():
        print("making the 3-minute clip...", file=sys.stderr)
        talking_clip(work)
    models.resolve_model(
        local.model, None, Environment.read(config())
    )  # assemble the offline model outside the timings

    ctx = Context(
        config=cfg,
        store=Store(work / "home" / "bench-store"),
        out_dir=work / "out",
        progress=Progress(quiet=True),
        version="bench",
        env=Environment.read(config()),
        platform="bench",
    )
    backend = LocalBackend(ctx)
    stages = _instrument()
    models._load.cache_clear()
    t0 = time.perf_counter()
    result = backend.caption(CaptionRequest(path=clip, burn=True, aspect="16:9"))
    e2e = time.perf_counter() - t0
    job = backend.current_job()
    duration = job.media.duration
    job.settings = job.settings.model_copy(update={"burn": False, "aspect": "source"})
    t0 = time.perf_counter()
    backend.render(job)
    soft = time.perf_counter() - t0

    from faster_whisper import WhisperModel

    rec, mset = local.recognition, local.model
    t0 = time.perf_counter()
    model = WhisperModel(
        models.resolve_model(mset, None, Environment.read(config())),
        device="auto",
        compute_type=mset.compute_type,
        cpu_threads=os.cpu_count() or 0,
    )
    loaded, c0 = time.perf_counter(), time.process_time()
    segments, _ = model.transcribe(
        str(clip),
        beam_size=5,
        vad_filter=True,
        word_timestamps=True,
        condition_on_previous_text=False,
        vad_parameters={"min_silence_duration_ms": rec.vad_min_silence_ms},
    )
    raw_words = [w.word for s in segments for w in s.words or []]
    asr = time.perf_counter() - t0
    raw_asr, raw_cpu = time.perf_counter() - loaded, time.process_time() - c0

    # The pipeline's own encoder call with nothing to draw: the same flags by construction.
    info = probe(clip, local.media_extensions)
    t0 = time.perf_counter()
    burn(
        info,
        ass_file=None,
        fonts=fonts_dir(local.fonts, Environment.read(config())),
        shape=local.shapes["16:9"],
        fit="pad",
        tracks=[],
        out=work / "bare.mp4",
        video=local.video,
        progress=Progress(quiet=True),
    )
    encode = time.perf_counter() - t0
    own, child = peak_rss_mb()

    cues = sum(len(c) for c in backend.current_job().tracks.values())
    print(
        f"clip: {clip.name}, {duration:.1f} s, 1920x1080; {cues} cues, "
        f"{len(raw_words)} words (bare ASR)"
    )
    print(f"outputs: {', '.join(m.path.name for m in result.media)}")
    print(f"end-to-end caption (burn-in, 1080p): {e2e:7.1f} s")
    print(f"bare faster-whisper transcription:   {asr:7.1f} s")
    print(f"bare ffmpeg re-encode (same flags):  {encode:7.1f} s")
    print(f"ratio e2e / (ASR + encode):          {e2e / (asr + encode):7.3f}   (goal <= 1.10)")
    print(
        f"ASR real-time factor, model load excluded (goal <= 0.10): project "
        f"{stages['asr'] / duration:.3f}, raw faster-whisper beam 5 {raw_asr / duration:.3f}"
    )
    print(
        f"ASR CPU s per audio s (process): project {stages['asr_cpu'] / duration:.3f}, "
        f"raw beam 5 {raw_cpu / duration:.3f}"
    )
    reference = normalise(spoken_text())
    project_text = normalise(" ".join(w.text for w in job.words))
    print(
        f"WER against the spoken text: project {jiwer.wer(reference, project_text):.4f}, "
        f"raw beam 5 {jiwer.wer(reference, normalise(' '.join(raw_words))):.4f}"
    )
    inner = stages["asr"] + stages["burn"]
    print(
        f"  inside e2e: recognition {stages['asr']:.1f} s + burn/encode {stages['burn']:.1f} s; "
        f"everything else {e2e - inner:.1f} s (ratio to those two: {e2e / inner:.3f})"
    )
    print(f"load average now: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"soft-subtitle export:                {soft:7.2f} s (goal <= 5 s)")
    print(f"peak RSS: python {own:.0f} MB, largest ffmpeg child {child:.0f} MB (goal < 1536 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
