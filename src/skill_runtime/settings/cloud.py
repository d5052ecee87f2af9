"""The typed `cloud:` section of skill.yaml: NemoVideo's address, endpoints and timings."""

from __future__ import annotations

from .base import Strict


class Endpoints(Strict):
    anonymous_token: str
    session: str
    chat: str
    upload: str
    credits: str
    state: str
    render: str
    render_poll: str
    render_cancel: str
    claim: str


class CaptionInstruction(Strict):
    """How each `caption` option is worded in the instruction sent to NemoVideo."""

    captions: str
    burn: str
    soft: str
    aspect: dict[str, str]
    fit: dict[str, str]
    style: dict[str, str]
    platform: dict[str, str]


class ReplyLimits(Strict):
    """How much a server's answer may hold: a broken or hostile server cannot exhaust memory
    (an endless stream line) or the stack (JSON nested without end)."""

    sse_line_bytes: int = 4 << 20
    sse_event_bytes: int = 8 << 20
    json_bytes: int = 16 << 20
    json_depth: int = 64


class CloudSettings(Strict):
    base_url: str
    app_name: str
    task_name: str
    poll_interval_s: float
    retry_after_s: float
    still_working_every_s: float
    stream_timeout_s: float
    render_timeout_s: float
    token_renew_margin_s: float
    read_timeout_s: float = 120.0
    retry_after_max_s: float = 120.0
    max_reply_chars: int = 20000
    reply_limits: ReplyLimits = ReplyLimits()
    endpoints: Endpoints
    claim_url: str
    register_url: str
    caption_instruction: CaptionInstruction
