"""Which variant groups are worth aligning where, decided once per document.

A document costs one lookup per *distinct* word. The words that anchor some listed name get a
:class:`Plan`: the one-word groups filed under them, and the longer groups bucketed by the word
they need right beside the anchor. At each occurrence of the anchor the finder then looks up
the actual neighbouring word and aligns only the groups that word can start, instead of every
group filed under the anchor ("Russian" anchors dozens of names; one or two fit a given place).
Groups with a word that occurs nowhere in the document are dropped before any alignment.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from sanctions.scan.index import MentionIndex
from sanctions.scan.tokens import key_stems

Group = tuple[tuple[str, ...], object, int]  # (token keys, Kind, given-name mask)


@lru_cache(maxsize=200_000)
def list_key_stems(key: str) -> tuple[str, ...]:
    """Stems of a list-name key (cached)."""
    return key_stems(key)


@dataclass(slots=True)
class Plan:
    """The groups filed under one anchoring surface that can occur in this document."""

    single: list[tuple[int, int]] = field(default_factory=list)  # (group, anchor position)
    # offset of the neighbour to check -> form of that neighbour -> (group, anchor position)
    beside: dict[int, dict[str, list[tuple[int, int]]]] = field(default_factory=dict)


def anchor_surfaces(distinct: set[str], mixed: bool, index: MentionIndex) -> dict[str, tuple[str, ...]]:
    """Distinct surfaces whose key (or Cyrillic stem) anchors some variant."""
    hits: dict[str, tuple[str, ...]] = {}
    for surface in distinct:
        if mixed and surface[0].islower():
            continue  # names are capitalised in ordinary prose
        forms = tuple(f for f in index.token(surface).forms if index.is_anchor(f))
        if forms:
            hits[surface] = forms
    return hits


def present_forms(distinct: set[str], index: MentionIndex) -> set[str]:
    """Keys and Cyrillic stems of every distinct word of the document."""
    present: set[str] = set()
    token = index.token
    for surface in distinct:
        info = token(surface)
        present.add(info.key)
        if info.stems:
            present.update(info.stems)
    return present


def _possible(group: Group, present: set[str]) -> bool:
    """False when some word of the group occurs nowhere in the document."""
    tokens, _, mask = group
    for j, key in enumerate(tokens):
        if key in present or (mask >> j & 1 and key[:1] in present):
            continue
        if not any(s in present for s in list_key_stems(key)):
            return False
    return True


def _neighbour_forms(key: str, initial_ok: bool) -> set[str]:
    """Every text form that can match a list key: the key, its stems, its initial."""
    forms = {key, *list_key_stems(key)}
    if initial_ok:
        forms.add(key[:1])
    return forms


def plan_document(distinct: set[str], mixed: bool, index: MentionIndex) -> dict[str, Plan]:
    """A plan for every anchoring surface of the document that has a group worth aligning."""
    hits = anchor_surfaces(distinct, mixed, index)
    if not hits:
        return {}
    present = present_forms(distinct, index)
    possible: dict[int, bool] = {}
    plans: dict[str, Plan] = {}
    for surface, forms in hits.items():
        plan = Plan()
        seen: set[int] = set()
        for form in forms:
            for gid, pos in index.candidates(form):
                ok = possible.get(gid)
                if ok is None:
                    ok = possible[gid] = _possible(index.groups[gid], present)
                if not ok or gid in seen:
                    continue
                seen.add(gid)
                tokens, _, mask = index.groups[gid]
                if len(tokens) == 1:
                    plan.single.append((gid, pos))
                    continue
                j = pos + 1 if pos + 1 < len(tokens) else pos - 1
                buckets = plan.beside.setdefault(j - pos, {})
                for f in _neighbour_forms(tokens[j], bool(mask >> j & 1)):
                    buckets.setdefault(f, []).append((gid, pos))
        if plan.single or plan.beside:
            plans[surface] = plan
    return plans
