"""skill.yaml's cloud section with the environment's overrides applied.

Tests and impatient users shorten the 30 s poll and back-off without editing
the manifest; the base URL moves to an emulator the same way.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..environment import Environment
from ..errors import SkillError
from ..loopback import is_loopback
from ..settings.cloud import CloudSettings


def _positive(env: Environment, name: str, default: float) -> float:
    raw = env.get(name)
    if raw is None or raw.strip() == "":
        return default
    fix = f"Set {name} to a number of seconds (e.g. 0.5), or unset it."
    try:
        value = float(raw)
    except ValueError as exc:
        raise SkillError("usage", problem=f"{name} must be a number of seconds", usage=fix) from exc
    if value < 0:
        raise SkillError("usage", problem=f"{name} must not be negative", usage=fix)
    return value


def check_url(url: str) -> str:
    """Plain http would expose the bearer token, so it is allowed only on this machine."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.scheme == "https" and host:
        return url
    if parts.scheme == "http" and host and is_loopback(host):
        return url
    raise SkillError("insecure_base", url=f"{parts.scheme}://{host}" if host else url[:80])


def effective(base: CloudSettings, env: Environment) -> CloudSettings:
    base_url = (env.nemo_api_base or base.base_url).rstrip("/")
    check_url(base_url)
    return base.model_copy(
        update={
            "base_url": base_url,
            "poll_interval_s": _positive(env, "NEMO_POLL_INTERVAL_S", base.poll_interval_s),
            "retry_after_s": _positive(env, "NEMO_RETRY_AFTER_S", base.retry_after_s),
            "read_timeout_s": _positive(env, "NEMO_READ_TIMEOUT_S", base.read_timeout_s),
            "retry_after_max_s": _positive(env, "NEMO_RETRY_AFTER_MAX_S", base.retry_after_max_s),
            "stream_timeout_s": _positive(env, "NEMO_STREAM_TIMEOUT_S", base.stream_timeout_s),
            "still_working_every_s": _positive(
                env, "NEMO_STILL_WORKING_S", base.still_working_every_s
            ),
            "max_reply_chars": round(_positive(env, "NEMO_MAX_REPLY_CHARS", base.max_reply_chars)),
        }
    )
