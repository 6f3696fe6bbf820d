"""Text normalisation for names: scripts, romanisation, name parts, legal forms, honorifics."""

from sanctions.text.keys import phonetic_key, skeleton
from sanctions.text.names import ANY, ORG, PERSON, VESSEL, NameForm, kind_of, name_forms
from sanctions.text.scripts import Lossiness, is_latin, is_lossy, scripts_of
from sanctions.text.translit import ascii_clean, latin_forms


def load_resources() -> None:
    """Read every table matching may use (word frequencies, business words, loan syllables,
    ICU transliterators) now rather than at a first query: ``Index.build`` calls it, so a
    process that forks workers after building shares the tables instead of each reading them."""
    from sanctions.text.lexicon import is_common_word
    from sanctions.text.loans import loan_table
    from sanctions.text.phrases import business_word_groups, given_name_groups
    from sanctions.text.translit import katakana_reading

    is_common_word("warm")
    business_word_groups()
    given_name_groups()
    loan_table("han")
    loan_table("hangul")
    katakana_reading("warm")


__all__ = [
    "ANY",
    "ORG",
    "PERSON",
    "VESSEL",
    "Lossiness",
    "NameForm",
    "ascii_clean",
    "is_latin",
    "kind_of",
    "is_lossy",
    "latin_forms",
    "load_resources",
    "name_forms",
    "phonetic_key",
    "scripts_of",
    "skeleton",
]
