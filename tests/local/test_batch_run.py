"""`ai-subtitles batch` as a user runs it: many files, one job each, resumable."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import filelock
import pytest

from skill_runtime.batch.manifest import FILE_NAME
from skill_runtime.batch.run import LOCK_NAME
from skill_runtime.batch.worker import WORK_DIR
from skill_runtime.config import config
from skill_runtime.local.probe import probe
from skill_runtime.local.sample import make_clip

pytestmark = pytest.mark.slow

BROKEN = b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 40


def _env() -> dict[str, str]:
    """The environment without PYTHONUNBUFFERED, so streaming must not rely on it."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}


def batch(*args: str, timeout: float = 300) -> tuple[int, list[dict[str, Any]], str]:
    """Run the CLI with --json: exit status, the JSON lines, stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "skill_runtime", "--json", "batch", *args],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=timeout,
    )
    return done.returncode, [json.loads(x) for x in done.stdout.splitlines()], done.stderr


def by_name(lines: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {x["name"]: x for x in lines if "name" in x}


@pytest.fixture(scope="module")
def library(clips: Path) -> Path:
    """Two files named intro.mp4 in two folders (different speech), and a broken one."""
    root = clips / "library"
    make_clip(root / "season 1" / "intro.mp4", "Welcome to season one.", size="160x90")
    make_clip(root / "season 2" / "intro.mp4", "Season two starts now.", size="160x90")
    (root / "season 2" / "broken.mp4").write_bytes(BROKEN)
    return root


@pytest.fixture(scope="module")
def first_run(library: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    out = tmp_path_factory.mktemp("batch-out")
    return out, *batch(str(library), "--out", str(out), "--soft")


def test_each_file_is_its_own_job_with_outputs_named_after_it(first_run: Any) -> None:
    out, _, lines, _ = first_run
    files = by_name(lines)
    intros = sorted(n for n in files if n.startswith("intro-"))
    assert len(intros) == 2
    texts = [(out / f"{n}.en.srt").read_text(encoding="utf-8").lower() for n in intros]
    assert any("welcome" in t for t in texts) and any("starts" in t for t in texts)
    for name in intros:
        assert (out / f"{name}.subtitled.mp4").stat().st_size > 0
        assert {Path(m["path"]).name for m in files[name]["media"]} >= {
            f"{name}.en.srt",
            f"{name}.subtitled.mp4",
        }
    assert not [p for p in out.rglob("*") if ".part-" in p.name]


def test_one_failure_stops_nothing_and_is_named_with_its_reason(first_run: Any) -> None:
    _, status, lines, stderr = first_run
    assert status == 3
    assert [x["state"] for x in lines[:-1]].count("done") == 2
    broken = by_name(lines)["broken"]
    assert broken["state"] == "failed" and broken["error"] in {"corrupt_media", "not_media"}
    summary = lines[-1]
    assert (summary["ok"], summary["error"]) == (False, "batch_failed")
    assert "2 captioned, 0 already done (skipped), 1 failed" in summary["message"]
    assert "✗ broken.mp4:" in stderr
    assert "Traceback" not in stderr


def test_running_again_skips_what_is_done_and_retries_what_failed(
    library: Path, first_run: Any
) -> None:
    out = first_run[0]
    status, lines, stderr = batch(str(library), "--out", str(out), "--soft")
    states = {n: x["state"] for n, x in by_name(lines).items()}
    assert sorted(states.values()) == ["failed", "skipped", "skipped"]
    assert states["broken"] == "failed" and by_name(lines)["broken"]["seconds"] is not None
    assert status == 3 and "Transcribing" not in stderr


def _border_style(ass: Path) -> str:
    """The BorderStyle field of the caption style: 1 outline, 3 opaque box."""
    fields = next(x for x in ass.read_text(encoding="utf-8").splitlines() if x.startswith("Style:"))
    return fields.split(",")[15]


def test_a_render_option_change_rerenders_without_recognising_again(
    library: Path, tmp_path: Path
) -> None:
    season = library / "season 1"
    status, _, _ = batch(str(season), "--out", str(tmp_path), "--soft")
    assert status == 0 and _border_style(tmp_path / "intro.en.ass") == "1"
    status, lines, stderr = batch(str(season), "--out", str(tmp_path), "--soft", "--style", "boxed")
    assert status == 0 and [x["state"] for x in lines[:-1]] == ["done"]
    assert "Transcribing" not in stderr and "Adding subtitle tracks" in stderr
    assert _border_style(tmp_path / "intro.en.ass") == "3"


def _manifest_rows(out: Path) -> dict[str, tuple[str, list[str]]]:
    with sqlite3.connect(out / FILE_NAME) as db:
        rows = db.execute("SELECT name, state, outputs FROM files").fetchall()
    return {n: (s, [m["path"] for m in json.loads(o)]) for n, s, o in rows}


def test_a_killed_batch_keeps_finished_files_and_leaves_no_partial_under_a_final_name(
    library: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    for copy in "abc":  # the third starts only when the first is done: still running at the kill
        shutil.copytree(library / "season 1", folder / copy)
    out = tmp_path / "out"
    command = ["--json", "batch", str(folder), "--out", str(out), "--soft"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "skill_runtime", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(),
        start_new_session=True,
    )
    assert proc.stdout is not None
    first = json.loads(proc.stdout.readline())
    os.killpg(proc.pid, signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL  # killed mid-batch, not already finished
    rows = _manifest_rows(out)
    assert rows[first["name"]][0] == "done"
    for state, outputs in rows.values():
        assert state != "done" or all(Path(p).is_file() for p in outputs)
    finals = [p for p in out.iterdir() if p.is_file() and not p.name.startswith(".")]
    assert not [p for p in finals if ".part-" in p.name]
    for video in (p for p in finals if p.suffix == ".mp4"):
        assert probe(video, ["mp4"]).duration > 1  # complete, not cut short
    status, lines, _ = batch(str(folder), "--out", str(out), "--soft")
    assert status == 0
    states = {n: x["state"] for n, x in by_name(lines).items()}
    assert states[first["name"]] == "skipped"
    assert all(states[n] == "skipped" for n, (s, _) in rows.items() if s == "done")
    assert "failed" not in states.values()


def test_a_second_batch_on_the_same_out_refuses_and_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    work = out / WORK_DIR / "ep01"
    work.mkdir(parents=True)
    source = tmp_path / "ep01.mp4"
    source.write_bytes(BROKEN)
    with filelock.FileLock(out / LOCK_NAME, timeout=0):
        code, _, stderr = batch(str(source), "--out", str(out))
    assert code == config().exit_codes["usage"]
    assert str(out) in stderr and "--out" in stderr
    assert work.is_dir() and not (out / FILE_NAME).exists()
