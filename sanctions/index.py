"""Candidate retrieval (blocking) over the loaded names, and clusters of one party's records.

Every name of every entity becomes one or more comparable forms (``sanctions.text``). The index
keeps, per word, the forms that hold it (compact ``array`` postings), and maps words by their
phonetic key, their one-letter deletions (typos) and their consonant skeleton (text from
scripts without vowels), so a query word finds the listed words it may be. Word weights are
inverse document frequencies over the loaded lists.
"""

from __future__ import annotations

import math
from array import array
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from operator import itemgetter

from sanctions.model import SAME_AS, Entity
from sanctions.text import NameForm, kind_of, load_resources, name_forms, phonetic_key, skeleton
from sanctions.text.align import compare_forms
from sanctions.text.aligner import PreparedCache
from sanctions.text.keys import abjad_skeleton
from sanctions.text.phrases import generic_words
from sanctions.text.scripts import ABJAD_TRUST

COMMON = 2500  # postings longer than this only confirm candidates found by rarer words
MIN_DELETE_LEN = 4
CLUSTER_SCHEMES = frozenset({"tax", "registration", "imo", "swift", "lei", "mmsi", "passport", "national_id"})
RARE = 20  # a word in at most this many names can identify an organisation across lists
LOOKUP_CACHE = 50_000  # query words whose expansions an index keeps (then it starts again)
MAX_CLUSTER_KEY = 6  # a key shared by more records than this is not an identity


@dataclass(frozen=True, slots=True)
class Candidate:
    """An entity found for a query: its position, retrieval score and the forms that hit."""

    entity: int
    score: float
    forms: tuple[int, ...]


def deletions(token: str) -> list[str]:
    """The token and every string one letter shorter (for typo-tolerant lookups), each once, in
    a fixed order (iteration order must not depend on the hash seed)."""
    if len(token) < MIN_DELETE_LEN or token.isdigit():
        return [token]
    return list(dict.fromkeys([token] + [token[:i] + token[i + 1 :] for i in range(len(token))]))


def _add(scores: dict[int, float], fids: array[int], w: float) -> None:
    """``scores[f] = scores.get(f, 0.0) + w`` for every f of ``fids`` (distinct), in that order
    (new keys go in that order too); into an empty ``scores``, the whole list at once, in C."""
    if not scores:
        scores.update(dict.fromkeys(fids, w))
        return
    get = scores.get
    for fid in fids:
        scores[fid] = get(fid, 0.0) + w


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class Index:
    """Names of the loaded entities, ready for fast candidate retrieval."""

    def __init__(self) -> None:
        self.entities: list[Entity] = []
        self.positions: dict[str, int] = {}
        self.forms: list[NameForm] = []
        self.form_entity = array("i")
        self.postings: dict[str, array[int]] = {}
        self.common: dict[str, frozenset[int]] = {}
        self.by_phonetic: dict[str, tuple[str, ...]] = {}
        self.by_deletion: dict[str, tuple[str, ...]] = {}
        self.by_skeleton: dict[str, tuple[str, ...]] = {}
        self.by_abjad: dict[str, tuple[str, ...]] = {}
        self.weights: dict[str, float] = {}
        self.by_identifier: dict[str, tuple[int, ...]] = {}
        self.cluster_root: array[int] = array("i")
        self.members: dict[int, tuple[int, ...]] = {}
        self.cache: dict[object, object] = {}  # per-index memo for matching (parties of entities)
        self.prepared: PreparedCache = {}  # name forms made ready to align (with these weights)
        self.joined: dict[str, array[int]] = {}  # "tvnovosti" -> forms with "tv novosti"
        self.lookups: dict[tuple[str, float], tuple[tuple[str, float], ...]] = {}  # see _lookups

    @classmethod
    def build(cls, entities: Iterable[Entity]) -> Index:
        """Index entities: name forms, word postings and weights, identifier map, clusters.

        The text tables matching reads are loaded here too, so that a built index answers its
        first query as fast as the others (and a process that forks after building shares them).
        """
        load_resources()
        index = cls()
        postings: dict[str, list[int]] = defaultdict(list)
        joined: dict[str, list[int]] = defaultdict(list)  # two neighbouring words written as one
        ids: dict[str, list[int]] = defaultdict(list)
        for entity in entities:
            pos = len(index.entities)
            index.entities.append(entity)
            index.positions[entity.id] = pos
            kind = kind_of(entity.schema.value)
            seen: set[tuple[str, ...]] = set()
            for name in entity.names:
                for form in name_forms(name.value, kind):
                    if form.tokens in seen:
                        continue
                    seen.add(form.tokens)
                    fid = len(index.forms)
                    index.forms.append(form)
                    index.form_entity.append(pos)
                    for token in dict.fromkeys(form.tokens):  # ordered: no hash-seed dependence
                        postings[token].append(fid)
                    for k in range(len(form.tokens) - 1):
                        joined[form.tokens[k] + form.tokens[k + 1]].append(fid)
            for ident in entity.identifiers:
                if ident.scheme in CLUSTER_SCHEMES or ident.scheme == "other":
                    value = "".join(ch for ch in ident.value.upper() if ch.isalnum())
                    if value.startswith("IMO") and value[3:].isdigit():
                        value = value[3:]
                    if len(value) >= 4:
                        ids[value].append(pos)
        index._finish_words(postings)
        index.joined = {w: array("i", dict.fromkeys(f)) for w, f in joined.items() if w not in index.postings}
        index.by_identifier = {k: tuple(dict.fromkeys(v)) for k, v in ids.items()}
        index._cluster()
        return index

    def _finish_words(self, postings: dict[str, list[int]]) -> None:
        total = max(len(self.forms), 2)
        top = math.log(total / 2) or 1.0
        phon: dict[str, list[str]] = defaultdict(list)
        dels: dict[str, list[str]] = defaultdict(list)
        skel: dict[str, list[str]] = defaultdict(list)
        abjad: dict[str, list[str]] = defaultdict(list)
        for token, fids in postings.items():
            self.postings[token] = array("i", fids)
            if len(fids) > COMMON:
                self.common[token] = frozenset(fids)
            idf = max(0.0, math.log(total / len(fids))) / top
            self.weights[token] = max(0.1, min(1.0, idf)) ** 0.5
            if token.isdigit():
                continue
            phon[phonetic_key(token)].append(token)
            skel[skeleton(token)].append(token)
            abjad[abjad_skeleton(token)].append(token)
            for d in deletions(token):
                dels[d].append(token)
        self.by_phonetic = {k: tuple(v) for k, v in phon.items() if len(v) > 1 or v[0] != k}
        self.by_deletion = {k: tuple(v) for k, v in dels.items() if len(v) > 1 or v[0] != k}
        self.by_skeleton = {k: tuple(v[:50]) for k, v in skel.items() if k}
        self.by_abjad = {k: tuple(v[:50]) for k, v in abjad.items() if k}

    def _cluster(self) -> None:
        """Join records of one party across lists: shared identifiers, or the same name and
        birth date, or (organisations, vessels) the same distinctive name on another list."""
        uf = _UnionFind(len(self.entities))
        # A publisher's own cross-reference (FCDO's OFSI Group ID, a CSL row copied from
        # OFAC's SDN list) joins two records whatever their names.
        for pos, entity in enumerate(self.entities):
            for same_id in entity.properties.get(SAME_AS, ()):
                same_pos = self.positions.get(same_id)
                if same_pos is not None:
                    uf.union(pos, same_pos)
        for members in self.by_identifier.values():
            if 1 < len(members) <= MAX_CLUSTER_KEY:
                for other in members[1:]:
                    uf.union(members[0], other)
        generic = generic_words()
        keys: dict[tuple[object, ...], list[int]] = defaultdict(list)
        by_date: dict[str, list[int]] = defaultdict(list)
        for fid, form in enumerate(self.forms):
            pos = self.form_entity[fid]
            entity = self.entities[pos]
            if form.kind == "person":
                for date in entity.birth_dates:
                    if len(date.value) >= 10:
                        by_date[date.value[:10]].append(fid)
            elif any(len(self.postings[t]) <= RARE and t not in generic for t in form.tokens):
                keys[(form.kind, tuple(sorted(form.phonetic)))].append(pos)
        for fids in by_date.values():
            if len(fids) > 60:
                continue
            for i, a in enumerate(fids):
                ea = self.form_entity[a]
                for b in fids[i + 1 :]:
                    eb = self.form_entity[b]
                    if self.entities[ea].dataset == self.entities[eb].dataset or uf.find(ea) == uf.find(eb):
                        continue
                    if compare_forms(self.forms[a], self.forms[b], self.weight).score >= 0.85:
                        uf.union(ea, eb)
        for key_members in keys.values():
            unique = list(dict.fromkeys(key_members))
            datasets = {self.entities[m].dataset for m in unique}
            if 1 < len(unique) <= MAX_CLUSTER_KEY and len(datasets) == len(unique):
                for other in unique[1:]:
                    uf.union(unique[0], other)
        self.cluster_root = array("i", (uf.find(i) for i in range(len(self.entities))))
        groups: dict[int, list[int]] = defaultdict(list)
        for pos, root in enumerate(self.cluster_root):
            groups[root].append(pos)
        self.members = {root: tuple(m) for root, m in groups.items() if len(m) > 1}

    def __len__(self) -> int:
        return len(self.entities)

    def weight(self, token: str) -> float:
        """The weight of a word: rare in the lists -> near 1, common -> low."""
        w = self.weights.get(token)
        if w is not None:
            return w
        return 0.6 if token in generic_words() else 1.0

    def entity(self, entity_id: str) -> Entity | None:
        """The entity of that id, if loaded."""
        pos = self.positions.get(entity_id)
        return None if pos is None else self.entities[pos]

    def cluster(self, entity_id: str) -> list[Entity]:
        """All records of the same party (the entity itself first)."""
        pos = self.positions.get(entity_id)
        if pos is None:
            return []
        members = self.members.get(self.cluster_root[pos], (pos,))
        return [self.entities[pos]] + [self.entities[m] for m in members if m != pos]

    def expand(self, token: str, lossy: float) -> list[tuple[str, float]]:
        """Listed words a query word may be: itself, spelling variants, typos, skeleton kin."""
        out: dict[str, float] = {}
        if token in self.postings:
            out[token] = 1.0
        if token.isdigit():
            return list(out.items())
        for other in self.by_phonetic.get(phonetic_key(token), ()):
            out.setdefault(other, 0.9)
        for d in deletions(token):
            for other in self.by_deletion.get(d, ()):
                out.setdefault(other, 0.8)
            if d in self.postings:
                out.setdefault(d, 0.8)
        if lossy:
            kin = (
                self.by_abjad.get(abjad_skeleton(token), ())
                if lossy == ABJAD_TRUST
                else self.by_skeleton.get(skeleton(token), ())
            )
            for other in kin:
                out.setdefault(other, 0.7)
        return list(out.items())

    def _lookups(self, token: str, lossy: float) -> tuple[tuple[str, float], ...]:
        """:meth:`expand` with each word's retrieval weight (its weight times the factor),
        remembered per query word and mode (queries repeat words; the index does not change)."""
        key = (token, lossy)
        found = self.lookups.get(key)
        if found is None:
            if len(self.lookups) >= LOOKUP_CACHE:
                self.lookups.clear()
            found = tuple((word, self.weight(word) * factor) for word, factor in self.expand(token, lossy))
            self.lookups[key] = found
        return found

    def candidates(
        self, forms: tuple[NameForm, ...], datasets: set[str] | None = None, limit: int = 30
    ) -> list[Candidate]:
        """Entities whose names share (variants of) the query's words, best first."""
        scores: dict[int, float] = {}
        deferred: list[tuple[str, float]] = []
        for form in forms:
            for token in dict.fromkeys(form.tokens):
                for word, w in self._lookups(token, form.lossy):
                    if word in self.common:
                        deferred.append((word, w))
                        continue
                    _add(scores, self.postings[word], w)
                glued = self.joined.get(token)
                if glued is not None:  # "TVNOVOSTI" for "TV-Novosti", "EPCFQ" for "EP-CFQ"
                    _add(scores, glued, 1.0)
        if deferred:
            if scores:
                for word, w in deferred:
                    for fid in self.common[word].intersection(scores):
                        scores[fid] += w
            else:
                sets = sorted((self.common[w] for w, _ in deferred), key=len)
                found = set(sets[0])
                for other in sets[1:]:
                    narrowed = found & other
                    if narrowed:
                        found = narrowed
                shortest = sorted(found, key=lambda f: (len(self.forms[f].tokens), f))[: limit * 4]
                weight = sum(w for _, w in deferred)
                scores = {fid: weight for fid in shortest}
        # sorted() is stable like heapq.nlargest (ties in insertion order), and faster here.
        best = sorted(scores.items(), key=itemgetter(1), reverse=True)[: limit * 4]
        by_entity: dict[int, list[int]] = {}
        top: dict[int, float] = {}
        for fid, score in best:
            pos = self.form_entity[fid]
            if datasets is not None and self.entities[pos].dataset not in datasets:
                continue
            hits = by_entity.get(pos)
            if hits is None:
                if len(by_entity) >= limit:
                    break
                hits = by_entity[pos] = []
                top[pos] = score
            if len(hits) < 3:
                hits.append(fid)
        return [Candidate(pos, top[pos], tuple(fids)) for pos, fids in by_entity.items()]
