"""The output folder: checked before any slow work, created only when a set is written."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from ..errors import SkillError
from .names import has_control, shown


def disk_full(folder: Path) -> SkillError:
    return SkillError("disk_full", folder=str(folder))


def check_folder(folder: Path) -> Path:
    """Fail now, before any slow work, if `folder` could not take the outputs.

    Nothing is created: a run that fails later for another reason leaves no
    empty folder behind. A missing folder needs a writable nearest ancestor.
    """
    if has_control(str(folder)):
        raise SkillError("unsafe_name", file_name=shown(str(folder)), what="output folder")
    existing = folder
    while not existing.exists() and existing.parent != existing:
        existing = existing.parent
    if not existing.is_dir():
        raise SkillError("out_not_folder", path=str(folder))
    if not os.access(existing, os.W_OK | os.X_OK):
        reason = "read-only" if _read_only(existing) else "permission denied"
        raise SkillError("out_not_writable", path=str(folder), reason=reason)
    return folder


def _read_only(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def prepare_folder(folder: Path) -> Path:
    """Create `folder` if needed and prove a file can be made in it."""
    check_folder(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".ai-subtitles-probe-"):
            pass
    except (FileExistsError, NotADirectoryError) as exc:
        raise SkillError("out_not_folder", path=str(folder)) from exc
    except OSError as exc:
        if exc.errno == errno.ENOSPC:
            raise disk_full(folder) from exc
        raise SkillError("out_not_writable", path=str(folder), reason=exc.strerror or "") from exc
    return folder
