"""The output set: names stay inside --out, foreign files are kept, and nothing incomplete
takes a final name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from skill_runtime.errors import SkillError
from skill_runtime.outputs import Expect, OutputSet, safe_stem, shown, verify, where_written
from skill_runtime.store import Store


def _set(tmp_path: Path, suffixes: list[str], source: str = "talk.mp4", **kw: bool) -> OutputSet:
    return OutputSet(
        tmp_path / "out", Path("/media") / source, suffixes, Store(tmp_path / "h"), **kw
    )


@pytest.mark.parametrize(
    "suffix", [".es/../../../X.srt", "/../../etc/passwd", ".en/evil.srt", ".a\nb.srt"]
)
def test_a_name_that_leaves_the_folder_is_refused_before_anything_is_written(
    tmp_path: Path, suffix: str
) -> None:
    with pytest.raises(SkillError) as err:
        _set(tmp_path, [".en.srt", suffix])
    assert err.value.code == "unsafe_name"
    assert [p.name for p in (tmp_path / "out").iterdir()] == []


def test_a_foreign_file_moves_the_whole_set_to_a_numbered_stem(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "talk.en.vtt").write_text("mine")
    outs = _set(tmp_path, [".en.srt", ".en.vtt"])
    assert (outs.stem, outs.numbered) == ("talk-2", True)
    assert _set(tmp_path, [".en.srt", ".en.vtt"], overwrite=True).stem == "talk"


def test_own_files_are_replaced_but_not_those_made_for_another_source(tmp_path: Path) -> None:
    outs = _set(tmp_path, [".en.srt"])
    outs.temp(".en.srt", Expect("srt", 1)).write_text("1\n00:00:00,000 --> 00:00:01,000\nHi\n")
    outs.commit()
    assert _set(tmp_path, [".en.srt"]).stem == "talk"
    assert _set(tmp_path, [".en.srt"], source="talk.wav").stem == "talk-2"
    (tmp_path / "out" / "talk.en.srt").write_text("edited by hand")
    assert _set(tmp_path, [".en.srt"]).stem == "talk-2"


def test_an_incomplete_file_stops_the_whole_set(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "talk.en.srt").write_text("old")
    outs = _set(tmp_path, [".en.vtt", ".en.srt"], overwrite=True)
    outs.temp(".en.vtt", Expect("vtt", 1)).write_text("WEBVTT\n\n00:00.000 --> 00:01.000\nHi\n")
    outs.temp(".en.srt", Expect("srt", 2)).write_text("1\n00:00:00,000 --> 00:00:01,000\nHi\n")
    with pytest.raises(SkillError) as err, outs:
        outs.commit()
    assert err.value.code == "output_incomplete"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["talk.en.srt"]
    assert (tmp_path / "out" / "talk.en.srt").read_text() == "old"


def _mp4(tmp_path: Path) -> Path:
    whole = tmp_path / "whole.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=10:d=3",
         "-c:v", "libx264", "-movflags", "+faststart", str(whole)],
        check=True,
    )  # fmt: skip
    return whole


def test_a_cut_mp4_is_not_complete(tmp_path: Path) -> None:
    whole = _mp4(tmp_path)
    cut = tmp_path / "cut.mp4"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    empty = tmp_path / "empty.mp4"
    empty.write_bytes(b"")
    assert verify(whole, Expect("mp4")) is None
    assert verify(cut, Expect("mp4")) is not None
    assert verify(empty, Expect("mp4")) == "empty"


def test_without_av_an_mp4_is_still_checked_by_its_box_structure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "av", None)  # a core install: `import av` fails
    whole = _mp4(tmp_path)
    data = whole.read_bytes()
    ftyp = data[: int.from_bytes(data[:4], "big")]
    cases = {
        "cut.mp4": data[: len(data) // 2],
        "no-index.mp4": ftyp + (8).to_bytes(4, "big") + b"mdat",
        "noise.mp4": b"\x00\x00\x00\x03junk" * 10,
    }
    for name, content in cases.items():
        (tmp_path / name).write_bytes(content)
    assert verify(whole, Expect("mp4")) is None
    assert {name: verify(tmp_path / name, Expect("mp4")) for name in cases} == {
        "cut.mp4": "cut short",
        "no-index.mp4": "no index",
        "noise.mp4": "not an MP4",
    }


def test_control_characters_never_reach_a_name_or_a_message() -> None:
    assert safe_stem("new\nline\ttab\u2028") == "new_line_tab_"
    assert shown("a\nb") == "a\\nb"
    said = where_written(Path("/i/new\nline.mp4"), Path("/o"), "new_line")
    assert (said["stem"], said["reason"]) == ("new_line", "control")


def test_an_out_folder_that_is_a_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("a file")
    with pytest.raises(SkillError) as err:
        _set(tmp_path, [".en.srt"])
    assert err.value.code == "out_not_folder"


@pytest.mark.parametrize(
    "char", ["a", "é", "漢", "😀"], ids=["1-byte", "2-byte", "3-byte", "4-byte"]
)
def test_a_long_source_name_gives_names_that_fit_the_file_system(tmp_path: Path, char: str) -> None:
    source = char * (250 // len(char.encode("utf-8")))
    suffixes = [".captioned.mp4", ".sr-Latn-RS.json"]
    (tmp_path / "out").mkdir()
    for suffix in suffixes:  # taken by a foreign file, so the set also needs its number
        (tmp_path / "out" / f"{safe_stem(source)}{suffix}").write_text("foreign")
    outs = _set(tmp_path, suffixes, source=f"{source}.mp4")
    assert outs.stem.startswith(safe_stem(source)) and source.startswith(safe_stem(source))
    for suffix in suffixes:
        outs.temp(suffix, Expect("json")).write_text("{}")
    written = outs.commit()
    assert all(path.is_file() and len(path.name.encode()) <= 255 for path in written.files.values())
    said = where_written(Path(f"{source}.mp4"), outs.folder, written.stem)
    assert (said["stem"], said["reason"]) == (outs.stem, "shortened")


def test_commit_returns_the_stem_it_chose_and_the_answer_names_it(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "talk.en.srt").write_text("someone else's")
    outs = _set(tmp_path, [".en.srt"])
    outs.temp(".en.srt", Expect("srt", 1)).write_text("1\n00:00:00,000 --> 00:00:01,000\nHi\n")
    written = outs.commit()
    assert (written.stem, sorted(written.files)) == ("talk-2", [".en.srt"])
    assert written.files[".en.srt"] == outs.folder / "talk-2.en.srt"
    said = where_written(Path("/media/talk.mp4"), outs.folder, written.stem)
    assert said == {"folder": str(outs.folder), "stem": "talk-2", "reason": "numbered"}


def test_a_set_under_the_plain_name_needs_no_explanation(tmp_path: Path) -> None:
    said = where_written(Path("/media/talk-2.mp4"), tmp_path, "talk-2")
    assert (said["stem"], said["reason"]) == (None, None)
    assert where_written(Path("/media/talk.mp4"), None, "")["folder"] is None


@pytest.mark.parametrize(
    ("existing", "other_file", "left"),
    [
        (None, False, None),  # made for this result, with its parent: both go
        ("parent", False, "parent"),  # the parent was there before: it stays
        ("out", False, "out"),  # the folder was there before: it stays
        (None, True, "out"),  # something else went in meanwhile: kept
    ],
)
def test_a_result_that_never_came_leaves_no_folder_it_made(
    tmp_path: Path, existing: str | None, other_file: bool, left: str | None
) -> None:
    parent = tmp_path / "parent"
    folder = parent / "out"
    if existing:
        (folder if existing == "out" else parent).mkdir(parents=True)
    with (
        pytest.raises(KeyboardInterrupt),
        OutputSet(folder, Path("/media/talk.mp4"), [".en.srt"], Store(tmp_path / "h")) as outs,
    ):
        outs.temp(".en.srt", Expect("srt", 1)).write_text("partial")
        if other_file:
            (folder / "notes.txt").write_text("the user's")
        raise KeyboardInterrupt
    survivors = [p.name for p in (parent, folder) if p.exists()]
    assert survivors == {None: [], "parent": ["parent"], "out": ["parent", "out"]}[left]
