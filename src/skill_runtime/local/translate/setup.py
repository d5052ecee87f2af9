"""`ai-subtitles setup --translation en-es`: offline packs for one language pair.

A direct pack is used when the index has one; otherwise the two halves
through the pivot language (English). Halves already installed are kept.
Downloads are https (plain http only on this machine), since a pack is code
and data the model runner will load.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx

from ...environment import Environment
from ...errors import SkillError
from ...language_names import language_name
from ...language_tags import canonical
from ...progress import Progress
from ...results import Result
from ...settings.translation import TranslationSettings
from ..cues.text import primary_language
from ..probe import check_path
from . import packs
from .openai import check_base_url


def parse_pair(text: str, settings: TranslationSettings) -> tuple[str, str]:
    """ "en-es" or "en:es" as two checked primary codes; a usage error otherwise."""
    parts = text.replace(":", "-").split("-")
    if len(parts) != 2 or not all(parts):
        raise SkillError(
            "usage",
            problem=f"--translation takes a pair like en-es, not {text[:40]!r}",
            usage="ai-subtitles setup --translation en-es",
        )
    source, target = (
        primary_language(canonical(p, settings, option="--translation")) for p in parts
    )
    if source == target:
        raise SkillError(
            "usage", problem="--translation needs two different languages", usage="e.g. en-es"
        )
    return source, target


def install_file(path: Path, settings: TranslationSettings) -> Result:
    """`setup --translation PACK.argosmodel`: a pack the user has, checked like a download."""
    archive = check_path(path, ["argosmodel"])
    source, target = packs.pair_of(archive)
    for code in (source, target):
        if primary_language(code) not in settings.codes:
            raise SkillError(
                "pack_invalid",
                file=str(archive),
                source=source,
                target=target,
                problem=f"it names {code!r}, which is not a language this skill knows",
            )
    packs.install_file(settings.argos, archive, source, target)
    return _answer(
        settings, source, target, [(source, target)], packs.installed_pairs(settings.argos)
    )


def install_pair(
    text: str, settings: TranslationSettings, progress: Progress, env: Environment
) -> Result:
    if text.lower().endswith(".argosmodel") or "/" in text or os.sep in text:
        return install_file(Path(text), settings)
    source, target = parse_pair(text, settings)
    argos = settings.argos
    index_at = check_base_url(packs.index_url(argos, env))
    have = packs.installed_pairs(argos)
    if packs.route(have, source, target, settings.pivot) is not None:
        return _answer(settings, source, target, [], have)
    progress.status("progress/fetching_pack_index")
    with httpx.Client(timeout=argos.timeout_s, follow_redirects=True) as client:
        index = packs.fetch_index(client, index_at)
        offered = {(m.from_code, m.to_code) for m in index}
        wanted = [(source, target)]
        if (source, target) not in offered:
            wanted = packs.needed(source, target, settings.pivot)
        missing = [pair for pair in wanted if pair not in have]
        if not all(pair in offered for pair in missing):
            absent = next(pair for pair in missing if pair not in offered)
            raise SkillError("pack_not_offered", source=absent[0], target=absent[1], index=index_at)
        for pair in missing:
            for link in next(m.links for m in index if (m.from_code, m.to_code) == pair):
                check_base_url(link)
        for from_code, to_code in missing:
            packs.install(client, argos, index, from_code, to_code, progress, index_at)
    return _answer(settings, source, target, missing, packs.installed_pairs(argos))


def _answer(
    settings: TranslationSettings,
    source: str,
    target: str,
    installed: list[tuple[str, str]],
    pairs: set[tuple[str, str]],
) -> Result:
    return Result(
        action="setup",
        template="local/translation_ready",
        context={
            "source": source,
            "target": target,
            "source_name": language_name(source),
            "target_name": language_name(target),
            "installed": [f"{a}→{b}" for a, b in installed],
            "route": packs.route(pairs, source, target, settings.pivot),
        },
        data={
            "installed": [list(p) for p in installed],
            "pairs": sorted(f"{a}-{b}" for a, b in pairs),
        },
    )
