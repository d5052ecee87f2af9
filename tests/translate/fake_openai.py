"""A small OpenAI-compatible chat endpoint on 127.0.0.1 that translates from a word table.

Each request takes the next mode from `script` ("ok" once it runs out):
ok, few (drops the last line), many (adds one), swap (reorders), echo
(returns the source text), fence (wraps the JSON in a code fence), mirror
(answers in the request's own {"lines": [...]} shape), strings (a bare list
of texts), russian (answers in Russian whatever was asked), long (each
text 1,500 times over), an HTTP status such as "500",
or "429:N" (busy, Retry-After: N). `refuse` lists response_format types the
endpoint answers 400 to, as servers that do not know them do; `wordy` makes
every translation about a third longer than the word table's, except when
the request asks to shorten (each line carries its "translation"), like a
model that condenses when told.
"""

from __future__ import annotations

import json
import re
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


FILLER = "o sea, en realidad"
# One word in each non-Latin target the tests ask for; the language check refuses Latin there.
IN_SCRIPT = {
    "zh": "中文",
    "ja": "日本語",
    "ko": "한국어",
    "ru": "русский",
    "ar": "عربي",
    "hi": "हिन्दी",
}
_TARGET = re.compile(r"to .+? \(([A-Za-z-]+)\)\.")
RUSSIAN = "Доброе утро, это перевод."


def wordy_line(text: str) -> str:
    """A verbose translation: the word table's, padded to about a third longer."""
    plain = translate_line(text)
    pad = FILLER.split()
    words = plain.split()
    extra = [pad[k % len(pad)] for k in range(max(1, len(words) // 3))]
    return " ".join([*extra, *words])


def shorten_line(line: dict[str, Any]) -> str:
    """What a model told to condense gives: the plain translation, cut to max_chars at a word."""
    text = translate_line(line["text"])
    limit = int(line.get("max_chars", len(text)))
    while len(text) > limit and " " in text:
        text = text.rsplit(" ", 1)[0]
    return text


@dataclass
class FakeOpenAI:
    script: list[str] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)
    base_url: str = ""
    refuse: set[str] = field(default_factory=set)
    wordy: bool = False

    def text_for(self, mode: str, line: dict[str, Any], target: str = "es") -> str:
        if target in IN_SCRIPT and mode not in ("echo", "russian"):
            # A language with its own script answers in it, as a real translator does.
            return " ".join(IN_SCRIPT[target] for _ in str(line["text"]).split())
        if mode == "echo":
            return str(line["text"])
        if mode == "long":
            return translate_line(line["text"]) * 1500
        if mode == "russian":
            return RUSSIAN
        if "translation" in line:
            return shorten_line(line)
        return wordy_line(line["text"]) if self.wordy else translate_line(line["text"])

    def answer(self, mode: str, body: dict[str, Any]) -> tuple[int, bytes]:
        if mode.isdigit():
            return int(mode), b'{"error": {"message": "scripted failure"}}'
        lines = json.loads(body["messages"][1]["content"])["lines"]
        asked = _TARGET.search(str(body["messages"][0]["content"]))
        target = asked.group(1).split("-")[0] if asked else "es"
        items: list[dict[str, Any]] = [
            {"id": line["id"], "text": self.text_for(mode, line, target)} for line in lines
        ]
        if mode == "few":
            items = items[:-1]
        elif mode == "many":
            items.append({"id": items[-1]["id"] + 1, "text": "extra"})
        elif mode == "swap" and len(items) > 1:
            items[0], items[1] = items[1], items[0]
        shaped: Any = {"translations": items}
        if mode == "mirror":
            shaped = {"lines": items}
        elif mode == "strings":
            shaped = [item["text"] for item in items]
        content = json.dumps(shaped, ensure_ascii=False)
        if mode == "fence":
            content = f"Here you go:\n```json\n{content}\n```"
        answer = {"choices": [{"index": 0, "message": {"role": "assistant", "content": content}}]}
        return 200, json.dumps(answer).encode()


@contextmanager
def serve(
    script: list[str] | None = None, *, refuse: set[str] | None = None, wordy: bool = False
) -> Iterator[FakeOpenAI]:
    fake = FakeOpenAI(script=list(script or []), refuse=set(refuse or ()), wordy=wordy)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            """Ollama's model list, so the server also passes for a local Ollama."""
            data = json.dumps({"models": [{"name": "fake-llm"}, {"name": "other"}]}).encode()
            self.send_response(200 if self.path == "/api/tags" else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.requests.append(Recorded(self.path, dict(self.headers.items()), body))
            kind = (body.get("response_format") or {}).get("type")
            refused = kind in fake.refuse
            mode = "400" if refused else fake.script.pop(0) if fake.script else "ok"
            busy = mode.startswith("429:")
            status, data = fake.answer("429" if busy else mode, body)
            self.send_response(status)
            if busy:
                self.send_header("Retry-After", mode.split(":", 1)[1])
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
