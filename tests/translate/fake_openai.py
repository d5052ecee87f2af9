"""A small OpenAI-compatible chat endpoint on 127.0.0.1 that translates from a word table.

Each request takes the next mode from `script` ("ok" once it runs out):
ok, few (drops the last line), many (adds one), swap (reorders), echo
(returns the source text), fence (wraps the JSON in a code fence), or an
HTTP status such as "500".
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

WORDS = {
    "hello": "hola",
    "world": "mundo",
    "the": "el",
    "cat": "gato",
    "is": "es",
    "black": "negro",
    "good": "buenos",
    "morning": "días",
    "and": "y",
    "welcome": "bienvenidos",
    "to": "a",
    "this": "este",
    "short": "corto",
    "demo": "demostración",
    "a": "un",
    "very": "muy",
    "long": "largo",
    "sentence": "frase",
}


def translate_line(text: str) -> str:
    """Word by word; unknown words come back upper-cased, so nothing is left as it was."""
    out = []
    for word in text.split():
        bare = word.strip(".,!?").lower()
        tail = word[len(word.rstrip(".,!?")) :]
        out.append(WORDS.get(bare, bare.upper()) + tail)
    return " ".join(out)


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def payload(self) -> dict[str, Any]:
        loaded: dict[str, Any] = json.loads(self.body["messages"][1]["content"])
        return loaded

    @property
    def system(self) -> str:
        return str(self.body["messages"][0]["content"])


@dataclass
class FakeOpenAI:
    script: list[str] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    base_url: str = ""

    def answer(self, mode: str, body: dict[str, Any]) -> tuple[int, bytes]:
        if mode.isdigit():
            return int(mode), b'{"error": {"message": "scripted failure"}}'
        lines = json.loads(body["messages"][1]["content"])["lines"]
        items = [
            {
                "id": line["id"],
                "text": line["text"] if mode == "echo" else translate_line(line["text"]),
            }
            for line in lines
        ]
        if mode == "few":
            items = items[:-1]
        elif mode == "many":
            items.append({"id": items[-1]["id"] + 1, "text": "extra"})
        elif mode == "swap" and len(items) > 1:
            items[0], items[1] = items[1], items[0]
        content = json.dumps({"translations": items}, ensure_ascii=False)
        if mode == "fence":
            content = f"Here you go:\n```json\n{content}\n```"
        answer = {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}
        return 200, json.dumps(answer).encode()


@contextmanager
def serve(script: list[str] | None = None) -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI(script=list(script or []))

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.requests.append(Recorded(self.path, dict(self.headers.items()), body))
            mode = fake.script.pop(0) if fake.script else "ok"
            status, data = fake.answer(mode, body)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    fake.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
