"""Translate a 3-minute English transcript to Spanish through a local endpoint; check the timing.

Usage: python bench/translate_timing.py

The transcript is the real cue builder's output for three minutes of speech
(words timed at a talking pace, pauses after sentences). The endpoint is the
test suite's OpenAI-compatible server on 127.0.0.1 in "wordy" mode: every
translation comes back about a third longer than its source and ignores the
budget, as a careless model does; asked to shorten, it condenses to the budget.
Two runs: the full pipeline, and one with the shorten pass switched off, so
the cue fitting is measured on its own.

Prints, per run: translated cues within the rules (goal 100 %), cues crossing
a source cue boundary (goal 0), requests sent, and time spent outside the
endpoint (total wall time minus time waiting on HTTP).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from skill_runtime.captions import Cue, Word
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.local.cues import build_cues
from skill_runtime.local.cues.text import display_width
from skill_runtime.local.translate import openai as openai_provider
from skill_runtime.local.translate.service import translate_cues
from skill_runtime.settings.local import CueRules

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from translate.fake_openai import serve

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
WORD_S, PAUSE_S = 0.33, 0.45


def transcript(rules: CueRules) -> list[Cue]:
    """Three minutes of words at about 180 words a minute, built into cues."""
    words: list[Word] = []
    at, k = 0.3, 0
    while at < DURATION_S:
        for token in SENTENCES[k % len(SENTENCES)].split():
            length = WORD_S * (0.6 + 0.1 * min(len(token), 8))
            words.append(Word(text=token, start=at, end=at + length * 0.9))
            at += length
        at += PAUSE_S
        k += 1
    return build_cues(words, "en", rules, fps=25)


def broken_rules(cue: Cue, rules: CueRules) -> list[str]:
    """The rules a cue breaks: lines, line length, minimum duration, reading speed."""
    chars = len(" ".join(cue.lines))
    duration = cue.end - cue.start
    checks = {
        "lines": len(cue.lines) <= rules.max_lines,
        "line length": all(display_width(x) <= rules.max_chars_per_line for x in cue.lines),
        "min duration": duration >= rules.min_duration_s - 0.0005,
        "reading speed": chars / duration <= rules.max_cps + 1e-9,
    }
    return [name for name, ok in checks.items() if not ok]


def crossing(cue: Cue, sources: list[Cue]) -> bool:
    return not any(s.start <= cue.start and cue.end <= s.end for s in sources)


def run(label: str, sources: list[Cue], rules: CueRules, *, shorten: bool) -> None:
    waited = [0.0]
    sent = [0]
    real_post = httpx.Client.post

    def timed_post(self: httpx.Client, *args: Any, **kwargs: Any) -> httpx.Response:
        began = time.perf_counter()
        try:
            return real_post(self, *args, **kwargs)
        finally:
            waited[0] += time.perf_counter() - began
            sent[0] += 1

    httpx.Client.post = timed_post  # type: ignore[method-assign]
    saved = openai_provider.OpenAIProvider.shorten
    if not shorten:
        del openai_provider.OpenAIProvider.shorten
    try:
        with serve(wordy=True) as endpoint:
            os.environ["OPENAI_BASE_URL"] = endpoint.base_url
            began = time.perf_counter()
            out = translate_cues(
                sources,
                "en",
                "es",
                audio=None,
                rules=rules,
                config=config(),
                glossary={},
                env=Environment.read(config()),
            )
            total = time.perf_counter() - began
    finally:
        httpx.Client.post = real_post  # type: ignore[method-assign]
        openai_provider.OpenAIProvider.shorten = saved  # type: ignore[method-assign]
    broken = [broken_rules(c, rules) for c in out]
    good = sum(not b for b in broken)
    tally = {name: sum(name in b for b in broken) for name in {n for b in broken for n in b}}
    crossed = sum(crossing(c, sources) for c in out)
    split = len(out) - len(sources)
    print(f"[{label}]")
    print(f"  source cues: {len(sources)}   translated cues: {len(out)} ({split} from splits)")
    print(f"  translated cues within the rules: {good}/{len(out)} = {100 * good / len(out):.1f} %")
    if tally:
        print(f"  cues breaking each rule: {dict(sorted(tally.items()))}")
    print(f"  cues crossing a source cue boundary: {crossed}")
    print(f"  requests: {sent[0]}   total {total:.3f} s, waiting on the endpoint {waited[0]:.3f} s")
    print(f"  time outside the endpoint: {total - waited[0]:.3f} s")


def main() -> None:
    for name in ("AI_SUBTITLES_TRANSLATOR", "AI_SUBTITLES_GLOSSARY", "OPENAI_API_KEY"):
        os.environ.pop(name, None)
    rules = config().local.cues
    sources = transcript(rules)
    spoken = sources[-1].end - sources[0].start
    fine = sum(not broken_rules(c, rules) for c in sources)
    print(f"transcript: {len(sources)} English cues over {spoken:.0f} s ({fine} within the rules)")
    run("full pipeline: budgets, shorten pass, fitting", sources, rules, shorten=True)
    run("no shorten pass: fitting alone", sources, rules, shorten=False)


if __name__ == "__main__":
    main()
