"""Every environment variable the runtime reads, read once into one typed snapshot.

The CLI, the MCP server and each batch worker read it at start-up and carry it on
`Context.env`; code below takes it as an argument. So a run sees one consistent
environment, a test builds one from a plain dict, and this is the only module
that touches `os.environ`. Names that skill.yaml chooses (translators, the model
variable, the hosts' markers) are read alongside the fixed ones when the config
is given. Tokens and keys are `SecretStr`: a repr, a log line or a JSON dump
never shows them.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

from .settings.skill import SkillConfig


def declared(config: SkillConfig) -> set[str]:
    """The variables skill.yaml names: its translators', its model's, its hosts' markers."""
    t = config.translation
    names = {
        t.provider_env,
        t.glossary_env,
        t.argos.index_env,
        t.openai.base_url_env,
        t.openai.api_key_env,
        t.openai.model_env,
        config.local.model.env_var,
    }
    return names | {name for rule in config.hosts for name in rule.env}


class Environment(BaseModel):
    """The variables of one process: fixed names as fields, skill.yaml's names in `named`."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="ignore")

    home: str | None = Field(None, alias="AI_SUBTITLES_HOME")
    debug: bool = Field(False, alias="AI_SUBTITLES_DEBUG")
    platform: str = Field("", alias="AI_SUBTITLES_PLATFORM")
    ray_address: str = Field("", alias="AI_SUBTITLES_RAY_ADDRESS")
    lang: str | None = Field(None, alias="LANG")
    omp_num_threads: int | None = Field(None, alias="OMP_NUM_THREADS")
    fontconfig_file: str | None = Field(None, alias="FONTCONFIG_FILE")
    nemo_token: SecretStr | None = Field(None, alias="NEMO_TOKEN")
    nemo_api_base: str | None = Field(None, alias="NEMO_API_BASE")
    # The cloud's timing overrides stay text: `cloud.settings.effective` checks them and
    # names the variable in its message.
    nemo_poll_interval_s: str | None = Field(None, alias="NEMO_POLL_INTERVAL_S")
    nemo_retry_after_s: str | None = Field(None, alias="NEMO_RETRY_AFTER_S")
    nemo_read_timeout_s: str | None = Field(None, alias="NEMO_READ_TIMEOUT_S")
    nemo_retry_after_max_s: str | None = Field(None, alias="NEMO_RETRY_AFTER_MAX_S")
    nemo_stream_timeout_s: str | None = Field(None, alias="NEMO_STREAM_TIMEOUT_S")
    nemo_still_working_s: str | None = Field(None, alias="NEMO_STILL_WORKING_S")
    nemo_max_reply_chars: str | None = Field(None, alias="NEMO_MAX_REPLY_CHARS")
    # skill.yaml's variables (None when unset); all secret, since one of them is an API key.
    named: dict[str, SecretStr | None] = Field(default_factory=dict)

    @field_validator("debug", mode="before")
    @classmethod
    def _any_value(cls, value: object) -> bool:
        return bool(value)

    @field_validator("platform", "ray_address", mode="before")
    @classmethod
    def _trimmed(cls, value: object) -> str:
        return str(value or "").strip()

    @field_validator("omp_num_threads", mode="before")
    @classmethod
    def _count(cls, value: object) -> int | None:
        """Ray and users set it; a value that is not a positive number means "not set"."""
        with contextlib.suppress(TypeError, ValueError):
            count = int(str(value))
            return count if count >= 1 else None
        return None

    @classmethod
    def read(
        cls, config: SkillConfig | None = None, source: Mapping[str, str] | None = None
    ) -> Environment:
        """This process's variables (or `source`'s), skill.yaml's names too given `config`."""
        source = os.environ if source is None else source
        fixed = {
            field.alias: source[field.alias]
            for field in cls.model_fields.values()
            if field.alias and field.alias in source
        }
        wanted = declared(config) if config is not None else set()
        named = {name: source.get(name) for name in sorted(wanted)}
        return cls.model_validate({**fixed, "named": named})

    def get(self, name: str) -> str | None:
        """The value of the variable `name`: one of the fields' or one skill.yaml declares."""
        for key, field in type(self).model_fields.items():
            if field.alias == name:
                return _plain(getattr(self, key))
        if name in self.named:
            return _plain(self.named[name])
        # A name nobody declared is a bug here, not an unset variable.
        raise KeyError(f"{name} is not a variable the environment snapshot reads")


def _plain(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    return str(value)


def child(**overrides: str) -> dict[str, str]:
    """The environment for a child process: this one's, with `overrides` on top."""
    return {**os.environ, **overrides}
