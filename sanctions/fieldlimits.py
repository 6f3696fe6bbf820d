"""Bound the length of every text field a list file gives, before it reaches the store.

A list file is input like any other: a 30 MB "name" would be stored, indexed, compared with
every query and shown in every answer. A name longer than the limit is not a name and is
dropped; any other text (reasons, remarks, addresses) is cut at the limit. Each change is
reported as a load warning naming the record and the field.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sanctions.model import Entity, Relation

_MARK = " [...]"


def bound_record(record: Entity | Relation, max_chars: int) -> list[str]:
    """Cut over-long text fields of ``record`` in place; returns one warning per change."""
    warnings: list[str] = []
    if isinstance(record, Entity):
        kept = [n for n in record.names if len(n.value) <= max_chars]
        if len(kept) != len(record.names):
            dropped = len(record.names) - len(kept)
            warnings.append(
                f"record {record.source_id}: {dropped} name(s) over {max_chars:,} characters dropped"
            )
            record.names = kept
    for field in dataclasses.fields(record):
        if field.name in ("names", "id", "dataset", "source_id"):
            continue
        value = getattr(record, field.name)
        bounded = _bound(value, max_chars)
        if bounded is not value:
            setattr(record, field.name, bounded)
            warnings.append(f"record {_label(record)}: {field.name} cut to {max_chars:,} characters")
    return warnings


def _label(record: Entity | Relation) -> str:
    return record.source_id if isinstance(record, Entity) else record.id


def _bound(value: Any, limit: int) -> Any:
    """``value`` with over-long strings cut (the same object when nothing changed)."""
    if isinstance(value, str):
        return value[: limit - len(_MARK)] + _MARK if len(value) > limit else value
    if isinstance(value, list):
        items = [_bound(v, limit) for v in value]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    if isinstance(value, dict):
        mapped = {k: _bound(v, limit) for k, v in value.items()}
        return mapped if any(mapped[k] is not value[k] for k in value) else value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            inner = getattr(value, field.name)
            bounded = _bound(inner, limit)
            if bounded is not inner:
                changes[field.name] = bounded
        return dataclasses.replace(value, **changes) if changes else value
    return value
