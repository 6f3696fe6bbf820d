"""The user relations CSV: who owns, directs, partners with or supplies whom.

One row per relation: ``subject,relation,object`` plus optional ``share`` (percent),
``start_date``, ``end_date``, ``source``, ``subject_type`` and ``object_type``. Parties are
names, or ``id:<entity id>`` to point at an entity already in the store (a listed party).
Named parties become unlisted entities of the user's dataset, one per distinct name (names
are compared by their slug, so ``KAMAZ`` and ``KamAZ`` are one party). The format is
documented in ``docs/formats.md``.

This is not a list source: the ownership / exposure graph calls :func:`parse_relations`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from normality import slugify

from sanctions.model import Entity, NameKind, Relation, RelationKind, Schema
from sanctions.sources.base import ParseContext, make_id
from sanctions.sources.user_csv import SCHEMA_WORDS, parse_partial_date, parse_schema, read_csv

__all__ = ["COLUMNS", "RELATION_WORDS", "ID_PREFIX", "parse_relations", "parse_share"]

log = logging.getLogger(__name__)

COLUMNS = (
    "subject",
    "relation",
    "object",
    "share",
    "start_date",
    "end_date",
    "source",
    "subject_type",
    "object_type",
)
ID_PREFIX = "id:"

# relation word -> (kind, flip): "licensor" is "licensee" read from the other side.
RELATION_WORDS: dict[str, tuple[RelationKind, bool]] = {
    **{kind.value: (kind, False) for kind in RelationKind if kind is not RelationKind.UNKNOWN},
    "licensor": (RelationKind.LICENSEE, True),
}

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_EXACT = re.compile(rf"^{_NUMBER}$")
_RANGE = re.compile(rf"^{_NUMBER}(?:-|–|—|to)+{_NUMBER}$")
_AT_LEAST = re.compile(rf"^(?:>=?|≥|over|morethan|atleast|min\.?){_NUMBER}$")
_AT_MOST = re.compile(rf"^(?:<=?|≤|under|lessthan|upto|max\.?){_NUMBER}$")


def parse_share(text: str) -> float | None:
    """A percentage as a number: ``50``, ``50%``, ``50,5 %``; the lower bound of a range.

    ``25-50%`` gives 25.0, ``> 50%`` gives 50.0 and ``< 25%`` gives 0.0 (the range's lower
    bound); text that is not a share between 0 and 100 gives ``None`` (unknown).
    """
    compact = re.sub(r"\s+", "", text.lower()).replace("%", "").replace("percent", "")
    found = _EXACT.match(compact) or _AT_LEAST.match(compact) or _RANGE.match(compact)
    if found is not None:
        share = float(found.group(1).replace(",", "."))
    elif _AT_MOST.match(compact):
        share = 0.0
    else:
        return None
    return share if 0.0 <= share <= 100.0 else None


@dataclass(frozen=True, slots=True)
class _End:
    """One side of a row: a named party (by slug) or an ``id:`` reference to a stored entity."""

    key: str  # the slug of the name, or the referenced entity id
    name: str | None  # the name as written; None for an id reference


def _end(ctx: ParseContext, cell: str, line: int) -> _End | None:
    if cell.lower().startswith(ID_PREFIX):
        ref = cell[len(ID_PREFIX) :].strip()
        if not ref:
            ctx.warn(f"{cell!r}: empty entity id; row skipped", line=line)
            return None
        return _End(ref, None)
    slug = slugify(cell)
    if not slug:
        ctx.warn(f"{cell!r} has no letters or digits to name a party; row skipped", line=line)
        return None
    return _End(slug, cell)


def _kind(ctx: ParseContext, cell: str, line: int) -> tuple[RelationKind, bool] | None:
    word = re.sub(r"[\s\-]+", "_", cell.strip().lower())
    if word not in RELATION_WORDS:
        allowed = ", ".join(RELATION_WORDS)
        ctx.warn(f"relation {cell!r} unknown; row skipped; use one of {allowed}", line=line)
        return None
    return RELATION_WORDS[word]


@dataclass
class _Parties:
    """The named parties met so far, keyed by slug, in the order they appear."""

    dataset: str
    entities: dict[str, Entity] = field(default_factory=dict)
    typed: set[str] = field(default_factory=set)  # slugs whose schema a *_type cell gave

    def add(self, ctx: ParseContext, end: _End, type_cell: str, line: int) -> str:
        """Register a party (once per slug; later spellings become aliases); return its entity id."""
        if end.name is None:
            return end.key
        schema: Schema | None = None
        if type_cell:
            schema = parse_schema(type_cell)
            if schema is None:
                ctx.warn(f"type {type_cell!r} unknown; use one of {', '.join(SCHEMA_WORDS)}", line=line)
        entity = self.entities.get(end.key)
        if entity is None:
            schema_ = schema or Schema.LEGAL_ENTITY
            entity = Entity(make_id(self.dataset, end.key), self.dataset, end.key, schema_)
            self.entities[end.key] = entity
        entity.add_name(end.name, NameKind.PRIMARY if not entity.names else NameKind.ALIAS)
        if schema is not None and schema is not entity.schema:
            if end.key in self.typed:
                ctx.warn(f"{end.name!r} was given as {entity.schema.value} before; kept that", line=line)
            else:
                entity.schema = schema
        if schema is not None:
            self.typed.add(end.key)
        return entity.id


def _relation(ctx: ParseContext, row: dict[str, str], line: int, kind: RelationKind) -> Relation:
    """The relation of a checked row, ends still unset; bad shares and dates dropped with a warning."""
    share: float | None = None
    if row.get("share"):
        share = parse_share(row["share"])
        if share is None:
            ctx.warn(f"share {row['share']!r} is not a percentage from 0 to 100; dropped", line=line)
    dates: dict[str, str | None] = {}
    for column in ("start_date", "end_date"):
        dates[column] = None
        if row.get(column):
            parsed = parse_partial_date(row[column])
            if parsed is None:
                hint = "is not a date (YYYY, YYYY-MM or YYYY-MM-DD); dropped"
                ctx.warn(f"{column}: {row[column]!r} {hint}", line=line)
            else:
                dates[column] = parsed.value
    return Relation(
        id="",
        dataset="",
        kind=kind,
        subject_id="",
        object_id="",
        share=share,
        start_date=dates["start_date"],
        end_date=dates["end_date"],
        source=row.get("source") or None,
        properties={"percentage": [row["share"]]} if row.get("share") else {},
    )


def parse_relations(
    path: Path, dataset: str, *, ctx: ParseContext | None = None
) -> Iterator[Entity | Relation]:
    """Read a relations CSV: first one entity per distinct named party, then the relations.

    A missing ``subject``, ``relation`` or ``object`` column raises
    :class:`~sanctions.errors.SourceFormatError`. Rows with an empty party or an unknown
    relation word are skipped with a warning (line number and the allowed words); bad shares
    and dates are dropped with a warning. Warnings go to ``ctx`` when given, else to the log.
    """
    own_ctx = ctx is None
    context = ctx or ParseContext(path=Path(path), dataset=dataset)
    table = read_csv(Path(path), ("subject", "relation", "object"))
    unknown = [col for col in table.columns if col and col not in COLUMNS]
    if unknown:
        context.warn(f"columns ignored: {', '.join(unknown)}; known columns: {', '.join(COLUMNS)}", line=1)
    parties = _Parties(dataset)
    relations: list[Relation] = []
    seen: dict[str, int] = {}  # relation key -> rows so far, to keep ids unique
    for line, row in table.rows():
        if not row.get("subject") or not row.get("object") or not row.get("relation"):
            context.warn("row needs subject, relation and object; skipped", line=line)
            continue
        found = _kind(context, row["relation"], line)
        subject = _end(context, row["subject"], line)
        object_ = _end(context, row["object"], line)
        if found is None or subject is None or object_ is None:
            continue
        kind, flip = found
        relation = _relation(context, row, line, kind)
        ids = (
            parties.add(context, subject, row.get("subject_type", ""), line),
            parties.add(context, object_, row.get("object_type", ""), line),
        )
        keys = (subject.key, object_.key)
        if flip:  # "A licensor B" is "B licensee A"
            ids, keys = (ids[1], ids[0]), (keys[1], keys[0])
        relation.subject_id, relation.object_id = ids
        key = f"{keys[0]}-{kind.value}-{keys[1]}"
        seen[key] = seen.get(key, 0) + 1
        relation.id = make_id(dataset, key if seen[key] == 1 else f"{key}-{seen[key]}")
        relation.dataset = dataset
        relations.append(relation)
    if own_ctx:
        for warning in context.warnings:
            log.warning("relations_csv.warning", extra={"path": str(path), "warning": warning})
    yield from parties.entities.values()
    yield from relations
