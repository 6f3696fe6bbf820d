"""A self-contained HTML report of a scan: the text with each hit highlighted, a panel per hit.

The template is ``sanctions/resources/scan/report.html.j2``.

Inline CSS only, no scripts or external resources, so the file can be mailed or archived as
evidence of the screening.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from jinja2 import Environment, select_autoescape

from sanctions.resources import resource_path
from sanctions.scan.model import Mention

_TEMPLATE = resource_path("scan/report.html.j2")


@dataclass(slots=True)
class _Part:
    text: str
    mention: Mention | None = None
    n: int = 0
    level: str = ""


def _level(score: float) -> str:
    return "high" if score >= 0.9 else ""


def _listing_lines(m: Mention) -> list[str]:
    lines = []
    for x in m.entity.listings:
        lines.append(x.describe(m.entity.dataset))
    return lines or [m.entity.dataset]


def render_html(
    text: str, mentions: list[Mention], *, title: str, threshold: float, stats: dict[str, Any] | None = None
) -> str:
    """The HTML report of a scan of ``text`` (mentions must not overlap, as scan_text returns them)."""
    ordered = sorted(mentions, key=lambda m: (m.start, m.end))
    parts: list[_Part] = []
    cards: list[dict[str, Any]] = []
    pos = 0
    for n, m in enumerate(ordered, 1):
        if m.start < pos:
            continue
        parts.append(_Part(text[pos : m.start]))
        parts.append(_Part(text[m.start : m.end], m, n, _level(m.score)))
        pos = m.end
        cards.append(
            {
                "n": n, "text": m.text, "score": m.score, "caption": m.entity.caption, "kind": m.kind,
                "schema": m.entity.schema.value, "field": m.field, "start": m.start, "end": m.end,
                "listed_name": m.listed_name, "listings": _listing_lines(m), "level": _level(m.score),
                "also": [f"{e.caption} ({e.dataset})" for e, _ in m.alternatives],
                "explanations": m.explanations,
            }
        )  # fmt: skip
    parts.append(_Part(text[pos:]))
    env = Environment(autoescape=select_autoescape(default=True, default_for_string=True))
    return env.from_string(_TEMPLATE.read_text(encoding="utf-8")).render(
        title=title,
        parts=parts,
        cards=cards,
        mentions=ordered,
        entities=len({m.entity.id for m in ordered}),
        threshold=threshold,
        stats=stats or {},
        generated=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
