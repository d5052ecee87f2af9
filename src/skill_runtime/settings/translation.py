"""The typed `translation:` section of skill.yaml."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from .base import Strict

ProviderName = Literal["argos", "openai", "whisper", "ollama"]
DEFAULT_ORDER: tuple[ProviderName, ...] = ("argos", "openai", "whisper", "ollama")


class Language(Strict):
    """Words (any script) a user may call a language by, besides its English name."""

    phrases: list[str] = Field(default_factory=list)


class OpenAISettings(Strict):
    base_url_env: str = "OPENAI_BASE_URL"
    api_key_env: str = "OPENAI_API_KEY"
    model_env: str = "AI_SUBTITLES_TRANSLATION_MODEL"
    default_base_url: str = "https://api.openai.com/v1"
    model: str = "gpt-4o-mini"
    batch_size: int = Field(20, ge=1)
    context_cues: int = Field(3, ge=0)
    attempts: int = Field(3, ge=1)
    timeout_s: float = Field(60.0, gt=0)
    backoff_s: float = Field(1.0, ge=0)
    retry_after_cap_s: float = Field(30.0, ge=0)
    # A local Ollama server is looked for here (loopback only) when nothing else can translate.
    ollama_url: str = "http://127.0.0.1:11434"
    ollama_probe_s: float = Field(0.5, gt=0)


class ArgosSettings(Strict):
    """Offline packs from the Argos package index, kept under the store."""

    index_url: str = "https://raw.githubusercontent.com/argosopentech/argospm-index/main/index.json"
    index_env: str = "AI_SUBTITLES_ARGOS_INDEX"
    store_folder: str = "translation-packs"
    beam_size: int = Field(2, ge=1)
    batch_size: int = Field(32, ge=1)
    timeout_s: float = Field(60.0, gt=0)


class TranslationSettings(Strict):
    order: list[ProviderName] = Field(default_factory=lambda: list(DEFAULT_ORDER))
    provider_env: str = "AI_SUBTITLES_TRANSLATOR"
    glossary_env: str = "AI_SUBTITLES_GLOSSARY"
    pivot: str = "en"
    openai: OpenAISettings = OpenAISettings()
    argos: ArgosSettings = ArgosSettings()
    languages: dict[str, Language] = Field(default_factory=dict)
    # Every language the skill captions or translates (Whisper's list): a tag's
    # primary subtag must be one of these before it reaches a file name.
    codes: list[str] = Field(default_factory=list)
    max_length_ratio: float = Field(4.0, gt=1)
    max_length_slack: int = Field(40, ge=0)
