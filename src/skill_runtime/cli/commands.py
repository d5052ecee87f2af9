"""The command table: each command's name, help, arguments and what it runs.

A command's arguments are checked into a request before the backend (and its heavy
imports) loads, so a bad value fails at once. The six action commands run through
`backends.actions`, the table `say` and the cloud follow-ups use too.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from .. import handlers
from ..backends import Backend, actions, get_backend
from ..batch.models import BatchOptions
from ..context import CaptionRequest, Context
from ..environment import Environment
from ..errors import SkillError
from ..language_tags import canonical, canonical_list
from ..manifest import manifest
from ..messages import render
from ..platform import Host, command_found, detect_host
from ..progress import Progress
from ..results import Check, Result
from ..router import route
from ..settings.skill import Action, SkillConfig
from ..settings.translation import TranslationSettings
from ..sizes import parse_size
from ..store import Store, home
from . import options
from .printing import file_line


class Call:
    """One command line being run: its arguments, and what they need, made on first use."""

    def __init__(
        self,
        args: argparse.Namespace,
        cfg: SkillConfig,
        env: Environment,
        progress: Progress | None = None,
    ) -> None:
        self.args = args
        self.cfg = cfg
        self.env = env
        self.progress = progress

    def option(self, name: str) -> Any:
        """A global option (it may be absent: they default to SUPPRESS)."""
        return getattr(self.args, name, None)

    @cached_property
    def host(self) -> Host:
        return detect_host(self.cfg.hosts, self.env)

    @cached_property
    def ctx(self) -> Context:
        spoken = self.option("language")
        language = canonical(spoken, self.cfg.translation, option="--language") if spoken else None
        return Context(
            config=self.cfg,
            store=Store(home(self.env)),
            out_dir=(self.option("out") or Path.cwd() / "ai-subtitles-output").resolve(),
            progress=self.progress or Progress(quiet=bool(self.option("quiet"))),
            version=manifest().version,
            platform=self.host.header,
            env=self.env,
            # Whisper knows languages, not regions: en-US is recognised as en.
            language=language.split("-")[0] if language else None,
            model=self.option("model") or self.env.get(self.cfg.local.model.env_var),
            overwrite=bool(self.option("overwrite")),
            rendition=self.option("rendition"),
        )

    def backend(self) -> Backend:
        return get_backend(self.option("backend") or "local", self.ctx)


Run = Callable[[Call], Iterator[Result]]
Arguments = Callable[[argparse.ArgumentParser, SkillConfig], None]


def _none(c: argparse.ArgumentParser, cfg: SkillConfig) -> None:
    """A command that takes only the global options."""


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Run
    arguments: Arguments = _none


# What the arguments ask for, checked before any work.


def _tags(text: str | None, settings: TranslationSettings, option: str) -> list[str]:
    """A comma-separated option, each tag checked before any work (exit 2 otherwise)."""
    tags = [x for x in (text or "").split(",") if x.strip()]
    return canonical_list(tags, settings, option=option)


def _language_choice(
    args: argparse.Namespace, settings: TranslationSettings
) -> tuple[list[str], list[str]]:
    """`--languages` and `--burn-languages`, checked together (caption and batch share them)."""
    burned = _tags(args.burn_languages, settings, "--burn-languages")
    languages = _tags(args.languages, settings, "--languages") or burned
    if len(burned) > 2 or not set(burned) <= set(languages):
        raise SkillError(
            "usage",
            problem="--burn-languages takes one or two of the --languages",
            usage="e.g. --languages en,es,fr --burn-languages en,es",
        )
    return languages, burned


def _audio_track(number: int | None) -> int | None:
    """--audio-track N (1-based, as players number tracks) as a 0-based stream index."""
    if number is None:
        return None
    if number < 1:
        raise SkillError("usage", problem="--audio-track counts from 1 (the first audio track)")
    return number - 1


def _shared_options(call: Call) -> dict[str, Any]:
    """The options `caption` and `batch` share, checked before any work."""
    args = call.args
    languages, burned = _language_choice(args, call.cfg.translation)
    return {
        "languages": languages,
        "burn_languages": burned,
        "source_language": call.ctx.language,
        "burn": args.burn,
        "aspect": args.aspect,
        "fit": args.fit,
        "style": args.style,
        "platform": args.platform,
        "model": call.option("model"),
        "audio_track": _audio_track(args.audio_track),
    }


# The options a caption's history entry repeats: how the captions should look.
_SAID = {"burn", "languages", "burn_languages", "aspect", "fit", "style", "platform"}


def said(request: CaptionRequest) -> str:
    """The caption command as the user gave it, for the job's edit history."""
    words = ["caption", request.url or request.path.name]
    for name, value in request.model_dump(include=_SAID, exclude_defaults=True).items():
        if name == "burn":
            words.append("--burn" if value else "--soft")
        else:
            shown = ",".join(value) if isinstance(value, list) else str(value)
            words += [f"--{name.replace('_', '-')}", shown]
    return " ".join(words)


def _caption_request(call: Call) -> CaptionRequest:
    args = call.args
    request = CaptionRequest(
        path=Path(args.path),
        url=args.path if handlers.is_link(args.path) else None,
        preview=args.preview,
        rendition=args.rendition,
        subtitles=args.subtitles,
        **_shared_options(call),
    )
    return request.model_copy(update={"said": said(request)})


def _ask(call: Call, batch: BatchOptions | None = None) -> actions.Ask:
    """The command's arguments as the action table takes them."""
    items: list[str] = getattr(call.args, "items", [])
    max_size: str | None = getattr(call.args, "max_size", None)
    return actions.Ask(
        text=getattr(call.args, "text", ""),
        files=[Path(i) for i in items if not handlers.urls_in(i)],
        urls=[i for i in items if handlers.urls_in(i)],
        resume=getattr(call.args, "resume", False),
        cancel=getattr(call.args, "cancel", False),
        channel=getattr(call.args, "channel", None),
        max_bytes=parse_size(max_size) if max_size else None,
        batch=batch,
        on_file=file_line(bool(call.option("json"))) if batch else None,
    )


# What each command runs.


def _action(name: Action) -> Run:
    """A command that is one row of the action table."""

    def run(call: Call) -> Iterator[Result]:
        ask = _ask(call)
        yield actions.run(name, call.backend(), ask)

    return run


def _batch(call: Call) -> Iterator[Result]:
    options = BatchOptions(
        sources=call.args.sources,
        ray=call.args.ray,
        workers=call.args.workers,
        **_shared_options(call),
    )
    ask = _ask(call, options)
    yield actions.run("batch", call.backend(), ask)


def _route(call: Call) -> Iterator[Result]:
    text = call.args.text
    decision = route(text, call.cfg, attachments=len(call.args.file) + len(handlers.urls_in(text)))
    yield Result(
        action="route",
        template="route",
        context=decision.model_dump(),
        data=decision.model_dump(include={"action", "then", "rule", "skip_sse"}),
    )


def _say(call: Call) -> Iterator[Result]:
    yield from handlers.say(call.args.text, call.args.file, call.backend(), call.cfg)


def _caption(call: Call) -> Iterator[Result]:
    request = _caption_request(call)
    backend = call.backend()
    if backend.name != "local":
        for option, given in (("--preview", request.preview), ("--subtitles", request.subtitles)):
            if given:
                raise SkillError("not_available", backend=backend.name, action=f"caption {option}")
    yield backend.caption(request)


def _preview(call: Call) -> Iterator[Result]:
    yield call.backend().preview()


def _translate(call: Call) -> Iterator[Result]:
    target = canonical(call.args.target, call.cfg.translation, option="translate")
    backend = call.backend()
    yield backend.translate(target, handoff=call.args.handoff, answers=call.args.answers)


def _proofread(call: Call) -> Iterator[Result]:
    language = call.ctx.language
    yield call.backend().proofread(language, handoff=call.args.handoff, answers=call.args.answers)


def _setup(call: Call) -> Iterator[Result]:
    backend = call.backend()
    pack = call.args.translation
    yield backend.setup_translation(pack) if pack else backend.setup()


def _doctor(call: Call) -> Iterator[Result]:
    checks = [
        Check(name="python", ok=sys.version_info >= (3, 10), detail=sys.version.split()[0]),
        Check(
            name="platform", ok=True, detail=render("doctor_host", host=call.host), required=False
        ),
    ]
    command = command_found(sys.argv[0], sys.executable)
    checks.append(
        Check(
            name="command",
            ok=command.on_path is not None,
            detail=render("doctor_command", command=command),
            required=False,
        )
    )
    for name in ("local", "cloud"):
        try:
            checks += get_backend(name, call.ctx).doctor()
        except SkillError as exc:
            detail = render(f"errors/{exc.code}", **exc.context)
            checks.append(Check(name=f"{name} backend", ok=False, detail=detail))
    ok = all(c.ok for c in checks if c.required)
    yield Result(
        action="doctor",
        ok=ok,
        template="doctor",
        context={"checks": checks, "ok": ok},
        data={"checks": [c.model_dump() for c in checks]},
    )


def _server(call: Call) -> Iterator[Result]:
    """`mcp` serves rather than answers: `main` hands it to the launcher's server."""
    raise SkillError("mcp_missing")


# How each command's arguments are added.


def _sentence(c: argparse.ArgumentParser, cfg: SkillConfig) -> None:
    c.add_argument("text")
    c.add_argument(
        "--file", type=Path, action="append", default=[], help="attached file (repeatable)"
    )


def _upload_args(c: argparse.ArgumentParser, cfg: SkillConfig) -> None:
    c.add_argument("items", nargs="+", metavar="PATH|URL")


def _chat_args(c: argparse.ArgumentParser, cfg: SkillConfig) -> None:
    c.add_argument("text")
    options.rendition(c, "to edit, or all")


def _preview_args(c: argparse.ArgumentParser, cfg: SkillConfig) -> None:
    options.rendition(c, "to show, or all")


def _caption_args(c: argparse.ArgumentParser, cfg: SkillConfig) -> None:
    c.add_argument("path", metavar="PATH|URL")
    options.caption_options(c, cfg)
    options.rendition(c, "these options make or change")
    c.add_argument("--preview", action="store_true", help="stop at a contact sheet PNG, no encode")
    c.add_argument(
        "--subtitles", type=Path, metavar="FILE", help="use this SRT/VTT/ASS file; no recognition"
    )


def _batch_args(c: argparse.ArgumentParser, cfg: SkillConfig) -> None:
    c.add_argument("sources", nargs="+", metavar="SOURCE")
    options.caption_options(c, cfg)
    c.add_argument(
        "--ray",
        nargs="?",
        const="local",
        metavar="ADDRESS",
        help="run on a Ray cluster (default: $AI_SUBTITLES_RAY_ADDRESS, else a local Ray)",
    )
    c.add_argument(
        "--workers", type=options.positive, help="files in flight on this machine (default: auto)"
    )


def _translate_args(c: argparse.ArgumentParser, cfg: SkillConfig) -> None:
    c.add_argument("target", metavar="LANG", help="the language to add, e.g. es")
    options.handoff(c)


def _proofread_args(c: argparse.ArgumentParser, cfg: SkillConfig) -> None:
    options.handoff(c)


def _setup_args(c: argparse.ArgumentParser, cfg: SkillConfig) -> None:
    c.add_argument(
        "--translation",
        metavar="SRC-DST|PACK",
        help="install an offline translation pack, e.g. en-es, or a .argosmodel file you have",
    )


COMMANDS: tuple[Command, ...] = (
    Command("route", "show which action a sentence maps to (no side effects)", _route, _sentence),
    Command("say", "route what the user said, then run it", _say, _sentence),
    Command("upload", "add files or URLs to the session", _action("upload"), _upload_args),
    Command(
        "chat",
        "send an instruction (edit captions, add languages...)",
        _action("sse"),
        _chat_args,
    ),
    Command("state", "show the timeline", _action("state")),
    Command("credits", "show the credit balance", _action("credits")),
    Command("export", "render the session to MP4", _action("export"), options.export_options),
    Command(
        "preview",
        "contact sheet PNG: four captioned moments, no encode",
        _preview,
        _preview_args,
    ),
    Command(
        "caption", "caption a video file (or a video link) end to end", _caption, _caption_args
    ),
    Command("batch", "caption many videos (folders, globs, lists); resumable", _batch, _batch_args),
    Command(
        "translate",
        "the host agent translates (work file out, then in)",
        _translate,
        _translate_args,
    ),
    Command(
        "proofread", "the host agent proofreads names, terms, numbers", _proofread, _proofread_args
    ),
    Command("setup", "connect or prepare the backend (model, token)", _setup, _setup_args),
    Command("doctor", "check that everything needed is here", _doctor),
    Command("mcp", "serve the commands as MCP tools over stdio (chat apps)", _server),
)
BY_NAME = {c.name: c for c in COMMANDS}


def _exit_codes(cfg: SkillConfig) -> str:
    """skill.yaml's exit statuses, as README and SKILL.md list them too."""
    return ", ".join(f"{status} {name}" for name, status in cfg.exit_codes.items())


def parser(cfg: SkillConfig) -> argparse.ArgumentParser:
    """The command line from the table; skill.yaml gives the lists its help shows."""
    common = options.global_options()
    p = options.Parser(
        prog="ai-subtitles",
        description="Caption videos from a chat: subtitles, translations, burned-in or tracks.",
        parents=[common],
        epilog=f"Exit codes: {_exit_codes(cfg)}. Env: NEMO_TOKEN, NEMO_API_BASE, "
        "AI_SUBTITLES_HOME, AI_SUBTITLES_MODEL.",
    )
    p.add_argument("--version", action="version", version=f"ai-subtitles {manifest().version}")
    sub: Any = p.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=options.Parser
    )
    for command in COMMANDS:
        c = sub.add_parser(
            command.name, help=command.help, description=command.help, parents=[common]
        )
        command.arguments(c, cfg)
    return p


def run(
    args: argparse.Namespace, cfg: SkillConfig, env: Environment, progress: Progress | None = None
) -> Iterator[Result]:
    """Each result as soon as it is done, so a later failure loses nothing."""
    yield from BY_NAME[args.command].run(Call(args, cfg, env, progress))
