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

    sse_line_bytes: int
    sse_event_bytes: int
    json_bytes: int
    json_depth: int


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
    read_timeout_s: float
    retry_after_max_s: float
    max_reply_chars: int
    reply_limits: ReplyLimits
    endpoints: Endpoints
    claim_url: str
    register_url: str
    caption_instruction: CaptionInstruction
