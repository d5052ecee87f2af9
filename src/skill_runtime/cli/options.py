"""The options commands share, with their choices taken from the types and skill.yaml."""

from __future__ import annotations

import argparse
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn, get_args

from ..backends import BACKENDS
from ..errors import SkillError
from ..settings.base import Aspect, FitMode
from ..settings.skill import SkillConfig


class Parser(argparse.ArgumentParser):
    """argparse, but its complaints come out through the usage template."""

    def error(self, message: str) -> NoReturn:
        raise SkillError("usage", problem=message, usage=self.format_usage().strip())


def listed(names: Iterable[object]) -> str:
    """Choices as help text shows them: `a|b|c`."""
    return "|".join(str(n) for n in names)


def global_options() -> argparse.ArgumentParser:
    """Options that may stand before or after the command (SUPPRESS defaults make that work)."""
    g = argparse.ArgumentParser(add_help=False)
    s = argparse.SUPPRESS
    g.add_argument(
        "--backend", choices=BACKENDS, default=s, help="where to process (default local)"
    )
    g.add_argument("--json", action="store_true", default=s, help="one JSON object on stdout")
    g.add_argument("--out", type=Path, default=s, help="folder for output files")
    g.add_argument(
        "--model",
        default=s,
        metavar="NAME",
        help="Whisper: tiny|base|small|medium|large-v3|turbo|PATH",
    )
    g.add_argument("--language", default=s, help="spoken language, e.g. en (default: detect)")
    g.add_argument("--quiet", action="store_true", default=s, help="no progress on stderr")
    g.add_argument(
        "--overwrite", action="store_true", default=s, help="replace files not written by this tool"
    )
    return g


def positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def rendition(c: argparse.ArgumentParser, what: str) -> None:
    c.add_argument(
        "--rendition",
        metavar="NAME",
        help=f"which version of the video {what} (see `state`; default: the last one worked on)",
    )


def caption_options(c: argparse.ArgumentParser, cfg: SkillConfig) -> None:
    """The options `caption` and `batch` share.

    Styles and platforms are listed from skill.yaml but checked by the backend, whose
    message names the choices (`unknown_style`, `unknown_platform`).
    """
    c.add_argument("--languages", help="caption languages, comma-separated, e.g. en,es")
    c.add_argument(
        "--burn-languages", help="which languages to burn in, at most two (default: the first two)"
    )
    mode = c.add_mutually_exclusive_group()
    mode.add_argument(
        "--burn", dest="burn", action="store_true", default=None, help="burn captions in"
    )
    mode.add_argument("--soft", dest="burn", action="store_false", help="captions as tracks")
    c.add_argument(
        "--aspect", choices=get_args(Aspect), help="9:16 is Shorts/Reels/TikTok (default: source)"
    )
    c.add_argument(
        "--fit",
        choices=get_args(FitMode),
        help="another frame shape: blurred fill (default), crop, or pad with bars",
    )
    c.add_argument("--style", metavar="NAME", help=listed(cfg.local.styles))
    c.add_argument(
        "--platform",
        metavar="APP",
        help=f"keep clear of an app's buttons: {listed(cfg.local.platforms)}",
    )
    c.add_argument(
        "--audio-track",
        type=int,
        metavar="N",
        help="the audio track with the speech, 1 = first (default: the first that has speech)",
    )


def export_options(c: argparse.ArgumentParser, cfg: SkillConfig) -> None:
    c.add_argument("--resume", action="store_true", help="finish an interrupted export")
    c.add_argument("--cancel", action="store_true", help="cancel the running export")
    c.add_argument("--max-size", metavar="SIZE", help="fit the MP4 under SIZE, e.g. 16MB")
    c.add_argument(
        "--for",
        dest="channel",
        metavar="CHANNEL",
        help=f"fit a chat's limit: {listed(cfg.local.delivery.channels)}",
    )
    rendition(c, "to export, or all")


def handoff(c: argparse.ArgumentParser) -> None:
    """`--handoff` writes the work file; `--from FILE` imports it once filled."""
    way = c.add_mutually_exclusive_group(required=True)
    way.add_argument("--handoff", action="store_true", help="write the JSON work file to fill in")
    way.add_argument("--from", dest="answers", type=Path, metavar="FILE", help="import it")
