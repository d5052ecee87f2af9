"""The typed `translation:` section of skill.yaml."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Strict

ProviderName = Literal["argos", "openai", "whisper", "ollama"]


class Language(Strict):
    """Words (any script) a user may call a language by, besides its English name."""

    phrases: list[str]


class OpenAISettings(Strict):
    base_url_env: str
    api_key_env: str
    model_env: str
    default_base_url: str
    model: str
    batch_size: int = Field(ge=1)
    context_cues: int = Field(ge=0)
    attempts: int = Field(ge=1)
    timeout_s: float = Field(gt=0)
    backoff_s: float = Field(ge=0)
    retry_after_cap_s: float = Field(ge=0)
    # A local Ollama server is looked for here (loopback only) when nothing else can translate.
    ollama_url: str
    ollama_probe_s: float = Field(gt=0)


class ArgosSettings(Strict):
    """Offline packs from the Argos package index, kept under the store."""

    index_url: str
    index_env: str
    store_folder: str
    beam_size: int = Field(ge=1)
    batch_size: int = Field(ge=1)
    timeout_s: float = Field(gt=0)


class TranslationSettings(Strict):
    order: list[ProviderName]
    provider_env: str
    glossary_env: str
    pivot: str
    openai: OpenAISettings
    argos: ArgosSettings
    languages: dict[str, Language]
    # Every language the skill captions or translates (Whisper's list): a tag's
    # primary subtag must be one of these before it reaches a file name.
    codes: list[str]
    max_length_ratio: float = Field(gt=1)
    max_length_slack: int = Field(ge=0)
