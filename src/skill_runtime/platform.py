"""Which agent host installed the skill, for the X-Skill-Platform header.

The seed's rule (`~/.clawhub/` → clawhub, `~/.cursor/skills/` → cursor) plus
the places these hosts really install skills: OpenClaw's `<workspace>/skills`
and anything under `~/.openclaw/`, a skill folder holding
`.clawhub/origin.json`, and Cursor's project-level `.cursor/skills/`.
"""

from __future__ import annotations

from pathlib import Path

from .skill_files import skill_root

SOURCE = "ai-subtitles-for-video"


def _under(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def detect_platform(install_dir: Path | None = None, home: Path | None = None) -> str:
    where = (install_dir or skill_root()).resolve()
    home = (home or Path.home()).resolve()
    if (where / ".clawhub" / "origin.json").is_file():
        return "clawhub"
    if _under(where, home / ".clawhub") or _under(where, home / ".openclaw"):
        return "clawhub"
    if _under(where, home / ".cursor" / "skills"):
        return "cursor"
    parts = where.parts
    for i in range(len(parts) - 1):
        if parts[i] == ".cursor" and parts[i + 1] == "skills":
            return "cursor"
    # An OpenClaw workspace keeps skills in <workspace>/skills next to its AGENTS.md.
    if where.parent.name == "skills" and (where.parent.parent / "AGENTS.md").is_file():
        return "clawhub"
    return "unknown"


def attribution_headers(version: str, platform: str) -> dict[str, str]:
    return {
        "X-Skill-Source": SOURCE,
        "X-Skill-Version": version,
        "X-Skill-Platform": platform,
    }
