"""Candidate retrieval (blocking) over the loaded names, and what search needs of the records.

Every name of every entity becomes one or more comparable forms (``sanctions.text``). The index
keeps, per word, the forms that hold it (compact ``array`` postings), and maps words by their
phonetic key, their one-letter deletions (typos) and their consonant skeleton (text from
scripts without vowels), so a query word finds the listed words it may be. Word weights are
inverse document frequencies over the loaded lists. Records of one party on several lists are
clustered at build (:mod:`sanctions.matching.clusters`).
"""

from __future__ import annotations

import math
from array import array
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

from sanctions.matching.clusters import Clusters, cluster
from sanctions.matching.names.aligner import NameAligner, PreparedCache
from sanctions.matching.party import Party, entity_party_with
from sanctions.model import Entity
from sanctions.text import NameForm, kind_of, load_resources, name_forms, phonetic_key, skeleton
from sanctions.text.keys import abjad_skeleton, spelling_key
from sanctions.text.phrases import generic_words
from sanctions.text.scripts import Lossiness

COMMON = 2500  # postings longer than this only confirm candidates found by rarer words
MIN_DELETE_LEN = 4
# Identifier schemes whose values find (and join) records of one party
CLUSTER_SCHEMES = frozenset({"tax", "registration", "imo", "swift", "lei", "mmsi", "passport", "national_id"})
LOOKUP_CACHE = 50_000  # query words whose expansions an index keeps (then it starts again)


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


def _add(scores: dict[int, float], fids: Sequence[int], w: float) -> None:
    """``scores[f] = scores.get(f, 0.0) + w`` for every f of ``fids`` (distinct), in that order
    (new keys go in that order too); into an empty ``scores``, the whole list at once, in C."""
    if not scores:
        scores.update(dict.fromkeys(fids, w))
        return
    get = scores.get
    for fid in fids:
        scores[fid] = get(fid, 0.0) + w


class Index:
    """Names of the loaded entities, ready for fast candidate retrieval.

    ``entities`` are the loaded records; a record's position in it is how candidates, clusters
    and the methods below name it. An index built here holds lists and dicts; one read from an
    index file (:mod:`sanctions.matching.stored`) holds the same tables as views of the file,
    its records and name forms decoded when first asked for.
    """

    def __init__(self) -> None:
        self.entities: Sequence[Entity] = []
        self.positions: Mapping[str, int] = {}
        self.datasets: tuple[str, ...] = ()  # the lists of the records, each once
        self.entity_dataset = array("H")  # entity position -> its list (in ``datasets``)
        self.forms: Sequence[NameForm] = []
        self.form_entity = array("i")
        self.form_start = array("i", [0])  # entity position -> its first form (forms are contiguous)
        self.form_length = array("H")  # form id -> how many tokens it has
        self.postings: Mapping[str, Sequence[int]] = {}
        self.common: Mapping[str, frozenset[int]] = {}
        self.by_phonetic: Mapping[str, tuple[str, ...]] = {}
        self.by_deletion: Mapping[str, tuple[str, ...]] = {}
        self.by_spelling: Mapping[str, tuple[str, ...]] = {}  # the document scanner's word key
        self.by_skeleton: Mapping[str, tuple[str, ...]] = {}
        self.by_abjad: Mapping[str, tuple[str, ...]] = {}
        self.weights: Mapping[str, float] = {}
        self.by_identifier: Mapping[str, tuple[int, ...]] = {}
        self.clusters = Clusters(array("i"), {})
        self.parties: dict[int, Party] = {}  # entity position -> its Party without names (made once)
        self.prepared: PreparedCache = {}  # name forms made ready to align (with these weights)
        self.joined: Mapping[str, Sequence[int]] = {}  # "tvnovosti" -> forms with "tv novosti"
        self.lookups: dict[tuple[str, Lossiness], tuple[tuple[str, float], ...]] = {}  # see _lookups

    @classmethod
    def build(cls, entities: Iterable[Entity]) -> Index:
        """Index entities: name forms, word postings and weights, identifier map, clusters.

        The text tables matching reads are loaded here too, so that a built index answers its
        first query as fast as the others (and a process that forks after building shares them).
        """
        load_resources()
        index = cls()
        records: list[Entity] = []
        forms: list[NameForm] = []
        positions: dict[str, int] = {}
        datasets: dict[str, int] = {}
        postings: dict[str, list[int]] = defaultdict(list)
        joined: dict[str, list[int]] = defaultdict(list)  # two neighbouring words written as one
        ids: dict[str, list[int]] = defaultdict(list)
        index.entities, index.forms, index.positions = records, forms, positions
        for entity in entities:
            pos = len(records)
            records.append(entity)
            positions[entity.id] = pos
            index.entity_dataset.append(datasets.setdefault(entity.dataset, len(datasets)))
            kind = kind_of(entity.schema.value)
            seen: set[tuple[str, ...]] = set()
            for name in entity.names:
                for form in name_forms(name.value, kind):
                    if form.tokens in seen:
                        continue
                    seen.add(form.tokens)
                    fid = len(forms)
                    forms.append(form)
                    index.form_entity.append(pos)
                    index.form_length.append(len(form.tokens))
                    for token in dict.fromkeys(form.tokens):  # ordered: no hash-seed dependence
                        postings[token].append(fid)
                    for k in range(len(form.tokens) - 1):
                        joined[form.tokens[k] + form.tokens[k + 1]].append(fid)
            index.form_start.append(len(forms))
            for ident in entity.identifiers:
                if ident.scheme in CLUSTER_SCHEMES or ident.scheme == "other":
                    value = "".join(ch for ch in ident.value.upper() if ch.isalnum())
                    if value.startswith("IMO") and value[3:].isdigit():
                        value = value[3:]
                    if len(value) >= 4:
                        ids[value].append(pos)
        index.datasets = tuple(datasets)
        index._finish_words(postings)
        index.joined = {w: array("i", dict.fromkeys(f)) for w, f in joined.items() if w not in index.postings}
        index.by_identifier = {k: tuple(dict.fromkeys(v)) for k, v in ids.items()}
        index.clusters = cluster(index)
        return index

    def _finish_words(self, postings: dict[str, list[int]]) -> None:
        total = max(len(self.forms), 2)
        top = math.log(total / 2) or 1.0
        phon: dict[str, list[str]] = defaultdict(list)
        dels: dict[str, list[str]] = defaultdict(list)
        spell: dict[str, list[str]] = defaultdict(list)
        skel: dict[str, list[str]] = defaultdict(list)
        abjad: dict[str, list[str]] = defaultdict(list)
        arrays: dict[str, array[int]] = {}
        common: dict[str, frozenset[int]] = {}
        weights: dict[str, float] = {}
        self.postings, self.common, self.weights = arrays, common, weights
        for token, fids in postings.items():
            arrays[token] = array("i", fids)
            if len(fids) > COMMON:
                common[token] = frozenset(fids)
            idf = max(0.0, math.log(total / len(fids))) / top
            weights[token] = max(0.1, min(1.0, idf)) ** 0.5
            if token.isdigit():
                continue
            phon[phonetic_key(token)].append(token)
            spell[spelling_key(token)].append(token)
            skel[skeleton(token)].append(token)
            abjad[abjad_skeleton(token)].append(token)
            for d in deletions(token):
                dels[d].append(token)
        self.by_phonetic = {k: tuple(v) for k, v in phon.items() if len(v) > 1 or v[0] != k}
        self.by_deletion = {k: tuple(v) for k, v in dels.items() if len(v) > 1 or v[0] != k}
        self.by_spelling = {k: tuple(v) for k, v in spell.items() if len(v) > 1 or v[0] != k}
        self.by_skeleton = {k: tuple(v[:50]) for k, v in skel.items() if k}
        self.by_abjad = {k: tuple(v[:50]) for k, v in abjad.items() if k}

    def __len__(self) -> int:
        return len(self.entities)

    def weight(self, token: str) -> float:
        """The weight of a word: rare in the lists -> near 1, common -> low."""
        w = self.weights.get(token)
        if w is not None:
            return w
        return 0.6 if token in generic_words() else 1.0

    def dataset(self, pos: int) -> str:
        """The list of the entity at ``pos`` (without decoding the entity)."""
        return self.datasets[self.entity_dataset[pos]]

    def entity(self, entity_id: str) -> Entity | None:
        """The entity of that id, if loaded."""
        pos = self.positions.get(entity_id)
        return None if pos is None else self.entities[pos]

    def cluster(self, entity_id: str) -> list[Entity]:
        """All records of the same party (the entity itself first)."""
        pos = self.positions.get(entity_id)
        if pos is None:
            return []
        return [self.entities[pos]] + self.related(pos)

    def related(self, pos: int) -> list[Entity]:
        """The other records of the party of the entity at ``pos``."""
        return [self.entities[m] for m in self.clusters.records(pos) if m != pos]

    def party_key(self, pos: int) -> int:
        """The same number for every record of one party (see :meth:`cluster`)."""
        return self.clusters.key(pos)

    def frequency(self, token: str) -> int:
        """In how many name forms a listed word appears (0 for a word not listed)."""
        fids = self.postings.get(token)
        return 0 if fids is None else len(fids)

    def form_ids(self, pos: int) -> range:
        """The ids of the name forms of the entity at ``pos``."""
        return range(self.form_start[pos], self.form_start[pos + 1])

    def party(self, pos: int, form_ids: tuple[int, ...]) -> Party:
        """The entity at ``pos`` as a Party with the given name forms (its other fields made once
        per index)."""
        base = self.parties.get(pos)
        if base is None:
            base = self.parties[pos] = entity_party_with(self.entities[pos], ())
        return Party(
            base.kind,
            tuple(self.forms[f] for f in form_ids),
            base.dates,
            base.countries,
            base.identifiers,
            base.schema,
            base.id,
            gender=base.gender,
        )

    def identified(self, values: Iterable[str], datasets: set[str] | None = None) -> list[int]:
        """Positions of the entities holding one of these (normalised) identifier values, in the
        order of the values, each once (only those of ``datasets`` when given)."""
        out: dict[int, None] = {}
        for value in values:
            for pos in self.by_identifier.get(value, ()):
                if datasets is None or self.dataset(pos) in datasets:
                    out[pos] = None
        return list(out)

    def aligner(self, names: tuple[NameForm, ...]) -> NameAligner:
        """An aligner of a query's names with this index's forms (it shares their preparation
        with the other queries)."""
        return NameAligner(names, self.weight, self.prepared)

    def forget(self) -> None:
        """Drop what queries left behind (prepared forms, word lookups, parties): the index then
        answers as a freshly built one does."""
        self.prepared.clear()
        self.lookups.clear()
        self.parties.clear()
        for table in (self.entities, self.forms, self.by_deletion):
            forget = getattr(table, "forget", None)  # tables read from a file: decoded items
            if forget is not None:
                forget()

    def expand(self, token: str, lossy: Lossiness) -> list[tuple[str, float]]:
        """Listed words a query word may be: itself, spelling variants, typos, skeleton kin."""
        out: dict[str, float] = {}
        if token in self.postings:
            out[token] = 1.0
        if token.isdigit():
            return list(out.items())
        for other in self.by_phonetic.get(phonetic_key(token), ()):
            out.setdefault(other, 0.9)
        # The scanner's key (romanisations of Cyrillic: Tsentralnyi/Centralnyj, Yevgeny/Evgenij):
        # every spelling a document scan takes for a listed word, a search finds too.
        spelled = spelling_key(token)
        for other in self.by_spelling.get(spelled, ()):
            out.setdefault(other, 0.9)
        if spelled in self.postings:  # a listed word that is its own key
            out.setdefault(spelled, 0.9)
        for d in deletions(token):
            for other in self.by_deletion.get(d, ()):
                out.setdefault(other, 0.8)
            if d in self.postings:
                out.setdefault(d, 0.8)
        if lossy:
            kin = (
                self.by_abjad.get(abjad_skeleton(token), ())
                if lossy is Lossiness.ABJAD
                else self.by_skeleton.get(skeleton(token), ())
            )
            for other in kin:
                out.setdefault(other, 0.7)
        return list(out.items())

    def _lookups(self, token: str, lossy: Lossiness) -> tuple[tuple[str, float], ...]:
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
                shortest = sorted(found, key=lambda f: (self.form_length[f], f))[: limit * 4]
                weight = sum(w for _, w in deferred)
                scores = {fid: weight for fid in shortest}
        # sorted() is stable like heapq.nlargest (ties in insertion order), and faster here.
        best = sorted(scores.items(), key=itemgetter(1), reverse=True)[: limit * 4]
        by_entity: dict[int, list[int]] = {}
        top: dict[int, float] = {}
        for fid, score in best:
            pos = self.form_entity[fid]
            if datasets is not None and self.dataset(pos) not in datasets:
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
