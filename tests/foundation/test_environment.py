"""The environment is read in one module, into one typed snapshot that never shows a secret."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from skill_runtime.config import config
from skill_runtime.environment import Environment, declared

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "src" / "skill_runtime"
ALLOWED = SOURCE / "environment.py"
READS = re.compile(r"\bos\.(environ|getenv|putenv|unsetenv)\b|\bfrom os import\b.*\benviron\b")


def test_only_the_environment_module_reads_the_environment() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(SOURCE.rglob("*.py"))
        if path != ALLOWED
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if READS.search(line)
    ]
    assert not found, "\n".join(found)


SECRETS = {"NEMO_TOKEN": "nmv_usr_secret_one", "OPENAI_API_KEY": "sk-secret-two"}


@pytest.mark.parametrize(
    "shown",
    [repr, str, lambda env: env.model_dump_json(), lambda env: str(env.model_dump(mode="json"))],
    ids=["repr", "str", "json", "dump"],
)
def test_secrets_never_show(shown: object) -> None:
    env = Environment.read(config(), SECRETS)
    text = shown(env)  # type: ignore[operator]
    assert not any(secret in text for secret in SECRETS.values())


def test_the_code_still_reads_the_secret_values() -> None:
    env = Environment.read(config(), SECRETS)
    assert env.get("NEMO_TOKEN") == SECRETS["NEMO_TOKEN"]
    assert env.get(config().translation.openai.api_key_env) == SECRETS["OPENAI_API_KEY"]


def test_the_variables_skill_yaml_names_are_read_with_the_config() -> None:
    cfg = config()
    marker = next(name for rule in cfg.hosts for name in rule.env)
    env = Environment.read(cfg, {marker: "1", cfg.translation.provider_env: "argos"})
    assert env.get(marker) == "1"
    assert env.get(cfg.translation.provider_env) == "argos"
    assert env.get(cfg.translation.glossary_env) is None
    assert cfg.local.model.env_var in declared(cfg)


def test_a_name_nobody_declared_is_a_bug_not_an_unset_variable() -> None:
    with pytest.raises(KeyError):
        Environment.read(None, {}).get(config().translation.provider_env)


@pytest.mark.parametrize(
    ("given", "threads"),
    [("4", 4), ("0", None), ("-2", None), ("many", None), ("", None)],
)
def test_a_thread_count_that_is_not_a_positive_number_is_unset(
    given: str, threads: int | None
) -> None:
    assert Environment.read(source={"OMP_NUM_THREADS": given}).omp_num_threads == threads


@pytest.mark.parametrize(("given", "debug"), [("1", True), ("0", True), ("", False)])
def test_debug_is_on_for_any_value(given: str, debug: bool) -> None:
    assert Environment.read(source={"AI_SUBTITLES_DEBUG": given}).debug is debug


def test_the_snapshot_is_frozen() -> None:
    env = Environment.read(source={"AI_SUBTITLES_HOME": "/a"})
    with pytest.raises(ValueError):
        env.home = "/b"  # type: ignore[misc]
