"""What every translation provider receives and must give back."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ...settings.translation import ProviderName


@dataclass(frozen=True)
class Job:
    """One track to translate: a text, a (start, end) and a character budget per cue, in order.

    A cue's budget is what a viewer can read while it is on screen: two lines
    of the line limit, and no more than the reading speed allows.
    """

    texts: list[str]
    times: list[tuple[float, float]]
    source: str
    target: str
    audio: Path | None = None
    glossary: dict[str, str] = field(default_factory=dict)
    budgets: list[int] = field(default_factory=list)
    model: str | None = None
    # English names of the pair, for messages; the codes when unnamed.
    source_name: str = ""
    target_name: str = ""


class Provider(Protocol):
    """Returns exactly one translated text per input cue, in the same order."""

    name: ProviderName

    def supports(self, source: str, target: str, *, audio: Path | None) -> bool: ...

    def translate(self, job: Job) -> list[str]: ...


def names(job: Job) -> dict[str, str]:
    """The pair as error templates want it: codes and English names."""
    return {
        "source": job.source,
        "target": job.target,
        "source_name": job.source_name or job.source,
        "target_name": job.target_name or job.target,
    }
