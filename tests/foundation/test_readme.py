"""README's two set-up commands are the ones a newcomer can run, and the ones CI runs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from skill_runtime.results import ANSWER_KEYS

ROOT = Path(__file__).resolve().parents[2]
BLOCK = re.compile(r"^```bash\n(.*?)^```$", re.S | re.M)


def _blocks() -> list[str]:
    return [b.strip() for b in BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))]


def test_readme_has_exactly_two_setup_commands() -> None:
    blocks = _blocks()
    assert len(blocks) == 2
    assert all("\n" not in b for b in blocks)  # one line each, copied in one go


@pytest.mark.parametrize("index", [0, 1])
def test_each_command_works_on_a_fresh_debian_or_ubuntu(index: int) -> None:
    command = _blocks()[index]
    steps = [s.strip() for s in command.split("&&")]
    assert steps[0] == "apt-get update"
    assert "python3-venv" in steps[1]  # Debian and Ubuntu ship venv without ensurepip
    assert "python3 -m venv .venv" in steps
    # No bare python or pip: Debian has no `python`, and PEP 668 refuses a system pip install.
    for step in steps[3:]:
        assert step.startswith(".venv/bin/"), step


def test_first_command_ends_by_captioning_the_sample() -> None:
    assert _blocks()[0].endswith(".venv/bin/ai-subtitles caption sample.mp4")


def test_ci_runs_the_second_command_verbatim() -> None:
    """.ci/run extracts README's second block with awk; the same text comes out here."""
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    awk = re.search(r"block=\$\(awk '([^']+)' README.md\)", script)
    assert awk is not None
    out = subprocess.run(
        ["awk", awk.group(1), str(ROOT / "README.md")], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == _blocks()[1]
    assert _blocks()[1].endswith(".venv/bin/python -m pytest -q")


def test_readme_lists_each_actions_json_keys() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("### `--json` answers", 1)[1].split("\n#", 1)[0]
    rows = re.findall(r"^\| `[\w-]+` \| `(\w+)` \| (.*) \|$", section, re.M)
    listed = {action: tuple(re.findall(r"`(\w+)`", keys)) for action, keys in rows}
    assert listed == ANSWER_KEYS
