"""Draw an exposure result as a standalone SVG: layered left to right by hops from the party.

Written by hand (no Graphviz): one column per hop, parties sorted by id inside a column, so
the same result always gives the same picture. Parties are coloured by status, edges carry
the relation and the share. The SVG has its own size and styles, so it opens in a browser
as a file and can be inlined in the web UI.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from sanctions.graph.exposure import ExposureParty, ExposureResult

__all__ = ["STATUS_COLOURS", "render_exposure"]

STATUS_COLOURS: dict[str, tuple[str, str]] = {  # status -> (fill, label in the legend)
    "listed": ("#d93025", "listed"),
    "blocked_by_ownership": ("#f29900", "blocked by ownership"),
    "possibly_blocked": ("#fbd38d", "possibly blocked (share unknown)"),
    "controlled": ("#b388eb", "controlled by a listed party"),
    "exposed": ("#fdd663", "exposed (business relationship)"),
    "clear": ("#81c995", "clear"),
}
_BOX_W, _BOX_H, _COL_GAP, _ROW_GAP, _MARGIN = 240, 52, 120, 36, 24
_MAX_CHARS = 34


def _short(text: str, limit: int = _MAX_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _node_status(result: ExposureResult, party: ExposureParty) -> str:
    if party.id in result.start and party.status == "clear":
        return result.status  # the start party shows what it is exposed to
    return party.status


def _subtitle(status: str, party: ExposureParty) -> str:
    authorities = sorted({item["authority"] for item in party.listings})
    if authorities:
        return "listed: " + ", ".join(authorities)
    return status.replace("_", " ")


def render_exposure(result: ExposureResult) -> str:
    """The exposure graph of ``result`` as an SVG document (a string)."""
    columns: dict[int, list[ExposureParty]] = {}
    for party in result.parties.values():
        columns.setdefault(party.layer, []).append(party)
    position: dict[str, tuple[int, int]] = {}
    for layer, parties in sorted(columns.items()):
        for row, party in enumerate(sorted(parties, key=lambda p: p.id)):
            x = _MARGIN + layer * (_BOX_W + _COL_GAP)
            y = _MARGIN + 28 + row * (_BOX_H + _ROW_GAP)
            position[party.id] = (x, y)
    rows = max((len(p) for p in columns.values()), default=1)
    legend_y = _MARGIN + 28 + rows * (_BOX_H + _ROW_GAP)
    width = max(_MARGIN * 2 + len(columns) * (_BOX_W + _COL_GAP) - _COL_GAP, 620)
    height = legend_y + 20 * len(STATUS_COLOURS) + _MARGIN
    title = ", ".join(result.parties[s].caption for s in result.start if s in result.parties)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
        'markerHeight="8" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{_MARGIN}" y="{_MARGIN + 6}" font-size="14" font-weight="bold">'
        f"{escape(_short(title, 60))}: {escape(result.status.replace('_', ' '))}"
        f" (depth {result.depth})</text>",
    ]
    drawn: set[tuple[str, str, str]] = set()
    between: dict[frozenset[str], int] = {}  # edges drawn so far between two parties
    for path in result.paths:
        for hop in path.hops:
            key = (hop.subject, hop.object, hop.relation)
            if key in drawn or hop.subject not in position or hop.object not in position:
                continue
            drawn.add(key)
            (x1, y1), (x2, y2) = position[hop.subject], position[hop.object]
            pair = frozenset((hop.subject, hop.object))
            shift = 14 * between.get(pair, 0)  # parallel relations between two parties side by side
            between[pair] = between.get(pair, 0) + 1
            ax, ay, bx, by = _anchor(x1, y1, x2, y2)
            if x1 == x2:
                ax, bx = ax + shift, bx + shift
            else:
                ay, by = ay + shift, by + shift
            label = hop.relation.replace("_", " ") + (f" {hop.share:g} %" if hop.share is not None else "")
            out.append(
                f'<line x1="{ax}" y1="{ay}" x2="{bx}" y2="{by}" stroke="#555" stroke-width="1.5" '
                'marker-end="url(#arrow)"/>'
            )
            mx, my = (ax + bx) // 2, (ay + by) // 2 - 4
            out.append(
                f'<text x="{mx}" y="{my}" text-anchor="middle" fill="#333" '
                f'paint-order="stroke" stroke="#fff" stroke-width="3">{escape(label)}</text>'
            )
    for party in result.parties.values():
        x, y = position[party.id]
        status = _node_status(result, party)
        fill = STATUS_COLOURS.get(status, STATUS_COLOURS["clear"])[0]
        stroke = ' stroke="#000" stroke-width="2.5"' if party.id in result.start else ' stroke="#444"'
        out.append(f"<g><title>{escape(party.id)}</title>")
        box = f'x="{x}" y="{y}" width="{_BOX_W}" height="{_BOX_H}" rx="6"'
        out.append(f"<rect {box} fill={quoteattr(fill)}{stroke}/>")
        out.append(
            f'<text x="{x + 8}" y="{y + 20}" font-weight="bold">{escape(_short(party.caption))}</text>'
        )
        out.append(f'<text x="{x + 8}" y="{y + 38}">{escape(_short(_subtitle(status, party)))}</text></g>')
    for i, (fill, label) in enumerate(STATUS_COLOURS.values()):
        ly = legend_y + i * 20
        out.append(f'<rect x="{_MARGIN}" y="{ly}" width="14" height="14" fill="{fill}" stroke="#444"/>')
        out.append(f'<text x="{_MARGIN + 22}" y="{ly + 11}">{escape(label)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _anchor(x1: int, y1: int, x2: int, y2: int) -> tuple[int, int, int, int]:
    """Where a line between two boxes leaves the first and enters the second."""
    if x1 == x2:  # same column: from the bottom of the upper box to the top of the lower
        if y1 < y2:
            return x1 + _BOX_W // 2, y1 + _BOX_H, x2 + _BOX_W // 2, y2
        return x1 + _BOX_W // 2, y1, x2 + _BOX_W // 2, y2 + _BOX_H
    if x1 < x2:
        return x1 + _BOX_W, y1 + _BOX_H // 2, x2, y2 + _BOX_H // 2
    return x1, y1 + _BOX_H // 2, x2 + _BOX_W, y2 + _BOX_H // 2
