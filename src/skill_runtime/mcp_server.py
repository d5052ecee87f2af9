"""`ai-subtitles mcp`: the CLI's commands as MCP tools, for chat apps without a shell.

Two front doors, one table: a tool call becomes the argument list of the CLI command
it names and runs through `cli.results` (the same parser, checks, action table and
templates), so a tool answers with the CLI's sentences and MEDIA lines, its files as
resource links and its `--json` object as structured content; a failure is a tool
error with the CLI's message, error code and exit status. What the runtime reports
through `Progress` reaches the client as progress notifications.

Adding a tool is one `TOOLS` entry: an argument model and the command line it makes.
"""

from __future__ import annotations

import argparse
import inspect
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal

import anyio
import anyio.from_thread
import anyio.to_thread
from mcp.server.mcpserver import Context, MCPServer
from mcp_types import CallToolResult, ContentBlock, ResourceLink, TextContent, ToolAnnotations
from pydantic import BaseModel, Field
from pydantic.fields import FieldInfo

from . import cli
from .config import config
from .errors import ErrorCode, SkillError
from .manifest import manifest
from .messages import render
from .progress import Progress
from .results import MediaFile, Result
from .settings.base import Aspect, FitMode

Send = Callable[[float, str], None]


class ToolProgress(Progress):
    """Progress lines as notifications; each one counts up, as the protocol asks."""

    def __init__(self, send: Send) -> None:
        super().__init__(quiet=True)
        self._send = send
        self._step = 0
        self._shown: tuple[str, int] | None = None

    def _note(self, line: str) -> None:
        self._step += 1
        self._send(self._step, line)

    def status(self, template: str, **context: Any) -> None:
        self._shown = None
        self._note(render(template, **context))

    def bar(self, template: str, done: float, total: float, **context: Any) -> None:
        if total <= 0:
            return
        percent = max(0, min(100, int(done * 100 / total)))
        if self._shown == (template, percent // 5):
            return
        self._shown = (template, percent // 5)
        self._note(render(template, percent=percent, **context))

    def finish(self) -> None:
        self._shown = None


# The tools' arguments. Field descriptions are what the host's model reads.


class CaptionOptions(BaseModel):
    languages: list[str] = Field(
        default_factory=list, description="caption languages, e.g. ['en', 'es'] (default: spoken)"
    )
    burn_languages: list[str] = Field(
        default_factory=list, description="which of `languages` to burn in, at most two"
    )
    captions: Literal["burn", "soft"] | None = Field(
        None, description="burn: drawn into the picture; soft: selectable tracks"
    )
    aspect: Aspect | None = Field(None, description="9:16 for TikTok/Shorts/Reels, 16:9 YouTube")
    style: str | None = Field(
        None, description="clean|boxed|vertical-bold|karaoke|pop|pop-word|highlight|keywords"
    )
    platform: str | None = Field(None, description="keep clear of an app's buttons: tiktok|reels")
    fit: FitMode | None = Field(
        None, description="a new frame shape: blur (filled, default), crop, or pad (bars)"
    )
    audio_track: int | None = Field(
        None, ge=1, description="the audio track with the speech, 1 = first (default: detected)"
    )

    def options(self) -> list[str]:
        argv = [*_opt("--languages", ",".join(self.languages))]
        argv += _opt("--burn-languages", ",".join(self.burn_languages))
        argv += [f"--{self.captions}"] if self.captions else []
        argv += _opt("--aspect", self.aspect) + _opt("--style", self.style)
        argv += _opt("--platform", self.platform) + _opt("--fit", self.fit)
        return argv + _opt("--audio-track", str(self.audio_track) if self.audio_track else None)


class Picked(BaseModel):
    rendition: str | None = Field(
        None, description="which version: its name ('youtube', 'tiktok') or 'all' (default: last)"
    )

    def picked(self) -> list[str]:
        return _opt("--rendition", self.rendition)


class CaptionArgs(CaptionOptions, Picked):
    video: str = Field(description="absolute path of a video or audio file, or a video link")
    preview: bool = Field(False, description="stop at a preview image; no video is encoded")
    subtitles: str | None = Field(
        None, description="absolute path of the user's own SRT/VTT/ASS file; nothing recognised"
    )
    rendition: str | None = Field(
        None, description="name a new or existing version ('tiktok'); others keep their files"
    )


class ChatArgs(Picked):
    text: str = Field(
        description="the user's words: 'make them yellow', 'add French', 'move them to the top'"
    )


class UndoArgs(Picked):
    steps: int = Field(1, ge=1, le=50, description="how many edits to take back")
    what: str | None = Field(
        None, description="one thing to put back instead: 'the yellow', 'the TikTok version'"
    )

    def said(self) -> str:
        if self.what:
            return f"undo {self.what}"
        return "undo" if self.steps == 1 else f"undo the last {self.steps}"


class NoArgs(BaseModel):
    """A tool that takes nothing: it acts on the current video."""


class HandoffArgs(BaseModel):
    answers: str | None = Field(
        None, description="absolute path of the filled work file; omit to get the work file"
    )

    def way(self) -> list[str]:
        return ["--from", self.answers] if self.answers else ["--handoff"]


class TranslateArgs(HandoffArgs):
    language: str = Field(description="the language to add, e.g. 'es'")


class ExportArgs(Picked):
    channel: Literal["whatsapp", "telegram", "email"] | None = Field(
        None, description="fit the MP4 under this chat's size limit"
    )
    max_size: str | None = Field(None, description="fit the MP4 under this size, e.g. '16MB'")
    resume: bool = Field(False, description="finish an interrupted export")


class UploadArgs(BaseModel):
    items: list[str] = Field(min_length=1, description="absolute file paths or video links")


class BatchArgs(CaptionOptions):
    sources: list[str] = Field(
        min_length=1, description="folders, files, glob patterns or list files"
    )


def _opt(name: str, value: str | None) -> list[str]:
    return [name, value] if value else []


@dataclass(frozen=True)
class Tool:
    name: str
    description: str
    arguments: type[BaseModel]
    command: Callable[[Any], list[str]]
    read_only: bool = False


TOOLS: list[Tool] = [
    Tool(
        "caption",
        "Caption a video end to end (speech recognised on this machine); returns the captioned "
        "MP4 and SRT/VTT files.",
        CaptionArgs,
        lambda a: [
            "caption",
            a.video,
            *a.options(),
            *a.picked(),
            *_opt("--subtitles", a.subtitles),
            *(["--preview"] if a.preview else []),
        ],
    ),
    Tool(
        "chat_edit",
        "Change the current video's captions in the user's words; then call `export`.",
        ChatArgs,
        lambda a: ["chat", a.text, *a.picked()],
    ),
    Tool(
        "undo",
        "Take back the last edit(s), or one named thing ('the yellow'), of the current video.",
        UndoArgs,
        lambda a: ["chat", a.said(), *a.picked()],
    ),
    Tool("state", "The current video's captions and settings.", NoArgs, lambda a: ["state"], True),
    Tool(
        "preview",
        "One PNG with four captioned moments of the current video; no video encoded.",
        Picked,
        lambda a: ["preview", *a.picked()],
    ),
    Tool(
        "export",
        "Render the current video with its captions (optionally under a chat's size limit).",
        ExportArgs,
        lambda a: [
            "export",
            *_opt("--for", a.channel),
            *_opt("--max-size", a.max_size),
            *(["--resume"] if a.resume else []),
            *a.picked(),
        ],
    ),
    Tool(
        "translate",
        "You translate the captions: without `answers`, get a JSON work file with length "
        "budgets; fill it in, then call again with `answers` set to its path.",
        TranslateArgs,
        lambda a: ["translate", a.language, *a.way()],
    ),
    Tool(
        "proofread",
        "You proofread names, terms and numbers: get a work file, then hand it back as `answers`.",
        HandoffArgs,
        lambda a: ["proofread", *a.way()],
    ),
    Tool(
        "upload",
        "Add video files or links as jobs, without captioning them yet.",
        UploadArgs,
        lambda a: ["upload", *a.items],
    ),
    Tool(
        "batch",
        "Caption many videos (folders, globs); run it again to resume.",
        BatchArgs,
        lambda a: ["batch", *a.sources, *a.options()],
    ),
]


def _links(media: list[MediaFile]) -> list[ContentBlock]:
    return [
        ResourceLink(
            name=m.path.name,
            uri=m.path.resolve().as_uri(),
            mime_type=mimetypes.guess_type(m.path.name)[0],
            description=m.kind + (f" ({m.language})" if m.language else ""),
        )
        for m in media
    ]


def _text(results: list[Result], media: list[MediaFile]) -> str:
    """What the CLI prints: each answer, then a MEDIA line per file."""
    lines = [render(r.template, **r.context) for r in results]
    lines += [f"MEDIA: {m.path.resolve()}" for m in media]
    return "\n".join(line for line in lines if line)


def answer(results: list[Result]) -> CallToolResult:
    media = [m for r in results for m in r.media]
    ok = all(r.ok for r in results)
    items = [cli.item(r) for r in results]
    payload = {"ok": ok, **items[0]} if len(items) == 1 else {"ok": ok, "results": items}
    return CallToolResult(
        content=[TextContent(text=_text(results, media)), *_links(media)],
        structured_content=payload,
        is_error=not ok,
    )


def failure(
    code: ErrorCode, context: dict[str, Any], done: list[Result], kept: list[MediaFile]
) -> CallToolResult:
    """The CLI's error sentence, its code and exit status; files finished before it still come."""
    cfg = config()
    message = render(f"errors/{code}", **context)
    exit_name = cfg.errors[code].exit
    media = [m for r in done for m in r.media] + kept
    finished = [render(r.template, **r.context) for r in done]
    text = "\n".join([*finished, message, *(f"MEDIA: {m.path.resolve()}" for m in media)])
    payload = {
        "ok": False,
        "error": code,
        "exit": cfg.exit_codes[exit_name],
        "exit_name": exit_name,
        "message": message,
    }
    return CallToolResult(
        content=[TextContent(text=text), *_links(media)],
        structured_content=payload,
        is_error=True,
    )


def _run(argv: list[str], progress: Progress) -> CallToolResult:
    """One command, in a worker thread: its answer, or its failure as the CLI would say it."""
    done: list[Result] = []
    try:
        for result in cli.results(argv, progress):
            done.append(result)
    except SkillError as exc:
        return failure(exc.code, exc.context, done, exc.media)
    except Exception:
        return failure("internal", {"log": cli.log_crash()}, done, [])
    return answer(done)


def _annotated(field: FieldInfo) -> Any:
    """The field's type with its constraints and description, as a parameter annotation."""
    parts = (field.annotation, *field.metadata, Field(description=field.description))
    return Annotated[parts]


def _function(tool: Tool, globals_: list[str]) -> Callable[..., Any]:
    """A function whose signature is the tool's argument model, as the SDK reads tools."""

    async def call(ctx: Context, **arguments: Any) -> CallToolResult:
        parsed = tool.arguments.model_validate(arguments)

        def send(step: float, line: str) -> None:
            anyio.from_thread.run(ctx.report_progress, step, None, line)

        progress = ToolProgress(send)
        argv = [*globals_, *tool.command(parsed)]
        result: CallToolResult = await anyio.to_thread.run_sync(_run, argv, progress)
        return result

    fields = tool.arguments.model_fields
    parameters = [
        inspect.Parameter(
            name,
            inspect.Parameter.KEYWORD_ONLY,
            default=inspect.Parameter.empty
            if field.is_required()
            else field.get_default(call_default_factory=True),
            annotation=_annotated(field),
        )
        for name, field in fields.items()
    ]
    context = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=Context)
    call.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [context, *parameters], return_annotation=CallToolResult
    )
    call.__annotations__ = {"ctx": Context, "return": CallToolResult}
    return call


def _globals(args: argparse.Namespace) -> list[str]:
    """The `mcp` command's own options, given to every tool call; output goes to one folder."""
    out = getattr(args, "out", None) or Path.home() / "ai-subtitles-output"
    argv = ["--out", str(Path(out).expanduser().resolve())]
    argv += ["--backend", getattr(args, "backend", "local")]
    for option in ("model", "language"):
        argv += _opt(f"--{option}", getattr(args, option, None))
    return argv + (["--overwrite"] if getattr(args, "overwrite", False) else [])


def build(args: argparse.Namespace) -> MCPServer[Any]:
    server: MCPServer[Any] = MCPServer(
        name="ai-subtitles",
        version=manifest().version,
        instructions="Captions videos on this machine. Give `caption` an absolute path or a "
        "link; hand the user the files the answer lists (its MEDIA lines).",
        # A host shows stderr as the server's log: per-request and per-file INFO lines
        # (the SDK's, faster-whisper's) drown the warnings that matter.
        log_level="WARNING",
    )
    globals_ = _globals(args)
    for tool in TOOLS:
        server.add_tool(
            _function(tool, globals_),
            name=tool.name,
            description=tool.description,
            annotations=ToolAnnotations(read_only_hint=tool.read_only),
            structured_output=False,
        )
    return server


def serve(args: argparse.Namespace) -> int:
    """Serve until the client closes stdin."""
    build(args).run("stdio")
    return 0
