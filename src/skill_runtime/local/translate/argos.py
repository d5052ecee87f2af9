"""Argos Translate packs, run offline by CTranslate2 + SentencePiece (see `packs`).

A pair with no direct pack is routed through the pivot language (English)
when both halves are installed. Cues go through the model in one batch per
hop, so the count and order cannot change.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from ...errors import SkillError
from ...settings.translation import ArgosSettings, ProviderName
from . import packs
from .base import Job, names

route = packs.route


class ArgosProvider:
    name: ProviderName = "argos"

    def __init__(self, settings: ArgosSettings, pivot: str) -> None:
        self.settings = settings
        self.pivot = pivot

    def installed_pairs(self) -> set[tuple[str, str]]:
        return packs.installed_pairs(self.settings)

    def supports(self, source: str, target: str, *, audio: Path | None) -> bool:
        return route(self.installed_pairs(), source, target, self.pivot) is not None

    def translate(self, job: Job) -> list[str]:
        hops = route(self.installed_pairs(), job.source, job.target, self.pivot)
        if hops is None:
            raise SkillError("translation_unavailable", provider=self.name, **names(job))
        texts = list(job.texts)
        for from_code, to_code in pairwise(hops):
            pack = packs.load(self.settings, from_code, to_code)
            texts = pack.translate(texts, self.settings.beam_size, self.settings.batch_size)
        return texts
