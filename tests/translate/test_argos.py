"""Offline Argos packs: routing, download from an index, verification, loading, batches."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import platformdirs
import pytest

from skill_runtime.captions import Cue
from skill_runtime.config import config
from skill_runtime.environment import Environment
from skill_runtime.errors import SkillError
from skill_runtime.local.translate import packs
from skill_runtime.local.translate.packs import route
from skill_runtime.local.translate.service import translate_cues
from skill_runtime.local.translate.setup import install_pair, parse_pair
from skill_runtime.messages import render
from skill_runtime.progress import Progress
from skill_runtime.store import APP_NAME

from .argos_pack import Index, build_pack, serve_index

PAIRS = {("de", "en"), ("en", "es"), ("en", "fr")}
EN_ES = {"hello": "hola", "world": "mundo", "cat": "gato"}
DE_EN = {"hallo": "hello", "welt": "world"}
ARGOS = config().translation.argos


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("en", "es", ["en", "es"]),
        ("de", "es", ["de", "en", "es"]),
        ("de", "fr", ["de", "en", "fr"]),
        ("es", "de", None),
        ("fr", "es", None),
    ],
)
def test_pairs_route_directly_or_through_english(
    source: str, target: str, expected: list[str] | None
) -> None:
    assert route(PAIRS, source, target, pivot="en") == expected


@pytest.fixture
def index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Index]:
    site = tmp_path / "site"
    site.mkdir()
    with serve_index(site) as served:
        monkeypatch.setenv("AI_SUBTITLES_ARGOS_INDEX", served.url)
        yield served


def _cues(*words: str) -> list[Cue]:
    return [Cue(start=2.0 * k, end=2.0 * k + 1.5, lines=[w]) for k, w in enumerate(words)]


def test_setup_installs_a_pack_that_translates_a_track_in_one_batch(index: Index) -> None:
    index.offer("en", "es", build_pack(index.root, "en", "es", EN_ES))
    install_pair("en-es", config().translation, Progress(quiet=True), Environment.read(config()))
    assert packs.installed_pairs(ARGOS) == {("en", "es")}
    pack = packs.load(ARGOS, "en", "es")
    assert pack.translate(["hello", "world", "cat", "hello"], 1, 32) == [
        "hola",
        "mundo",
        "gato",
        "hola",
    ]
    out = translate_cues(
        _cues("hello", "world"),
        "en",
        "es",
        audio=None,
        rules=config().local.cues,
        config=config(),
        env=Environment.read(config()),
    )
    assert [(c.start, c.end, c.text) for c in out] == [(0.0, 1.5, "hola"), (2.0, 3.5, "mundo")]


def test_a_pair_without_a_direct_pack_is_installed_and_run_through_english(index: Index) -> None:
    index.offer("de", "en", build_pack(index.root, "de", "en", DE_EN))
    index.offer("en", "es", build_pack(index.root, "en", "es", EN_ES))
    result = install_pair(
        "de-es", config().translation, Progress(quiet=True), Environment.read(config())
    )
    assert result.data["installed"] == [["de", "en"], ["en", "es"]]
    out = translate_cues(
        _cues("hallo", "welt"),
        "de",
        "es",
        audio=None,
        rules=config().local.cues,
        config=config(),
        env=Environment.read(config()),
    )
    assert [c.text for c in out] == ["hola", "mundo"]


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        ("truncated", "damaged"),
        ("wrong_pair", "it translates fr→de"),
        ("no_model", "model/model.bin is missing"),
    ],
)
def test_a_corrupt_or_wrong_pack_is_refused_and_nothing_is_installed(
    index: Index, damage: str, problem: str
) -> None:
    archive = build_pack(
        index.root, "en", "es", EN_ES, meta_pair="fr-de" if damage == "wrong_pair" else ""
    )
    if damage == "truncated":
        archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    elif damage == "no_model":
        import zipfile

        kept = zipfile.ZipFile(archive).namelist()
        contents = {n: zipfile.ZipFile(archive).read(n) for n in kept if "model.bin" not in n}
        with zipfile.ZipFile(archive, "w") as pack:
            for name, data in contents.items():
                pack.writestr(name, data)
    index.offer("en", "es", archive)
    with pytest.raises(SkillError) as caught:
        install_pair(
            "en-es", config().translation, Progress(quiet=True), Environment.read(config())
        )
    assert caught.value.code == "pack_invalid"
    assert problem in render("errors/pack_invalid", **caught.value.context)
    assert packs.installed_pairs(ARGOS) == set()
    assert [p.name for p in packs.store_dir(ARGOS).iterdir()] == []


def test_a_pair_the_index_does_not_offer_is_named(index: Index) -> None:
    index.offer("en", "es", build_pack(index.root, "en", "es", EN_ES))
    with pytest.raises(SkillError) as caught:
        install_pair(
            "ja-ko", config().translation, Progress(quiet=True), Environment.read(config())
        )
    assert caught.value.code == "pack_not_offered"
    assert (caught.value.context["source"], caught.value.context["target"]) == ("ja", "en")


def test_an_index_over_plain_http_to_another_host_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AI_SUBTITLES_ARGOS_INDEX", "http://packs.example.com/index.json")
    with pytest.raises(SkillError) as caught:
        install_pair(
            "en-es", config().translation, Progress(quiet=True), Environment.read(config())
        )
    assert caught.value.code == "translator_insecure"


# Starts the CLI in a fresh interpreter.
@pytest.mark.slow
def test_the_cli_shows_download_progress_and_says_what_now_translates(
    index: Index, tmp_path: Path
) -> None:
    index.offer("en", "es", build_pack(index.root, "en", "es", EN_ES))
    env = {**os.environ, "AI_SUBTITLES_HOME": str(tmp_path / "cli-home")}
    done = subprocess.run(
        [sys.executable, "-m", "skill_runtime", "setup", "--translation", "en-es"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Downloading the en→es translation pack: 100%" in done.stderr
    assert "English (en) → Spanish (es) now translates offline" in done.stdout


def test_an_installed_real_pack_translates_a_track(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs where a real pack was installed in the user's store (or AI_SUBTITLES_REAL_HOME)."""
    real = Path(os.environ.get("AI_SUBTITLES_REAL_HOME") or platformdirs.user_data_path(APP_NAME))
    monkeypatch.setenv("AI_SUBTITLES_HOME", str(real))
    pairs = packs.installed_pairs(ARGOS)
    if not pairs:
        pytest.skip(
            f"no real Argos pack in {real}: the Argos index is not reachable from this machine "
            "(`ai-subtitles setup --translation en-es` installs one where it is)"
        )
    source, target = sorted(pairs)[0]
    cues = [Cue(start=0.0, end=1.0, lines=["Hello"]), Cue(start=1.2, end=2.0, lines=["Thank you"])]
    out = translate_cues(
        cues,
        source,
        target,
        audio=None,
        rules=config().local.cues,
        config=config(),
        env=Environment.read(config()),
        provider="argos",
    )
    assert [(c.start, c.end) for c in out] == [(0.0, 1.0), (1.2, 2.0)]
    assert all(c.text for c in out)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("en-es", ("en", "es")),
        ("EN:es", ("en", "es")),
        ("de-en", ("de", "en")),
        ("en-en", "usage"),
        ("en", "usage"),
        ("en-es-fr", "usage"),
        ("english-es", "unknown_language"),
        ("en-../../x", "unknown_language"),
    ],
)
def test_the_pair_is_checked_before_anything_is_fetched(
    text: str, expected: tuple[str, str] | str
) -> None:
    if isinstance(expected, tuple):
        assert parse_pair(text, config().translation) == expected
        return
    with pytest.raises(SkillError) as caught:
        parse_pair(text, config().translation)
    assert caught.value.code == expected


def test_a_pack_file_the_user_has_is_installed_without_any_index(tmp_path: Path) -> None:
    archive = build_pack(tmp_path, "en", "es", EN_ES)
    result = install_pair(
        str(archive), config().translation, Progress(quiet=True), Environment.read(config())
    )
    assert result.data["installed"] == [["en", "es"]]
    assert packs.installed_pairs(ARGOS) == {("en", "es")}
    out = translate_cues(
        _cues("hello", "world"),
        "en",
        "es",
        audio=None,
        rules=config().local.cues,
        config=config(),
        env=Environment.read(config()),
    )
    assert [c.text for c in out] == ["hola", "mundo"]


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        ("truncated", "not a readable zip archive"),
        ("no_model", "model/model.bin is missing"),
        ("not_a_language", "'xx', which is not a language this skill knows"),
    ],
)
def test_a_pack_file_gets_the_same_checks_as_a_download(
    tmp_path: Path, damage: str, problem: str
) -> None:
    meta_pair = "xx-es" if damage == "not_a_language" else ""
    archive = build_pack(tmp_path, "en", "es", EN_ES, meta_pair=meta_pair)
    if damage == "truncated":
        archive.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    elif damage == "no_model":
        with zipfile.ZipFile(archive) as pack:
            contents = {n: pack.read(n) for n in pack.namelist() if "model.bin" not in n}
        with zipfile.ZipFile(archive, "w") as pack:
            for name, data in contents.items():
                pack.writestr(name, data)
    with pytest.raises(SkillError) as caught:
        install_pair(
            str(archive), config().translation, Progress(quiet=True), Environment.read(config())
        )
    assert caught.value.code == "pack_invalid"
    message = render("errors/pack_invalid", **caught.value.context)
    assert problem in message and str(archive) in message
    assert packs.installed_pairs(ARGOS) == set()


def test_a_missing_pack_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(SkillError) as caught:
        install_pair(
            str(tmp_path / "none.argosmodel"),
            config().translation,
            Progress(quiet=True),
            Environment.read(config()),
        )
    assert caught.value.code == "file_missing"
