"""Pick a provider, translate a track, and guarantee the result is usable.

A translated track has exactly the source's cues, in order, with the source
timing, every cue non-empty and re-wrapped to the same line rules. Anything
else is an error naming the pair, never an empty or untranslated track.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

from ...captions import Cue
from ...config import config
from ...errors import SkillError
from ..cues.refit import refit_cues
from ..cues.text import join, primary_language, wrap_text
from ..settings import CueRules
from .argos import ArgosProvider
from .base import Job, Provider, names
from .openai import OpenAIProvider
from .settings import ProviderName
from .whisper import WhisperProvider


def registry() -> dict[ProviderName, Provider]:
    settings = config().translation
    return {
        "argos": ArgosProvider(settings.pivot),
        "openai": OpenAIProvider(settings.openai),
        "whisper": WhisperProvider(),
    }


def choose(job: Job, provider: str | None = None) -> list[Provider]:
    """Providers to try in order: the one asked for, or every capable one by config order."""
    settings = config().translation
    every = registry()
    asked = provider or os.environ.get(settings.provider_env) or None
    if asked is not None:
        if asked not in every:
            raise SkillError(
                "usage",
                problem=f"unknown translator {asked!r}",
                usage=f"Choose one of: {', '.join(every)}.",
            )
        chosen = every[asked]
        if not chosen.supports(job.source, job.target, audio=job.audio):
            raise SkillError("translation_unavailable", provider=asked, **names(job))
        return [chosen]
    capable = [
        every[name]
        for name in settings.order
        if every[name].supports(job.source, job.target, audio=job.audio)
    ]
    if not capable:
        raise SkillError("translation_unavailable", provider=None, **names(job))
    return capable


def load_glossary() -> dict[str, str]:
    """Terms from the YAML or JSON mapping named by AI_SUBTITLES_GLOSSARY, if set."""
    path = os.environ.get(config().translation.glossary_env)
    if not path:
        return {}
    try:
        raw = yaml.safe_load(Path(path).expanduser().read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SkillError(
            "config_invalid", file=path, key="(file)", problem="not a readable YAML mapping"
        ) from exc
    if not isinstance(raw, dict):
        raise SkillError("config_invalid", file=path, key="(top level)", problem="not a mapping")
    return {str(k): str(v) for k, v in raw.items()}


def _check(texts: list[str], job: Job, provider: Provider) -> None:
    def fail(reason: str, detail: str) -> SkillError:
        return SkillError(
            "translation_failed", provider=provider.name, reason=reason, detail=detail, **names(job)
        )

    if len(texts) != len(job.texts):
        raise fail("misaligned", f"asked for {len(job.texts)} lines, got {len(texts)}")
    if any(not t.strip() for t in texts):
        raise fail("empty", "")
    wordy = [i for i, t in enumerate(job.texts) if any(ch.isalpha() for ch in t)]
    if wordy and all(texts[i].strip() == job.texts[i].strip() for i in wordy):
        raise fail("untranslated", json.dumps(job.texts[wordy[0]], ensure_ascii=False))


def translate_cues(
    cues: list[Cue],
    source: str,
    target: str,
    *,
    audio: Path | None,
    rules: CueRules,
    provider: str | None = None,
    glossary: dict[str, str] | None = None,
) -> list[Cue]:
    """`cues` in `target`: same count, order and timing, lines re-wrapped by `rules`.

    With no provider named, capable providers are tried in config order and a
    failing one hands over to the next; the last failure is raised.
    """
    if not cues or primary_language(source) == primary_language(target):
        return [c.model_copy(deep=True) for c in cues]
    job = Job(
        texts=[join(c.lines, source, rules) for c in cues],
        times=[(c.start, c.end) for c in cues],
        source=primary_language(source),
        target=primary_language(target),
        audio=audio,
        glossary=load_glossary() if glossary is None else glossary,
    )
    failure: SkillError | None = None
    for candidate in choose(job, provider):
        try:
            texts = candidate.translate(job)
            _check(texts, job, candidate)
        except SkillError as error:
            if error.code != "translation_failed":
                raise
            failure = error
            continue
        # A translation longer than its source may need more than one cue to stay
        # within the line limit; refit splits it there.
        return refit_cues(
            [
                Cue(start=c.start, end=c.end, lines=wrap_text(text, rules, target))
                for c, text in zip(cues, texts, strict=True)
            ],
            target,
            rules,
        )
    assert failure is not None
    raise failure
