"""Language names come from langcodes alone: messages, prompts, the cloud's instruction,
the chat phrase table and MP4 track tags all read the same source."""

from __future__ import annotations

import langcodes
import pytest

from skill_runtime.backends.cloud import language_list
from skill_runtime.config import config
from skill_runtime.language_names import iso639_2, language_name
from skill_runtime.local.edits.interpret import interpret
from skill_runtime.settings.edit_models import AddLanguages

TRANSLATION = config().translation


@pytest.mark.parametrize("code", TRANSLATION.codes)
def test_every_whisper_language_has_its_cldr_name_and_track_tag(code: str) -> None:
    found = langcodes.Language.get(code, normalize=False)
    assert language_name(code) == found.display_name()
    assert iso639_2(code) == found.to_alpha3()


@pytest.mark.parametrize(
    ("tag", "name", "track"),
    [
        ("en", "English", "eng"),
        ("pt-BR", "Portuguese", "por"),
        ("zh-Hant", "Chinese", "zho"),
        ("EN_us", "English", "eng"),
        ("tl", "Tagalog", "tgl"),  # Whisper's Tagalog, not normalised to Filipino
        ("jw", "Javanese", "jav"),
        ("yue", "Cantonese", "yue"),
        ("xx", "xx", "und"),
        ("", "", "und"),
    ],
)
def test_a_tag_is_named_by_its_language(tag: str, name: str, track: str) -> None:
    assert language_name(tag) == name
    assert iso639_2(tag) == track


def test_the_cloud_instruction_names_languages_like_the_local_backend() -> None:
    assert language_list(["en", "es", "sv"]) == "English, Spanish and Swedish"


@pytest.mark.parametrize("code", list(TRANSLATION.languages))
def test_chat_knows_a_language_by_its_english_name(code: str) -> None:
    said = f"add {language_name(code)}"
    assert interpret(said, config().edits, TRANSLATION.languages) == [
        AddLanguages(languages=[code])
    ]


def test_skill_yaml_keeps_no_copy_of_a_name() -> None:
    for code, entry in TRANSLATION.languages.items():
        assert language_name(code).lower() not in [p.lower() for p in entry.phrases]
