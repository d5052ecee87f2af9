"""Every template renders from sample data and never shows a token or raw JSON."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from jinja2 import meta

from skill_runtime.cloud.draft import Draft, Segment, Track, summarize
from skill_runtime.messages import environment, redact, render, template_names

TOKEN = "nmv_usr_9f8e7d6c5b4a39281706"


class Sample:
    """Stands in for any value a template may ask for: text, number, list or object."""

    def __init__(self, text: str = "sample") -> None:
        self._text = text

    def __str__(self) -> str:
        return self._text

    def __getattr__(self, name: str) -> Sample:
        if name.startswith("__"):
            raise AttributeError(name)
        return Sample(self._text)

    def __getitem__(self, key: object) -> Sample:
        return Sample(self._text)

    def __call__(self, *args: object, **kwargs: object) -> Sample:
        return Sample(self._text)

    def __iter__(self) -> Any:
        return iter([Sample(self._text), Sample(self._text)])

    def __len__(self) -> int:
        return 2

    def __float__(self) -> float:
        return 12.5

    def __int__(self) -> int:
        return 3

    __index__ = __int__

    def __round__(self, ndigits: int | None = None) -> float:
        return 12.5

    def __lt__(self, other: object) -> bool:
        return False

    __gt__ = __le__ = __ge__ = __lt__

    def __add__(self, other: object) -> Any:
        return other if isinstance(other, str) else 12.5

    __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __add__

    def __format__(self, spec: str) -> str:
        return format(12.5, spec) if spec else self._text


def _variables(name: str) -> set[str]:
    """The template's free variables, and those of the templates it includes."""
    env = environment()
    source = env.loader.get_source(env, f"{name}.j2")[0]  # type: ignore[union-attr]
    tree = env.parse(source)
    found = set(meta.find_undeclared_variables(tree))
    for included in meta.find_referenced_templates(tree):
        if included:
            found |= _variables(included.removesuffix(".j2"))
    return found


def _context(name: str, text: str) -> dict[str, Any]:
    return {var: Sample(text) for var in _variables(name)}


@pytest.mark.parametrize("name", template_names())
def test_template_renders_plain_text(name: str) -> None:
    out = render(name, **_context(name, "sample"))
    assert "{{" not in out and "{%" not in out
    assert not any(_is_json(line) for line in out.splitlines())


def _is_json(line: str) -> bool:
    if not line.strip().startswith(("{", "[")):
        return False
    try:
        json.loads(line)
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("name", template_names())
def test_template_never_shows_a_token_even_if_given_one(name: str) -> None:
    out = render(name, **_context(name, TOKEN))
    assert TOKEN not in out
    assert not re.search(r"Bearer\s+\w", out)


def test_no_template_dumps_data_as_json() -> None:
    env = environment()
    for name in template_names():
        source = env.loader.get_source(env, f"{name}.j2")[0]  # type: ignore[union-attr]
        assert "tojson" not in source and "pprint" not in source, name


def test_redact_hides_secret_shapes() -> None:
    assert redact(f"token {TOKEN} and Bearer abc.def") == "token [hidden] and [hidden]"


def test_timeline_summary_has_the_seed_format() -> None:
    draft = Draft(
        t=[
            Track(tt=0, sg=[Segment(s=0, d=10_000, m={"name": "city timelapse"})]),
            Track(
                tt=1,
                m={"kind": "BGM", "volume": 0.35},
                sg=[Segment(s=0, d=10_000, m={"name": "Lo-fi"})],
            ),
            Track(tt=7, sg=[Segment(s=0, d=3_000, m={"text": "Urban Dreams"})]),
        ]
    )
    assert render("timeline", tracks=summarize(draft).tracks) == (
        "Timeline (3 tracks): 1. Video: city timelapse (0-10s) 2. BGM: Lo-fi (0-10s, 35%) "
        '3. Title: "Urban Dreams" (0-3s)'
    )


def test_timeline_counts_caption_cues() -> None:
    cues = [Segment(s=i * 2000, d=1500, m={"text": f"line {i}"}) for i in range(5)]
    draft = Draft(t=[Track(tt=7, m={"kind": "Captions (es)"}, sg=cues)])
    assert render("timeline", tracks=summarize(draft).tracks) == (
        "Timeline (1 track): 1. Captions (es): 5 cues (0-9.5s)"
    )


# A sentence end glued to the next sentence, as in `…(0-42s)Say "export"`.
_GLUED = re.compile(r"(?<=\S)[.!?)](?=[A-Z\"“])")
_PATH = re.compile(r"\S*/\S*")


@pytest.mark.parametrize("name", template_names())
def test_every_template_keeps_its_sentences_on_their_own_lines(name: str) -> None:
    out = render(name, **_context(name, "sample"))
    for line in out.splitlines():
        # Paths (the checkout's own, in an install hint) may hold ".T" anywhere.
        words = _PATH.sub("", line)
        assert not _GLUED.search(words), f"{name}: {line!r}"
