"""Versions of one video in a chat: which ones a sentence points at, and new ones' names.

A job holds named renditions (`session.Rendition`). A sentence points at some
("the TikTok one", "both", "抖音版"), asks for a new one ("also a vertical
TikTok version"), or says nothing, which means the one worked on last. The
words are skill.yaml's `edits.renditions`; nothing here changes a job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from .. import keywords
from ..captions import CaptionSettings
from ..errors import SkillError
from ..settings.edits import RenditionWords
from ..settings.local import LocalSettings
from .render.layout import output_shape
from .session import CaptionJob

Frame = Literal["landscape", "portrait", "square"]
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")


@dataclass
class Pointed:
    """What a sentence said about versions: the ones named, and the sentence without them."""

    names: list[str] = field(default_factory=list)
    every: bool = False
    text: str = ""


def frame(job: CaptionJob, name: str, settings: LocalSettings) -> Frame:
    caption = job.renditions[name].settings
    shape = output_shape(settings, caption.aspect, job.media, caption.height, caption.platform)
    if shape.width == shape.height:
        return "square"
    return "landscape" if shape.width > shape.height else "portrait"


def _blank(text: str, start: int, end: int) -> str:
    return text[:start] + " " * (end - start) + text[end:]


def _phrases(words: RenditionWords, name: str) -> list[str]:
    known = words.names.get(name)
    return [name, *(known.phrases if known else [])]


def resolve(
    job: CaptionJob, said: str, words: RenditionWords, settings: LocalSettings
) -> str | None:
    """The rendition a name means: its own name or one of its words, else the only one
    with the frame that name stands for ("youtube" for the one landscape version)."""
    said = said.strip().lower()
    for name in job.renditions:
        if said in (p.lower() for p in _phrases(words, name)):
            return name
    known = next(
        (k for k, v in words.names.items() if said in (p.lower() for p in [k, *v.phrases])), None
    )
    wanted = words.names[known].frame if known else None
    if wanted is None:
        return None
    matching = [n for n in job.renditions if frame(job, n, settings) == wanted]
    return matching[0] if len(matching) == 1 else None


def _every(text: str, words: RenditionWords) -> tuple[int, int] | None:
    """ "both", "all versions": not "both languages" (a word that is not a version noun after)."""
    for phrase in sorted(words.every, key=len, reverse=True):
        for match in keywords.pattern(phrase).finditer(text):
            after = re.match(r"\s*([^\W\d_]+)", text[match.end() :])
            if after and not keywords.is_cjk(phrase):
                word = after.group(1).lower()
                if word not in words.nouns and word not in ("of", "them", "please"):
                    continue
            return match.span()
    return None


def pointed(job: CaptionJob, text: str, words: RenditionWords, settings: LocalSettings) -> Pointed:
    """The versions a sentence names ("the TikTok one", "both"), the rest of it kept.

    A name counts as a version only with a noun after it ("one", "version",
    "版"), so "make it TikTok style" stays a style edit.
    """
    found = Pointed(text=text)
    if len(job.renditions) > 1:
        span = _every(text, words)
        if span is not None:
            found.every = True
            found.names = list(job.renditions)
            found.text = _blank(text, *span)
            return found
    candidates = {p for n in job.renditions for p in _phrases(words, n)}
    candidates |= {p for k, v in words.names.items() for p in [k, *v.phrases]}
    nouns = sorted(words.nouns, key=len, reverse=True)
    for phrase in sorted(candidates, key=len, reverse=True):
        for noun in nouns:
            joined = f"{phrase}{noun}" if keywords.is_cjk(noun) else f"{phrase} {noun}"
            for match in keywords.pattern(joined).finditer(found.text):
                name = resolve(job, phrase, words, settings)
                if name is None:
                    continue
                if name not in found.names:
                    found.names.append(name)
                found.text = _blank(found.text, *match.span())
    return found


def asks_for_new(text: str, words: RenditionWords) -> bool:
    """ "also a vertical TikTok version", "another cut for Reels", "再做一个抖音版"."""
    return any(re.search(regex, text, re.IGNORECASE) for regex in words.new)


def derived_name(caption: CaptionSettings, words: RenditionWords) -> str:
    """A version's name from its options: its platform, else its frame."""
    return caption.platform or words.by_aspect.get(caption.aspect, caption.aspect)


def said_name(text: str, words: RenditionWords) -> str | None:
    """The version name a sentence says ("for YouTube", "a TikTok version"), if any.

    The table lists platforms before plain frames: "vertical TikTok version" is `tiktok`.
    """
    return next(
        (
            name
            for name, known in words.names.items()
            if any(keywords.pattern(p).search(text) for p in [name, *known.phrases])
        ),
        None,
    )


def new_name(job: CaptionJob, text: str, caption: CaptionSettings, words: RenditionWords) -> str:
    """The name the user gave a new version ("TikTok"), else one from its options; never taken."""
    base = said_name(text, words) or derived_name(caption, words)
    name, n = base, 2
    while name in job.renditions:
        name, n = f"{base}-{n}", n + 1
    return name


def checked(job: CaptionJob, name: str | None) -> list[str] | None:
    """`--rendition NAME` (or `all`): the names, or a usage error listing the ones there are."""
    if name is None:
        return None
    name = name.lower()  # "TikTok" names the tiktok version, as it does in chat
    if name == "all":
        return list(job.renditions)
    if name not in job.renditions:
        raise SkillError("unknown_rendition", rendition=name, renditions=list(job.renditions))
    return [name]


def valid_name(name: str) -> str:
    """A name safe in a file name (`talk.<name>.mp4`): lower-case letters, digits, - and _."""
    name = name.lower()
    if not _NAME.fullmatch(name):
        raise SkillError("bad_rendition_name", rendition=name)
    return name
