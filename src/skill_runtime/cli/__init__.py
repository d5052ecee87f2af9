"""`ai-subtitles`: the agent-facing command line.

Human text (or one JSON object with --json) goes to stdout, progress and
diagnostics to stderr, and every file the user should receive gets a
`MEDIA: <absolute path>` line. Exit statuses come from skill.yaml's `exit_codes`.
`commands` is the command table, `options` the options they share, `printing`
how results and errors reach the user.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence

from ..config import config
from ..environment import Environment
from ..errors import SkillError
from ..progress import Progress
from ..results import Result
from ..settings.skill import SkillConfig
from ..store import state_error
from .commands import parser, run
from .printing import fail, item, log_crash, print_all, print_text

__all__ = ["build_parser", "item", "log_crash", "main", "results"]


def build_parser(cfg: SkillConfig | None = None) -> argparse.ArgumentParser:
    return parser(cfg or config())


def results(argv: Sequence[str], progress: Progress) -> Iterator[Result]:
    """One command line's results, for a front door other than stdout (the MCP server)."""
    cfg = config()
    yield from run(build_parser(cfg).parse_args(list(argv)), cfg, Environment.read(cfg), progress)


def _stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C: children stop, part files go, state stays consistent."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not the main thread (tests calling main)
        signal.signal(signal.SIGTERM, handler)


def _reader_gone(cfg: SkillConfig) -> int:
    """stdout's reader stopped reading (`| head`): the work is done, nothing more to say.

    stdout goes to /dev/null so the interpreter's last flush does not fail again.
    """
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return cfg.exit_codes["closed"]


def main(
    argv: Sequence[str] | None = None,
    servers: Mapping[str, Callable[[argparse.Namespace], int]] | None = None,
) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    _stop_on_sigterm()
    as_json = "--json" in argv
    done: list[Result] = []
    # Read before skill.yaml so a broken skill.yaml still honours AI_SUBTITLES_DEBUG.
    env = Environment.read()
    try:
        cfg = config()
        env = Environment.read(cfg)
        args = build_parser(cfg).parse_args(argv)
        if servers is not None and args.command in servers:  # a server, not a result
            return servers[args.command](args)
        try:
            for result in run(args, cfg, env):
                done.append(result)
                if not as_json:
                    print_text(result)
            if as_json:
                print_all(done)
        except BrokenPipeError:
            return _reader_gone(cfg)
        return 0 if all(r.ok for r in done) else cfg.exit_codes["unavailable"]
    except SkillError as exc:
        try:
            status = config().exit_status(exc.code)
        except SkillError:
            status = 1
        return fail(exc.code, exc.context, as_json, status, exc.media, done)
    except KeyboardInterrupt:
        return fail("interrupted", {}, as_json, config().exit_status("interrupted"), done=done)
    except Exception as exc:
        if env.debug:
            raise
        state = state_error(exc) if isinstance(exc, OSError) else None
        if state is not None:
            return fail(state.code, state.context, as_json, config().exit_status(state.code))
        return fail("internal", {"log": log_crash()}, as_json, 1, done=done)
