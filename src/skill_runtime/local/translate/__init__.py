"""Translation of caption tracks in local mode.

Providers (Whisper's translate task, Argos Translate packs, an OpenAI-compatible
endpoint, a local Ollama server) each turn a batch of cue texts into the same
number of translated texts; `service.translate_cues` picks one, checks alignment
and re-wraps.
"""
