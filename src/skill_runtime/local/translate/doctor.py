"""The `doctor` line for translation: which pairs work now, and how to add others."""

from __future__ import annotations

from urllib.parse import urlsplit

from ...environment import Environment
from ...messages import render
from ...results import Check
from ...settings.translation import TranslationSettings
from . import ollama, packs


def translation_check(settings: TranslationSettings, env: Environment) -> Check:
    """Never required: captions in the spoken language need no translator."""
    pairs = sorted(packs.installed_pairs(settings.argos))
    base = env.get(settings.openai.base_url_env)
    pinned = env.get(settings.provider_env)
    endpoint = urlsplit(base).netloc if base else ("default" if pinned == "openai" else None)
    local = settings.openai
    found = ollama.detect(local.ollama_url, env.get(local.model_env), local.ollama_probe_s)
    detail = render(
        "local/doctor_translation",
        pairs=[f"{a}→{b}" for a, b in pairs],
        endpoint=endpoint,
        ollama=f"{urlsplit(found[0]).netloc}, {found[1]}" if found else None,
        pivot=settings.pivot,
    )
    ok = bool(pairs or endpoint or found)
    return Check(name="translation", ok=ok, detail=detail, required=False)
