"""Loading skill.yaml into `SkillConfig`, checked once; only the CLI layer calls `config()`."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import SkillError
from .settings.skill import SkillConfig
from .skill_files import skill_root


def _where(error: dict[str, Any]) -> str:
    # pydantic adds union-branch tags such as "literal['a','b']" to the location.
    parts = [str(p) for p in error["loc"] if not any(c in str(p) for c in "[(")]
    return ".".join(parts) or "(top level)"


def load_config(path: Path) -> SkillConfig:
    """Parse and validate; any problem becomes one `config_invalid` error naming file and key."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SkillError(
            "config_invalid", file=str(path), key="(file)", problem=exc.strerror
        ) from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        raise SkillError(
            "config_invalid", file=str(path), key=where, problem="not valid YAML"
        ) from exc
    if not isinstance(raw, dict):
        raise SkillError(
            "config_invalid", file=str(path), key="(top level)", problem="not a mapping"
        )
    try:
        return SkillConfig.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise SkillError(
            "config_invalid", file=str(path), key=_where(dict(first)), problem=first["msg"]
        ) from exc


@cache
def config() -> SkillConfig:
    return load_config(skill_root() / "skill.yaml")
