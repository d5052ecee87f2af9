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


def test_description_fits_openclaw_guidance() -> None:
    description = manifest().description
    assert "\n" not in description
    assert len(description) < 160


def test_openclaw_installs_the_cli_with_uv() -> None:
    openclaw = manifest().metadata.openclaw
    assert openclaw is not None
    (spec,) = openclaw.install
    assert (spec.kind, spec.package, spec.bins) == (
        "uv",
        "ai-subtitles-for-video[local]",
        ["ai-subtitles"],
    )
    assert spec.label
    assert spec.bins == openclaw.requires["bins"]


def test_license_is_mit_0_everywhere() -> None:
    import tomllib

    pyproject = tomllib.loads((skill_root() / "pyproject.toml").read_text(encoding="utf-8"))
    assert manifest().license == pyproject["project"]["license"] == "MIT-0"
    assert (skill_root() / "LICENSE").read_text(encoding="utf-8").startswith("MIT No Attribution")


def test_every_environment_variable_the_code_reads_is_declared() -> None:
    """ClawHub asks a skill to declare the environment it reads."""
    import re

    openclaw = manifest().metadata.openclaw
    assert openclaw is not None
    declared = {var.name for var in openclaw.env_vars}
    files = [*(skill_root() / "src").rglob("*.py"), skill_root() / "skill.yaml"]
    text = "\n".join(p.read_text(encoding="utf-8") for p in files)
    named = set(re.findall(r"[\"'](AI_SUBTITLES_[A-Z_]+|NEMO_[A-Z_]+|OPENAI_[A-Z_]+)[\"']", text))
    assert named, "the pattern found nothing: the test would prove nothing"
    assert named <= declared, named - declared
