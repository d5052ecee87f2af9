"""What an edit did, when the agent applied it without a word.

About 30 % of edits stream no text at all. Comparing the timeline before and
after is the only way to tell the user what happened.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from ..track_summary import TrackSummary

ChangeKind = Literal["added", "removed", "changed"]


class Change(BaseModel):
    kind: ChangeKind
    track: TrackSummary


def _key(track: TrackSummary) -> tuple[str, str]:
    return track.label, track.name


def _body(track: TrackSummary) -> dict[str, object]:
    return track.model_dump(exclude={"index"})


def describe_changes(before: list[TrackSummary], after: list[TrackSummary]) -> list[Change]:
    old = {_key(t): t for t in before}
    new = {_key(t): t for t in after}
    changes = [Change(kind="added", track=t) for t in after if _key(t) not in old]
    changes += [
        Change(kind="changed", track=t)
        for t in after
        if _key(t) in old and _body(old[_key(t)]) != _body(t)
    ]
    changes += [Change(kind="removed", track=t) for t in before if _key(t) not in new]
    return changes
