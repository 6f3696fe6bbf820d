"""Romanisation, name forms and keys."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sanctions.text import ascii_clean, latin_forms, name_forms, phonetic_key, skeleton


def test_cyrillic_has_bgn_form() -> None:
    assert "sergey kogogin" in latin_forms("Сергей Когогин")


def test_han_gets_korean_reading() -> None:
    assert "kim jong un" in latin_forms("金正恩")


def test_legal_forms_removed_in_any_script() -> None:
    tokens = {
        f.tokens
        for v in ("ПАО КАМАЗ", "KAMAZ PJSC", "KAMAZ PUBLICLY TRADED COMPANY")
        for f in name_forms(v, "org")
    }
    assert tokens == {("kamaz",)}


def test_legal_form_makes_unknown_an_organisation() -> None:
    assert all(f.kind == "org" for f in name_forms("EMMA LLC", "any"))


def test_honorifics_removed_from_people() -> None:
    assert name_forms("Mr. Sergey Sobyanin", "person")[0].tokens == ("sergey", "sobyanin")


def test_former_name_is_its_own_form() -> None:
    assert ("cape", "diamond") in {f.tokens for f in name_forms("Ocean Pioneer (ex-Cape Diamond)", "any")}


def test_phonetic_key_folds_romanisation_variants() -> None:
    assert phonetic_key("rabinovich") == phonetic_key("rabinowitz")
    assert phonetic_key("levitsky") == phonetic_key("levitskiy")


def test_skeleton_drops_vowels() -> None:
    assert skeleton("mohamed") == skeleton("mhmd")


@given(st.text(max_size=60))
def test_ascii_clean_is_idempotent(text: str) -> None:
    once = ascii_clean(text)
    assert ascii_clean(once) == once
    assert once.isascii()


@given(st.text(max_size=60))
def test_latin_forms_are_clean_ascii(text: str) -> None:
    for form in latin_forms(text):
        assert form.isascii()
        assert ascii_clean(form) == form
