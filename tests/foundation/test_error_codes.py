"""The typed error codes are skill.yaml's table: same names, each with its message."""

from __future__ import annotations

import yaml

from skill_runtime.errors import ERROR_CODES, error_code
from skill_runtime.settings.skill import SkillConfig
from skill_runtime.skill_files import skill_root


def test_error_code_type_lists_exactly_the_table() -> None:
    table = yaml.safe_load((skill_root() / "skill.yaml").read_text(encoding="utf-8"))["errors"]
    assert set(table) - ERROR_CODES == set(), "in skill.yaml, missing from ErrorCode"
    assert ERROR_CODES - set(table) == set(), "in ErrorCode, missing from skill.yaml"


def test_each_code_has_a_template_and_each_template_a_code() -> None:
    templates = {p.stem for p in (skill_root() / "prompts" / "errors").glob("*.j2")}
    assert templates == ERROR_CODES


def test_each_code_has_its_own_exit_status(cfg: SkillConfig) -> None:
    for code in ERROR_CODES:
        assert cfg.exit_status(code) == cfg.exit_codes[cfg.errors[code].exit], code


def test_every_api_code_maps_to_a_typed_code(cfg: SkillConfig) -> None:
    api_codes = [n for spec in cfg.errors.values() for n in spec.api_codes]
    assert api_codes, "skill.yaml ties some NemoVideo codes to ours"
    for api_code in api_codes:
        assert error_code(cfg.error_for_api_code(api_code)) is not None, api_code


def test_text_becomes_a_code_only_when_it_is_one() -> None:
    assert error_code("disk_full") == "disk_full"
    assert error_code("disk_ful") is None
    assert error_code(None) is None
