"""The session's timeline (the draft) as the server holds it."""

from __future__ import annotations

from .client import parse
from .connection import Connection
from .draft import Draft
from .models import SessionState
from .sessions import SessionRecord


def read_draft(conn: Connection) -> Draft:
    """The current draft; a session with nothing on it yet has an empty one."""

    def read(token: str, session: SessionRecord) -> SessionState:
        path = conn.settings.endpoints.state.format(session_id=session.session_id)
        answer: SessionState = parse(SessionState, conn.client.call("GET", path, token=token))
        return answer

    return conn.run(read).state.draft or Draft()
