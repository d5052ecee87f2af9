"""One place that turns HTTP into data or a SkillError.

Every request carries the attribution headers (export fails with 402 without
them). Both envelopes are unwrapped here and a non-zero `code` wins over the
HTTP status, as the reference says. A 429 is waited out once; network faults
become the `network` error so callers never see an httpx exception.
"""

from __future__ import annotations

import contextlib
import email.utils
import ipaddress
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from ..errors import ErrorCode, SkillError, error_code
from ..messages import redact
from ..settings.cloud import ReplyLimits
from ..settings.skill import SkillConfig
from .models import CodeEnvelope, SuccessEnvelope
from .settings import check_url

BodyFactory = Callable[[], Iterable[bytes]]

CONNECT_TIMEOUT_S = 15.0
READ_TIMEOUT_S = 120.0
_MAX_REDIRECTS = 5
_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_JSON_BRACKET = re.compile(r"[\[\]{}]")


class ApiFailure(SkillError):
    """A SkillError that remembers what the server said, so callers can recover."""

    def __init__(
        self,
        code: ErrorCode,
        *,
        api_code: int | None = None,
        http_status: int | None = None,
        **context: Any,
    ) -> None:
        super().__init__(code, **context)
        self.api_code = api_code
        self.http_status = http_status


def short(text: object) -> str:
    """A server's own words, trimmed and cleaned of anything secret-shaped."""
    return redact(" ".join(str(text).split()))[:200]


def network_error(exc: httpx.HTTPError, host: str, read_timeout_s: float = 0) -> SkillError:
    """A fault on the wire; a server that stops answering is a timeout (exit 7), not a drop."""
    if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout):
        return SkillError("network", reason="connect", host=host)
    if isinstance(exc, httpx.TimeoutException):
        return SkillError("server_timeout", host=host, seconds=f"{read_timeout_s:g}")
    return SkillError("network", reason="dropped", host=host)


def retry_after(response: httpx.Response, default: float) -> float:
    """Seconds the server asked us to wait (Retry-After: seconds or an HTTP date)."""
    raw = response.headers.get("retry-after", "").strip()
    if not raw:
        return default
    if raw.isdigit():
        return float(raw)
    try:
        when = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return default
    if when.tzinfo is None:
        return default
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _failure_for_code(config: SkillConfig, api_code: int, message: object, http: int) -> ApiFailure:
    ours = error_code(config.error_for_api_code(api_code))
    if ours is None:
        return ApiFailure(
            "server_error", api_code=api_code, http_status=http, detail=short(message or api_code)
        )
    context: dict[str, Any] = {}
    if ours == "unsupported_type":
        context = {"path": "", "ext": "", "supported": config.formats.all}
    elif ours == "file_too_large":
        context = {"path": "", "limit_mb": config.limits.max_upload_mb}
    return ApiFailure(ours, api_code=api_code, http_status=http, **context)


def too_large(what: str, limit: int) -> ApiFailure:
    """An answer past `cloud.reply_limits`: the server's fault (exit 6)."""
    shown = f"{limit:,} bytes" if what != "JSON nested" else f"{limit} levels deep"
    return ApiFailure("reply_too_large", what=what, limit=shown)


def read_capped(response: httpx.Response, limit: int) -> bytes:
    """The body of a streamed response, refused past `limit` bytes instead of held whole."""
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limit:
            response.close()
            raise too_large("an answer", limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_deep(text: str, limit: int) -> bool:
    """Whether JSON `text` nests arrays/objects deeper than `limit` (strings are skipped)."""
    depth = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub("", text)):
        if bracket.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def load_json(raw: str | bytes, limits: ReplyLimits) -> Any:
    """JSON within the size and depth limits; ValueError when it is not JSON at all.

    The depth is checked before parsing: the parser would otherwise recurse
    once per level and end in a RecursionError on a hostile answer.
    """
    if len(raw) > limits.json_bytes:
        raise too_large("an answer", limits.json_bytes)
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    if _too_deep(text, limits.json_depth):
        raise too_large("JSON nested", limits.json_depth)
    return json.loads(text)


def unwrap(response: httpx.Response, config: SkillConfig, body: bytes | None = None) -> Any:
    """The payload's data, or the error the envelope or status describes.

    `body` is the answer read within the limits; without it the response must
    have been read already.
    """
    status = response.status_code
    try:
        payload: Any = load_json(
            response.content if body is None else body, config.cloud.reply_limits
        )
    except ValueError:
        payload = None

    if isinstance(payload, dict) and isinstance(payload.get("code"), int):
        envelope = CodeEnvelope.model_validate(payload)
        if envelope.code != 0:
            raise _failure_for_code(config, envelope.code, envelope.message, status)
        if status < 400:
            return envelope.data
    if isinstance(payload, dict) and isinstance(payload.get("success"), bool):
        success = SuccessEnvelope.model_validate(payload)
        if not success.success:
            err = success.error
            code = err.get("code") if isinstance(err, dict) else success.code
            message = err.get("message") if isinstance(err, dict) else err
            if isinstance(code, int) and code != 0:
                raise _failure_for_code(config, code, message, status)
            if status < 400:
                raise ApiFailure(
                    "server_error", http_status=status, detail=short(message or "failed")
                )
        elif status < 400:
            return success.data

    if status == 429:
        raise ApiFailure("rate_limited", http_status=status)
    if status == 402:
        raise ApiFailure("plan_limit", http_status=status)
    if status == 400:
        raise ApiFailure("client_id_missing", http_status=status)
    if status >= 400:
        raise ApiFailure("server_error", http_status=status, detail=f"HTTP {status}")
    if payload is None:
        raise ApiFailure("server_error", http_status=status, detail="the answer was not JSON")
    return payload


def parse(model: Any, data: Any) -> Any:
    """Validate an answer; a shape the reference does not describe is a server error."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise ApiFailure(
            "server_error", detail=f"unexpected answer ({exc.error_count()} problems)"
        ) from exc


def _check_link(url: str) -> None:
    """A download link comes from the server: one this tool will not open (not https, a
    link-local address such as a cloud metadata service) is the server's fault, never the
    user's NEMO_API_BASE."""
    try:
        check_url(url)
        refused = _link_local(urlsplit(url).hostname or "")
    except SkillError:
        refused = True
    if refused:
        raise ApiFailure("download_refused", url=short(url)[:80])


def _link_local(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_link_local
    except ValueError:
        return False


class ApiClient:
    def __init__(
        self,
        config: SkillConfig,
        base_url: str,
        headers: dict[str, str],
        retry_after_s: float,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
        *,
        read_timeout_s: float = READ_TIMEOUT_S,
        retry_after_max_s: float = 120.0,
    ) -> None:
        self.config = config
        self.base_url = base_url
        self.host = urlsplit(base_url).netloc
        self.headers = headers
        self.retry_after_s = retry_after_s
        self.sleep = sleep
        self.read_timeout_s = read_timeout_s
        self.retry_after_max_s = retry_after_max_s
        self.timeout = httpx.Timeout(read_timeout_s, connect=CONNECT_TIMEOUT_S)
        self.http = httpx.Client(
            base_url=base_url,
            headers=headers,
            timeout=self.timeout,
            follow_redirects=False,
            transport=transport,
        )

    def close(self) -> None:
        self.http.close()

    def auth_headers(
        self, token: str | None, extra: dict[str, str] | None = None
    ) -> dict[str, str]:
        headers = dict(extra or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return headers

    def call(
        self,
        method: str,
        path: str,
        *,
        token: str | None,
        json_body: Any = None,
        body: BodyFactory | None = None,
        headers: dict[str, str] | None = None,
    ) -> Any:
        """Send once, and once more after the back-off if the server says 429."""

        limit = self.config.cloud.reply_limits.json_bytes

        def send() -> tuple[httpx.Response, bytes]:
            request = self.http.build_request(
                method,
                path,
                json=json_body,
                content=body() if body is not None else None,
                headers=self.auth_headers(token, headers),
            )
            try:
                response = self.http.send(request, stream=True)
                try:
                    return response, read_capped(response, limit)
                finally:
                    response.close()
            except httpx.HTTPError as exc:
                raise network_error(exc, self.host, self.read_timeout_s) from exc

        response, answer = send()
        if response.status_code == 429:
            self.sleep(self.wait_for_retry(response))
            response, answer = send()
        return unwrap(response, self.config, answer)

    def wait_for_retry(self, response: httpx.Response) -> float:
        """How long to wait before the one retry: what the server asked, up to the cap.

        Asked for longer than the cap, we do not wait at all: the user hears
        how long the server wants, instead of a command that hangs for it.
        """
        wait = retry_after(response, self.retry_after_s)
        if wait > self.retry_after_max_s:
            raise ApiFailure("rate_limited", http_status=429, wait_s=round(wait))
        return wait

    def same_origin(self, url: str) -> bool:
        a, b = urlsplit(url), urlsplit(self.base_url)
        return (a.scheme, a.netloc) == (b.scheme, b.netloc)

    @contextmanager
    def download_stream(self, url: str, token: str) -> Iterator[httpx.Response]:
        """Credentials go only back to the API's own origin, never to a CDN.

        Redirects are followed by hand (at most a few, each checked like the
        first URL), so a signed-CDN 302 is fetched without our token instead
        of being saved as an empty file.
        """
        with contextlib.ExitStack() as stack:
            try:
                for _ in range(_MAX_REDIRECTS + 1):
                    _check_link(url)
                    if self.same_origin(url):
                        ctx = self.http.stream("GET", url, headers=self.auth_headers(token))
                    else:
                        ctx = httpx.stream("GET", url, timeout=self.timeout)
                    response = stack.enter_context(ctx)
                    if response.is_redirect and "location" in response.headers:
                        url = str(response.url.join(response.headers["location"]))
                        continue
                    if response.status_code >= 400:
                        limit = self.config.cloud.reply_limits.json_bytes
                        unwrap(response, self.config, read_capped(response, limit))
                    if response.status_code != 200:
                        raise ApiFailure(
                            "server_error", detail=f"download answered HTTP {response.status_code}"
                        )
                    yield response
                    return
            except httpx.HTTPError as exc:
                raise network_error(exc, urlsplit(url).netloc, self.read_timeout_s) from exc
        raise ApiFailure("server_error", detail="the download link redirects too many times")

    def async_client(self) -> httpx.AsyncClient:
        # Streams may legitimately stay quiet between heartbeats; the caller bounds the total.
        return httpx.AsyncClient(
            base_url=self.base_url,
            headers=self.headers,
            timeout=httpx.Timeout(None, connect=CONNECT_TIMEOUT_S),
            follow_redirects=False,
        )
