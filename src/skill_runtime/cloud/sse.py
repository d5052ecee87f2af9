"""The chat stream: `/run_sse` in either event style, reduced to the reply text.

Only text reaches the user. Thoughts, tool calls and tool results are the
agent's working and are consumed here; heartbeats, empty data and comments
only prove the server is alive. Streams can run for 15 minutes, so a
watchdog says "still working" every two minutes and ends the wait at the
limit; that needs cancellation a blocking read cannot offer, hence asyncio.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from httpx_sse import aconnect_sse
from pydantic import ValidationError

from ..errors import SkillError, error_code
from ..messages import render
from ..progress import Heartbeat, Progress
from ..settings.cloud import ReplyLimits
from .client import ApiClient, ApiFailure, load_json, network_error, short, too_large, unwrap
from .models import AdkEvent, ErrorEvent, FlatEvent

WATCHDOG_TICK_S = 1.0
_LINE_END = re.compile(rb"\r\n|\r|\n")


async def event_data(response: httpx.Response, limits: ReplyLimits) -> AsyncIterator[str]:
    """Each event's data, per the SSE rules, with no line or event held past the limits.

    httpx-sse buffers a line until its end arrives, so one endless line from a
    broken server grows without bound; this reader refuses it at the cap.
    """
    pending = b""
    data: list[str] = []
    size = 0
    async for chunk in response.aiter_bytes():
        pending += chunk
        # A trailing CR may be the first half of a CRLF: it waits for the next chunk.
        cut = len(pending) - 1 if pending.endswith(b"\r") else len(pending)
        start = 0
        for end in _LINE_END.finditer(pending, 0, cut):
            line = pending[start : end.start()].decode("utf-8", "replace")
            start = end.end()
            if not line:
                if data:
                    yield "\n".join(data)
                data, size = [], 0
                continue
            name, _, value = line.partition(":")
            if name == "data":
                data.append(value.removeprefix(" "))
                size += len(value)
                if size > limits.sse_event_bytes:
                    raise too_large("a chat event", limits.sse_event_bytes)
        pending = pending[start:]
        if len(pending) > limits.sse_line_bytes:
            raise too_large("a chat stream line", limits.sse_line_bytes)


async def _read_capped(response: httpx.Response, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise too_large("an answer", limit)
        chunks.append(chunk)
    return b"".join(chunks)


@dataclass
class TextAssembler:
    """Joins streamed text, whether it arrives as deltas, snapshots or repeats.

    ADK sends partial deltas followed by one aggregated final event; the older
    form may resend what it already sent. Both must read as one clean reply.
    """

    messages: list[str] = field(default_factory=list)
    pending: str = ""

    def delta(self, chunk: str) -> None:
        if self.pending and chunk.startswith(self.pending):
            self.pending = chunk
        elif chunk and not (self.pending == "" and self.messages and chunk == self.messages[-1]):
            self.pending += chunk

    def final(self, text: str) -> None:
        self.pending = ""
        if text and text not in self.messages:
            self.messages.append(text)

    def text(self) -> str:
        parts = [*self.messages, self.pending] if self.pending else self.messages
        return "\n\n".join(p.strip() for p in parts if p.strip())


@dataclass
class ChatOutcome:
    text: str
    tool_calls: list[str]
    events: int
    keepalives: int


@dataclass
class _Reader:
    config_errors: Callable[[int], str | None]
    limits: ReplyLimits
    assembler: TextAssembler = field(default_factory=TextAssembler)
    tool_calls: list[str] = field(default_factory=list)
    seen_ids: set[str] = field(default_factory=set)
    events: int = 0
    keepalives: int = 0

    def feed(self, data: str) -> bool:
        """Take one event's data; True when it carried something other than a keep-alive."""
        self.events += 1
        if not data.strip():
            self.keepalives += 1
            return False
        try:
            payload = load_json(data, self.limits)
        except ValueError:
            # A bare text line is still text the server meant for the user.
            self.assembler.delta(data)
            return True
        if not isinstance(payload, dict):
            self.keepalives += 1
            return False
        if "error" in payload and "content" not in payload and "type" not in payload:
            self._error(ErrorEvent.model_validate(payload))
        if "type" in payload:
            return self._flat(payload)
        return self._adk(payload)

    def _error(self, event: ErrorEvent) -> None:
        err = event.error
        code = event.code
        message = err
        if isinstance(err, dict):
            code = err.get("code", code)
            message = err.get("message", err)
        self._raise(code, message)

    def _raise(self, code: object, message: object) -> None:
        api_code = int(code) if isinstance(code, int | str) and str(code).isdigit() else None
        ours = error_code(self.config_errors(api_code)) if api_code is not None else None
        if ours is not None:
            raise ApiFailure(ours, api_code=api_code)
        raise ApiFailure(
            "server_error", api_code=api_code, detail=short(message or code or "error")
        )

    def _flat(self, payload: dict[str, Any]) -> bool:
        try:
            event = FlatEvent.model_validate(payload)
        except ValidationError:
            self.keepalives += 1
            return False
        if event.type == "heartbeat":
            self.keepalives += 1
            return False
        if event.type == "text" and isinstance(event.content, str):
            if event.partial is False:
                self.assembler.final(event.content)
            else:
                self.assembler.delta(event.content)
        elif event.type == "tool_call":
            self.tool_calls.append(event.name or "tool")
        elif event.type == "error":
            self._raise(payload.get("code"), event.message or event.content)
        return True

    def _adk(self, payload: dict[str, Any]) -> bool:
        try:
            event = AdkEvent.model_validate(payload)
        except ValidationError:
            self.keepalives += 1
            return False
        if event.error_code is not None or event.error_message:
            self._raise(event.error_code, event.error_message)
        if event.content is None or not event.content.parts:
            self.keepalives += 1
            return False
        if event.id and not event.partial:
            if event.id in self.seen_ids:
                return True
            self.seen_ids.add(event.id)
        if event.content.role not in (None, "model", "assistant", "agent"):
            return True
        texts: list[str] = []
        for part in event.content.parts:
            if part.function_call is not None:
                self.tool_calls.append(part.function_call.name or "tool")
            elif part.thought or part.function_response is not None:
                continue
            elif part.text:
                texts.append(part.text)
        if texts:
            joined = "".join(texts)
            if event.partial:
                self.assembler.delta(joined)
            else:
                self.assembler.final(joined)
        return True


async def _stream(
    client: ApiClient,
    path: str,
    token: str,
    body: dict[str, Any],
    reader: _Reader,
    heartbeat: Heartbeat,
) -> None:
    headers = client.auth_headers(token, {"Accept": "text/event-stream"})
    async with client.async_client() as http:
        for attempt in range(2):
            async with aconnect_sse(http, "POST", path, json=body, headers=headers) as source:
                response = source.response
                if response.status_code == 429 and attempt == 0:
                    await asyncio.sleep(client.wait_for_retry(response))
                    continue
                kind = response.headers.get("content-type", "")
                if response.status_code != 200 or "text/event-stream" not in kind:
                    answer = await _read_capped(response, reader.limits.json_bytes)
                    unwrap(response, client.config, answer)
                    raise ApiFailure("server_error", detail="the chat did not answer as a stream")
                async for data in event_data(response, reader.limits):
                    if reader.feed(data):
                        heartbeat.heard()
                return


def stream_chat(
    client: ApiClient,
    path: str,
    token: str,
    body: dict[str, Any],
    progress: Progress,
    still_working_every_s: float,
    timeout_s: float,
    max_reply_chars: int = 20000,
) -> ChatOutcome:
    reader = _Reader(client.config.error_for_api_code, client.config.cloud.reply_limits)
    heartbeat = Heartbeat(progress, still_working_every_s)

    async def watchdog() -> None:
        while True:
            await asyncio.sleep(min(WATCHDOG_TICK_S, still_working_every_s))
            heartbeat.tick()

    async def main() -> None:
        dog = asyncio.ensure_future(watchdog())
        try:
            await asyncio.wait_for(_stream(client, path, token, body, reader, heartbeat), timeout_s)
        finally:
            dog.cancel()

    try:
        asyncio.run(main())
    except asyncio.TimeoutError as exc:
        raise SkillError("stream_timeout", minutes=_minutes(timeout_s)) from exc
    except httpx.HTTPError as exc:
        raise network_error(exc, client.host, client.read_timeout_s) from exc
    return ChatOutcome(
        text=cut(reader.assembler.text(), max_reply_chars),
        tool_calls=reader.tool_calls,
        events=reader.events,
        keepalives=reader.keepalives,
    )


def cut(text: str, limit: int) -> str:
    """At most `limit` characters of reply, ending with a note when something was left out."""
    if len(text) <= limit:
        return text
    return text[:limit].rstrip() + "\n\n" + render("cloud/reply_cut", limit=limit)


def _minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f}".rstrip("0").rstrip(".")
