"""Speech recognition: find a Whisper model, then turn audio into timed words."""

from .models import load_model, resolve_model
from .transcribe import Transcript, transcribe

__all__ = ["Transcript", "load_model", "resolve_model", "transcribe"]
