"""SKILL.md's frontmatter as a typed model; `metadata.version` is the one version."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import SkillError
from .skill_files import skill_root


class EnvVar(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str
    required: bool = False
    description: str = ""


class InstallSpec(BaseModel):
    """An OpenClaw installer entry; its parser keeps only these kinds (a `pip` entry is dropped)."""

    model_config = ConfigDict(extra="allow")

    id: str | None = None
    kind: Literal["brew", "node", "go", "uv", "download"]
    package: str | None = None
    bins: list[str] = Field(default_factory=list)
    label: str | None = None


class OpenClaw(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)

    emoji: str | None = None
    primary_env: str | None = Field(None, alias="primaryEnv")
    requires: dict[str, list[str]] = Field(default_factory=dict)
    env_vars: list[EnvVar] = Field(default_factory=list, alias="envVars")
    install: list[InstallSpec] = Field(default_factory=list)


class Metadata(BaseModel):
    model_config = ConfigDict(extra="allow")

    version: str = Field(pattern=r"^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.\-]+)?$")
    openclaw: OpenClaw | None = None


class Manifest(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    name: str
    description: str
    license: str | None = None
    compatibility: str | None = None
    metadata: Metadata
    allowed_tools: str | None = Field(None, alias="allowed-tools")

    @property
    def version(self) -> str:
        return self.metadata.version


def split_frontmatter(text: str) -> tuple[str, str]:
    if not text.startswith("---"):
        return "", text
    _, front, body = text.split("---", 2)
    return front, body


def load_manifest(path: Path) -> Manifest:
    try:
        front, _ = split_frontmatter(path.read_text(encoding="utf-8"))
        return Manifest.model_validate(yaml.safe_load(front) or {})
    except (OSError, yaml.YAMLError, ValueError) as exc:
        key = "frontmatter"
        if isinstance(exc, ValidationError):
            key = ".".join(str(p) for p in exc.errors()[0]["loc"]) or key
        raise SkillError(
            "config_invalid", file=str(path), key=key, problem=str(exc).splitlines()[0]
        ) from exc


@cache
def manifest() -> Manifest:
    return load_manifest(skill_root() / "SKILL.md")
