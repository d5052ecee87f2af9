"""Every answer the API gives, as models, so a changed field fails loudly in one place.

NemoVideo's published documents disagree on several shapes (two envelopes,
three render-poll forms, two SSE styles); each model here accepts every
variant the reference lists and normalises it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, field_validator

from .draft import Draft


class Loose(BaseModel):
    """Servers add fields over time; unknown ones are kept, never fatal."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


class CodeEnvelope(Loose):
    code: int
    message: str | None = None
    data: Any = None


class SuccessEnvelope(Loose):
    success: bool
    data: Any = None
    error: Any = None
    code: int | None = None


class AnonymousToken(Loose):
    token: str
    user_id: str | None = None
    expires_at: datetime | None = None
    credits: float | None = None


class SessionInfo(Loose):
    task_id: str
    session_id: str
    user_id: str | None = None

    @field_validator("task_id", "session_id", "user_id", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        # session ids are long digit strings; some servers send them as numbers.
        return str(value) if isinstance(value, int) else value


class UploadedFile(Loose):
    filename: str
    file_type: str | None = None
    cdn_url: str | None = None
    duration: float | None = None
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    hash: str | None = None


class UploadAnswer(Loose):
    files: list[UploadedFile] = Field(default_factory=list)
    session_state_applied: bool | None = None


class Credits(Loose):
    available: float
    frozen: float = 0
    total: float | None = None

    @property
    def grand_total(self) -> float:
        return self.total if self.total is not None else self.available + self.frozen


class StateBody(Loose):
    video_infos: Any = None
    draft: Draft | None = None
    canvas_config: Any = None
    video_analyses: Any = None
    generated_media: Any = None

    @field_validator("draft", mode="before")
    @classmethod
    def _empty_draft(cls, value: Any) -> Any:
        return None if value in ({}, "", []) else value


class SessionState(Loose):
    session_id: str | None = None
    task_id: str | None = None
    task_name: str | None = None
    state: StateBody = Field(default_factory=StateBody)

    @field_validator("session_id", "task_id", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) else value


class ClaimToken(Loose):
    claim_token: str
    expires_in: int | None = None


class RenderOutput(Loose):
    url: str | None = None
    duration: float | None = None
    size: int | None = None


class RenderPoll(Loose):
    """One poll answer in any of the three published shapes, flattened."""

    status: str = "queued"
    progress: float | None = None
    output: RenderOutput | None = None
    output_url: str | None = Field(None, validation_alias=AliasChoices("outputUrl", "output_url"))
    task_id: str | None = Field(None, validation_alias=AliasChoices("taskId", "task_id", "id"))
    error: Any = None

    @field_validator("status", mode="before")
    @classmethod
    def _lower(cls, value: Any) -> Any:
        return value.lower() if isinstance(value, str) else value

    @property
    def url(self) -> str | None:
        return (self.output.url if self.output else None) or self.output_url

    @property
    def size(self) -> int | None:
        return self.output.size if self.output else None

    @property
    def percent(self) -> float:
        return max(0.0, min(100.0, float(self.progress or 0)))


# Server-sent events.


class FunctionCall(Loose):
    id: str | None = None
    name: str | None = None
    args: Any = None


class FunctionResponse(Loose):
    id: str | None = None
    name: str | None = None
    response: Any = None


class Part(Loose):
    text: str | None = None
    thought: bool | None = None
    function_call: FunctionCall | None = Field(
        None, validation_alias=AliasChoices("functionCall", "function_call")
    )
    function_response: FunctionResponse | None = Field(
        None, validation_alias=AliasChoices("functionResponse", "function_response")
    )


class Content(Loose):
    role: str | None = None
    parts: list[Part] = Field(default_factory=list)


class AdkEvent(Loose):
    """Google ADK's event shape, which `/run_sse` follows."""

    content: Content | None = None
    author: str | None = None
    id: str | None = None
    invocation_id: str | None = Field(
        None, validation_alias=AliasChoices("invocationId", "invocation_id")
    )
    timestamp: float | None = None
    partial: bool | None = None
    turn_complete: bool | None = Field(
        None, validation_alias=AliasChoices("turnComplete", "turn_complete")
    )
    error_code: str | int | None = Field(
        None, validation_alias=AliasChoices("errorCode", "error_code")
    )
    error_message: str | None = Field(
        None, validation_alias=AliasChoices("errorMessage", "error_message")
    )


class FlatEvent(Loose):
    """The older NemoVideo form: one `type` per event."""

    type: Literal["text", "tool_call", "tool_result", "heartbeat", "error", "done"]
    content: Any = None
    name: str | None = None
    args: Any = None
    partial: bool | None = None
    message: str | None = None


class ErrorEvent(Loose):
    error: Any
    code: int | None = None
