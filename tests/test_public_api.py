"""The curated public API: what ``from sanctions import ...`` offers, and the README's example."""

from __future__ import annotations

import contextlib
import importlib.metadata
import io
import os
import re
from pathlib import Path

import sanctions
from sanctions.service import Screener

README = Path(__file__).resolve().parent.parent / "README.md"
# What the issue promised a user can import from the package itself.
PROMISED = {
    "Screener",
    "Settings",
    "Query",
    "Match",
    "Score",
    "Explanation",
    "ScanResult",
    "Mention",
    "Entity",
    "Relation",
    "ListStatus",
    "MatchOptions",
    "SanctionsError",
    "__version__",
}


def test_all_matches_what_is_exported() -> None:
    public = {name for name in vars(sanctions) if not name.startswith("_")}
    submodules = {name for name in public if type(getattr(sanctions, name)).__name__ == "module"}
    assert set(sanctions.__all__) - {"__version__"} == public - submodules
    assert len(sanctions.__all__) == len(set(sanctions.__all__))
    for name in sanctions.__all__:
        assert getattr(sanctions, name) is not None


def test_the_promised_names_are_exported() -> None:
    assert set(sanctions.__all__) >= PROMISED


def test_version_comes_from_the_package_metadata() -> None:
    try:
        expected = importlib.metadata.version("sanctions")
    except importlib.metadata.PackageNotFoundError:
        expected = "0.0.0"
    assert sanctions.__version__ == expected
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", sanctions.__version__)


def test_the_package_is_typed() -> None:
    assert (Path(sanctions.__file__).parent / "py.typed").is_file()
    pyproject = (README.parent / "pyproject.toml").read_text(encoding="utf-8")
    assert '"py.typed"' in pyproject


def _readme_example() -> tuple[str, str]:
    """The code block and the output block of the README's "Python API" section."""
    section = README.read_text(encoding="utf-8").split("## Python API", 1)[1].split("\n## ", 1)[0]
    code, output = re.findall(r"```(?:python|text)\n(.*?)```", section, flags=re.DOTALL)[:2]
    return code, output


def test_the_readme_example_runs_and_prints_what_it_says(loaded_screener: Screener) -> None:
    code, expected = _readme_example()
    assert len(code.strip().splitlines()) <= 12  # a short example, as promised
    old = os.environ.get("SANCTIONS_DATA_DIR")
    os.environ["SANCTIONS_DATA_DIR"] = str(loaded_screener.settings.data_dir)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "README.md", "exec"), {})
    finally:
        if old is None:
            del os.environ["SANCTIONS_DATA_DIR"]
        else:
            os.environ["SANCTIONS_DATA_DIR"] = old
    assert out.getvalue() == expected
