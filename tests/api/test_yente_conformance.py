"""yente 5 conformance: the requests a yente client sends, answered in yente's shapes.

The cases (tests/fixtures/yente/requests.json) and the response shapes (shapes.json) are
transcribed from yente's documentation and test suite; they run over real HTTP against a
`sanctions serve` process holding the bundled lists.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

FIXTURES = Path(__file__).parent.parent / "fixtures" / "yente"
SHAPES: dict[str, Any] = json.loads((FIXTURES / "shapes.json").read_text(encoding="utf-8"))
CASES: list[dict[str, Any]] = json.loads((FIXTURES / "requests.json").read_text(encoding="utf-8"))["cases"]
_GENERIC = re.compile(r"^(list|dict)\[(.*)\]$")


def _split_union(spec: str) -> list[str]:
    """``A|list[B|C]`` -> ``["A", "list[B|C]"]`` (bars inside brackets stay)."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(spec):
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "|" and depth == 0:
            parts.append(spec[start:i])
            start = i + 1
    return [*parts, spec[start:]]


def problems(value: Any, spec: str, where: str = "$") -> list[str]:
    """Where ``value`` does not fit the type expression ``spec`` (empty: it fits)."""
    if spec.endswith("?"):
        return [] if value is None else problems(value, spec[:-1], where)
    options = _split_union(spec)
    if len(options) > 1:
        found = [problems(value, option, where) for option in options]
        if any(not f for f in found):
            return []
        # An object that fits no option: say why it fails the object shapes, not "expected str".
        shaped = (
            [f for f, o in zip(found, options, strict=True) if o in SHAPES] if isinstance(value, dict) else []
        )
        return min(shaped or found, key=len)
    generic = _GENERIC.match(spec)
    if generic:
        kind, inner = generic.groups()
        if kind == "list":
            if not isinstance(value, list):
                return [f"{where}: expected a list, got {type(value).__name__}"]
            return [p for i, item in enumerate(value) for p in problems(item, inner, f"{where}[{i}]")]
        if not isinstance(value, dict):
            return [f"{where}: expected an object, got {type(value).__name__}"]
        return [p for k, item in value.items() for p in problems(item, inner, f"{where}.{k}")]
    simple = {"str": str, "int": int, "number": (int, float), "bool": bool}
    if spec == "any":
        return []
    if spec in simple:
        ok = isinstance(value, simple[spec]) and not (spec in ("int", "number") and isinstance(value, bool))
        return [] if ok else [f"{where}: expected {spec}, got {value!r:.60}"]
    return _model_problems(value, spec, where)


def _model_problems(value: Any, name: str, where: str) -> list[str]:
    if not isinstance(value, dict):
        return [f"{where}: expected a {name} object, got {type(value).__name__}"]
    fields = dict(SHAPES[name])
    while "_extends" in fields:
        parent = fields.pop("_extends")
        fields = {**SHAPES[parent], **fields}
    out = []
    for key, spec in fields.items():
        if key not in value:
            out.append(f"{where}: {name} lacks {key!r}")
        else:
            out.extend(problems(value[key], spec, f"{where}.{key}"))
    return out


def _get(data: Any, path: str) -> Any:
    for part in path.split("."):
        data = data[int(part)] if isinstance(data, list) else data[part]
    return data


def _check(body: Any, path: str, op: str, expected: Any) -> None:
    if isinstance(expected, str) and expected.startswith("$"):
        expected = _get(body, expected[1:])
    value = _get(body, path)
    verdicts = {
        "==": lambda: value == expected,
        ">": lambda: value > expected,
        ">=": lambda: value >= expected,
        "len==": lambda: len(value) == expected,
        "len>=": lambda: len(value) >= expected,
        "len<=": lambda: len(value) <= expected,
        "contains": lambda: expected in value,
        "not contains": lambda: expected not in value,
        "icontains": lambda: expected.lower() in value.lower(),
        "not has": lambda: expected not in value,
        "keys==": lambda: sorted(value) == sorted(expected),
        "has id": lambda: expected in [item["id"] for item in value],
    }
    assert verdicts[op](), f"{path} {op} {expected!r}: found {value!r:.300}"


def test_fixtures_name_known_shapes() -> None:
    specs = [c["shape"] for c in CASES if "shape" in c]
    specs += [spec for fields in SHAPES.values() if isinstance(fields, dict) for spec in fields.values()]
    named = {name for spec in specs for name in re.findall(r"[A-Z]\w+", spec)}
    assert named <= set(SHAPES), named - set(SHAPES)


def test_the_shape_checker_finds_problems() -> None:
    good = {"value": 3, "relation": "eq"}
    assert problems(good, "TotalSpec") == []
    assert problems({"value": "3"}, "TotalSpec") == [
        "$.value: expected int, got '3'",
        "$: TotalSpec lacks 'relation'",
    ]
    assert problems([good, {"value": True, "relation": "eq"}], "list[TotalSpec]") == [
        "$[1].value: expected int, got True"
    ]
    assert problems({"a": ["x", {"bad": 1}]}, "dict[list[str|TotalSpec]]")


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_yente_request(client: httpx.Client, case: dict[str, Any]) -> None:
    form = {k: json.dumps(v) for k, v in case.get("form", {}).items()} or None
    resp = client.request(
        case["method"], case["path"], params=case.get("params"), json=case.get("json"), data=form
    )
    assert resp.status_code == case["status"], resp.text[:500]
    body = resp.json()
    if "shape" in case:
        found = problems(body, case["shape"])
        assert not found, "\n".join(found[:10])
    for header, value in case.get("headers", {}).items():
        assert resp.headers.get(header) == value
    for path, op, expected in case.get("checks", []):
        _check(body, path, op, expected)
