"""Every sentence a user sees, rendered from Jinja2 templates under prompts/."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jinja2

from .install_hint import install_command
from .skill_files import skill_root

# Shapes of secrets that must never reach a user, whatever a template was given.
_SECRET = re.compile(
    r"(nmv_[A-Za-z0-9_\-]{6,}|Bearer\s+\S+|sk-[A-Za-z0-9_\-]{8,}|eyJ[\w\-]{10,}\.[\w\-]+\.[\w\-]*)"
)


def _seconds(value: float) -> str:
    """12.0 -> '12', 2.5 -> '2.5': the timeline summary's number style."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _size(num_bytes: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if num_bytes < 1024 or unit == "GB":
            return f"{num_bytes:.0f} {unit}" if unit == "B" else f"{num_bytes:.1f} {unit}"
        num_bytes /= 1024
    return f"{num_bytes:.1f} GB"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(skill_root() / "prompts"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["seconds"] = _seconds
    env.filters["size"] = _size
    # Install hints name a command that works where this copy runs (see install_hint).
    env.globals["install_command"] = install_command
    return env


def redact(text: str) -> str:
    return _SECRET.sub("[hidden]", text)


def render(name: str, **context: Any) -> str:
    return redact(environment().get_template(f"{name}.j2").render(**context).strip())


def template_names() -> list[str]:
    return sorted(n.removesuffix(".j2") for n in environment().list_templates(extensions=["j2"]))
