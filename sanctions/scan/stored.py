"""The mention index as sections of an index file, and back (:mod:`sanctions.batch.indexfile`).

Scanning a document looks up one anchor key per distinct word and aligns the few variant
groups filed under the keys it finds, so a mention index read from a file keeps its anchors as
a :class:`~sanctions.matching.packed.PackedMap` and its entities, variants and groups as
:class:`~sanctions.matching.packed.PackedItems`, decoded when a document first needs them.
Word statistics (entity frequency per key) and BICs are small dicts decoded at once; the lexicon
is the package's own reference data, read as when building. Nothing here runs code from the
file (``marshal`` data only).
"""

from __future__ import annotations

import marshal
from dataclasses import fields

from sanctions.matching.packed import PackedItems, PackedMap, Sections, Views, pack_items, pack_map
from sanctions.model import Listing, Schema
from sanctions.scan.index import EntityRef, MentionIndex
from sanctions.scan.lexicon import load_lexicon
from sanctions.scan.names import Kind, Variant

_LISTING_FIELDS = tuple(f.name for f in fields(Listing))

__all__ = ["pack_mentions", "unpack_mentions"]


def _encode_ref(ref: EntityRef) -> bytes:
    listings = tuple(tuple(getattr(x, name) for name in _LISTING_FIELDS) for x in ref.listings)
    return marshal.dumps((ref.id, ref.caption, ref.schema.value, ref.dataset, listings))


def _decode_ref(data: memoryview) -> EntityRef:
    eid, caption, schema, dataset, listings = marshal.loads(data)
    return EntityRef(eid, caption, Schema(schema), dataset, tuple(Listing(*x) for x in listings))


def _encode_variant(v: Variant) -> bytes:
    return marshal.dumps((v.tokens, v.entity, int(v.kind), v.given_mask, v.name, v.weak, v.name_rank))


def _decode_variant(data: memoryview) -> Variant:
    tokens, entity, kind, mask, name, weak, rank = marshal.loads(data)
    return Variant(tokens, entity, Kind(kind), mask, name, weak, rank)


def _decode_group(data: memoryview) -> tuple[tuple[str, ...], Kind, int]:
    tokens, kind, mask = marshal.loads(data)
    return tokens, Kind(kind), mask


def pack_mentions(index: MentionIndex) -> Sections:
    """The sections of an index file that hold ``index`` (its lexicon is not saved)."""
    sections: Sections = {
        "tables": marshal.dumps({"entity_freq": dict(index.entity_freq), "bics": dict(index.bics)})
    }
    sections.update(pack_items("entities", map(_encode_ref, index.entities)))
    sections.update(pack_items("variants", map(_encode_variant, index.variants)))
    sections.update(pack_items("groups", (marshal.dumps((t, int(k), m)) for t, k, m in index.groups)))
    sections.update(pack_items("group_variants", (marshal.dumps(tuple(g)) for g in index.group_variants)))
    sections.update(pack_map("anchors", {k: tuple(v) for k, v in index.anchors.items()}))
    return sections


def unpack_mentions(views: Views) -> MentionIndex:
    """The mention index held by the sections of :func:`pack_mentions`."""
    tables = marshal.loads(views["tables"])
    return MentionIndex(
        load_lexicon(),
        entities=PackedItems(views, "entities", _decode_ref),
        variants=PackedItems(views, "variants", _decode_variant),
        groups=PackedItems(views, "groups", _decode_group),
        group_variants=PackedItems(views, "group_variants", marshal.loads),
        anchors=PackedMap(views, "anchors"),
        entity_freq=tables["entity_freq"],
        bics=tables["bics"],
    )
