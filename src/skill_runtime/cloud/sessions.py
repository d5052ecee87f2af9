"""The cloud session we keep between runs, so iterative edits stay in one timeline.

It also carries the ids of renders we submitted and have not yet downloaded:
the seed warns that a client which stops polling orphans its job, so the id
is written down before the first poll and removed only once the file is ours.
"""

from __future__ import annotations

from contextlib import AbstractContextManager

from pydantic import BaseModel, Field

from ..store import Store
from .models import UploadedFile

STORE_NAME = "cloud_session"


class PendingRender(BaseModel):
    id: str
    submitted_at: float
    draft_hash: str


class SessionRecord(BaseModel):
    session_id: str
    task_id: str
    user_id: str | None = None
    language: str
    identity: str
    uploads: list[UploadedFile] = Field(default_factory=list)
    pending_renders: list[PendingRender] = Field(default_factory=list)
    # Render ids are per second; two exports within one second must not share one.
    last_render_at: int = 0


class Sessions:
    def __init__(self, store: Store) -> None:
        self.store = store

    def load(self) -> SessionRecord | None:
        return self.store.load(STORE_NAME, SessionRecord)

    def save(self, record: SessionRecord) -> None:
        self.store.save(STORE_NAME, record)

    def locked(self) -> AbstractContextManager[None]:
        return self.store.locked(STORE_NAME)

    def forget(self) -> None:
        self.store.delete(STORE_NAME)
