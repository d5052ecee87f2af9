"""A video link, downloaded with yt-dlp into the store before the local backend captions it.

Only public videos come: yt-dlp's Python API reads no configuration files, and no
cookies, netrc or credentials are handed to it (a link that carries a user name or
password is refused). The size cap holds three times before the whole file is here:
the size the site states (before any byte), Content-Length (yt-dlp's
`max_filesize`, before the body), and the bytes received (the progress hook stops a
stream whose size nobody stated as soon as it passes the cap). A download lands in a
temporary folder that is renamed into place only once it is known to be media.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..errors import SkillError
from ..progress import Progress
from ..settings.local import LocalSettings
from .probe import probe

# What sites say when a video needs an account, in yt-dlp's error text.
_PRIVATE = re.compile(
    r"private|sign in|log ?in|registered users|members only|premium|age.restricted", re.I
)
_SIZE_REFUSED = "max-filesize"  # yt-dlp's note when Content-Length is over the cap


class _TooLarge(Exception):
    """Raised inside the progress hook: yt-dlp unwinds and keeps no more of the file."""


class _Log:
    """yt-dlp's messages stay off stdout and stderr; a size refusal is remembered."""

    def __init__(self) -> None:
        self.size_refused = False

    def debug(self, message: str) -> None:
        self.size_refused = self.size_refused or _SIZE_REFUSED in message

    info = warning = error = debug


def shown(url: str) -> str:
    """Host and path only: a query string may carry a signed token."""
    parts = urlsplit(url)
    text = f"{parts.hostname or ''}{parts.path}"
    return text if len(text) <= 80 else text[:77] + "..."


def check_link(url: str) -> str:
    """The link, if it is one yt-dlp may fetch without credentials."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SkillError("link_unsupported", url=shown(url), reason="scheme")
    if parts.username or parts.password:
        raise SkillError("link_unsupported", url=shown(url), reason="credentials")
    return url


def _cap_bytes(settings: LocalSettings) -> int:
    return int(settings.links.max_mb * 1_000_000)


def _too_large(url: str, settings: LocalSettings, size: float | None = None) -> SkillError:
    mb = round(size / 1_000_000) if size else None
    return SkillError("link_too_large", url=shown(url), limit_mb=settings.links.max_mb, size_mb=mb)


def _stated_size(info: dict[str, Any]) -> float | None:
    """The size the site states for the chosen format(s), exact or estimated."""
    size = info.get("filesize") or info.get("filesize_approx")
    return float(size) if size else None


def _failure(exc: Exception, url: str) -> SkillError:
    """yt-dlp's exception as one of ours, by its cause rather than its wording where possible."""
    from yt_dlp.networking.exceptions import HTTPError, TransportError
    from yt_dlp.utils import UnsupportedError

    cause = (getattr(exc, "exc_info", None) or (None, None))[1] or exc
    where = shown(url)
    if isinstance(cause, UnsupportedError):
        return SkillError("link_unsupported", url=where, reason="no_video")
    if isinstance(cause, HTTPError) and cause.status in (401, 403):
        return SkillError("link_private", url=where)
    if _PRIVATE.search(str(exc)):
        return SkillError("link_private", url=where)
    if isinstance(cause, HTTPError):
        return SkillError("link_failed", url=where, status=cause.status)
    if isinstance(cause, TransportError):
        return SkillError("link_failed", url=where, status=None)
    return SkillError("link_unsupported", url=where, reason="extractor")


def _options(
    folder: Path, settings: LocalSettings, log: _Log, hook: Any, ffmpeg: str | None
) -> dict[str, Any]:
    return {
        "outtmpl": str(folder / "%(title).80B.%(ext)s"),
        "restrictfilenames": True,
        "format": settings.links.format,
        "max_filesize": _cap_bytes(settings),
        # A stream fragment over the cap is an error, not a silently shorter video.
        "skip_unavailable_fragments": False,
        "noplaylist": True,
        "socket_timeout": settings.links.timeout_s,
        "usenetrc": False,
        "cookiefile": None,
        "logger": log,
        "quiet": True,
        "noprogress": True,
        "progress_hooks": [hook],
        "ffmpeg_location": ffmpeg,
    }


def _fetch(
    url: str, folder: Path, settings: LocalSettings, progress: Progress, ffmpeg: str | None
) -> Path:
    import yt_dlp

    cap = _cap_bytes(settings)
    host = urlsplit(url).hostname

    def hook(status: dict[str, Any]) -> None:
        done = float(status.get("downloaded_bytes") or 0)
        total = float(status.get("total_bytes") or status.get("total_bytes_estimate") or 0)
        if done > cap or float(status.get("total_bytes") or 0) > cap:
            raise _TooLarge
        progress.bar("progress/downloading_link", done, total, host=host)

    log = _Log()
    with yt_dlp.YoutubeDL(_options(folder, settings, log, hook, ffmpeg)) as ydl:
        try:
            info = ydl.extract_info(url, download=False)
            if info is None or info.get("_type") == "playlist":
                raise SkillError("link_unsupported", url=shown(url), reason="playlist")
            stated = _stated_size(info)
            if stated is not None and stated > cap:
                raise _too_large(url, settings, stated)
            progress.status("progress/fetching_link", host=host)
            result = ydl.process_ie_result(info, download=True)
        except SkillError:
            raise
        except _TooLarge:
            raise _too_large(url, settings) from None
        except Exception as exc:  # yt-dlp raises its own tree, and sometimes ours wrapped
            if log.size_refused or isinstance(getattr(exc, "exc_info", (None, None))[1], _TooLarge):
                raise _too_large(url, settings) from None
            raise _failure(exc, url) from None
        finally:
            progress.finish()
    wanted = result.get("requested_downloads", [])
    found = [
        Path(d["filepath"]) for d in wanted if d.get("filepath") and Path(d["filepath"]).is_file()
    ]
    if not found:
        if log.size_refused:
            raise _too_large(url, settings)
        raise SkillError("link_failed", url=shown(url), status=None)
    return found[0]


def _kept(folder: Path) -> Path | None:
    files = [p for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    return files[0] if len(files) == 1 else None


def download(
    url: str, root: Path, settings: LocalSettings, progress: Progress, ffmpeg: str | None = None
) -> Path:
    """The video behind `url`, in its own folder under `root`; a link fetched before is reused."""
    check_link(url)
    final = root / hashlib.sha256(url.encode()).hexdigest()[:16]
    kept = _kept(final)
    if kept is not None:
        return kept
    temp = root / f".{final.name}.part-{secrets.token_hex(4)}"
    temp.mkdir(parents=True)
    try:
        path = _fetch(url, temp, settings, progress, ffmpeg)
        try:
            probe(path, settings.media_extensions)
        except SkillError as exc:
            raise SkillError("link_not_video", url=shown(url), found=exc.code) from None
        with contextlib.suppress(OSError):  # another process finished the same link first
            os.replace(temp, final)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    kept = _kept(final)
    if kept is None:
        raise SkillError("link_failed", url=shown(url), status=None)
    return kept
