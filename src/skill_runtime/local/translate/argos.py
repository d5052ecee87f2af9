"""Argos Translate: offline CTranslate2 packs the user installs with `argospm`.

A pair with no direct pack is routed through the pivot language (English)
when both halves are installed.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

from ...errors import SkillError
from .base import Job, names
from .settings import ProviderName


def _module() -> Any:
    try:
        import argostranslate.translate as argos
    except ImportError:
        return None
    return argos


def installed_pairs() -> set[tuple[str, str]]:
    """(from, to) codes of every installed pack; empty without argostranslate."""
    argos = _module()
    if argos is None:
        return set()
    return {
        (t.from_lang.code, t.to_lang.code)
        for language in argos.get_installed_languages()
        for t in language.translations_from
    }


def route(pairs: set[tuple[str, str]], source: str, target: str, pivot: str) -> list[str] | None:
    """Languages to pass through, source first: direct, via the pivot, or None."""
    if (source, target) in pairs:
        return [source, target]
    if (source, pivot) in pairs and (pivot, target) in pairs:
        return [source, pivot, target]
    return None


class ArgosProvider:
    name: ProviderName = "argos"

    def __init__(self, pivot: str) -> None:
        self.pivot = pivot

    def supports(self, source: str, target: str, *, audio: Path | None) -> bool:
        return route(installed_pairs(), source, target, self.pivot) is not None

    def translate(self, job: Job) -> list[str]:
        """Cue by cue, so the count and order cannot change."""
        argos = _module()
        hops = route(installed_pairs(), job.source, job.target, self.pivot)
        if argos is None or hops is None:
            raise SkillError("translation_unavailable", provider=self.name, **names(job))
        texts = list(job.texts)
        for from_code, to_code in pairwise(hops):
            texts = [str(argos.translate(text, from_code, to_code)) for text in texts]
        return texts
