"""What a batch covers and what its outputs are called."""

from __future__ import annotations

from pathlib import Path

import pytest

from skill_runtime.batch.sources import expand, output_names
from skill_runtime.errors import SkillError

VIDEOS = ["mp4", "mov", "mkv"]
MEDIA = [*VIDEOS, "wav"]


def _touch(root: Path, *names: str) -> None:
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"x")


def _rel(paths: list[Path], root: Path) -> list[str]:
    return [p.relative_to(root.resolve()).as_posix() for p in paths]


@pytest.fixture
def library(tmp_path: Path) -> Path:
    _touch(
        tmp_path,
        "lib/s1/ep1.mp4",
        "lib/s1/ep2.MOV",
        "lib/s2/ep1.mp4",
        "lib/notes.txt",
        "lib/talk.wav",
        "lib/.hidden/x.mp4",
        "lib/.ep3.part-1a2b.mp4",
        "lib/out/ep1.captioned.mp4",
    )
    return tmp_path


def _expand(sources: list[str], root: Path, skip: Path | None = None) -> list[str]:
    found = expand(sources, folder_extensions=VIDEOS, file_extensions=MEDIA, skip=skip)
    return _rel(found, root)


def test_a_folder_means_its_videos_at_any_depth_without_hidden_files(library: Path) -> None:
    assert _expand([str(library / "lib")], library, skip=library / "lib/out") == [
        "lib/s1/ep1.mp4",
        "lib/s1/ep2.MOV",
        "lib/s2/ep1.mp4",
    ]


def test_a_pattern_a_list_file_and_a_file_combine_each_file_once(library: Path) -> None:
    (library / "todo.txt").write_text("# tonight\nlib/s2/ep1.mp4\n\nlib/talk.wav\n")
    sources = [str(library / "lib/s1/*.mp4"), str(library / "todo.txt"), str(library / "lib/s1")]
    assert _expand(sources, library) == [
        "lib/s1/ep1.mp4",
        "lib/s2/ep1.mp4",
        "lib/talk.wav",
        "lib/s1/ep2.MOV",
    ]


@pytest.mark.parametrize(
    ("source", "code"),
    [
        ("missing-folder", "file_missing"),
        ("lib/*.avi", "no_sources"),
        ("lib/s1/ep1.mp4.srt", "file_missing"),
        ("lib/notes.txt", "file_missing"),  # a list file naming nothing that exists
    ],
)
def test_a_source_naming_nothing_fails_before_any_work(
    library: Path, source: str, code: str
) -> None:
    (library / "lib/notes.txt").write_text("gone.mp4\n")
    with pytest.raises(SkillError) as caught:
        _expand([str(library / source)], library)
    assert caught.value.code == code


def test_a_file_of_another_type_is_refused_by_name(library: Path) -> None:
    _touch(library, "lib/photo.psd")
    with pytest.raises(SkillError) as caught:
        _expand([str(library / "lib/photo.psd")], library)
    assert caught.value.code == "unsupported_type"


NAMES = [
    # (files, names from an earlier run, expected output names)
    (["a/ep1.mp4", "a/ep2.mp4"], {}, ["ep1", "ep2"]),
    (["a/ep1.mp4", "b/ep1.mp4"], {}, ["ep1-*", "ep1-*"]),
    (["a/EP1.mp4", "b/ep1.mov"], {}, ["EP1-*", "ep1-*"]),
    (["a/ep1.mp4", "b/ep1.mp4"], {"a/ep1.mp4": "ep1"}, ["ep1", "ep1-*"]),
    (["b/ep1.mp4"], {"a/ep1.mp4": "ep1"}, ["ep1-*"]),
]


@pytest.mark.parametrize(("files", "known", "expected"), NAMES)
def test_output_names_are_the_stem_unless_two_files_would_collide(
    files: list[str], known: dict[str, str], expected: list[str]
) -> None:
    root = Path("/videos")
    names = output_names([root / f for f in files], {root / k: v for k, v in known.items()})
    got = [names[root / f] for f in files]
    assert len({n.casefold() for n in got}) == len(got)
    for name, want in zip(got, expected, strict=True):
        if want.endswith("*"):
            assert name.startswith(want[:-1]) and len(name) == len(want) - 1 + 6
        else:
            assert name == want
