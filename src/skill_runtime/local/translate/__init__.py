"""Translation of caption tracks in local mode.

Providers (Whisper's translate task, Argos Translate packs, an OpenAI-compatible
endpoint) each turn a batch of cue texts into the same number of translated
texts; `service.translate_cues` picks one, checks alignment and re-wraps.

`translate_cues` is resolved lazily (PEP 562): `config.py` imports this
package's `settings` while it is itself loading, and the service needs config.
"""

from __future__ import annotations

from typing import Any


def __getattr__(name: str) -> Any:
    if name == "translate_cues":
        from .service import translate_cues

        return translate_cues
    raise AttributeError(name)
