"""The mention index: every listed name as token-key sequences, looked up by one anchor token.

Built once from the entities of the store. Each variant is filed under its rarest token (for
people: the rarest surname token, so that "S. Sobyanin" still finds it), so a document costs
one hash lookup per distinct word plus a check of the few variants filed under the words it
contains. Memory is a tuple per variant and a list of packed ints per anchor key. Saved in an
index file (:mod:`sanctions.scan.stored`), the variants, groups and anchors are read in place
and decoded as documents need them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sanctions.model import Entity, Listing, Schema
from sanctions.scan.lexicon import Lexicon, load_lexicon
from sanctions.scan.names import Kind, Variant, name_variants, strip_legal_forms
from sanctions.scan.tokens import TokenInfo, token_info, token_key

_POS_BITS = 4
_POS_MASK = (1 << _POS_BITS) - 1
_TOKEN_CACHE_LIMIT = 500_000
_BIC = re.compile(r"^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")


def normalize_bic(value: str) -> str | None:
    """An 11-character BIC (8-character codes get the head-office branch ``XXX``), or None."""
    code = re.sub(r"[^A-Za-z0-9]", "", value).upper()
    if not _BIC.match(code):
        return None
    return code if len(code) == 11 else code + "XXX"


@dataclass(slots=True, frozen=True)
class EntityRef:
    """What a mention report needs of a listed entity (the index keeps no full entities)."""

    id: str
    caption: str
    schema: Schema
    dataset: str
    listings: tuple[Listing, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON form used in scan reports."""
        return {
            "id": self.id,
            "caption": self.caption,
            "schema": self.schema.value,
            "datasets": [self.dataset],
            "listings": [
                {"authority": x.authority, "program": x.program, "listed_on": x.listed_on}
                for x in self.listings
            ],
        }

    @classmethod
    def of(cls, entity: Entity) -> EntityRef:
        """The reference of a full entity."""
        return cls(entity.id, entity.caption, entity.schema, entity.dataset, tuple(entity.listings))


@dataclass(slots=True)
class MentionIndex:
    """Listed names as anchored token sequences; build with :meth:`build`."""

    lexicon: Lexicon
    entities: Sequence[EntityRef] = field(default_factory=list)
    variants: Sequence[Variant] = field(default_factory=list)
    # Variants with the same tokens, kind and given-name mask (one name on several lists) form
    # a group: the finder aligns a group once. anchors: key -> packed (group, pos).
    groups: Sequence[tuple[tuple[str, ...], Kind, int]] = field(default_factory=list)
    group_variants: Sequence[Sequence[int]] = field(default_factory=list)
    anchors: Mapping[str, Sequence[int]] = field(default_factory=dict)
    entity_freq: Mapping[str, int] = field(default_factory=dict)  # key -> entities using it
    bics: Mapping[str, list[tuple[int, str]]] = field(default_factory=dict)  # BIC11 -> (entity, as listed)
    bounds: dict[int, float] = field(default_factory=dict)  # group -> best score before context
    _tokens: dict[str, TokenInfo] = field(default_factory=dict)
    _distinct: dict[str, float] = field(default_factory=dict)
    _cores: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def build(cls, entities: Iterable[Entity], lexicon: Lexicon | None = None) -> MentionIndex:
        """Index every name of every entity (listed or from a user's file)."""
        index = cls(lexicon or load_lexicon())
        refs: list[EntityRef] = []
        variants: list[Variant] = []
        groups: list[tuple[tuple[str, ...], Kind, int]] = []
        group_variants: list[list[int]] = []
        anchors: dict[str, list[int]] = {}
        entity_freq: dict[str, int] = {}
        bics: dict[str, list[tuple[int, str]]] = {}
        index.entities, index.variants = refs, variants
        index.groups, index.group_variants = groups, group_variants
        index.anchors, index.entity_freq, index.bics = anchors, entity_freq, bics
        keys: dict[str, str] = {}

        def key(token: str) -> str:
            k = keys.get(token)
            if k is None:
                k = keys[token] = token_key(token)
            return k

        for entity in entities:
            idx = len(refs)
            refs.append(EntityRef.of(entity))
            seen: set[str] = set()
            for variant in name_variants(entity, idx, key, index.lexicon):
                variants.append(variant)
                seen.update(variant.tokens)
            for token in seen:
                entity_freq[token] = entity_freq.get(token, 0) + 1
            for ident in entity.identifiers:
                if ident.scheme == "swift" and (bic := normalize_bic(ident.value)):
                    bics.setdefault(bic, []).append((idx, ident.value))
        group_ids: dict[tuple[tuple[str, ...], Kind, int], int] = {}
        for vid, variant in enumerate(variants):
            gkey = (variant.tokens, variant.kind, variant.given_mask)
            gid = group_ids.get(gkey)
            if gid is None:
                gid = group_ids[gkey] = len(groups)
                groups.append(gkey)
                group_variants.append([])
                pos = index._anchor_position(variant)
                anchors.setdefault(variant.tokens[pos], []).append((gid << _POS_BITS) | pos)
            group_variants[gid].append(vid)
        return index

    def _anchor_position(self, variant: Variant) -> int:
        """The rarest token of a variant (for people, of the surname), avoiding short and everyday words."""
        best, best_rank = 0, (2, 2, 1 << 62, 0)
        for pos, token in enumerate(variant.tokens):
            if variant.given_mask >> pos & 1:
                continue
            short = 1 if len(token) < 3 else 0
            common = 1 if token in self.lexicon.common_words else 0
            rank = (short, common, self.entity_freq.get(token, 0), -len(token))
            if rank < best_rank:
                best, best_rank = pos, rank
        return best

    # -- lookups used by the finder ---------------------------------------------------------------
    def token(self, surface: str) -> TokenInfo:
        """Key and stems of a surface token (cached across documents)."""
        info = self._tokens.get(surface)
        if info is None:
            if len(self._tokens) >= _TOKEN_CACHE_LIMIT:
                self._tokens.clear()
            info = self._tokens[surface] = token_info(surface)
        return info

    def candidates(self, key: str) -> list[tuple[int, int]]:
        """Variant groups filed under a key: (group id, position of the key in its tokens)."""
        return [(p >> _POS_BITS, p & _POS_MASK) for p in self.anchors.get(key, ())]

    def is_anchor(self, key: str) -> bool:
        """True when some variant is filed under the key."""
        return key in self.anchors

    def core(self, tokens: tuple[str, ...]) -> tuple[str, ...]:
        """An organisation name's tokens without its legal forms (cached)."""
        core = self._cores.get(tokens)
        if core is None:
            core = self._cores[tokens] = tuple(strip_legal_forms(list(tokens), self.lexicon)) or tokens
        return core

    def distinctiveness(self, key: str) -> float:
        """0..1: how surely one word points at a listed party rather than at ordinary language.

        Everyday words, words used by many listed names and short words score low.
        """
        d = self._distinct.get(key)
        if d is None:
            d = self._distinct[key] = self._distinctiveness(key)
        return d

    def _distinctiveness(self, key: str) -> float:
        d = 1.0
        if self.lexicon.is_common_key(key):
            d -= 0.7
        freq = self.entity_freq.get(key, 0)
        if freq > 3:
            d -= min(0.3, 0.1 * (freq / 3) ** 0.5)
        if len(key) <= 3:
            d -= 0.4
        elif len(key) == 4:
            d -= 0.1
        return max(0.0, min(1.0, d))

    @property
    def stats(self) -> dict[str, int]:
        """Sizes, for logs and benchmarks."""
        return {
            "entities": len(self.entities),
            "variants": len(self.variants),
            "groups": len(self.groups),
            "anchor_keys": len(self.anchors),
            "bics": len(self.bics),
        }

    def variant_kind_counts(self) -> dict[str, int]:
        """How many variants of each kind (for documentation and benchmarks)."""
        counts = dict.fromkeys((k.name.lower() for k in Kind), 0)
        for v in self.variants:
            counts[v.kind.name.lower()] += 1
        return counts
