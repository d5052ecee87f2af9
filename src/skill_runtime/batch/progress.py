"""Batch progress on stderr: one overall bar (files, time left) and each file in flight.

On a terminal the block redraws in place; elsewhere (a log, an agent) a line is
printed when a file changes stage or finishes, never one per percent.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any, Protocol, TextIO

from ..messages import render
from ..progress import Progress


class Stopped(Exception):
    """The batch is being interrupted: the worker drops this file at its next step."""


class StageSink(Protocol):
    def stage(self, name: str, template: str, text: str) -> None: ...


class StageRecorder:
    """The latest stage of each file, for a Ray actor to hand to the driver when asked."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stages: dict[str, tuple[str, str]] = {}

    def stage(self, name: str, template: str, text: str) -> None:
        with self._lock:
            self._stages[name] = (template, text)

    def forget(self, name: str) -> None:
        with self._lock:
            self._stages.pop(name, None)

    def snapshot(self) -> dict[str, tuple[str, str]]:
        with self._lock:
            return dict(self._stages)


class FileProgress(Progress):
    """What one file's pipeline reports, turned into that file's current stage."""

    def __init__(self, name: str, sink: StageSink, stop: threading.Event | None = None) -> None:
        super().__init__(quiet=True)
        self.name = name
        self.sink = sink
        self.stop = stop

    def _check(self) -> None:
        if self.stop is not None and self.stop.is_set():
            raise Stopped(self.name)

    def status(self, template: str, **context: Any) -> None:
        self._check()
        self.sink.stage(self.name, template, render(template, **context))

    def bar(self, template: str, done: float, total: float, **context: Any) -> None:
        self._check()
        if total > 0:
            pct = max(0, min(100, int(done * 100 / total)))
            self.sink.stage(self.name, template, render(template, percent=pct, **context))

    def finish(self) -> None:
        return None


def _clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Board:
    """The stderr display for a whole batch; safe to call from worker threads."""

    def __init__(
        self,
        total: int,
        *,
        skipped: int = 0,
        stream: TextIO | None = None,
        quiet: bool = False,
        redraw_s: float = 0.25,
    ) -> None:
        self.total, self.finished, self.failed = total, skipped, 0
        self.skipped = skipped
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.tty = self.stream.isatty()
        self.redraw_s = redraw_s
        self._lock = threading.Lock()
        self._stages: dict[str, tuple[str, str]] = {}
        self._drawn_lines = 0
        self._last_draw = 0.0
        self._started = time.monotonic()
        self._closed = threading.Event()
        if self.tty and not quiet:
            threading.Thread(target=self._tick, daemon=True).start()

    def _tick(self) -> None:
        """Redraw each second, so the clock moves and a throttled last stage still shows."""
        while not self._closed.wait(1.0):
            with self._lock:
                if not self._closed.is_set():
                    self._draw(force=True)

    def _eta(self) -> str | None:
        ran = self.finished - self.skipped
        left = self.total - self.finished
        if ran <= 0 or left <= 0:
            return None
        return _clock((time.monotonic() - self._started) / ran * left)

    def _overall(self) -> str:
        width = 24
        filled = round(width * self.finished / self.total) if self.total else width
        return render(
            "batch/overall",
            bar="█" * filled + "░" * (width - filled),
            finished=self.finished,
            total=self.total,
            failed=self.failed,
            eta=self._eta(),
            elapsed=_clock(time.monotonic() - self._started),
        )

    def _draw(self, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._last_draw < self.redraw_s:
            return
        self._last_draw = now
        lines = [self._overall()]
        lines += [
            "  " + render("batch/file", file=n, stage=t) for n, (_, t) in self._stages.items()
        ]
        up = f"\x1b[{self._drawn_lines}F" if self._drawn_lines else ""
        self.stream.write(up + "".join(f"\x1b[2K{line}\n" for line in lines) + "\x1b[J")
        self.stream.flush()
        self._drawn_lines = len(lines)

    def _say(self, line: str) -> None:
        self.stream.write(line + "\n")
        self.stream.flush()

    def stage(self, name: str, template: str, text: str) -> None:
        if self.quiet:
            return
        with self._lock:
            before = self._stages.get(name)
            self._stages[name] = (template, text)
            if self.tty:
                self._draw()
            elif before is None or before[0] != template:
                self._say(render("batch/file", file=name, stage=text))

    def done(self, name: str, state: str, reason: str | None = None) -> None:
        with self._lock:
            self._stages.pop(name, None)
            self.finished += 1
            self.failed += state == "failed"
            if self.quiet:
                return
            if self.tty:
                if state == "failed":
                    self._clear()
                    self._say(render("batch/file_done", file=name, state=state, reason=reason))
                self._draw(force=True)
            else:
                self._say(render("batch/file_done", file=name, state=state, reason=reason))
                self._say(self._overall())

    def _clear(self) -> None:
        if self._drawn_lines:
            self.stream.write(f"\x1b[{self._drawn_lines}F\x1b[J")
            self._drawn_lines = 0

    def close(self) -> None:
        with self._lock:
            self._closed.set()
            if self.tty and not self.quiet:
                self._clear()
