"""Any OpenAI-compatible chat endpoint (OpenAI, Ollama, LM Studio, vLLM, ...).

Cues go out in numbered batches with a few neighbours on each side as context;
an answer whose ids are not exactly the batch's, in order, is rejected and the
batch asked again. The API key travels only in the Authorization header: it
is never logged, printed, put in a URL or included in an error.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import httpx
from pydantic import BaseModel, ValidationError

from ...errors import SkillError
from ...messages import render
from .base import Job, names
from .settings import OpenAISettings, ProviderName

_RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}


class _Message(BaseModel):
    content: str | None = None


class _Choice(BaseModel):
    message: _Message


class ChatAnswer(BaseModel):
    """The part of a chat-completions response we read."""

    choices: list[_Choice]


class Line(BaseModel):
    id: int
    text: str


class Translations(BaseModel):
    """What the model is told to answer with."""

    translations: list[Line]


class _Rejected(Exception):
    """An answer that cannot be used; the batch is asked again."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _json_object(content: str) -> str:
    """The outermost {...} of an answer, so a code fence or a preamble does no harm."""
    start, end = content.find("{"), content.rfind("}")
    if start < 0 or end < start:
        raise _Rejected("invalid", "no JSON object in the answer")
    return content[start : end + 1]


def parse_answer(body: bytes, ids: list[int]) -> list[str]:
    """Translated texts for `ids`, or _Rejected when the answer breaks alignment."""
    try:
        content = ChatAnswer.model_validate_json(body).choices[0].message.content or ""
        lines = Translations.model_validate_json(_json_object(content)).translations
    except (ValidationError, IndexError) as exc:
        raise _Rejected("invalid", "not the expected JSON") from exc
    got = [line.id for line in lines]
    if got != ids:
        raise _Rejected("misaligned", f"asked for {len(ids)} lines, got {len(got)}")
    if any(not line.text.strip() for line in lines):
        raise _Rejected("misaligned", "an empty line came back")
    return [line.text.strip() for line in lines]


class OpenAIProvider:
    name: ProviderName = "openai"

    def __init__(self, settings: OpenAISettings, model: str | None = None) -> None:
        self.settings = settings
        self.model = model or os.environ.get(settings.model_env) or settings.model

    @property
    def configured(self) -> bool:
        env = self.settings
        return bool(os.environ.get(env.base_url_env) or os.environ.get(env.api_key_env))

    @property
    def url(self) -> str:
        base = os.environ.get(self.settings.base_url_env) or self.settings.default_base_url
        return base.rstrip("/") + "/chat/completions"

    def supports(self, source: str, target: str, *, audio: Path | None) -> bool:
        return self.configured

    def _headers(self) -> dict[str, str]:
        key = os.environ.get(self.settings.api_key_env)
        return {"Authorization": f"Bearer {key}"} if key else {}

    def _body(self, job: Job, start: int, end: int) -> dict[str, object]:
        context = self.settings.context_cues
        pair = names(job)
        payload = {
            "context_before": job.texts[max(0, start - context) : start],
            "lines": [{"id": i + 1, "text": job.texts[i]} for i in range(start, end)],
            "context_after": job.texts[end : end + context],
        }
        return {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {
                    "role": "system",
                    "content": render("local/translate/system", glossary=job.glossary, **pair),
                },
                {"role": "user", "content": json.dumps(payload, ensure_ascii=False)},
            ],
        }

    def _batch(self, client: httpx.Client, job: Job, start: int, end: int) -> list[str]:
        ids = list(range(start + 1, end + 1))
        body = self._body(job, start, end)
        reason, detail = "unreachable", ""
        for attempt in range(1, self.settings.attempts + 1):
            if attempt > 1:
                time.sleep(self.settings.backoff_s * (attempt - 1))
            try:
                response = client.post(self.url, json=body, headers=self._headers())
            except httpx.HTTPError as exc:
                reason, detail = "unreachable", type(exc).__name__
                continue
            if response.status_code != 200:
                reason, detail = "http", f"HTTP {response.status_code}"
                if response.status_code in _RETRY_STATUS:
                    continue
                break
            try:
                return parse_answer(response.content, ids)
            except _Rejected as rejected:
                reason, detail = rejected.reason, rejected.detail
        raise SkillError(
            "translation_failed",
            provider=self.name,
            reason=reason,
            detail=detail,
            attempts=attempt,
            **names(job),
        )

    def translate(self, job: Job) -> list[str]:
        if not self.configured:
            raise SkillError("translation_unavailable", provider=self.name, **names(job))
        size = self.settings.batch_size
        out: list[str] = []
        with httpx.Client(timeout=self.settings.timeout_s) as client:
            for start in range(0, len(job.texts), size):
                out += self._batch(client, job, start, min(start + size, len(job.texts)))
        return out
