"""A web server on 127.0.0.1 for video links: files from a folder, plus the answers sites give.

`/private/...` answers 403, `/stream/<n>` sends n bytes of MP4-typed data with no
Content-Length (so only the bytes received can tell its size), `/big/<n>` sends n bytes
with a Content-Length. `sent` counts the body bytes of those that reached the socket, and
`requested` every path asked for, so a test can see that a refused download did not
come whole.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

CHUNK = 64 * 1024


@dataclass
class LinkServer:
    base: str
    folder: Path
    sent: Counter[str] = field(default_factory=Counter)
    requested: Counter[str] = field(default_factory=Counter)

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"


class _Handler(SimpleHTTPRequestHandler):
    server_state: LinkServer

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        pass

    def _body(self, size: int, length: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "video/mp4")
        if length:
            self.send_header("Content-Length", str(size))
        else:
            self.close_connection = True
        self.end_headers()
        left = size
        with contextlib.suppress(OSError):
            while left > 0:
                part = min(CHUNK, left)
                self.wfile.write(b"\0" * part)
                self.server_state.sent[self.path] += part
                left -= part

    def do_GET(self) -> None:
        self.server_state.requested[self.path] += 1
        head, _, rest = self.path.lstrip("/").partition("/")
        if head == "private":
            self.send_error(403)
        elif head in ("stream", "big") and rest.isdigit():
            self._body(int(rest), length=head == "big")
        else:
            super().do_GET()


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[LinkServer]:
    state = LinkServer(base="", folder=folder)
    handler = type("Handler", (_Handler,), {"server_state": state})
    # HTTP/1.0 answers: a body without Content-Length ends when the connection closes.
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
