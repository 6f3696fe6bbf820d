"""Text normalisation for names: scripts, romanisation, name parts, legal forms, honorifics."""

from sanctions.text.keys import phonetic_key, skeleton
from sanctions.text.names import ANY, ORG, PERSON, VESSEL, NameForm, kind_of, name_forms
from sanctions.text.scripts import is_latin, is_lossy, scripts_of
from sanctions.text.translit import ascii_clean, latin_forms

__all__ = [
    "ANY",
    "ORG",
    "PERSON",
    "VESSEL",
    "NameForm",
    "ascii_clean",
    "is_latin",
    "kind_of",
    "is_lossy",
    "latin_forms",
    "name_forms",
    "phonetic_key",
    "scripts_of",
    "skeleton",
]
