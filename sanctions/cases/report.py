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
