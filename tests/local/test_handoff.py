"""The host agent as translator and proofreader, end to end through the CLI.

A scripted "agent" fills the work file the way agents go wrong (an answer over
its budget, an id left out, one in the wrong script): the import keeps what
passes, names what it refused, and a second file with only the fixed cues
completes Spanish, which then burns stacked with the English. Proofreading
corrects a name as a word edit: the timing stays, and "undo" takes it back.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from skill_runtime.cli import main
from skill_runtime.config import config
from skill_runtime.local.sample import make_clip

from .conftest import BACKGROUND

pytestmark = pytest.mark.slow

ENGLISH = (
    "1\n00:00:00,500 --> 00:00:02,000\nHello, I am Jon.\n\n"
    "2\n00:00:02,200 --> 00:00:05,400\nToday we cook pasta at home, step by step.\n\n"
    "3\n00:00:05,600 --> 00:00:07,000\nFirst, the flour.\n\n"
    "4\n00:00:07,200 --> 00:00:08,800\nThen three eggs at home.\n"
)
SPANISH = {
    1: "Hola, soy Jon.",
    # Over its budget: a long answer with clause breaks, as agents write them.
    2: "Hoy vamos a cocinar pasta fresca en casa, paso a paso, con mucha calma, "
    "sin prisas y con todo detalle.",
    3: "Primero, la harina.",
    4: "Luego tres huevos en casa.",
}


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, Any]]:
    status = main(["--quiet", "--json", *args])
    return status, json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("handoff")
    (root / "talk.en.srt").write_text(ENGLISH, encoding="utf-8")
    return make_clip(root / "talk.mp4", "Hello.", size="320x180", pattern=BACKGROUND, tail_s=8.5)


@pytest.fixture
def captioned(
    clip: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh home with talk.mp4 captioned from the user's English file; returns --out."""
    monkeypatch.setenv("AI_SUBTITLES_HOME", str(tmp_path / "home"))
    out = tmp_path / "out"
    status, answer = _cli(
        capsys,
        "--out",
        str(out),
        "caption",
        str(clip),
        "--subtitles",
        str(clip.parent / "talk.en.srt"),
    )
    assert status == 0, answer
    return out


def _fill(work_file: Path, answers: dict[int, str], only: set[int] | None = None) -> Path:
    """What the scripted agent does: fill translations, keep (or drop) cues, save as a copy."""
    work = json.loads(work_file.read_text(encoding="utf-8"))
    cues = [c for c in work["cues"] if only is None or c["id"] in only]
    for cue in cues:
        cue["translation"] = answers.get(cue["id"], "")
    work["cues"] = [c for c in cues if c["translation"]]
    filled = work_file.with_name(f"filled-{len(answers)}-{work_file.name}")
    filled.write_text(json.dumps(work, ensure_ascii=False), encoding="utf-8")
    return filled


def test_the_work_file_gives_each_cue_its_budget_and_neighbours(
    captioned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, answer = _cli(capsys, "--out", str(captioned), "translate", "es", "--handoff")
    assert status == 0
    work_file = Path(answer["work_file"])
    assert work_file.is_absolute() and work_file.parent == captioned
    assert answer["command"] == f"ai-subtitles translate es --from {work_file}"
    work = json.loads(work_file.read_text(encoding="utf-8"))
    assert work["instructions"] and work["command"] == answer["command"]
    cues = work["cues"]
    assert [c["id"] for c in cues] == [1, 2, 3, 4]
    assert cues[1]["before"] == "Hello, I am Jon." and cues[1]["after"] == "First, the flour."
    assert all(c["translation"] == "" for c in cues)
    assert cues[0]["max_chars"] == 30  # 1.5 s at 20 characters a second
    assert cues[1]["max_chars"] == 64  # 3.2 s, less than two full lines (85)


def test_refused_cues_are_named_and_a_file_of_the_fixed_ones_completes_spanish(
    captioned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(captioned)
    _, answer = _cli(capsys, "--out", out, "translate", "es", "--handoff")
    work_file = Path(answer["work_file"])
    first = _fill(work_file, {1: SPANISH[1], 2: SPANISH[2], 4: "Потом три яйца."})
    status, answer = _cli(capsys, "--out", out, "translate", "es", "--from", str(first))
    assert status == 3
    assert answer["error"] == "handoff_refused"
    message = answer["message"]
    assert "- id 3: not in the file" in message
    assert "- id 4: it is not written in the expected script (Cyrillic, not Latin)" in message
    assert "2 cues were kept" in message
    _, state = _cli(capsys, "--out", out, "state")
    assert [t["language"] for t in state["job"]["tracks"]] == ["en"]

    fixed = _fill(work_file, {3: SPANISH[3], 4: SPANISH[4]}, only={3, 4})
    status, answer = _cli(capsys, "--out", out, "translate", "es", "--from", str(fixed))
    assert status == 0, answer
    assert answer["complete"] is True

    status, answer = _cli(capsys, "--out", out, "export")
    assert status == 0, answer
    assert answer["burned"] == ["en", "es"]
    spanish = answer["tracks"]["es"]
    rules = config().local.cues
    assert all(len(c["lines"]) <= rules.max_lines for c in spanish)
    assert all(len(line) <= rules.max_chars_per_line for c in spanish for line in c["lines"])
    # The long answer is split inside its source cue's window, nothing lost.
    inside = [c for c in spanish if c["start"] >= 2.2 and c["end"] <= 5.4]
    assert len(inside) >= 2
    assert " ".join(" ".join(c["lines"]) for c in inside) == SPANISH[2]
    assert [(c["start"], c["end"]) for c in spanish if c not in inside] == [
        (0.5, 2.0), (5.6, 7.0), (7.2, 8.8)
    ]  # fmt: skip


def test_unknown_ids_empty_answers_and_markup_are_refused(
    captioned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(captioned)
    _, answer = _cli(capsys, "--out", out, "translate", "es", "--handoff")
    work = json.loads(Path(answer["work_file"]).read_text(encoding="utf-8"))
    work["cues"] = [
        {"id": 1, "translation": "<i>Hola</i>, soy Jon."},
        {"id": 2, "translation": "   "},
        {"id": 3, "translation": "Today we cook pasta at home, step by step."},
        {"id": 9, "translation": "¿Qué?"},
    ]
    bad = captioned / "bad.json"
    bad.write_text(json.dumps(work), encoding="utf-8")
    status, answer = _cli(capsys, "--out", out, "translate", "es", "--from", str(bad))
    assert status == 3
    message = answer["message"]
    for line in (
        "- id 1: it holds markup",
        "- id 2: the answer is empty",
        "- id 4: not in the file",
        "- id 9: no cue has this id",
    ):
        assert line in message


@pytest.mark.parametrize(
    ("content", "problem"),
    [("{not json", "is not a JSON work file"), ('{"cues": "none"}', "does not have the work")],
)
def test_a_broken_work_file_changes_nothing(
    captioned: Path, capsys: pytest.CaptureFixture[str], content: str, problem: str
) -> None:
    path = captioned / "broken.json"
    path.write_text(content, encoding="utf-8")
    status, answer = _cli(capsys, "--out", str(captioned), "translate", "es", "--from", str(path))
    assert status == 3 and problem in answer["message"]


def test_a_translation_file_given_to_proofread_names_the_import_that_takes_it(
    captioned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(captioned)
    _, answer = _cli(capsys, "--out", out, "translate", "es", "--handoff")
    work_file = answer["work_file"]
    status, answer = _cli(capsys, "--out", out, "proofread", "--from", work_file)
    assert status == 3 and answer["error"] == "handoff_invalid"
    assert "is a translation work file" in answer["message"]
    assert f"ai-subtitles translate es --from {work_file}" in answer["message"]


def test_proofreading_corrects_a_name_keeps_the_timing_and_can_be_undone(
    captioned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(captioned)
    _, before = _cli(capsys, "--out", out, "state")
    status, answer = _cli(capsys, "--out", out, "proofread", "--handoff")
    assert status == 0
    work_file = Path(answer["work_file"])
    work = json.loads(work_file.read_text(encoding="utf-8"))
    assert work["kind"] == "proofread" and work["cues"][0]["correction"] == ""
    work["cues"][0]["correction"] = "Hello, I am John."
    work_file.write_text(json.dumps(work), encoding="utf-8")
    status, answer = _cli(capsys, "--out", out, "proofread", "--from", str(work_file))
    assert status == 0, answer
    assert 'Text: "Jon" replaced with "John"' in answer["message"]
    _, after = _cli(capsys, "--out", out, "state")
    cues_before = before["job"]["tracks"][0]["cues"]
    cues_after = after["job"]["tracks"][0]["cues"]
    assert cues_after[0]["text"] == "Hello, I am John."
    assert [(c["start_s"], c["end_s"]) for c in cues_after] == [
        (c["start_s"], c["end_s"]) for c in cues_before
    ]
    status, _ = _cli(capsys, "--out", out, "chat", "undo")
    _, undone = _cli(capsys, "--out", out, "state")
    assert undone["job"]["tracks"][0]["cues"][0]["text"] == "Hello, I am Jon."


def test_a_correction_whose_words_stand_in_an_uncorrected_cue_is_refused(
    captioned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(captioned)
    _, answer = _cli(capsys, "--out", out, "proofread", "--handoff")
    work_file = Path(answer["work_file"])
    work = json.loads(work_file.read_text(encoding="utf-8"))
    # "at" also stands in cue 4, which the agent left as it was.
    work["cues"][1]["correction"] = "Today we cook pasta in my home, step by step."
    work_file.write_text(json.dumps(work), encoding="utf-8")
    status, answer = _cli(capsys, "--out", out, "proofread", "--from", str(work_file))
    assert status == 3
    assert "- id 2: its words also stand in another cue" in answer["message"]
    assert '"at" also stands in id 4' in answer["message"]


def test_add_spanish_without_a_translator_hands_off_to_the_agent_host(
    captioned: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "AI_SUBTITLES_TRANSLATOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(
        "skill_runtime.local.translate.ollama.detect", lambda url, wanted, timeout_s: None
    )
    monkeypatch.setenv("CLAUDECODE", "1")
    monkeypatch.delenv("AI_SUBTITLES_PLATFORM", raising=False)
    status, answer = _cli(capsys, "--out", str(captioned), "chat", "add Spanish")
    assert status == 0, answer
    work_file = Path(answer["work_file"])
    assert work_file.is_file() and answer["command"].endswith(str(work_file))
    assert "ai-subtitles translate es --from" in answer["message"]

    monkeypatch.setenv("AI_SUBTITLES_PLATFORM", "unknown")  # a person at a terminal
    status, answer = _cli(capsys, "--out", str(captioned), "chat", "add Spanish")
    assert status == 4 and answer["error"] == "translation_unavailable"
