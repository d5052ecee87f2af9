"""A local Ollama server on this machine, found without being configured.

Only a loopback address is ever probed (a transcript never leaves the
machine this way), once per process, with a short timeout. The model is
AI_SUBTITLES_TRANSLATION_MODEL when the server has it, else its first one.
It is tried last: after offline packs, a named endpoint and Whisper.
"""

from __future__ import annotations

from functools import cache
from urllib.parse import urlsplit

import httpx

from ...environment import Environment
from ...loopback import is_loopback
from ...settings.translation import ProviderName, TranslationSettings
from .openai import OpenAIProvider


@cache
def detect(url: str, wanted: str | None, timeout_s: float) -> tuple[str, str] | None:
    """(OpenAI-compatible base URL, model) of a loopback Ollama server, or None."""
    if not is_loopback(urlsplit(url).hostname or ""):
        return None
    try:
        tags = httpx.get(url.rstrip("/") + "/api/tags", timeout=timeout_s).json()
        names = [str(m["name"]) for m in tags.get("models", [])]
    except (httpx.HTTPError, ValueError, TypeError, KeyError, AttributeError):
        return None
    if not names:
        return None
    return url.rstrip("/") + "/v1", wanted if wanted in names else names[0]


class OllamaProvider(OpenAIProvider):
    name: ProviderName = "ollama"

    def __init__(self, translation: TranslationSettings, env: Environment) -> None:
        super().__init__(translation, env)
        self._found: tuple[str, str] | None = None

    def _detected(self) -> tuple[str, str] | None:
        if self._found is None:
            s = self.settings
            self._found = detect(s.ollama_url, self.env.get(s.model_env), s.ollama_probe_s)
            if self._found is not None:
                self.model = self._found[1]
        return self._found

    @property
    def configured(self) -> bool:
        return self._detected() is not None

    def base_url(self) -> str:
        found = self._detected()
        return found[0] if found else self.settings.ollama_url

    def _headers(self) -> dict[str, str]:
        """The OpenAI key is not Ollama's business."""
        return {}
