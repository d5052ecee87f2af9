"""Uploads: checked on this machine first, then streamed from disk.

Checking the format and the 500 MB limit locally saves the user a long
upload that the server would refuse (4001/4002). The multipart body is
generated chunk by chunk with a known length, so memory stays flat for any
file size and the progress bar can count real bytes sent.
"""

from __future__ import annotations

import mimetypes
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path

from ..errors import SkillError
from ..progress import Progress
from ..settings.skill import SkillConfig
from .client import parse
from .connection import Connection
from .models import UploadAnswer, UploadedFile
from .sessions import SessionRecord

CHUNK = 256 * 1024
FIELD = "files"


def check_files(files: list[Path], config: SkillConfig) -> list[Path]:
    limit = config.limits.max_upload_mb * 1024 * 1024
    checked = []
    for path in files:
        path = path.expanduser()
        if not path.is_file():
            raise SkillError("file_missing", path=str(path))
        ext = path.suffix.lower().lstrip(".")
        if ext == "jpeg":
            ext = "jpg"
        if ext not in config.formats.all:
            raise SkillError(
                "unsupported_type",
                path=str(path),
                ext=ext or "(none)",
                supported=config.formats.all,
            )
        if path.stat().st_size > limit:
            raise SkillError("file_too_large", path=str(path), limit_mb=config.limits.max_upload_mb)
        checked.append(path.resolve())
    return checked


def _quote(name: str) -> str:
    # The HTML5 form-data convention browsers use; servers parse it everywhere.
    return name.replace("\\", "\\\\").replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")


class MultipartBody:
    """A `files` multipart body of known length, produced lazily from the files on disk."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files
        self.boundary = f"skill-{secrets.token_hex(16)}"
        self.heads: list[bytes] = []
        for path in files:
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            name = _quote(path.name)
            head = (
                f"--{self.boundary}\r\n"
                f'Content-Disposition: form-data; name="{FIELD}"; filename="{name}"\r\n'
                f"Content-Type: {kind}\r\n\r\n"
            ).encode()
            self.heads.append(head)
        self.tail = f"--{self.boundary}--\r\n".encode()
        self.sizes = [p.stat().st_size for p in files]
        self.length = sum(
            len(h) + s + 2 for h, s in zip(self.heads, self.sizes, strict=True)
        ) + len(self.tail)

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def chunks(self, on_bytes: Callable[[int], None]) -> Iterator[bytes]:
        for head, path in zip(self.heads, self.files, strict=True):
            yield head
            with path.open("rb") as fh:
                while chunk := fh.read(CHUNK):
                    on_bytes(len(chunk))
                    yield chunk
            yield b"\r\n"
        yield self.tail


class UploadMeter:
    """Counts bytes as they leave, for the upload bar."""

    def __init__(self, progress: Progress, total: int, names: str) -> None:
        self.progress = progress
        self.total = total
        self.names = names
        self.sent = 0

    def __call__(self, n: int) -> None:
        self.sent += n
        self.progress.bar("cloud/upload_progress", self.sent, self.total, names=self.names)

    def restart(self) -> None:
        self.sent = 0


def send_files(conn: Connection, paths: list[Path], progress: Progress) -> list[UploadedFile]:
    """Stream the files to the session; a retry (new token, new session) starts the meter over."""
    body = MultipartBody(paths)
    meter = UploadMeter(progress, sum(body.sizes), ", ".join(p.name for p in paths))

    def fresh() -> Iterator[bytes]:
        meter.restart()
        return body.chunks(meter)

    def send(token: str, session: SessionRecord) -> UploadAnswer:
        data = conn.client.call(
            "POST",
            conn.settings.endpoints.upload.format(session_id=session.session_id),
            token=token,
            body=fresh,
            headers={"Content-Type": body.content_type, "Content-Length": str(body.length)},
        )
        answer: UploadAnswer = parse(UploadAnswer, data)
        return answer

    answer = conn.run(send)
    progress.finish()
    return answer.files


def send_urls(conn: Connection, urls: list[str]) -> list[UploadedFile]:
    """Links the server fetches itself."""

    def send(token: str, session: SessionRecord) -> UploadAnswer:
        data = conn.client.call(
            "POST",
            conn.settings.endpoints.upload.format(session_id=session.session_id),
            token=token,
            json_body={"urls": urls},
        )
        answer: UploadAnswer = parse(UploadAnswer, data)
        return answer

    return conn.run(send).files
