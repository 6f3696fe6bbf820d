"""The text stage's access to the curated reference data: the one loader of
:mod:`sanctions.resources` (YAML tables and word lists, grouped by topic)."""

from sanctions.resources import load_resource, load_word_list, resource_path

__all__ = ["load_resource", "load_word_list", "resource_path"]
