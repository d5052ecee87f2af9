"""`ai-subtitles`: the agent-facing command line.

Human text (or one JSON object with --json) goes to stdout, progress and
diagnostics to stderr, and every file the user should receive gets a
`MEDIA: <absolute path>` line. Exit statuses come from skill.yaml's `exit_codes`.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import atomic, handlers
from .backends import Backend, actions, get_backend
from .batch.models import BatchOptions, FileReport, OnFile
from .config import config
from .context import CaptionRequest, Context
from .environment import Environment
from .errors import ErrorCode, SkillError
from .language_tags import canonical, canonical_list
from .manifest import manifest
from .messages import redact, render
from .platform import Host, command_found, detect_host
from .progress import Progress
from .results import Check, MediaFile, Result
from .router import route
from .settings.skill import SkillConfig
from .settings.translation import TranslationSettings
from .sizes import parse_size
from .store import Store, home, state_error

ASPECTS = ["16:9", "9:16", "1:1", "source"]


class _Parser(argparse.ArgumentParser):
    """argparse, but its complaints come out through the usage template."""

    def error(self, message: str) -> NoReturn:
        raise SkillError("usage", problem=message, usage=self.format_usage().strip())


def _globals() -> argparse.ArgumentParser:
    # SUPPRESS defaults let the options stand before or after the subcommand.
    g = argparse.ArgumentParser(add_help=False)
    s = argparse.SUPPRESS
    g.add_argument(
        "--backend", choices=["local", "cloud"], default=s, help="where to process (default local)"
    )
    g.add_argument("--json", action="store_true", default=s, help="one JSON object on stdout")
    g.add_argument("--out", type=Path, default=s, help="folder for output files")
    g.add_argument(
        "--model", default=s, help="Whisper model: tiny|base|small|medium|large-v3|turbo|PATH"
    )
    g.add_argument("--language", default=s, help="spoken language, e.g. en (default: detect)")
    g.add_argument("--quiet", action="store_true", default=s, help="no progress on stderr")
    g.add_argument(
        "--overwrite", action="store_true", default=s, help="replace files not written by this tool"
    )
    return g


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return int(text)


def _rendition_option(c: argparse.ArgumentParser, what: str) -> None:
    c.add_argument(
        "--rendition",
        metavar="NAME",
        help=f"which version of the video {what} (see `state`; default: the last one worked on)",
    )


def _caption_options(c: argparse.ArgumentParser) -> None:
    """The options `caption` and `batch` share."""
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
        "--aspect", choices=ASPECTS, help="16:9, 9:16 (Shorts/Reels/TikTok), 1:1 or source"
    )
    c.add_argument(
        "--fit",
        choices=["blur", "crop", "pad"],
        help="another frame shape: blurred fill (default), crop, or pad with bars",
    )
    c.add_argument(
        "--style",
        help="clean | boxed | vertical-bold | karaoke | pop | pop-word | highlight | keywords",
    )
    c.add_argument("--platform", help="keep clear of an app's buttons: tiktok | reels | shorts")
    c.add_argument(
        "--audio-track",
        type=int,
        metavar="N",
        help="the audio track with the speech, 1 = first (default: the first that has speech)",
    )


def _handoff_options(c: argparse.ArgumentParser) -> None:
    """`--handoff` writes the work file; `--from FILE` imports it once filled."""
    way = c.add_mutually_exclusive_group(required=True)
    way.add_argument("--handoff", action="store_true", help="write the JSON work file to fill in")
    way.add_argument("--from", dest="answers", type=Path, metavar="FILE", help="import it")


def _exit_codes() -> str:
    """skill.yaml's exit statuses, as README and SKILL.md list them too."""
    return ", ".join(f"{status} {name}" for name, status in config().exit_codes.items())


def build_parser() -> argparse.ArgumentParser:
    common = _globals()
    p = _Parser(
        prog="ai-subtitles",
        description="Caption videos from a chat: subtitles, translations, burned-in or tracks.",
        parents=[common],
        epilog=f"Exit codes: {_exit_codes()}. Env: NEMO_TOKEN, NEMO_API_BASE, "
        "AI_SUBTITLES_HOME, AI_SUBTITLES_MODEL.",
    )
    p.add_argument("--version", action="version", version=f"ai-subtitles {manifest().version}")
    sub: Any = p.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=_Parser
    )

    def cmd(name: str, help_text: str) -> Any:
        return sub.add_parser(name, help=help_text, description=help_text, parents=[common])

    for name, help_text in (
        ("route", "show which action a sentence maps to (no side effects)"),
        ("say", "route what the user said, then run it"),
    ):
        c = cmd(name, help_text)
        c.add_argument("text")
        c.add_argument(
            "--file", type=Path, action="append", default=[], help="attached file (repeatable)"
        )
    cmd("upload", "add files or URLs to the session").add_argument(
        "items", nargs="+", metavar="PATH|URL"
    )
    chat = cmd("chat", "send an instruction (edit captions, add languages...)")
    chat.add_argument("text")
    _rendition_option(chat, "to edit, or all")
    cmd("state", "show the timeline")
    cmd("credits", "show the credit balance")
    e = cmd("export", "render the session to MP4")
    e.add_argument("--resume", action="store_true", help="finish an interrupted export")
    e.add_argument("--cancel", action="store_true", help="cancel the running export")
    e.add_argument("--max-size", metavar="SIZE", help="fit the MP4 under SIZE, e.g. 16MB")
    e.add_argument(
        "--for",
        dest="channel",
        metavar="CHANNEL",
        help="fit a chat's limit: whatsapp|telegram|email",
    )
    _rendition_option(e, "to export, or all")
    _rendition_option(
        cmd("preview", "contact sheet: four captioned moments in one PNG, no video encoded"),
        "to show, or all",
    )
    c = cmd("caption", "caption a video file (or a video link) end to end")
    c.add_argument("path", metavar="PATH|URL")
    _caption_options(c)
    _rendition_option(c, "these options make or change")
    b = cmd("batch", "caption many videos (folders, globs, list files); resumable")
    b.add_argument("sources", nargs="+", metavar="SOURCE")
    _caption_options(b)
    b.add_argument(
        "--ray",
        nargs="?",
        const="local",
        metavar="ADDRESS",
        help="run on a Ray cluster (default: $AI_SUBTITLES_RAY_ADDRESS, else a local Ray)",
    )
    b.add_argument(
        "--workers", type=_positive, help="files in flight on this machine (default: auto)"
    )
    c.add_argument("--preview", action="store_true", help="stop at a contact sheet PNG, no encode")
    c.add_argument(
        "--subtitles", type=Path, metavar="FILE", help="use this SRT/VTT/ASS file; no recognition"
    )
    t = cmd("translate", "the host agent translates (work file out, then in)")
    t.add_argument("target", metavar="LANG", help="the language to add, e.g. es")
    _handoff_options(t)
    _handoff_options(cmd("proofread", "the host agent proofreads names, terms, numbers"))
    cmd("setup", "connect or prepare the backend (model, token)").add_argument(
        "--translation",
        metavar="SRC-DST|PACK",
        help="install an offline translation pack, e.g. en-es, or a .argosmodel file you have",
    )
    cmd("doctor", "check that everything needed is here")
    cmd("mcp", "serve the commands as MCP tools over stdio (chat apps)")
    return p


def _context(
    args: argparse.Namespace,
    cfg: SkillConfig,
    env: Environment,
    host: Host,
    progress: Progress | None = None,
) -> Context:
    spoken = getattr(args, "language", None)
    language = canonical(spoken, cfg.translation, option="--language") if spoken else None
    return Context(
        config=cfg,
        store=Store(home(env)),
        out_dir=(getattr(args, "out", None) or Path.cwd() / "ai-subtitles-output").resolve(),
        progress=progress or Progress(quiet=getattr(args, "quiet", False)),
        version=manifest().version,
        platform=host.header,
        env=env,
        # Whisper knows languages, not regions: en-US is recognised as en.
        language=language.split("-")[0] if language else None,
        model=getattr(args, "model", None) or env.get(cfg.local.model.env_var),
        overwrite=getattr(args, "overwrite", False),
        rendition=getattr(args, "rendition", None),
    )


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


def _said(args: argparse.Namespace) -> str:
    """The caption command as the user gave it, for the job's edit history."""
    words = ["caption", args.path if handlers.is_link(args.path) else Path(args.path).name]
    if args.burn is not None:
        words.append("--burn" if args.burn else "--soft")
    for option in ("languages", "burn_languages", "aspect", "fit", "style", "platform"):
        if getattr(args, option):
            words += [f"--{option.replace('_', '-')}", str(getattr(args, option))]
    return " ".join(words)


def _shared_options(args: argparse.Namespace, ctx: Context) -> dict[str, Any]:
    """The options `caption` and `batch` share, checked before any work."""
    languages, burned = _language_choice(args, ctx.config.translation)
    return {
        "languages": languages,
        "burn_languages": burned,
        "source_language": ctx.language,
        "burn": args.burn,
        "aspect": args.aspect,
        "fit": args.fit,
        "style": args.style,
        "platform": args.platform,
        "model": getattr(args, "model", None),
        "audio_track": _audio_track(args.audio_track),
    }


def _audio_track(number: int | None) -> int | None:
    """--audio-track N (1-based, as players number tracks) as a 0-based stream index."""
    if number is None:
        return None
    if number < 1:
        raise SkillError("usage", problem="--audio-track counts from 1 (the first audio track)")
    return number - 1


def _caption_request(args: argparse.Namespace, ctx: Context) -> CaptionRequest:
    return CaptionRequest(
        said=_said(args),
        path=Path(args.path),
        url=args.path if handlers.is_link(args.path) else None,
        preview=args.preview,
        rendition=args.rendition,
        subtitles=args.subtitles,
        **_shared_options(args, ctx),
    )


def _batch_options(args: argparse.Namespace, ctx: Context) -> BatchOptions:
    return BatchOptions(
        sources=args.sources, ray=args.ray, workers=args.workers, **_shared_options(args, ctx)
    )


def _file_line(as_json: bool) -> OnFile:
    """With --json, one JSON line per file as it finishes (the summary object comes last)."""

    def emit(report: FileReport) -> None:
        if as_json:
            payload = report.model_dump(mode="json", exclude={"media"})
            _print_json({**payload, "media": _media_json(report.media)})
            sys.stdout.flush()  # a reader sees each file as it finishes, even through a pipe

    return emit


def _ask(args: argparse.Namespace, batch: BatchOptions | None) -> actions.Ask:
    """The command's arguments as the action table takes them."""
    items: list[str] = getattr(args, "items", [])
    max_size: str | None = getattr(args, "max_size", None)
    return actions.Ask(
        text=getattr(args, "text", ""),
        files=[Path(i) for i in items if not handlers.urls_in(i)],
        urls=[i for i in items if handlers.urls_in(i)],
        resume=getattr(args, "resume", False),
        cancel=getattr(args, "cancel", False),
        channel=getattr(args, "channel", None),
        max_bytes=parse_size(max_size) if max_size else None,
        batch=batch,
        on_file=_file_line(getattr(args, "json", False)) if batch else None,
    )


def _doctor(ctx: Context, host: Host) -> Result:
    checks = [
        Check(name="python", ok=sys.version_info >= (3, 10), detail=sys.version.split()[0]),
        Check(name="platform", ok=True, detail=render("doctor_host", host=host), required=False),
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
            checks += get_backend(name, ctx).doctor()
        except SkillError as exc:
            detail = render(f"errors/{exc.code}", **exc.context)
            checks.append(Check(name=f"{name} backend", ok=False, detail=detail))
    ok = all(c.ok for c in checks if c.required)
    return Result(
        action="doctor",
        ok=ok,
        template="doctor",
        context={"checks": checks, "ok": ok},
        data={"checks": [c.model_dump() for c in checks]},
    )


def results(argv: Sequence[str], progress: Progress) -> Iterator[Result]:
    """One command line's results, for a front door other than stdout (the MCP server)."""
    cfg = config()
    yield from _run(build_parser().parse_args(list(argv)), cfg, Environment.read(cfg), progress)


def _run(
    args: argparse.Namespace,
    cfg: SkillConfig,
    env: Environment,
    progress: Progress | None = None,
) -> Iterator[Result]:
    """Each action's result as soon as it is done, so a later failure loses nothing."""
    if args.command == "route":
        files = args.file
        decision = route(args.text, cfg, attachments=len(files) + len(handlers.urls_in(args.text)))
        yield Result(
            action="route",
            template="route",
            context=decision.model_dump(),
            data={"action": decision.action, "then": decision.then, "rule": decision.rule},
        )
        return
    host = detect_host(cfg.hosts, env)
    ctx = _context(args, cfg, env, host, progress)
    if args.command == "doctor":
        yield _doctor(ctx, host)
        return
    # Checked before the backend (and its heavy imports) loads: a bad value fails at once.
    request = _caption_request(args, ctx) if args.command == "caption" else None
    batch = _batch_options(args, ctx) if args.command == "batch" else None
    ask = _ask(args, batch)
    backend: Backend = get_backend(getattr(args, "backend", "local"), ctx)
    action = actions.COMMANDS.get(args.command)
    if action is not None:
        yield actions.run(action, backend, ask)
    elif args.command == "say":
        yield from handlers.say(args.text, args.file, backend, cfg)
    elif args.command == "preview":
        yield backend.preview()
    elif request is not None:
        if args.preview and backend.name != "local":
            raise SkillError("not_available", backend=backend.name, action="caption --preview")
        if args.subtitles and backend.name != "local":
            raise SkillError("not_available", backend=backend.name, action="caption --subtitles")
        yield backend.caption(request)
    elif args.command == "translate":
        target = canonical(args.target, cfg.translation, option="translate")
        yield backend.translate(target, handoff=args.handoff, answers=args.answers)
    elif args.command == "proofread":
        yield backend.proofread(ctx.language, handoff=args.handoff, answers=args.answers)
    elif args.command == "setup" and args.translation:
        yield backend.setup_translation(args.translation)
    else:  # setup, the one command left
        yield backend.setup()


def _media_json(media: list[MediaFile]) -> list[dict[str, Any]]:
    return [m.model_dump(mode="json") | {"path": str(m.path.resolve())} for m in media]


def item(result: Result) -> dict[str, Any]:
    return {
        "action": result.action,
        "message": render(result.template, **result.context),
        "media": _media_json(result.media),
        **result.data,
    }


def _print_json(payload: dict[str, Any]) -> None:
    print(redact(json.dumps(payload, ensure_ascii=False, default=str)))


def _print_text(result: Result) -> None:
    text = render(result.template, **result.context)
    if text:
        print(text)
    for media in result.media:
        print(f"MEDIA: {media.path.resolve()}")


_TEMP_LOG = f"ai-subtitles-last-error-{os.getuid() if hasattr(os, 'getuid') else 0}.txt"


def log_crash() -> str | None:
    """Keep the traceback for a bug report: in the state folder, else the system's temporary
    folder; the path written. When neither can be written it goes to stderr (redacted), so a
    message never points to a log that does not exist."""
    report = redact(traceback.format_exc())
    for path in (home() / "last-error.txt", Path(tempfile.gettempdir()) / _TEMP_LOG):
        with contextlib.suppress(OSError):
            atomic.write_text(path, report, mode=0o600)
            return str(path)
    print(report, file=sys.stderr)
    return None


def _fail(
    code: ErrorCode,
    context: dict[str, Any],
    as_json: bool,
    status: int,
    media: list[MediaFile] | None = None,
    done: list[Result] | None = None,
) -> int:
    """The error on stderr; files finished before it still reach the user."""
    message = render(f"errors/{code}", **context)
    print(message, file=sys.stderr)
    media = media or []
    if as_json:
        payload: dict[str, Any] = {"ok": False, "error": code, "message": message}
        if media:
            payload["media"] = _media_json(media)
        if done:
            payload["results"] = [item(r) for r in done]
        _print_json(payload)
    else:
        for item in media:
            print(f"MEDIA: {item.path.resolve()}")
    return status


def _stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C: children stop, part files go, state stays consistent."""

    def handler(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    with contextlib.suppress(ValueError):  # not the main thread (tests calling main)
        signal.signal(signal.SIGTERM, handler)


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
        args = build_parser().parse_args(argv)
        if args.command == "mcp":  # a server, not a result: the launcher provides it
            if servers is None or "mcp" not in servers:
                raise SkillError("mcp_missing")
            return servers["mcp"](args)
        for result in _run(args, cfg, env):
            done.append(result)
            if not as_json:
                _print_text(result)
        if as_json:
            ok = all(r.ok for r in done)
            items = [item(r) for r in done]
            _print_json({"ok": ok, **items[0]} if len(items) == 1 else {"ok": ok, "results": items})
        return 0 if all(r.ok for r in done) else cfg.exit_codes["unavailable"]
    except SkillError as exc:
        try:
            status = config().exit_status(exc.code)
        except SkillError:
            status = 1
        return _fail(exc.code, exc.context, as_json, status, exc.media, done)
    except KeyboardInterrupt:
        return _fail("interrupted", {}, as_json, config().exit_status("interrupted"), done=done)
    except Exception as exc:
        if env.debug:
            raise
        state = state_error(exc) if isinstance(exc, OSError) else None
        if state is not None:
            return _fail(state.code, state.context, as_json, config().exit_status(state.code))
        return _fail("internal", {"log": log_crash()}, as_json, 1, done=done)
