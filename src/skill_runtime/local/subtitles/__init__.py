"""Subtitle files: SRT, VTT, styled ASS and JSON with words, named `<stem>.<lang>.<ext>`."""

from .ass import AssLook, check_look, make_ass
from .files import subtitle_name, write_json, write_text_subs

__all__ = ["AssLook", "check_look", "make_ass", "subtitle_name", "write_json", "write_text_subs"]
