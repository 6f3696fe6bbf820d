"""The matching index as sections of an index file, and back (:mod:`sanctions.batch.indexfile`).

What a query reads first is cheap to open: word tables are small dicts decoded at once, word
postings are views of one array of 32-bit integers, and the largest map (one-letter deletions,
276,455 keys on the bundled lists) is a :class:`~sanctions.matching.packed.PackedMap` looked up
in place. Records and name forms are decoded one by one when a query first needs them
(:class:`~sanctions.matching.packed.PackedItems`): a query touches a few dozen of 32,361
records. Per-record facts that retrieval reads for every candidate (its list, the token count
of each form) are arrays. Nothing here runs code from the file: records are JSON, the rest
``marshal`` data (strings, numbers, tuples, frozensets) and raw integer arrays.

An index read from sections answers every query as the index it was written from: the same
candidates, scores and order (``tests/matching/test_stored.py``).
"""

from __future__ import annotations

import gc
import marshal
from array import array
from collections.abc import Iterator
from contextlib import contextmanager

import orjson

from sanctions.matching.clusters import Clusters
from sanctions.matching.index import Index
from sanctions.matching.packed import (
    PackedItems,
    PackedMap,
    Sections,
    Views,
    int_arrays,
    pack_int_arrays,
    pack_items,
    pack_map,
)
from sanctions.model import Entity
from sanctions.text import NameForm
from sanctions.text.scripts import Lossiness

__all__ = ["SMALL_TABLES", "decode_form", "encode_form", "pack_index", "unpack_index"]

# The Index's dicts decoded at once when a file is opened (the others are read in place)
SMALL_TABLES = (
    "positions",
    "common",
    "by_phonetic",
    "by_spelling",
    "by_skeleton",
    "by_abjad",
    "weights",
    "by_identifier",
)


def encode_form(form: NameForm) -> bytes:
    """A name form as ``marshal`` bytes (a tuple of its fields, in order)."""
    return marshal.dumps(
        (
            form.original,
            form.tokens,
            form.phonetic,
            form.skeletons,
            form.minor,
            form.kind,
            float(form.lossy.value),
            form.legal_forms,
            form.glued,
            form.translit,
            form.reading,
            form.generation,
        )
    )


def decode_form(data: memoryview | bytes) -> NameForm:
    """The name form of :func:`encode_form`."""
    o, tokens, phonetic, skeletons, minor, kind, lossy, legal, glued, translit, reading, gen = marshal.loads(
        data
    )
    return NameForm(
        o, tokens, phonetic, skeletons, minor, kind, Lossiness(lossy), legal, glued, translit, reading, gen
    )


def _decode_entity(data: memoryview) -> Entity:
    return Entity.from_dict(orjson.loads(data))


def _array(typecode: str, view: memoryview) -> array[int]:
    out = array(typecode)
    out.frombytes(view)
    return out


def pack_index(index: Index) -> Sections:
    """The sections of an index file that hold ``index``."""
    tables: dict[str, object] = {name: dict(getattr(index, name)) for name in SMALL_TABLES}
    tables.update(
        {
            "datasets": index.datasets,
            "cluster_members": dict(index.clusters.members),
            "posting_words": tuple(index.postings),
            "joined_words": tuple(index.joined),
        }
    )
    sections: Sections = {"tables": marshal.dumps(tables)}
    sections["entity_dataset"] = index.entity_dataset.tobytes()
    sections["form_entity"] = index.form_entity.tobytes()
    sections["form_start"] = index.form_start.tobytes()
    sections["form_length"] = index.form_length.tobytes()
    sections["cluster_root"] = index.clusters.root.tobytes()
    sections.update(pack_items("entities", (orjson.dumps(e) for e in index.entities)))
    sections.update(pack_items("forms", (encode_form(f) for f in index.forms)))
    sections.update(pack_int_arrays("postings", index.postings.values()))
    sections.update(pack_int_arrays("joined", index.joined.values()))
    sections.update(pack_map("by_deletion", index.by_deletion))
    return sections


@contextmanager
def _no_gc() -> Iterator[None]:
    """Decoding builds many containers and nothing to collect: the collector would only walk them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def unpack_index(views: Views) -> Index:
    """The index held by the sections of :func:`pack_index` (views of the file's bytes)."""
    with _no_gc():
        tables = marshal.loads(views["tables"])
        index = Index()
        for name in SMALL_TABLES:
            setattr(index, name, tables[name])
        index.datasets = tables["datasets"]
        index.entity_dataset = _array("H", views["entity_dataset"])
        index.form_entity = _array("i", views["form_entity"])
        index.form_start = _array("i", views["form_start"])
        index.form_length = _array("H", views["form_length"])
        index.clusters = Clusters(_array("i", views["cluster_root"]), tables["cluster_members"])
        index.entities = PackedItems(views, "entities", _decode_entity)
        index.forms = PackedItems(views, "forms", decode_form)
        index.postings = dict(zip(tables["posting_words"], int_arrays(views, "postings"), strict=True))
        index.joined = dict(zip(tables["joined_words"], int_arrays(views, "joined"), strict=True))
        index.by_deletion = PackedMap(views, "by_deletion")
    return index
