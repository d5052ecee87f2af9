"""The emulator's memory and its switches.

Tests flip switches here (inject an error code on an endpoint, choose the SSE
style, slow renders down) and read back what the client sent.
"""

from __future__ import annotations

import random
import secrets
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Literal

Endpoint = Literal[
    "token", "session", "chat", "upload", "credits", "state", "render", "poll", "cancel",
    "claim", "download",
]  # fmt: skip


@dataclass
class Fault:
    """One injected failure: an API code, an HTTP status, or a dropped connection."""

    code: int | None = None
    http: int | None = None
    drop: bool = False
    in_stream: bool = False
    message: str = "injected"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Job:
    id: str
    session_id: str
    draft: dict[str, Any]
    polls: int = 0
    status: str = "queued"
    fail: bool = False


@dataclass
class EmulatorState:
    seed: int = 7
    envelope: Literal["code", "success"] = "code"
    sse_style: Literal["adk", "flat"] = "adk"
    no_text_rate: float = 0.3
    polls_to_complete: int = 3
    poll_shape: Literal[1, 2, 3, "cycle"] = "cycle"
    event_delay_s: float = 0.0
    heartbeats: int = 2
    heartbeat_every_s: float = 0.0
    bench_events: int = 0
    video_bytes: int = 64 * 1024
    max_upload_bytes: int = 500 * 1024 * 1024
    token_ttl_s: float = 7 * 24 * 3600
    require_attribution: bool = True
    render_fails: bool = False
    # Misbehaviour switches: a download link that answers 302 to another host
    # (a signed CDN), one that answers an empty 200, requests that hang for a
    # while (path part -> seconds), and one oversized text event in the chat.
    download_redirect: bool = False
    download_empty: bool = False
    hang: dict[str, float] = field(default_factory=dict)
    big_event_chars: int = 0
    # Hostile switches: the chat sends one line of this many bytes with no end (0: off),
    # or one event of this many 1 kB data lines; JSON answers nest this deep; the finished
    # render's link is replaced, or the download redirects, to this address.
    endless_line_bytes: int = 0
    event_data_lines: int = 0
    deep_json: int = 0
    download_link: str | None = None
    download_redirect_to: str | None = None
    faults: dict[str, list[Fault]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    sessions: dict[str, dict[str, Any]] = field(default_factory=dict)
    jobs: dict[str, Job] = field(default_factory=dict)
    requests: list[dict[str, Any]] = field(default_factory=list)
    uploaded_bytes: int = 0
    credits: dict[str, float] = field(default_factory=lambda: {"available": 100.0, "frozen": 0.0})
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def inject(self, endpoint: Endpoint, fault: Fault, times: int = 1) -> None:
        with self.lock:
            self.faults.setdefault(endpoint, []).extend([fault] * times)

    def take_fault(self, endpoint: str) -> Fault | None:
        with self.lock:
            queue = self.faults.get(endpoint) or []
            return queue.pop(0) if queue else None

    def issue_token(self, client_id: str) -> dict[str, Any]:
        token = f"nmv_usr_{secrets.token_hex(12)}"
        user = f"anon_{client_id[:8]}"
        record = {
            "user_id": user,
            "expires": time.time() + self.token_ttl_s,
            "client_id": client_id,
        }
        with self.lock:
            self.tokens[token] = record
        return {"token": token, **record}

    def revoke_all_tokens(self) -> None:
        with self.lock:
            self.tokens.clear()

    def user_for(self, authorization: str | None) -> str | None:
        if not authorization or not authorization.startswith("Bearer "):
            return None
        record = self.tokens.get(authorization.removeprefix("Bearer ").strip())
        if record is None or record["expires"] < time.time():
            return None
        return str(record["user_id"])

    def drop_sessions(self) -> None:
        with self.lock:
            self.sessions.clear()

    def calls(self, path_part: str) -> list[dict[str, Any]]:
        return [r for r in self.requests if path_part in r["path"]]
