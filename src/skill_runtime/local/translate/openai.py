"""Any OpenAI-compatible chat endpoint (OpenAI, Ollama, LM Studio, vLLM, ...).

Used only when the user named it (OPENAI_BASE_URL, or AI_SUBTITLES_TRANSLATOR=
openai): an API key alone never sends a transcript anywhere. Plain http is
refused except to this machine, since the key would travel in clear.

Cues go out in numbered batches, each with its character budget and a few
neighbours on each side as context. The answer is asked for with a JSON
schema, falling back to a JSON object and then to plain text for endpoints
that reject `response_format`. An answer whose ids are not exactly the
batch's, in order, or whose text is far longer than its source, is rejected
and the batch asked again. The API key travels only in the Authorization
header: it is never logged, printed, put in a URL or included in an error.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import BaseModel, ValidationError

from ...environment import Environment
from ...errors import SkillError
from ...loopback import is_loopback
from ...messages import render
from ...settings.translation import ProviderName, TranslationSettings
from .base import Job, names

_RETRY_STATUS = {408, 409, 425, 429, 500, 502, 503, 504}
# Status codes with which endpoints refuse a `response_format` they do not know.
_FORMAT_REFUSED = {400, 422}
_FORMATS = ("json_schema", "json_object", "text")

_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "translations": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"id": {"type": "integer"}, "text": {"type": "string"}},
                "required": ["id", "text"],
                "additionalProperties": False,
            },
        }
    },
    "required": ["translations"],
    "additionalProperties": False,
}


class _Message(BaseModel):
    content: str | None = None


class _Choice(BaseModel):
    message: _Message


class ChatAnswer(BaseModel):
    """The part of a chat-completions response we read."""

    choices: list[_Choice]


class _Rejected(Exception):
    """An answer that cannot be used; the batch is asked again."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _json_value(content: str) -> Any:
    """The answer's JSON, so a code fence or a preamble around it does no harm."""
    text = content.strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    for opening, closing in (("{", "}"), ("[", "]")):
        start, end = text.find(opening), text.rfind(closing)
        if 0 <= start < end:
            try:
                return json.loads(text[start : end + 1])
            except ValueError:
                continue
    raise _Rejected("invalid", "no JSON in the answer")


def _items(value: Any) -> list[Any]:
    """The list of answers: under "translations", under "lines" (the request's own
    shape, mirrored), the only list in the object, or the value itself."""
    if isinstance(value, list):
        return value
    if isinstance(value, dict):
        for key in ("translations", "lines"):
            if isinstance(value.get(key), list):
                return list(value[key])
        lists = [v for v in value.values() if isinstance(v, list)]
        if len(lists) == 1:
            return list(lists[0])
    raise _Rejected("invalid", "no list of translations in the answer")


def _pairs(items: list[Any], ids: list[int]) -> list[tuple[int, str]]:
    """(id, text) per item; bare strings take the batch's ids when the count matches."""
    if all(isinstance(item, str) for item in items):
        if len(items) != len(ids):
            raise _Rejected("misaligned", f"asked for {len(ids)} lines, got {len(items)}")
        return list(zip(ids, items, strict=True))
    out: list[tuple[int, str]] = []
    for item in items:
        if not isinstance(item, dict):
            raise _Rejected("invalid", "an entry is not an object")
        text = item.get("text", item.get("translation"))
        try:
            out.append((int(item["id"]), str(text)))
        except (KeyError, TypeError, ValueError) as exc:
            raise _Rejected("invalid", "an entry has no id") from exc
        if not isinstance(text, str):
            raise _Rejected("invalid", "an entry has no text")
    return out


def too_long(text: str, source: str, settings: TranslationSettings) -> bool:
    """A runaway answer: far longer than its source (repetition, a model talking)."""
    return len(text) > settings.max_length_ratio * len(source) + settings.max_length_slack


def parse_answer(
    body: bytes,
    ids: list[int],
    settings: TranslationSettings,
    sources: list[str] | None = None,
) -> list[str]:
    """Translated texts for `ids`, or _Rejected when the answer breaks alignment."""
    try:
        content = ChatAnswer.model_validate_json(body).choices[0].message.content or ""
    except (ValidationError, IndexError) as exc:
        raise _Rejected("invalid", "not a chat completion") from exc
    lines = _pairs(_items(_json_value(content)), ids)
    got = [line_id for line_id, _ in lines]
    if got != ids:
        raise _Rejected("misaligned", f"asked for {len(ids)} lines, got {len(got)}")
    texts = [text.strip() for _, text in lines]
    if any(not text for text in texts):
        raise _Rejected("misaligned", "an empty line came back")
    for text, source in zip(texts, sources or [], strict=False):
        if too_long(text, source, settings):
            raise _Rejected("too_long", f"{len(text)} characters for {len(source)}")
    return texts


def retry_after(response: httpx.Response, cap: float) -> float | None:
    """Seconds the server asked us to wait (delta or HTTP date), at most `cap`."""
    raw = response.headers.get("retry-after", "").strip()
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        try:
            seconds = email.utils.parsedate_to_datetime(raw).timestamp() - time.time()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), cap)


def check_base_url(url: str) -> str:
    """https anywhere; plain http only to this machine (a key or a pack would travel in clear)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host and (parts.scheme == "https" or (parts.scheme == "http" and is_loopback(host))):
        return url
    shown = f"{parts.scheme}://{host}" if host else url[:80]
    raise SkillError("translator_insecure", url=shown)


class OpenAIProvider:
    name: ProviderName = "openai"

    def __init__(
        self,
        translation: TranslationSettings,
        env: Environment,
        model: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.translation = translation
        self.env = env
        settings = self.settings = translation.openai
        self.model = model or env.get(settings.model_env) or settings.model
        self.sleep = sleep
        self.format = 0

    @property
    def configured(self) -> bool:
        """Only an endpoint the user named, or the provider pinned by name."""
        pinned = self.env.get(self.translation.provider_env) == self.name
        return bool(self.env.get(self.settings.base_url_env)) or pinned

    def base_url(self) -> str:
        return self.env.get(self.settings.base_url_env) or self.settings.default_base_url

    @property
    def url(self) -> str:
        return check_base_url(self.base_url().rstrip("/")) + "/chat/completions"

    def supports(self, source: str, target: str, *, audio: Path | None) -> bool:
        return self.configured

    def _headers(self) -> dict[str, str]:
        key = self.env.get(self.settings.api_key_env)
        return {"Authorization": f"Bearer {key}"} if key else {}

    def _format(self) -> dict[str, Any] | None:
        kind = _FORMATS[self.format]
        if kind == "json_schema":
            schema = {"name": "translations", "strict": True, "schema": _SCHEMA}
            return {"type": "json_schema", "json_schema": schema}
        if kind == "json_object":
            return {"type": "json_object"}
        return None

    def _body(self, job: Job, start: int, end: int, texts: list[str] | None) -> dict[str, Any]:
        context = self.settings.context_cues
        pair = names(job)
        lines: list[dict[str, Any]] = []
        for i in range(start, end):
            line: dict[str, Any] = {"id": i + 1, "text": job.texts[i]}
            if job.budgets:
                line["max_chars"] = job.budgets[i]
            if texts is not None:
                line["translation"] = texts[i - start]
            lines.append(line)
        payload = {
            "context_before": job.texts[max(0, start - context) : start],
            "lines": lines,
            "context_after": job.texts[end : end + context],
        }
        template = "local/translate/system" if texts is None else "local/translate/shorten"
        body: dict[str, Any] = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": render(template, glossary=job.glossary, **pair)},
                {"role": "user", "content": json.dumps(payload, ensure_ascii=False)},
            ],
        }
        response_format = self._format()
        if response_format is not None:
            body["response_format"] = response_format
        return body

    def _batch(
        self, client: httpx.Client, job: Job, start: int, end: int, texts: list[str] | None = None
    ) -> list[str]:
        ids = list(range(start + 1, end + 1))
        sources = job.texts[start:end]
        reason, detail, attempt, wait = "unreachable", "", 0, 0.0
        while attempt < self.settings.attempts:
            attempt += 1
            if attempt > 1:
                self.sleep(wait or self.settings.backoff_s * (attempt - 1))
            wait = 0.0
            try:
                response = client.post(
                    self.url, json=self._body(job, start, end, texts), headers=self._headers()
                )
            except httpx.TimeoutException as exc:
                reason, detail = "timeout", type(exc).__name__
                continue
            except httpx.HTTPError as exc:
                reason, detail = "unreachable", type(exc).__name__
                continue
            if response.status_code in _FORMAT_REFUSED and self.format < len(_FORMATS) - 1:
                # The endpoint does not know this response_format: ask plainer, same attempt.
                self.format += 1
                attempt -= 1
                continue
            if response.status_code != 200:
                reason, detail = "http", f"HTTP {response.status_code}"
                if response.status_code in _RETRY_STATUS:
                    wait = retry_after(response, self.settings.retry_after_cap_s) or 0.0
                    continue
                break
            try:
                checked = None if texts else sources
                return parse_answer(response.content, ids, self.translation, checked)
            except _Rejected as rejected:
                reason, detail = rejected.reason, rejected.detail
        raise SkillError(
            "translation_timeout" if reason == "timeout" else "translation_failed",
            provider=self.name,
            reason=reason,
            detail=detail,
            attempts=attempt,
            **names(job),
        )

    def _batches(self, job: Job, texts: list[str] | None) -> list[str]:
        if not self.configured:
            raise SkillError("translation_unavailable", provider=self.name, **names(job))
        size, out = self.settings.batch_size, []
        with httpx.Client(timeout=self.settings.timeout_s, follow_redirects=False) as client:
            for a in range(0, len(job.texts), size):
                b = min(a + size, len(job.texts))
                out += self._batch(client, job, a, b, None if texts is None else texts[a:b])
        return out

    def translate(self, job: Job) -> list[str]:
        return self._batches(job, None)

    def shorten(self, job: Job, texts: list[str]) -> list[str]:
        """Each translation asked again, condensed to its line's budget; same count and order."""
        return self._batches(job, texts)
