"""README, SKILL.md and `--help` list the exit statuses skill.yaml gives, name for name."""

from __future__ import annotations

import re
from pathlib import Path

from skill_runtime.cli import build_parser
from skill_runtime.settings.skill import SkillConfig

ROOT = Path(__file__).resolve().parents[2]
PAIR = re.compile(r"\b(\d+) ([a-z]+)\b")


def _readme_table() -> dict[str, int]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    table = text.split("| exit | name | meaning |", 1)[1].split("\n\n", 1)[0]
    rows = [line.split("|")[1:3] for line in table.strip().splitlines()[1:]]
    return {name.strip(): int(status) for status, name in rows}


def _listed(sentence: str) -> dict[str, int]:
    """'Exit codes: 0 ok, 1 internal (why), ...' as names and statuses."""
    return {name: int(status) for status, name in PAIR.findall(sentence)}


def _skill_md_line() -> dict[str, int]:
    text = (ROOT / "SKILL.md").read_text(encoding="utf-8")
    bullet = re.search(r"^- Exit codes: (.*?)\.\n", text, re.S | re.M)
    assert bullet is not None, "SKILL.md lists the exit codes in its rules"
    return _listed(re.sub(r"\([^)]*\)", "", bullet.group(1)))


def _help_epilog() -> dict[str, int]:
    text = " ".join(build_parser().format_help().split())
    found = re.search(r"Exit codes: (.*?)\.", text)
    assert found is not None, "--help ends with the exit codes"
    return _listed(found.group(1))


def test_readme_table_is_skill_yaml_table(cfg: SkillConfig) -> None:
    assert _readme_table() == cfg.exit_codes


def test_skill_md_lists_skill_yaml_table(cfg: SkillConfig) -> None:
    assert _skill_md_line() == cfg.exit_codes


def test_help_lists_skill_yaml_table(cfg: SkillConfig) -> None:
    assert _help_epilog() == cfg.exit_codes
