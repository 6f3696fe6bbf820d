"""Scripts of a text and what romanising them loses (the kind of skeleton that compares them)."""

from __future__ import annotations

import pytest

from sanctions.text import Lossiness, name_forms
from sanctions.text.scripts import lossiness, scripts_of


@pytest.mark.parametrize(
    ("text", "scripts", "lost"),
    [
        ("Vladimir Putin", {"Latin"}, Lossiness.NONE),
        ("Владимир Путин", {"Cyrillic"}, Lossiness.NONE),
        ("محمد علي", {"Arabic"}, Lossiness.ABJAD),
        ("בנימין", {"Hebrew"}, Lossiness.ABJAD),
        ("สมชาย", {"Thai"}, Lossiness.ABUGIDA),
        ("金正恩", {"Han"}, Lossiness.SYLLABIC),
        ("김정은", {"Hangul"}, Lossiness.SYLLABIC),
        ("12-34", set(), Lossiness.NONE),
    ],
)
def test_scripts_and_lossiness(text: str, scripts: set[str], lost: Lossiness) -> None:
    assert scripts_of(text) == scripts
    assert lossiness(scripts_of(text)) is lost


def test_name_forms_carry_the_enum_and_skeletons_only_when_something_was_lost() -> None:
    for value in ("Vladimir Putin", "محمد علي", "김정은"):
        for form in name_forms(value):
            assert isinstance(form.lossy, Lossiness)
            assert bool(form.skeletons) == (form.lossy is not Lossiness.NONE)
