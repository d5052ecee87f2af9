"""One exception type for every failure a user should hear about.

The code names a row in skill.yaml's `errors` table, which gives the exit
status; the sentence comes from `prompts/errors/<code>.j2`, so no handler ever
formats a user-facing message itself. `ErrorCode` spells the table out for
mypy, so a misspelt code fails the type check instead of reaching a user as
"internal"; a test keeps it equal to the table and the templates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, get_args

if TYPE_CHECKING:
    from .results import MediaFile

ErrorCode = Literal[
    # Usage, set-up and input (the order of skill.yaml's table).
    "usage", "platform_unknown", "python_unsupported", "config_invalid", "not_available",
    "backend_missing", "interrupted", "internal", "file_missing", "unsupported_type",
    "file_too_large", "not_media", "corrupt_media", "no_audio", "no_speech", "needs_video",
    "no_upload", "nothing_to_export", "ffmpeg_missing", "font_missing", "model_missing",
    "model_corrupt", "render_failed", "store_busy", "unknown_style", "unknown_language",
    "unknown_platform", "unknown_channel", "unknown_rendition", "bad_rendition_name", "bad_size",
    "size_unreachable", "no_captions",
    # Video links (local backend) and the MCP front door.
    "link_unsupported", "link_private", "link_too_large", "link_not_video", "link_failed",
    "mcp_missing",
    # Translation.
    "espeak_missing", "translation_unavailable", "translation_failed", "translation_timeout",
    "translator_insecure", "pack_invalid", "pack_not_offered", "pack_download_failed",
    # Cloud account, network and renders.
    "token_invalid", "user_token_rejected", "session_missing", "out_of_credits", "plan_limit",
    "rate_limited", "client_id_missing", "insecure_base", "network", "server_error",
    "stream_timeout", "render_timeout", "render_cancelled", "cloud_render_failed",
    "reply_too_large", "download_refused",
    # Output folder, disk, names, state and limits.
    "out_not_folder", "out_not_writable", "disk_full", "state_unwritable",
    "state_full", "output_incomplete",
    "unsafe_name", "file_unreadable", "identity_damaged", "token_malformed", "server_timeout",
    "edit_out_of_range",
    # Batch.
    "no_sources", "batch_no_sources", "batch_failed", "batch_busy", "ray_missing",
    "ray_unreachable", "ray_worker_lost",
    # Subtitles from elsewhere: a user's file, the host agent's hand-off.
    "subtitles_unreadable", "subtitles_language", "handoff_invalid", "handoff_refused",
]  # fmt: skip

ERROR_CODES: frozenset[ErrorCode] = frozenset(get_args(ErrorCode))


def error_code(text: str | None) -> ErrorCode | None:
    """`text` as a known code, or None: for codes that arrive as data (skill.yaml's api_codes)."""
    return text if text in ERROR_CODES else None


class SkillError(Exception):
    """A failure with a known cause, rendered through its template.

    `media` lists files that were finished before the failure and are still
    worth handing to the user (subtitles of an audio-only file, say).
    """

    def __init__(self, code: ErrorCode, **context: Any) -> None:
        super().__init__(code)
        self.code: ErrorCode = code
        self.context = context
        self.media: list[MediaFile] = []

    def with_media(self, media: list[MediaFile]) -> SkillError:
        self.media = list(media)
        return self

    def __repr__(self) -> str:
        return f"SkillError({self.code!r})"
