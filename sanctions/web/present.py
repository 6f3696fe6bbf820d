"""Turn entities, matches and scan results into what the analyst pages show, in plain words."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from sanctions import Entity, Match, Relation, Screener
from sanctions.model import NameKind

NAME_KIND_LABELS = {
    NameKind.PRIMARY: "Primary name",
    NameKind.ALIAS: "Also known as",
    NameKind.WEAK_ALIAS: "Weak alias (low quality)",
    NameKind.ORIGINAL_SCRIPT: "Original script",
    NameKind.FORMER: "Formerly known as",
}
IDENTIFIER_LABELS = {
    "tax": "Tax number",
    "registration": "Registration number",
    "passport": "Passport",
    "national_id": "National ID",
    "swift": "SWIFT/BIC",
    "imo": "IMO number",
    "mmsi": "MMSI",
    "lei": "LEI",
    "email": "E-mail",
    "website": "Website",
    "phone": "Phone",
    "aircraft_serial": "Aircraft serial number",
    "aircraft_tail": "Aircraft tail number",
    "other": "Other identifier",
}
RELATION_LABELS = {
    "linked_to": ("linked to", "linked to"),
    "owner": ("owns", "owned by"),
    "director": ("directs", "directed by"),
    "control": ("controls", "controlled by"),
    "family": ("family of", "family of"),
    "associate": ("associate of", "associate of"),
    "partner": ("partner of", "partner of"),
    "joint_venture": ("joint venture with", "joint venture with"),
    "supplier": ("supplies", "supplied by"),
    "customer": ("customer of", "has as customer"),
    "licensee": ("licensee of", "licenses to"),
    "unknown": ("related to", "related to"),
}


@dataclass(slots=True)
class NameRow:
    value: str
    kind: str
    script: str
    lang: str | None


@dataclass(slots=True)
class RelationRow:
    phrase: str
    other_id: str
    other_caption: str
    other_listed: bool
    share: str | None
    period: str | None
    source: str | None


@dataclass(slots=True)
class Hit:
    """One screening result as the results table shows it."""

    id: str
    caption: str
    schema: str
    score: float
    is_match: bool
    datasets: list[str]
    listings: list[dict[str, Any]]
    reasons: list[dict[str, Any]] = field(default_factory=list)
    summary: str = ""


def name_rows(entity: Entity) -> list[NameRow]:
    """Every name with its kind and writing system, primary names first."""
    order = list(NameKind)
    rows = [
        NameRow(
            n.value, NAME_KIND_LABELS[n.kind], ", ".join(sorted(Screener.scripts_of(n.value))) or "-", n.lang
        )
        for n in sorted(entity.names, key=lambda n: order.index(n.kind))
    ]
    return rows


def identifier_rows(entity: Entity) -> list[tuple[str, str, str]]:
    """(label, value, country or note) for every identifier."""
    return [
        (IDENTIFIER_LABELS.get(i.scheme, i.scheme), i.value, " · ".join(x for x in (i.country, i.note) if x))
        for i in entity.identifiers
    ]


def relation_rows(entity: Entity, relations: list[Relation], lookup: Any) -> list[RelationRow]:
    """Relations in words from the entity's point of view ("owned by X, 51 %")."""
    rows = []
    for rel in relations:
        outgoing = rel.subject_id == entity.id
        other_id = rel.object_id if outgoing else rel.subject_id
        other: Entity | None = lookup(other_id)
        forward, backward = RELATION_LABELS.get(str(rel.kind), ("related to", "related to"))
        period = " – ".join(x for x in (rel.start_date, rel.end_date) if x) or None
        rows.append(
            RelationRow(
                phrase=forward if outgoing else backward,
                other_id=other_id,
                other_caption=other.caption if other else other_id,
                other_listed=bool(other and other.is_listed),
                share=f"{rel.share:g} %" if rel.share is not None else None,
                period=period,
                source=rel.source,
            )
        )
    return rows


def _score_words(score: float, is_match: bool) -> str:
    if is_match and score >= 0.95:
        return "Strong match: review and decide"
    if is_match:
        return "Probable match: review the details"
    if score >= 0.5:
        return "Weak similarity: probably a different party"
    return "Little similarity"


def hit_from_match(match: Match) -> Hit:
    """A match as a results-table row with its explanation in plain words (made from
    :meth:`Match.to_dict`, the one serialisation of a match)."""
    data = match.to_dict()
    listings = [{**x, "authority": x["authority"].upper()} for x in data["listings"]]
    reasons = [{**x, "feature": x["feature"].replace("_", " ")} for x in data["explanations"]]
    return Hit(
        id=data["id"],
        caption=data["caption"],
        schema=data["schema"],
        score=float(match.score),
        is_match=data["match"],
        datasets=data["datasets"],
        listings=listings,
        reasons=reasons,
        summary=_score_words(float(match.score), data["match"]),
    )


def highlight(text: str, mentions: list[dict[str, Any]]) -> Markup:
    """The text with every mention wrapped in a link to its entity (escaped, non-overlapping)."""
    parts: list[str] = []
    cursor = 0
    for mention in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        start, end = int(mention["start"]), int(mention["end"])
        if start < cursor or end <= start or end > len(text):
            continue
        entity = mention.get("entity") or {}
        parts.append(str(escape(text[cursor:start])))
        lists = ", ".join(entity.get("datasets", []))
        title = f"{entity.get('caption', '')} · {lists} · score {float(mention['score']):.2f}"
        parts.append(
            f'<a class="mention" href="/ui/entities/{escape(entity.get("id", ""))}" title="{escape(title)}">'
            f"{escape(text[start:end])}</a>"
        )
        cursor = end
    parts.append(str(escape(text[cursor:])))
    return Markup("".join(parts))


def group_mentions(mentions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mentions grouped by listed entity, in order of first appearance: one card per party."""
    groups: dict[str, dict[str, Any]] = {}
    for mention in sorted(mentions, key=lambda m: m["start"]):
        entity = mention["entity"]
        group = groups.get(entity["id"])
        if group is None:
            group = groups[entity["id"]] = {"entity": entity, "texts": [], "count": 0, "best": mention}
        group["count"] += 1
        if mention["text"] not in group["texts"]:
            group["texts"].append(mention["text"])
        if mention["score"] > group["best"]["score"]:
            group["best"] = mention
    return list(groups.values())
