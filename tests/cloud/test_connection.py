"""Tokens, sessions, headers and the recoveries the error table prescribes."""

from __future__ import annotations

import json
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from emulator import Emulator, Fault
from skill_runtime.cloud.auth import STORE_NAME, AuthRecord
from skill_runtime.cloud.client import ApiClient, ApiFailure
from skill_runtime.cloud.settings import check_url, effective
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.errors import SkillError
from skill_runtime.messages import render

from .conftest import Harness


def test_first_contact_gets_an_anonymous_token_with_a_client_id(
    harness: Harness, emulator: Emulator
) -> None:
    harness.backend().setup()
    (call,) = emulator.state.calls("/anonymous-token")
    assert call["headers"].get("x-client-id")
    assert "authorization" not in call["headers"]


def test_token_file_is_private(harness: Harness, home: Path) -> None:
    harness.backend().setup()
    assert stat.S_IMODE((home / f"{STORE_NAME}.json").stat().st_mode) == 0o600


def test_client_id_is_generated_once_and_kept(
    harness: Harness, emulator: Emulator, home: Path
) -> None:
    harness.backend().setup()
    record = json.loads((home / f"{STORE_NAME}.json").read_text())
    record["token"] = None
    (home / f"{STORE_NAME}.json").write_text(json.dumps(record))
    harness.backend().credits()
    ids = {c["headers"]["x-client-id"] for c in emulator.state.calls("/anonymous-token")}
    assert ids == {record["client_id"]}


def test_every_request_carries_attribution_and_all_but_the_token_call_auth(
    harness: Harness, emulator: Emulator, video: Path
) -> None:
    backend = harness.backend()
    backend.upload([video], [])
    backend.chat("add captions in English")
    backend.export()
    api_calls = [r for r in emulator.state.requests if not r["path"].startswith("/files/")]
    for call in api_calls:
        assert call["headers"]["x-skill-source"] == "ai-subtitles-for-video"
        assert call["headers"]["x-skill-version"] == "1.0.0"
        assert call["headers"]["x-skill-platform"] == "unknown"
        wants_auth = not call["path"].endswith("/anonymous-token")
        assert ("authorization" in call["headers"]) == wants_auth


def test_user_token_is_used_without_asking_for_an_anonymous_one(
    harness: Harness, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = emulator.state.issue_token("user-device")["token"]
    monkeypatch.setenv("NEMO_TOKEN", token)
    harness.backend().credits()
    assert emulator.state.calls("/anonymous-token") == []
    assert emulator.state.calls("/credits")[0]["headers"]["authorization"] == f"Bearer {token}"


def test_rejected_user_token_is_reported_never_replaced(
    harness: Harness, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEMO_TOKEN", "nmv_usr_revoked_by_the_user")
    with pytest.raises(SkillError) as err:
        harness.backend().credits()
    assert err.value.code == "user_token_rejected"
    assert emulator.state.calls("/anonymous-token") == []


@pytest.mark.parametrize("code", [1001, 1010, 1011])
def test_rejected_anonymous_token_is_renewed_once(
    harness: Harness, emulator: Emulator, code: int
) -> None:
    backend = harness.backend()
    backend.setup()
    emulator.state.inject("credits", Fault(code=code))
    assert backend.credits().context["available"] == 100
    assert len(emulator.state.calls("/anonymous-token")) == 2


def test_anonymous_token_rejected_twice_is_an_error(harness: Harness, emulator: Emulator) -> None:
    backend = harness.backend()
    backend.setup()
    emulator.state.inject("credits", Fault(code=1001), times=2)
    with pytest.raises(SkillError) as err:
        backend.credits()
    assert err.value.code == "token_invalid"


def test_token_near_expiry_is_renewed_before_use(
    harness: Harness, emulator: Emulator, home: Path
) -> None:
    harness.backend().setup()
    path = home / f"{STORE_NAME}.json"
    record = AuthRecord.model_validate_json(path.read_text())
    soon = datetime.now(timezone.utc) + timedelta(seconds=60)
    path.write_text(record.model_copy(update={"expires_at": soon}).model_dump_json())
    harness.backend().credits()
    assert len(emulator.state.calls("/anonymous-token")) == 2


def test_lost_session_is_recreated_and_the_user_told(harness: Harness, emulator: Emulator) -> None:
    backend = harness.backend()
    backend.setup()
    emulator.state.drop_sessions()
    backend.state()
    assert len(emulator.state.calls("/with-session/")) == 2
    assert "timeline was reset" in harness.stderr.getvalue()


def test_session_is_kept_between_runs(harness: Harness, emulator: Emulator) -> None:
    harness.backend().setup()
    harness.backend().state()
    assert len(emulator.state.calls("/with-session/")) == 1


def test_missing_client_id_answer_makes_a_new_id_and_retries(
    harness: Harness, emulator: Emulator
) -> None:
    emulator.state.inject("token", Fault(http=400))
    harness.backend().setup()
    first, second = emulator.state.calls("/anonymous-token")
    assert first["headers"]["x-client-id"] != second["headers"]["x-client-id"]


def test_rate_limit_waits_then_retries_once(harness: Harness, emulator: Emulator) -> None:
    backend = harness.backend()
    backend.setup()
    emulator.state.inject("credits", Fault(http=429))
    backend.credits()
    assert harness.sleeps == [0.01]
    assert len(emulator.state.calls("/credits")) == 2


def test_rate_limit_twice_is_reported(harness: Harness, emulator: Emulator) -> None:
    backend = harness.backend()
    backend.setup()
    emulator.state.inject("credits", Fault(http=429), times=2)
    with pytest.raises(SkillError) as err:
        backend.credits()
    assert err.value.code == "rate_limited"


def test_out_of_credits_gives_anonymous_users_a_claim_link(
    harness: Harness, emulator: Emulator
) -> None:
    backend = harness.backend()
    backend.setup()
    emulator.state.inject("credits", Fault(code=2001))
    with pytest.raises(SkillError) as err:
        backend.credits()
    link = err.value.context["link"]
    assert "token=clm_" in link
    assert backend.conn.auth.token() not in link


def test_out_of_credits_falls_back_to_a_bind_link(harness: Harness, emulator: Emulator) -> None:
    backend = harness.backend()
    backend.setup()
    emulator.state.inject("credits", Fault(code=2001))
    emulator.state.inject("claim", Fault(http=500))
    with pytest.raises(SkillError) as err:
        backend.credits()
    assert "?bind=anon_" in err.value.context["link"]


def test_out_of_credits_tells_registered_users_to_top_up(
    harness: Harness, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEMO_TOKEN", emulator.state.issue_token("user-device")["token"])
    emulator.state.inject("credits", Fault(code=2001))
    with pytest.raises(SkillError) as err:
        harness.backend().credits()
    assert err.value.context == {"anonymous": False, "link": None}


def test_success_envelope_is_understood(harness: Harness, emulator: Emulator) -> None:
    emulator.state.envelope = "success"
    assert harness.backend().credits().context == {"available": 100, "frozen": 0, "total": 100}


def test_unknown_api_code_is_a_server_error(harness: Harness, emulator: Emulator) -> None:
    backend = harness.backend()
    backend.setup()
    emulator.state.inject("credits", Fault(code=9999, message="odd"))
    with pytest.raises(SkillError) as err:
        backend.credits()
    assert (err.value.code, err.value.context["detail"]) == ("server_error", "odd")


def test_unreachable_server_is_a_network_error(
    harness: Harness, emulator: Emulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    emulator.stop()
    with pytest.raises(SkillError) as err:
        harness.backend().setup()
    assert (err.value.code, err.value.context["reason"]) == ("network", "connect")


def test_connection_dropped_mid_answer_is_a_network_error(
    harness: Harness, emulator: Emulator
) -> None:
    backend = harness.backend()
    backend.setup()
    emulator.state.inject("credits", Fault(drop=True))
    with pytest.raises(SkillError) as err:
        backend.credits()
    assert err.value.context["reason"] == "dropped"


def test_export_without_attribution_headers_is_refused_as_a_plan_limit(
    emulator: Emulator,
) -> None:
    token = emulator.state.issue_token("device")["token"]
    client = ApiClient(config(), emulator.url, {}, 0)
    with pytest.raises(ApiFailure) as err:
        client.call("POST", "/api/render/proxy/lambda", token=token, json_body={})
    assert err.value.code == "plan_limit"


@pytest.mark.parametrize(
    "url",
    [
        "https://mega-api-prod.nemovideo.ai",
        "http://127.0.0.1:8000",
        "http://localhost:1",
        "http://[::1]:80",
    ],
)
def test_secure_or_loopback_base_urls_are_accepted(url: str) -> None:
    assert check_url(url) == url


@pytest.mark.parametrize("url", ["http://example.com", "http://10.0.0.1:80", "ftp://127.0.0.1"])
def test_plain_http_elsewhere_is_refused(url: str) -> None:
    with pytest.raises(SkillError) as err:
        check_url(url)
    assert err.value.code == "insecure_base"


def test_environment_overrides_intervals_and_base() -> None:
    env = {
        "NEMO_API_BASE": "http://127.0.0.1:9/",
        "NEMO_POLL_INTERVAL_S": "0.5",
        "NEMO_RETRY_AFTER_S": "2",
    }
    settings = effective(config().cloud, Environment.read(source=env))
    assert (settings.base_url, settings.poll_interval_s, settings.retry_after_s) == (
        "http://127.0.0.1:9",
        0.5,
        2.0,
    )


def test_doctor_reports_a_reachable_service_as_optional(harness: Harness) -> None:
    (check,) = harness.backend().doctor()
    assert (check.ok, check.required) == (True, False)


def test_doctor_reports_an_unreachable_service_without_failing_doctor(
    harness: Harness, emulator: Emulator
) -> None:
    emulator.stop()
    (check,) = harness.backend().doctor()
    assert (check.ok, check.required) == (False, False)
    assert "not reachable" in check.detail


@pytest.mark.parametrize("value", ["abc", "-1"])
def test_a_bad_timing_override_is_a_usage_error_that_names_it(value: str) -> None:
    env = Environment.read(source={"NEMO_POLL_INTERVAL_S": value})
    with pytest.raises(SkillError) as err:
        effective(config().cloud, env)
    message = render(f"errors/{err.value.code}", **err.value.context)
    assert err.value.code == "usage"
    assert "NEMO_POLL_INTERVAL_S" in message
    assert "Set NEMO_POLL_INTERVAL_S to a number of seconds" in message
