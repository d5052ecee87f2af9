"""Progress and diagnostics for stderr, so stdout stays clean for text or --json."""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from .messages import render


class Progress:
    """Percent bars that redraw on a terminal and print a line per 10 % otherwise."""

    def __init__(self, stream: TextIO | None = None, quiet: bool = False) -> None:
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self._last: tuple[str, int] | None = None
        self._drawn = False

    def status(self, template: str, **context: Any) -> None:
        self._end_bar()
        if not self.quiet:
            print(render(template, **context), file=self.stream, flush=True)

    def bar(self, template: str, done: float, total: float, **context: Any) -> None:
        if self.quiet or total <= 0:
            return
        pct = max(0, min(100, int(done * 100 / total)))
        tty = self.stream.isatty()
        step = pct if tty else pct // 10 * 10
        if self._last == (template, step):
            return
        self._last = (template, step)
        line = render(template, percent=pct, **context)
        if tty:
            self.stream.write(f"\r{line}\x1b[K")
            self._drawn = True
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def _end_bar(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self._drawn = False
        self._last = None

    def finish(self) -> None:
        self._end_bar()


class Heartbeat:
    """Says "still working" once per interval of silence; the SSE reader calls tick()."""

    def __init__(self, progress: Progress, every_s: float, template: str = "still_working") -> None:
        self.progress = progress
        self.every_s = every_s
        self.template = template
        self._mark = time.monotonic()

    def heard(self) -> None:
        self._mark = time.monotonic()

    def tick(self) -> None:
        if time.monotonic() - self._mark >= self.every_s:
            self.progress.status(self.template)
            self._mark = time.monotonic()
