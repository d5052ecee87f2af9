"""Client-side cost of the chat stream: 10,000 SSE events from the emulator.

Reports events per second (wall clock, including the loopback transfer) and
the client's CPU time per event, which is what a long agent stream costs us.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _emulator import emulator

EVENTS = 10_000


def main() -> None:
    with emulator("--bench-events", str(EVENTS)) as url, tempfile.TemporaryDirectory() as tmp:
        os.environ.update(NEMO_API_BASE=url, AI_SUBTITLES_HOME=tmp)
        os.environ.pop("NEMO_TOKEN", None)
        from skill_runtime.cloud.connection import Connection
        from skill_runtime.cloud.sse import stream_chat
        from skill_runtime.config import config
        from skill_runtime.progress import Progress
        from skill_runtime.store import Store

        progress = Progress(quiet=True)
        conn = Connection(config(), Store(Path(tmp)), progress, "bench", "unknown")
        session = conn.session()
        body = {
            "app_name": "nemo_agent",
            "user_id": session.user_id,
            "session_id": session.session_id,
            "new_message": {"role": "user", "parts": [{"text": "add background music"}]},
        }
        wall, cpu = time.perf_counter(), time.process_time()
        outcome = stream_chat(conn.client, "/run_sse", conn.auth.token(), body, progress, 120, 900)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"events received:    {outcome.events}")
    print(f"wall time:          {wall:.2f} s ({outcome.events / wall:,.0f} events/s)")
    print(f"client CPU:         {cpu:.2f} s ({cpu / outcome.events * 1e6:.0f} µs per event)")
    print(f"reply length:       {len(outcome.text)} characters")


if __name__ == "__main__":
    main()
