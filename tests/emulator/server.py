"""Runs the emulator with uvicorn on an ephemeral loopback port, in a thread or a process."""

from __future__ import annotations

import argparse
import threading
import time

import uvicorn

from .app import build_app
from .state import EmulatorState


class Emulator:
    def __init__(self, state: EmulatorState | None = None) -> None:
        self.state = state or EmulatorState()
        config = uvicorn.Config(
            build_app(self.state), host="127.0.0.1", port=0, log_level="critical", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Emulator:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("emulator did not start")
            time.sleep(0.01)
        self.port = self.server.servers[0].sockets[0].getsockname()[1]
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the NemoVideo emulator on 127.0.0.1.")
    parser.add_argument("--bench-events", type=int, default=0)
    parser.add_argument("--endless-line-bytes", type=int, default=0)
    args = parser.parse_args()
    emulator = Emulator(
        EmulatorState(
            bench_events=args.bench_events,
            endless_line_bytes=args.endless_line_bytes,
            heartbeats=0,
            no_text_rate=0,
        )
    ).start()
    print(emulator.url, flush=True)
    try:
        while emulator.thread.is_alive():
            time.sleep(0.5)
    except KeyboardInterrupt:
        emulator.stop()


if __name__ == "__main__":
    main()
