"""What the CLI hands down to every layer below it: plain data, no behaviour.

`Context` and `CaptionRequest` live here rather than with the backends so the engine
(`local/`, `cloud/`, `batch/`) can take them without importing the layer that wraps it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .captions import CaptionOptions
from .environment import Environment
from .progress import Progress
from .settings.skill import SkillConfig
from .store import Store


@dataclass
class Context:
    """What every backend needs from the CLI: data, state, where to write, where to talk."""

    config: SkillConfig
    store: Store
    out_dir: Path
    progress: Progress
    version: str
    platform: str
    # The process's variables, read once at start-up (`Environment.read`).
    env: Environment
    language: str | None = None
    model: str | None = None
    overwrite: bool = False
    # `--rendition`: the version of the current file an edit, export or preview is for.
    rendition: str | None = None


class CaptionRequest(CaptionOptions):
    path: Path
    # A video link: the backend fetches it and captions what came (then `path` is unused).
    url: str | None = None
    # How the user asked, for the job's edit history ("caption talk.mp4 --aspect 9:16").
    said: str | None = None
    # Stop at the contact sheet: recognise and lay out, encode no video.
    preview: bool = False
    # The version of the file these options make or change (`--rendition`).
    rendition: str | None = None
    # The user's own subtitle file: its track is the spoken one, so nothing is recognised.
    subtitles: Path | None = None
