"""Pick a provider, translate a track, and guarantee the result is usable.

A translated track has one cue per source cue, in order, on the source
timing, every cue non-empty and within the same line rules (a cue too long
for two lines is split inside its own window). Anything else is an error
naming the pair, never an empty, runaway or untranslated track.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import yaml

from ...caption_text import clean
from ...captions import Cue
from ...environment import Environment
from ...errors import ErrorCode, SkillError
from ...language_names import language_name
from ...settings.local import CueRules
from ...settings.skill import SkillConfig
from ...settings.translation import ProviderName, TranslationSettings
from ..cues.text import join, primary_language
from .argos import ArgosProvider
from .base import Job, Provider, names
from .fit import budget, fit_cue, fits
from .language_check import script_name, wrong_script
from .ollama import OllamaProvider
from .openai import OpenAIProvider, too_long
from .whisper import WhisperProvider

# Errors after which the next provider may still succeed.
_FAILED: frozenset[ErrorCode] = frozenset({"translation_failed", "translation_timeout"})
# Errors that cost one language, never the others.
LANGUAGE_FAILURES: frozenset[ErrorCode] = _FAILED | frozenset(
    {"translation_unavailable", "translator_insecure"}
)


def registry(
    config: SkillConfig, env: Environment, model: str | None = None
) -> dict[ProviderName, Provider]:
    settings = config.translation
    return {
        "argos": ArgosProvider(settings.argos, settings.pivot),
        "openai": OpenAIProvider(settings, env),
        "whisper": WhisperProvider(config.local, env, model),
        "ollama": OllamaProvider(settings, env),
    }


def choose(
    job: Job, config: SkillConfig, env: Environment, provider: str | None = None
) -> list[Provider]:
    """Providers to try in order: the one asked for, or every capable one by config order."""
    settings = config.translation
    every = registry(config, env, job.model)
    asked = provider or env.get(settings.provider_env) or None
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


def load_glossary(settings: TranslationSettings, env: Environment) -> dict[str, str]:
    """Terms from the YAML or JSON mapping named by AI_SUBTITLES_GLOSSARY, if set."""
    path = env.get(settings.glossary_env)
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


def _check(texts: list[str], job: Job, provider: Provider, settings: TranslationSettings) -> None:
    def fail(reason: str, detail: str) -> SkillError:
        return SkillError(
            "translation_failed", provider=provider.name, reason=reason, detail=detail, **names(job)
        )

    if len(texts) != len(job.texts):
        raise fail("misaligned", f"asked for {len(job.texts)} lines, got {len(texts)}")
    if any(not t.strip() for t in texts):
        raise fail("empty", "")
    runaway = [i for i, t in enumerate(texts) if too_long(t, job.texts[i], settings)]
    if runaway:
        i = runaway[0]
        raise fail("too_long", f"{len(texts[i])} characters for {len(job.texts[i])}")
    wordy = [i for i, t in enumerate(job.texts) if any(ch.isalpha() for ch in t)]
    if wordy and all(texts[i].strip() == job.texts[i].strip() for i in wordy):
        raise fail("untranslated", json.dumps(job.texts[wordy[0]], ensure_ascii=False))
    # A name left as in the source is fine; anything else must be in the target's script.
    for i, text in enumerate(texts):
        found = wrong_script(text, job.target) if text.strip() != job.texts[i].strip() else None
        if found:
            sample = json.dumps(text[:60], ensure_ascii=False)
            raise fail("wrong_language", f"{found} instead of {script_name(job.target)}: {sample}")


def _condensed(provider: Provider, job: Job, texts: list[str], rules: CueRules) -> list[str]:
    """Translations over their cue's budget asked again, shorter, where the provider can.

    A failed or longer answer keeps the first translation: fitting splits it.
    """
    shorten = getattr(provider, "shorten", None)
    over = [
        i
        for i, text in enumerate(texts)
        if not fits(text, job.times[i][1] - job.times[i][0], job.target, rules, None)
    ]
    if shorten is None or not over:
        return texts
    sub = replace(
        job,
        texts=[job.texts[i] for i in over],
        times=[job.times[i] for i in over],
        budgets=[job.budgets[i] for i in over],
    )
    try:
        shorter = shorten(sub, [texts[i] for i in over])
    except SkillError as error:
        if error.code not in _FAILED:
            raise
        return texts
    out = list(texts)
    for i, text in zip(over, shorter, strict=True):
        if text.strip() and len(text) < len(out[i]):
            out[i] = text.strip()
    return out


def translate_cues(
    cues: list[Cue],
    source: str,
    target: str,
    *,
    audio: Path | None,
    rules: CueRules,
    config: SkillConfig,
    env: Environment,
    provider: str | None = None,
    glossary: dict[str, str] | None = None,
    model: str | None = None,
) -> list[Cue]:
    """`cues` in `target`: one translated cue per source cue, on the source timing.

    Each provider is told every cue's budget; translations still over it are
    asked again shorter, and what still does not fit two lines is split inside
    its source cue's window (`fit.fit_cue`). With no provider named, capable
    providers are tried in config order and a failing one hands over to the
    next; the last failure is raised. `config` is skill.yaml's, passed down by the caller.
    """
    settings = config.translation
    if not cues or primary_language(source) == primary_language(target):
        return [c.model_copy(deep=True) for c in cues]
    source_code, target_code = primary_language(source), primary_language(target)
    job = Job(
        texts=[join(c.lines, source, rules) for c in cues],
        times=[(c.start, c.end) for c in cues],
        source=source_code,
        target=target_code,
        audio=audio,
        glossary=load_glossary(settings, env) if glossary is None else glossary,
        budgets=[budget(c.end - c.start, rules) for c in cues],
        model=model,
        source_name=language_name(source_code),
        target_name=language_name(target_code),
    )
    failure: SkillError | None = None
    for candidate in choose(job, config, env, provider):
        try:
            texts = [clean(text) for text in candidate.translate(job)]
            _check(texts, job, candidate, settings)
        except SkillError as error:
            if error.code not in _FAILED:
                # Whatever stopped it, the message can name the pair.
                error.context = {**names(job), **error.context}
                raise
            failure = error
            continue
        texts = _condensed(candidate, job, texts, rules)
        return [
            piece
            for cue, text in zip(cues, texts, strict=True)
            for piece in fit_cue(cue, text, target, rules)
        ]
    assert failure is not None
    raise failure
