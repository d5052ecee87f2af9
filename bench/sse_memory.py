"""Peak memory of the chat stream reader when the server sends one endless line.

The emulator (its own process, on 127.0.0.1) answers the chat with a single
`data:` line of 1 GB and no end. The reader must refuse it at
`cloud.reply_limits.sse_line_bytes` (exit 6) with its memory bounded by that
cap, not by what the server sends. Prints the client's peak resident memory
before and after the stream, and Python's own peak allocation during it.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _emulator import emulator

LINE_BYTES = 1 << 30


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    with (
        emulator("--endless-line-bytes", str(LINE_BYTES)) as url,
        tempfile.TemporaryDirectory() as tmp,
    ):
        os.environ.update(NEMO_API_BASE=url, AI_SUBTITLES_HOME=tmp)
        os.environ.pop("NEMO_TOKEN", None)
        from skill_runtime.cloud.connection import Connection
        from skill_runtime.cloud.sse import stream_chat
        from skill_runtime.config import config
        from skill_runtime.errors import SkillError
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
        token = conn.auth.token()
        before = _peak_rss_mb()
        tracemalloc.start()
        wall = time.perf_counter()
        try:
            stream_chat(conn.client, "/run_sse", token, body, progress, 120, 900)
            outcome = "accepted (not bounded!)"
        except SkillError as exc:
            outcome = f"refused: {exc.code}, exit {config().exit_status(exc.code)}"
        wall = time.perf_counter() - wall
        _, traced = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        after = _peak_rss_mb()
    cap = config().cloud.reply_limits.sse_line_bytes
    print(f"line sent by server:  {LINE_BYTES / 2**20:,.0f} MiB, no end")
    print(f"line cap:             {cap / 2**20:,.1f} MiB (cloud.reply_limits.sse_line_bytes)")
    print(f"outcome:              {outcome} after {wall:.2f} s")
    print(f"peak RSS:             {before:,.1f} MiB before the stream, {after:,.1f} MiB after")
    print(f"peak RSS growth:      {after - before:,.1f} MiB")
    print(f"peak Python alloc:    {traced / 2**20:,.1f} MiB during the stream")


if __name__ == "__main__":
    main()
