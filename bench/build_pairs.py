"""Build the labelled pair set of bench/data/pairs/ (train, dev, test), deterministically.

    .venv/bin/python bench/build_pairs.py            # rewrites bench/data/pairs/*.jsonl

Every pair belongs to one party (``entity``); a party's split is a hash of its key, so the
same person, company or vessel never lands in two splits, and a negative pair is made only
from parties of one split. Sources (bench/data/README.md has the provenance):

- the shared Wikidata transliteration tables: people of six origins (two name parts of the
  split), native script against Latin, Latin variants, namesakes (same surname, same given name),
  long Arabic names with one part differing;
- synthetic: nicknames and initials, Chinese names in Pinyin against Wade-Giles, sequential fund
  and trust names, numbers in digits and words;
- the shared official lists (parsed by the project's parsers): organisations and vessels against
  their own aliases and everyday variants, against siblings that share words, acronyms;
- the Senzing truth set: every record pair sharing a name word, labelled by its answer key.
"""

from __future__ import annotations

import csv
import hashlib
import json
import random
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pair_synthetic as syn  # noqa: E402
from lists import SHARED, load_entities  # noqa: E402

from sanctions.model import Entity, NameKind  # noqa: E402

OUT = ROOT / "bench" / "data" / "pairs"
SPLITS = {"train": 0.6, "dev": 0.2, "test": 0.2}
SALT = "sanctions-pairs-v1"
EVAL = SHARED / "eval"
Pair = dict[str, Any]


def split_of(key: str) -> str:
    """The split of a party, from a salted hash of its key (stable across runs and machines)."""
    h = int.from_bytes(hashlib.sha1(f"{SALT}:{key}".encode()).digest()[:4], "big") / 2**32
    return "train" if h < SPLITS["train"] else "dev" if h < SPLITS["train"] + SPLITS["dev"] else "test"


def wikidata_parts() -> dict[str, list[tuple[str, str]]]:
    """(latin, native) name parts per origin: alphabetic Latin of 3+ letters, deduplicated."""
    out: dict[str, list[tuple[str, str]]] = {}
    for path in sorted((EVAL / "translit-wikidata").glob("wd_*.tsv")):
        seen: dict[str, tuple[str, str]] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if len(cells) >= 2 and cells[0].isalpha() and cells[0].isascii() and len(cells[0]) > 2:
                seen.setdefault(cells[0].lower(), (cells[0].lower(), cells[1].replace(" ", "")))
        out[path.stem.split("_")[1]] = sorted(seen.values())
    return out


_WORD = re.compile(r"[A-Za-z0-9]+")
_FORMS = {
    "llc",
    "ltd",
    "limited",
    "inc",
    "co",
    "corp",
    "corporation",
    "company",
    "jsc",
    "ojsc",
    "pjsc",
    "cjsc",
    "ooo",
    "oao",
    "zao",
    "pao",
    "gmbh",
    "ag",
    "sa",
    "srl",
    "plc",
    "fze",
    "fzco",
    "fzc",
    "llp",
    "lp",
    "bv",
    "pte",
    "sdn",
    "bhd",
    "the",
    "of",
    "and",
}


def _words(name: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(name)]


def _core(name: str) -> frozenset[str]:
    return frozenset(w for w in _words(name) if w not in _FORMS)


def _latin(name: str) -> bool:
    return name.isascii() and len(_core(name)) >= 1 and len(name) >= 4


def _party_key(e: Entity) -> str:
    """Records of one party on several lists share this key (their primary name's core words)."""
    return " ".join(sorted(_core(e.caption)))


def _variant(name: str, rng: random.Random, vessel: bool) -> str:
    """An everyday rewriting of a listed name: upper case without punctuation, a typo, the
    legal form dropped, or (vessels) a ship prefix."""
    kind = rng.randrange(3)
    if kind == 0:
        return re.sub(r"[^\w\s]", "", name.upper())
    if kind == 1:
        words = name.split()
        long = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if long:
            i = rng.choice(long)
            words[i] = syn.typo(words[i], rng)
            return " ".join(words)
    if vessel:
        return f"MV {name}"
    words = name.split()
    if len(words) > 2 and words[-1].strip(".,").lower() in _FORMS:
        return " ".join(words[:-1]).rstrip(",")
    return name.title() if name.isupper() else name.upper()


def _acronym(name: str) -> str:
    return "".join(w[0] for w in _words(name) if w not in ("of", "and", "the", "for")).upper()


def listed(entities: list[Entity], split: str, rng: random.Random, quota: dict[str, int]) -> list[Pair]:
    """Organisations and vessels of this split: against their aliases and variants (true),
    against listed parties sharing a word and against made-up siblings (false)."""
    out: list[Pair] = []
    kinds: dict[str, list[Entity]] = defaultdict(list)
    for e in entities:
        if not e.names or not _latin(e.caption) or split_of(_party_key(e)) != split:
            continue
        if e.schema.value == "Vessel":
            kinds["vessel"].append(e)
        elif e.schema.is_organization and len(_core(e.caption)) >= 2:
            kinds["company"].append(e)
    for category, pool in sorted(kinds.items()):
        by_word: dict[str, list[Entity]] = defaultdict(list)
        for e in pool:
            for w in _core(e.caption):
                by_word[w].append(e)
        schema = "Vessel" if category == "vessel" else "Organization"
        picked = rng.sample(pool, min(len(pool), quota[category]))
        for e in picked:
            name, key = e.caption, f"{category}:{_party_key(e)}"
            vessel = category == "vessel"

            def pair(
                a: str, b: str, truth: bool, cat: str = category, key: str = key, schema: str = schema
            ) -> Pair:
                return {
                    "category": cat,
                    "script": "latin",
                    "schema": schema,
                    "a": {"name": [a]},
                    "b": {"name": [b]},
                    "truth": truth,
                    "entity": key,
                }

            aliases = [
                n.value
                for n in e.names
                if n.kind is not NameKind.PRIMARY
                and _latin(n.value)
                and _core(n.value) != _core(name)
                and n.value != name
            ]
            if aliases:
                alias = rng.choice(aliases)
                is_acronym = alias.replace(".", "").upper() == _acronym(name) and len(alias) >= 3
                out.append(pair(alias, name, True, "acronym" if is_acronym else category))
            variant = _variant(name, rng, vessel)
            if variant != name:
                out.append(pair(variant, name, True))
            core = _core(name)
            sharing = [
                o
                for w in sorted(core)
                for o in by_word[w]
                if _party_key(o) != _party_key(e)
                and not (_core(o.caption) <= core or core <= _core(o.caption))
            ]
            if sharing:
                out.append(pair(rng.choice(sharing).caption, name, False))
            words = name.split()
            longest = max(range(len(words)), key=lambda i: (len(words[i]), -i))
            donor = rng.choice(pool).caption.split()
            repl = max([w for w in donor if w.lower().strip(".,") not in _FORMS] or donor, key=len)
            if repl.lower() != words[longest].lower() and syn.distinct(repl, words[longest]):
                sibling = " ".join(repl if i == longest else w for i, w in enumerate(words))
                out.append(pair(sibling, name, False))
            if vessel and rng.random() < 0.5:
                k = rng.randint(1, 8)
                out.append(pair(f"{name} {k}", f"{name} {k + 1}", False))
    return out


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def senzing_props(row: dict[str, str]) -> dict[str, list[str]]:
    """FtM-style properties of a Senzing truth-set record (names, birth date, gender, ids)."""
    names = []
    full = row.get("PRIMARY_NAME_FULL") or row.get("PRIMARY_NAME_ORG")
    if full:
        names.append(full)
    parts = " ".join(
        row.get(k) or "" for k in ("PRIMARY_NAME_FIRST", "PRIMARY_NAME_MIDDLE", "PRIMARY_NAME_LAST")
    )
    if parts.strip():
        names.append(" ".join(parts.split()))
    if row.get("NATIVE_NAME_FULL"):
        names.append(row["NATIVE_NAME_FULL"])
    props: dict[str, list[str]] = {"name": names}
    dob = row.get("DATE_OF_BIRTH") or ""
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{2,4})$", dob)
    named = re.match(r"^([A-Z][a-z]{2})[a-z]* (\d{1,2}),? (\d{4})$", dob)
    if named and named.group(1) in _MONTHS:
        month = _MONTHS.index(named.group(1)) + 1
        props["birthDate"] = [f"{named.group(3)}-{month:02d}-{int(named.group(2)):02d}"]
    elif m:
        year = int(m.group(3))
        year = year + 1900 if year < 100 else year
        props["birthDate"] = [f"{year:04d}-{int(m.group(1)):02d}-{int(m.group(2)):02d}"]
    elif re.match(r"^\d{4}-\d{2}-\d{2}$", dob):
        props["birthDate"] = [dob]
    if row.get("GENDER"):
        props["gender"] = [row["GENDER"]]
    for key, prop in (
        ("PASSPORT_NUMBER", "passportNumber"),
        ("NATIONAL_ID_NUMBER", "idNumber"),
        ("SSN_NUMBER", "idNumber"),
    ):
        if row.get(key):
            props.setdefault(prop, []).append(row[key])
    return props


def senzing(split: str) -> list[Pair]:
    """Every pair of Senzing records (customers, watchlist, reference) of this split that share
    a name word, true when the answer key puts them in one cluster."""
    base = EVAL / "senzing-truthset"
    cluster = {
        (r["DATA_SOURCE"], r["RECORD_ID"]): r["CLUSTER_ID"]
        for r in csv.DictReader((base / "actual_truthset_key.csv").read_text().splitlines())
    }
    records = []
    for name in ("customers", "watchlist", "reference"):
        for row in csv.DictReader((base / f"{name}.csv").read_text(encoding="utf-8").splitlines()):
            props = senzing_props(row)
            cid = cluster.get(
                (row["DATA_SOURCE"], row["RECORD_ID"]), f"{row['DATA_SOURCE']}-{row['RECORD_ID']}"
            )
            if props["name"] and split_of(f"senzing:{cid}") == split:
                schema = "Person" if row.get("RECORD_TYPE") == "PERSON" else "Organization"
                records.append((cid, schema, props))
    out: list[Pair] = []
    for i, (ca, sa, pa) in enumerate(records):
        wa = {w for n in pa["name"] for w in _words(n)}
        for cb, sb, pb in records[i + 1 :]:
            if sa == sb and (ca == cb or wa & {w for n in pb["name"] for w in _words(n)}):
                out.append(
                    {
                        "category": "senzing",
                        "script": "latin",
                        "schema": sa,
                        "a": pa,
                        "b": pb,
                        "truth": ca == cb,
                        "entity": f"senzing:{ca}",
                    }
                )
    return out


def build() -> dict[str, list[Pair]]:
    """All pairs, per split (deterministic)."""
    parts = wikidata_parts()
    entities = sorted(load_entities(), key=lambda e: e.id)
    nick_groups = {s: [g for g in syn.NICKNAMES if split_of(f"nick:{g[0]}") == s] for s in SPLITS}
    result: dict[str, list[Pair]] = {}
    for split, share in SPLITS.items():
        rng = random.Random(f"{SALT}:{split}")
        pairs: list[Pair] = []
        mine = {o: [p for p in ps if split_of(f"{o}:{p[0]}") == split] for o, ps in sorted(parts.items())}
        for origin, ps in mine.items():
            pairs += syn.wikidata_people(ps, origin, rng, int(500 * share))
        pairs += syn.arabic_long(mine["arabic"], rng, int(400 * share))
        latin_surnames = [p[0] for p in mine["russian"] + mine["hebrew"]]
        pairs += syn.nicknames(latin_surnames, nick_groups[split], rng, int(250 * share))
        pairs += syn.chinese_people(rng, int(300 * share), lambda k, s=split: split_of(f"cn:{k}") == s)
        pairs += syn.funds_and_numbers(latin_surnames, rng, int(250 * share))
        pairs += listed(entities, split, rng, {"company": int(1000 * share), "vessel": int(300 * share)})
        pairs += senzing(split)
        for n, p in enumerate(pairs):
            p["id"] = f"{split}-{n:05d}"
        result[split] = pairs
    return result


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for split, pairs in build().items():
        with open(OUT / f"{split}.jsonl", "w", encoding="utf-8") as fh:
            for p in pairs:
                fh.write(json.dumps(p, ensure_ascii=False, sort_keys=True) + "\n")
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for p in pairs:
            counts[p["category"]][p["truth"]] += 1
        print(split, len(pairs), {c: f"{t}/{f + t}" for c, (f, t) in sorted(counts.items())})


if __name__ == "__main__":
    main()
