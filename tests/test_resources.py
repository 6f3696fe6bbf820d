"""The one loader of the curated reference data: every topic's files load, as plain data."""

from __future__ import annotations

import yaml

from sanctions.resources import _LOADER, RESOURCES, load_resource, load_word_list


def test_every_yaml_resource_loads_as_the_pure_python_loader_reads_it() -> None:
    files = sorted(RESOURCES.rglob("*.yml"))
    assert {f.parent.name for f in files} >= {"names", "organisations", "places", "scripts", "scan"}
    for path in files:
        name = str(path.relative_to(RESOURCES).with_suffix(""))
        assert load_resource(name) == yaml.safe_load(path.read_text(encoding="utf-8")), name


def test_the_c_loader_is_used_where_pyyaml_has_it() -> None:
    assert _LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def test_word_lists_leave_out_comments_and_blank_lines() -> None:
    for path in sorted(RESOURCES.rglob("*.txt")):
        name = str(path.relative_to(RESOURCES).with_suffix(""))
        lines = load_word_list(name)
        assert lines and all(line and not line.startswith("#") for line in lines), name
    assert "moscow" in " ".join(load_word_list("places/places")).lower()


FLAGS = ("generic", "threshold_met_targets")  # keys whose own value is meant as a boolean


def _booleans(node: object, key: object = None) -> list[object]:
    """Every boolean in ``node`` that is not the value of a flag key."""
    if isinstance(node, dict):
        return [b for k, value in node.items() for b in _booleans(value, k)]
    if isinstance(node, list):
        return [b for value in node for b in _booleans(value)]
    return [node] if isinstance(node, bool) and key not in FLAGS else []


def test_no_word_is_read_as_a_yaml_boolean() -> None:
    # YAML 1.1 reads a bare no, yes, on or off as a boolean: the Korean surname No became False,
    # and so did the Japanese reading "no" of 野.
    for path in sorted(RESOURCES.rglob("*.yml")):
        name = str(path.relative_to(RESOURCES).with_suffix(""))
        assert not _booleans(load_resource(name)), f"{name}: quote the words read as booleans"


def test_followthemoney_reads_its_model_with_the_c_parser_and_gets_the_same_model() -> None:
    from followthemoney import model
    from followthemoney.model import Model
    from followthemoney.settings import MODEL_PATH

    assert yaml.safe_load.__module__ == "yaml"  # the parser is given back after the import
    assert Model(MODEL_PATH).to_dict() == model.to_dict()  # read again with the pure-Python parser
