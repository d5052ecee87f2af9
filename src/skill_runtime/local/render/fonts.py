"""A font the engine guarantees, and a check that libass really drew something.

libass silently draws nothing (and ffmpeg exits 0) when no font is found, so
every burn is preceded by one test frame on black that must contain text.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from pathlib import Path
from xml.sax.saxutils import escape

from ... import atomic
from ...environment import Environment, child
from ...errors import SkillError
from ...settings.local import FontSettings
from ...store import home

_FONT_SUFFIXES = {".ttf", ".otf", ".ttc"}
_CONF = "fonts.conf"
_SYSTEM_CONF = "/etc/fonts/fonts.conf"


def font_files(settings: FontSettings) -> list[Path]:
    files: list[Path] = []
    for package in settings.packages:
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        root = Path(next(iter(spec.submodule_search_locations)))
        found = (p for p in root.rglob("*") if p.suffix.lower() in _FONT_SUFFIXES)
        # Upright faces first: the first file is the one doctor names as the caption font.
        files.extend(sorted(found, key=lambda p: ("italic" in p.name.lower(), p.name)))
    return files


def fonts_dir(settings: FontSettings, env: Environment) -> Path:
    """One folder linking every packaged font, for the filter's `fontsdir`."""
    files = font_files(settings)
    if not files:
        raise SkillError(
            "font_missing", family=settings.family, packages=settings.packages, chars=""
        )
    folder = home(env) / "fonts"
    folder.mkdir(parents=True, exist_ok=True)
    for font in files:
        link = folder / font.name
        if not link.exists() or link.resolve() != font.resolve():
            link.unlink(missing_ok=True)
            with contextlib.suppress(FileExistsError):
                os.symlink(font, link)
    _write_fontconfig(folder, env.fontconfig_file)
    return folder


def _write_fontconfig(folder: Path, system: str | None) -> None:
    """libass looks for a script the caption font lacks (Thai, Devanagari…) only through
    fontconfig, which never sees `fontsdir`: this file shows it the packaged fonts too."""
    ours = folder / _CONF
    system = system or _SYSTEM_CONF
    if Path(system) == ours:
        system = _SYSTEM_CONF
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f'  <include ignore_missing="yes">{escape(system)}</include>\n'
        f"  <dir>{escape(str(folder))}</dir>\n"
        f"  <cachedir>{escape(str(folder / 'cache'))}</cachedir>\n</fontconfig>\n"
    )
    if not ours.is_file() or ours.read_text(encoding="utf-8") != text:
        atomic.write_text(ours, text)


def fontconfig_env(folder: Path) -> dict[str, str]:
    """The environment for an ffmpeg that draws captions with the fonts in `folder`."""
    return child(FONTCONFIG_FILE=str(folder / _CONF))


def missing_glyphs(stderr: str) -> bool:
    """libass's own words for "this text could not be drawn"."""
    text = stderr.lower()
    return "failed to find any fallback" in text or "no usable font" in text or "no font" in text
