"""One chat turn with NemoVideo's agent, and what it changed on the timeline.

The reply streams over SSE. GUI wording ("click Export") is taken out of it
and kept as follow-up actions for the runtime to do itself. A reply with no
words at all still did something: the edit is read off the timeline instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..gui_phrases import translate_gui
from ..progress import Progress
from ..settings.skill import Action, SkillConfig
from .connection import Connection
from .draft import Draft
from .sessions import SessionRecord
from .sse import stream_chat
from .timeline import read_draft


@dataclass(frozen=True)
class ChatReply:
    text: str
    follow_ups: list[Action]
    before: Draft
    # The timeline after a silent edit (a reply without words); None when the reply speaks.
    after: Draft | None


def converse(conn: Connection, text: str, config: SkillConfig, progress: Progress) -> ChatReply:
    before = read_draft(conn)
    settings = conn.settings

    def talk(token: str, session: SessionRecord) -> str:
        body = {
            "app_name": settings.app_name,
            "user_id": session.user_id or conn.auth.record.user_id or "me",
            "session_id": session.session_id,
            "new_message": {"role": "user", "parts": [{"text": text}]},
        }
        outcome = stream_chat(
            conn.client,
            settings.endpoints.chat,
            token,
            body,
            progress,
            settings.still_working_every_s,
            settings.stream_timeout_s,
            settings.max_reply_chars,
        )
        return outcome.text

    reply = conn.run(talk)
    if not reply:
        return ChatReply("", [], before, read_draft(conn))
    translated = translate_gui(reply, config)
    return ChatReply(translated.text, list(translated.follow_ups), before, None)
