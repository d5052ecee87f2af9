"""Translation of caption tracks in local mode.

Providers (Whisper's translate task, Argos Translate packs, an OpenAI-compatible
endpoint) each turn a list of cue texts into the same number of translated
texts; `cues.translate_cues` picks one, checks alignment and re-wraps.
Kept import-free so `config.py` can load the typed `translation:` section.
"""
