"""Cue building and line wrapping to the timed-text rules in skill.yaml."""

from .build import build_cues, time_cues
from .refit import refit_cues
from .text import display_width, wrap_text

__all__ = ["build_cues", "display_width", "refit_cues", "time_cues", "wrap_text"]
