"""Which agent host runs the command, for `doctor` and the X-Skill-Platform header.

Hosts mark the environment of the commands they run (skill.yaml `hosts`, first
match wins): OpenClaw sets `OPENCLAW_SHELL` for its exec tool, Claude Code sets
`CLAUDECODE=1`, Cursor's agent sets `CURSOR_AGENT` or
`CURSOR_EXTENSION_HOST_ROLE=agent-exec`. `AI_SUBTITLES_PLATFORM` overrides
them. Without a marker, the folder the skill is installed in decides (the
seed's rule: `~/.clawhub/` and OpenClaw's skill folders, `.cursor/skills/`).
"""

from __future__ import annotations

import shutil
from itertools import pairwise
from pathlib import Path

from pydantic import BaseModel

from .environment import Environment
from .errors import SkillError
from .settings.hosts import HostRule
from .skill_files import skill_root

SOURCE = "ai-subtitles-for-video"
OVERRIDE = "AI_SUBTITLES_PLATFORM"


UNKNOWN = HostRule(name="unknown", label="unknown", header="unknown")


class Host(BaseModel):
    """The detected host and how it was found (an environment variable, the install path)."""

    rule: HostRule
    found_by: str

    @property
    def header(self) -> str:
        return self.rule.header


def _under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _from_install_path(where: Path, home: Path) -> str:
    """clawhub, cursor or unknown from the skill's folder alone."""
    if (where / ".clawhub" / "origin.json").is_file():
        return "clawhub"
    if _under(where, home / ".clawhub") or _under(where, home / ".openclaw"):
        return "clawhub"
    parts = where.parts
    if any(a == ".cursor" and b == "skills" for a, b in pairwise(parts)):
        return "cursor"
    # An OpenClaw workspace keeps skills in <workspace>/skills next to its AGENTS.md.
    if where.parent.name == "skills" and (where.parent.parent / "AGENTS.md").is_file():
        return "clawhub"
    return "unknown"


def _marked(rule: HostRule, env: Environment) -> str | None:
    for name, wanted in rule.env.items():
        value = env.get(name) or ""
        if value and (not wanted or value == wanted):
            return name
    return None


def detect_host(
    rules: list[HostRule],
    env: Environment,
    install_dir: Path | None = None,
    home: Path | None = None,
) -> Host:
    known = {r.name: r for r in [*rules, UNKNOWN]}
    chosen = env.platform.lower()
    if chosen:
        if chosen not in known:
            raise SkillError("platform_unknown", value=chosen, names=sorted(known))
        return Host(rule=known[chosen], found_by=OVERRIDE)
    for rule in rules:
        marker = _marked(rule, env)
        if marker:
            return Host(rule=rule, found_by=marker)
    where = (install_dir or skill_root()).resolve()
    verdict = _from_install_path(where, (home or Path.home()).resolve())
    by_path = next((r for r in rules if r.install_path == verdict), None)
    if by_path is not None:
        return Host(rule=by_path, found_by="install path")
    return Host(rule=UNKNOWN, found_by="none")


class Command(BaseModel):
    """How this run of the CLI started, and which `ai-subtitles` a shell finds on PATH."""

    running: str
    on_path: str | None = None
    # Where the PATH entry leads (install.sh links it to a virtual environment).
    target: str | None = None
    same: bool = False


def command_found(argv0: str, executable: str, path: str | None = None) -> Command:
    """`argv0` is the script run (or `__main__.py` for `python -m`), `executable` its Python."""
    started = Path(argv0)
    script = started.name == "ai-subtitles"
    running = str(started.resolve()) if script else f"{executable} -m skill_runtime"
    found = shutil.which("ai-subtitles", path=path)
    if found is None:
        return Command(running=running)
    target = Path(found).resolve()
    # `python -m` from the environment the PATH command belongs to is the same install.
    same = str(target) == running if script else target.parent == Path(executable).parent
    return Command(running=running, on_path=found, target=str(target), same=same)


def attribution_headers(version: str, platform: str) -> dict[str, str]:
    return {
        "X-Skill-Source": SOURCE,
        "X-Skill-Version": version,
        "X-Skill-Platform": platform,
    }
