"""An invalid skill.yaml gives one clear error naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from skill_runtime.config import load_config
from skill_runtime.errors import SkillError
from skill_runtime.messages import render
from skill_runtime.skill_files import skill_root


def _write_variant(tmp_path: Path, change: dict[str, object]) -> Path:
    data = yaml.safe_load((skill_root() / "skill.yaml").read_text(encoding="utf-8"))
    for dotted, value in change.items():
        *parents, leaf = dotted.split(".")
        node = data
        for key in parents:
            node = node[key]
        if value is None:
            del node[leaf]
        else:
            node[leaf] = value
    path = tmp_path / "skill.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_the_shipped_file_is_valid() -> None:
    assert load_config(skill_root() / "skill.yaml").intents["export"].keywords


BROKEN = [
    # (change, key the error must name)
    ({"intents.credits": None}, "intents"),
    ({"cloud.poll_interval_s": "soon"}, "cloud.poll_interval_s"),
    ({"limits.max_upload_mb": None}, "limits.max_upload_mb"),
    ({"gui_phrases": [{"phrases": ["click"], "action": "fly"}]}, "gui_phrases.0.action"),
    ({"errors.usage": {"exit": "nowhere"}}, "errors"),
    ({"surprise": 1}, "surprise"),
    # Values live only in skill.yaml: a missing one is named, never silently defaulted.
    ({"local.cues.min_duration_s": None}, "local.cues.min_duration_s"),
    ({"local.model.beam_size": None}, "local.model.beam_size"),
    ({"cloud.reply_limits": None}, "cloud.reply_limits"),
    ({"translation.openai.model": None}, "translation.openai.model"),
]


@pytest.mark.parametrize(("change", "key"), BROKEN)
def test_invalid_entry_is_named(tmp_path: Path, change: dict[str, object], key: str) -> None:
    path = _write_variant(tmp_path, change)
    with pytest.raises(SkillError) as caught:
        load_config(path)
    assert caught.value.code == "config_invalid"
    assert caught.value.context["key"] == key
    message = render("errors/config_invalid", **caught.value.context)
    assert str(path) in message
    assert "Traceback" not in message


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "skill.yaml"
    path.write_text("intents:\n  export: [unclosed\n", encoding="utf-8")
    with pytest.raises(SkillError) as caught:
        load_config(path)
    assert caught.value.context["key"].startswith("line ")
