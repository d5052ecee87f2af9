"""SKILL.md is a valid Agent Skill and the single source of the version."""

from __future__ import annotations

import importlib.metadata
import shutil
from pathlib import Path

import skills_ref
import yaml

from skill_runtime.manifest import manifest, split_frontmatter
from skill_runtime.skill_files import skill_root

ALLOWED_KEYS = {"name", "description", "license", "compatibility", "metadata", "allowed-tools"}


def _frontmatter() -> dict[str, object]:
    front, _ = split_frontmatter((skill_root() / "SKILL.md").read_text(encoding="utf-8"))
    data = yaml.safe_load(front)
    assert isinstance(data, dict)
    return data


def test_skills_ref_validates_the_skill_folder(tmp_path: Path) -> None:
    folder = tmp_path / "ai-subtitles-for-video"
    folder.mkdir()
    shutil.copy(skill_root() / "SKILL.md", folder / "SKILL.md")
    assert skills_ref.validate(folder) == []


def test_only_allowed_top_level_keys() -> None:
    assert set(_frontmatter()) <= ALLOWED_KEYS


def test_package_version_is_the_manifest_version() -> None:
    assert importlib.metadata.version("ai-subtitles-for-video") == manifest().version


def test_openclaw_keys_declare_the_token_as_primary_but_optional() -> None:
    openclaw = manifest().metadata.openclaw
    assert openclaw is not None
    assert openclaw.primary_env == "NEMO_TOKEN"
    assert "env" not in openclaw.requires  # a required env var hides the skill until set
    assert all(not var.required for var in openclaw.env_vars)


def test_body_never_tells_the_agent_to_pass_a_token_on_the_command_line() -> None:
    _, body = split_frontmatter((skill_root() / "SKILL.md").read_text(encoding="utf-8"))
    assert "--token" not in body
    assert "NEMO_TOKEN=" not in body
    assert "MEDIA:" in body
