"""The pipeline's import rules, checked on the source: the stage order is the README's.

* a stage imports only itself and earlier stages;
* a face (cli, api, web) imports only the service and the public vocabulary, and no other face;
* nothing below the service imports the package root (which re-exports the service).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sanctions"
FACES = frozenset({"cli", "api", "web"})
# "" is the package root
VOCABULARY = frozenset({"", "model", "errors", "settings", "ftm", "budget", "service"})
_STEP = re.compile(r"^\d+\. (.+?):")


def stage_order() -> dict[str, int]:
    """Module -> rank, from the numbered list under "Stage order" in the README."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("Stage order", 1)[1].split("\n\n", 2)[1]
    ranks: dict[str, int] = {}
    for rank, line in enumerate(x for x in section.splitlines() if _STEP.match(x)):
        step = _STEP.match(line)
        assert step is not None
        for name in re.findall(r"`([a-z_]+)`", step.group(1)):
            ranks[name] = rank
    return ranks


def _room(module: str) -> str:
    """The top-level module or package a dotted name belongs to ("" for the package root)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> set[str]:
    """Every ``sanctions...`` module a file imports, at any depth (functions, TYPE_CHECKING too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "sanctions")
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "sanctions":  # `from sanctions import x`: a submodule or a re-export
                for alias in node.names:
                    sub = PACKAGE / alias.name
                    is_module = sub.is_dir() or sub.with_suffix(".py").is_file()
                    found.add(f"sanctions.{alias.name}" if is_module else "sanctions")
            elif node.module.split(".")[0] == "sanctions":
                found.add(node.module)
    return found


def _violations() -> list[str]:
    ranks = stage_order()
    problems: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        room = rel.parts[0].removesuffix(".py") if rel.parts[0] != "__init__.py" else ""
        if room == "":
            continue  # the curated public API re-exports from every room on purpose
        if room not in ranks:
            problems.append(f"{rel}: room {room!r} is not in the README's stage order")
            continue
        for module in sorted(_imports(path)):
            target = _room(module)
            if target == room:
                continue
            if room in FACES:
                if target in FACES:
                    problems.append(f"{rel}: face {room!r} imports face {target!r} ({module})")
                elif target not in VOCABULARY:
                    problems.append(f"{rel}: face {room!r} imports stage {target!r} ({module})")
            elif target == "":
                if ranks[room] <= ranks["service"]:
                    problems.append(f"{rel}: {room!r} imports the package root (which imports the service)")
            elif target not in ranks:
                problems.append(f"{rel}: imports {module}, whose room is not in the stage order")
            elif ranks[target] > ranks[room]:
                problems.append(f"{rel}: {room!r} imports the later stage {target!r} ({module})")
    return problems


def test_stage_order_is_read_from_the_readme() -> None:
    ranks = stage_order()
    assert ranks["sources"] < ranks["store"] < ranks["matching"] < ranks["service"] < ranks["cli"]
    assert ranks["cli"] == ranks["api"] == ranks["web"]


def test_no_forbidden_import() -> None:
    problems = _violations()
    assert not problems, "forbidden imports:\n  " + "\n  ".join(problems)


def test_the_check_catches_a_face_importing_a_stage(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from sanctions.matching import Query\nfrom sanctions.api.deps import StateDep\n"
        "from sanctions import Screener, fetch\n",
        encoding="utf-8",
    )
    assert _imports(bad) == {"sanctions.matching", "sanctions.api.deps", "sanctions", "sanctions.fetch"}


def test_faces_never_reach_into_the_screeners_store() -> None:
    reaching = [
        f"{path.relative_to(PACKAGE)}:{node.lineno}"
        for face in sorted(FACES)
        for path in sorted((PACKAGE / face).rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Attribute)
        and (
            node.attr == "store"
            or (node.attr in ("index", "mention_index") and "screener" in ast.unparse(node.value))
        )
    ]
    assert not reaching, f"faces use the Screener's internals: {reaching}"
