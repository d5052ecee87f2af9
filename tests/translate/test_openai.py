"""The OpenAI-compatible provider against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.errors import SkillError
from skill_runtime.local.translate.base import Job
from skill_runtime.local.translate.openai import OpenAIProvider
from skill_runtime.messages import render

from .conftest import KEY
from .fake_openai import FakeOpenAI, serve

TEXTS = ["hello world", "the cat is black", "good morning", "welcome to this demo", "hello"]
SPANISH = [
    "hola mundo",
    "el gato es negro",
    "buenos días",
    "bienvenidos a este demostración",
    "hola",
]


def _job(texts: list[str] = TEXTS, glossary: dict[str, str] | None = None) -> Job:
    return Job(
        texts=texts,
        times=[(float(i), i + 0.9) for i in range(len(texts))],
        source="en",
        target="es",
        glossary=glossary or {},
        source_name="English",
        target_name="Spanish",
    )


def _provider(batch_size: int = 20, context_cues: int = 3) -> OpenAIProvider:
    settings = config().translation.openai.model_copy(
        update={"backoff_s": 0.0, "batch_size": batch_size, "context_cues": context_cues}
    )
    return OpenAIProvider(
        config().translation.model_copy(update={"openai": settings}),
        Environment.read(config()),
        model="test-model",
    )


@pytest.fixture
def server(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    script = getattr(request, "param", [])
    with serve(script) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        monkeypatch.setenv("OPENAI_API_KEY", KEY)
        yield fake


def test_every_cue_is_translated_in_order(server: FakeOpenAI) -> None:
    assert _provider().translate(_job()) == SPANISH


def test_the_request_is_a_chat_completion_for_the_chosen_model(server: FakeOpenAI) -> None:
    _provider().translate(_job())
    (sent,) = server.requests
    assert sent.path == "/v1/chat/completions"
    assert sent.body["model"] == "test-model"
    assert "Spanish (es)" in sent.system


def test_cues_go_in_numbered_batches_with_context_on_both_sides(server: FakeOpenAI) -> None:
    _provider(batch_size=2, context_cues=1).translate(_job())
    payloads = [r.payload for r in server.requests]
    assert [[line["id"] for line in p["lines"]] for p in payloads] == [[1, 2], [3, 4], [5]]
    assert payloads[1]["context_before"] == ["the cat is black"]
    assert payloads[1]["context_after"] == ["hello"]


def test_the_key_travels_only_in_the_authorization_header(server: FakeOpenAI) -> None:
    _provider().translate(_job())
    (sent,) = server.requests
    assert sent.headers["Authorization"] == f"Bearer {KEY}"
    assert KEY not in sent.path
    assert KEY not in str(sent.body)


@pytest.mark.parametrize("server", [["few"], ["many"], ["swap"]], indirect=True)
def test_an_answer_that_breaks_alignment_is_rejected_and_asked_again(server: FakeOpenAI) -> None:
    assert _provider().translate(_job()) == SPANISH
    assert len(server.requests) == 2


@pytest.mark.parametrize("server", [["few", "many", "few"]], indirect=True)
def test_alignment_broken_on_every_attempt_fails_naming_the_pair(server: FakeOpenAI) -> None:
    with pytest.raises(SkillError) as caught:
        _provider().translate(_job())
    assert caught.value.code == "translation_failed"
    assert caught.value.context["reason"] == "misaligned"
    assert len(server.requests) == config().translation.openai.attempts
    message = render("errors/translation_failed", **caught.value.context)
    assert "English (en) to Spanish (es)" in message


@pytest.mark.parametrize("server", [["500", "503"]], indirect=True)
def test_server_errors_are_retried(server: FakeOpenAI) -> None:
    assert _provider().translate(_job()) == SPANISH
    assert len(server.requests) == 3


@pytest.mark.parametrize("server", [["401"]], indirect=True)
def test_a_rejected_key_fails_at_once_without_showing_the_key(server: FakeOpenAI) -> None:
    with pytest.raises(SkillError) as caught:
        _provider().translate(_job())
    assert len(server.requests) == 1
    message = render("errors/translation_failed", **caught.value.context)
    assert "HTTP 401" in message
    assert KEY not in message and KEY not in repr(caught.value.context)


@pytest.mark.parametrize("server", [["fence"]], indirect=True)
def test_json_inside_a_code_fence_is_accepted(server: FakeOpenAI) -> None:
    assert _provider().translate(_job()) == SPANISH


def test_the_glossary_is_part_of_the_instructions(server: FakeOpenAI) -> None:
    _provider().translate(_job(glossary={"demo": "demo"}))
    assert '"demo" → "demo"' in server.requests[0].system


def test_an_unreachable_endpoint_fails_after_retrying(monkeypatch: pytest.MonkeyPatch) -> None:
    with serve() as fake:
        url = fake.base_url
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    with pytest.raises(SkillError) as caught:
        _provider().translate(_job())
    assert caught.value.context["reason"] == "unreachable"
    assert caught.value.context["attempts"] == config().translation.openai.attempts


@pytest.mark.parametrize("server", [["mirror"], ["strings"]], indirect=True)
def test_an_answer_in_the_requests_own_shape_is_accepted(server: FakeOpenAI) -> None:
    assert _provider().translate(_job()) == SPANISH
    assert len(server.requests) == 1


def test_the_answer_is_asked_for_with_a_json_schema(server: FakeOpenAI) -> None:
    _provider().translate(_job())
    sent = server.requests[0].body["response_format"]
    assert sent["type"] == "json_schema"
    assert sent["json_schema"]["schema"]["required"] == ["translations"]


@pytest.mark.parametrize(
    ("refused", "formats"),
    [
        ({"json_schema"}, ["json_schema", "json_object"]),
        ({"json_schema", "json_object"}, ["json_schema", "json_object", None]),
    ],
)
def test_an_endpoint_refusing_response_format_is_asked_plainer(
    monkeypatch: pytest.MonkeyPatch, refused: set[str], formats: list[str | None]
) -> None:
    with serve(refuse=refused) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        provider = _provider(batch_size=2)
        assert provider.translate(_job()) == SPANISH
    sent = [(r.body.get("response_format") or {}).get("type") for r in fake.requests]
    assert sent[: len(formats)] == formats
    assert sent[len(formats) :] == [formats[-1]] * 2


@pytest.mark.parametrize(("header", "waited"), [("2", 2.0), ("600", 30.0)])
def test_retry_after_is_honoured_up_to_the_cap(
    monkeypatch: pytest.MonkeyPatch, header: str, waited: float
) -> None:
    slept: list[float] = []
    with serve([f"429:{header}"]) as fake:
        monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url)
        provider = OpenAIProvider(
            config().translation, Environment.read(config()), model="m", sleep=slept.append
        )
        assert provider.translate(_job()) == SPANISH
    assert slept == [waited]


@pytest.mark.parametrize("server", [["long"]], indirect=True)
def test_a_runaway_answer_is_rejected_and_asked_again(server: FakeOpenAI) -> None:
    assert _provider().translate(_job()) == SPANISH
    assert len(server.requests) == 2


@pytest.mark.parametrize("server", [["long", "long", "long"]], indirect=True)
def test_runaway_answers_on_every_attempt_fail_naming_the_reason(server: FakeOpenAI) -> None:
    with pytest.raises(SkillError) as caught:
        _provider().translate(_job())
    assert caught.value.context["reason"] == "too_long"
    assert "far longer" in render("errors/translation_failed", **caught.value.context)


@pytest.mark.parametrize(
    "url", ["http://translate.example.com/v1", "http://10.0.0.5:8080/v1", "ftp://127.0.0.1/v1"]
)
def test_plain_http_to_another_host_is_refused_before_sending(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    with pytest.raises(SkillError) as caught:
        _provider().translate(_job())
    assert caught.value.code == "translator_insecure"
    assert KEY not in render("errors/translator_insecure", **caught.value.context)


@pytest.mark.parametrize(
    ("env", "configured"),
    [
        ({"OPENAI_API_KEY": KEY}, False),
        ({"OPENAI_BASE_URL": "http://127.0.0.1:9/v1"}, True),
        ({"OPENAI_API_KEY": KEY, "AI_SUBTITLES_TRANSLATOR": "openai"}, True),
    ],
)
def test_only_a_named_endpoint_or_pinned_provider_is_used(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str], configured: bool
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert _provider().configured is configured


def test_an_endpoint_that_does_not_answer_in_time_is_a_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import socket

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        monkeypatch.setenv("OPENAI_BASE_URL", f"http://127.0.0.1:{silent.getsockname()[1]}/v1")
        settings = config().translation.openai.model_copy(
            update={"backoff_s": 0.0, "timeout_s": 0.2, "attempts": 2}
        )
        with pytest.raises(SkillError) as caught:
            translation = config().translation.model_copy(update={"openai": settings})
            OpenAIProvider(translation, Environment.read(config()), model="m").translate(_job())
    assert caught.value.code == "translation_timeout"
    assert config().exit_status("translation_timeout") == 7
