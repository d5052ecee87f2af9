"""The text policy every caption writer shares: safe to hold, shown as written."""

import pytest

from skill_runtime.caption_text import clean, markup


@pytest.mark.parametrize(
    ("raw", "held"),
    [
        ("plain words", "plain words"),
        ("two\nlines\r\nhere", "two lines here"),
        ("tab\there", "tab here"),
        ("bell\x07 and nul\x00", "bell and nul"),
        ("rtl \u202eevil\u202c end", "rtl evil end"),
        ("isolate \u2066x\u2069", "isolate x"),
        ("zero\u200bwidth", "zerowidth"),
        ("bom\ufeff", "bom"),
        ("emoji 👩\u200d💻 kept", "emoji 👩\u200d💻 kept"),
        ("क्\u200dष joiner kept", "क्\u200dष joiner kept"),
        ("{\\fs200}big", "{\\fs200}big"),
        ("<b>bold</b> -> a --> b", "<b>bold</b> -> a --> b"),
        ("back\\slash", "back\\slash"),
        ("  spaced   out  ", "spaced out"),
    ],
)
def test_clean_keeps_visible_text_and_drops_controls(raw: str, held: str) -> None:
    assert clean(raw) == held


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("<i>hello</i>", "tag"),
        ('<font color="red">x</font>', "tag"),
        ("{\\p1}m 0 0 l 10 10", "override"),
        ("a --> b", "arrow"),
        ("3 < 4 and 5 > 2", None),
        ("{braces} alone", None),
        ("plain", None),
    ],
)
def test_markup_names_what_a_player_would_obey(text: str, kind: str | None) -> None:
    assert markup(text) == kind
