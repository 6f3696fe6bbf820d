"""A printable case report for one alert: what an examiner asks to see, on paper.

Self-contained HTML (no script, inline style, everything escaped): customer and listed party
side by side, the explanation, every decision with its approval, attachments by hash, the list
versions screened against, and the alert's audit events with their hashes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
from jinja2 import Environment, select_autoescape

_TEMPLATE = (Path(__file__).parent / "case_report.html").read_text(encoding="utf-8")

_ENV = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
_PAGE = _ENV.from_string(_TEMPLATE)


def render_case(case: dict[str, Any]) -> str:
    """The report of a case as returned by :func:`sanctions.cases.case`."""
    alert = case["alert"]
    text: str = _PAGE.render(
        a=alert,
        c=case["customer"],
        party=case["party"],
        decisions=case["decisions"],
        attachments=case["attachments"],
        lists=case["lists"],
        history=case["history"],
        explanation=orjson.dumps(alert["explanation"], option=orjson.OPT_INDENT_2).decode(),
        review=orjson.dumps(alert["review"], option=orjson.OPT_INDENT_2).decode() if alert["review"] else "",
    )
    return text


def pdf_converter() -> list[str] | None:
    """A command that prints HTML to PDF when one is installed (Chromium headless), else None."""
    import shutil

    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return [found, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer"]
    return None


def write_pdf(html: str, target: Path, timeout: float = 120.0) -> bool:
    """Print ``html`` to the PDF file ``target``; False when no converter is installed."""
    import subprocess
    import tempfile

    command = pdf_converter()
    if command is None:
        return False
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "case.html"
        page.write_text(html, encoding="utf-8")
        subprocess.run(
            [*command, f"--user-data-dir={tmp}/profile", f"--print-to-pdf={target}", page.as_uri()],
            check=True,
            capture_output=True,
            timeout=timeout,
        )
    return target.exists() and target.stat().st_size > 0
