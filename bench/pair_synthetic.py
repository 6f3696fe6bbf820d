"""Synthetic labelled name pairs for bench/build_pairs.py (people, funds, numbers, romanisations).

Every generator takes the split's name parts (or its own split of a reference table) and a
seeded ``random.Random``; the same seed gives the same pairs. A pair is a dict with
``category``, ``script``, ``schema``, ``a``, ``b`` (FtM-style properties), ``truth`` and
``entity`` (the party of ``a``; the split is decided by it upstream).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from rapidfuzz.distance import Levenshtein

Pair = dict[str, Any]

# Written for this benchmark from general knowledge of English given names (not from the
# project's resources/given_names.yml, so the matcher's table is tested, not copied).
NICKNAMES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Robert", ("Bob", "Rob", "Bobby")),
    ("William", ("Bill", "Will", "Billy")),
    ("Richard", ("Rick", "Dick", "Rich")),
    ("Elizabeth", ("Liz", "Beth", "Betty")),
    ("Margaret", ("Peggy", "Maggie", "Meg")),
    ("James", ("Jim", "Jimmy")),
    ("Joseph", ("Joe", "Joey")),
    ("Thomas", ("Tom", "Tommy")),
    ("Charles", ("Charlie", "Chuck")),
    ("Edward", ("Ed", "Eddie", "Ted")),
    ("Katherine", ("Kate", "Kathy", "Katie")),
    ("Alexander", ("Alex", "Sasha")),
    ("Michael", ("Mike", "Mick")),
    ("Anthony", ("Tony",)),
    ("Daniel", ("Dan", "Danny")),
    ("Jennifer", ("Jen", "Jenny")),
    ("Patricia", ("Pat", "Patty", "Trish")),
    ("Christopher", ("Chris", "Kit")),
    ("Nicholas", ("Nick", "Nicky")),
    ("Benjamin", ("Ben", "Benny")),
    ("Samuel", ("Sam", "Sammy")),
    ("Jonathan", ("Jon", "Johnny")),
    ("Rebecca", ("Becky", "Becca")),
    ("Susan", ("Sue", "Susie")),
    ("Deborah", ("Debbie", "Deb")),
    ("Lawrence", ("Larry",)),
    ("Gregory", ("Greg",)),
    ("Timothy", ("Tim", "Timmy")),
    ("Stephen", ("Steve",)),
    ("Matthew", ("Matt",)),
    ("Andrew", ("Andy", "Drew")),
    ("Victoria", ("Vicky", "Tori")),
    ("Frederick", ("Fred", "Freddie")),
    ("Henry", ("Hank", "Harry")),
    ("Dmitry", ("Dima",)),
    ("Vladimir", ("Volodya", "Vova")),
    ("Yekaterina", ("Katya",)),
    ("Mikhail", ("Misha",)),
)

# Common Chinese surnames and given-name syllables (Hanyu Pinyin), for Wade-Giles pairs.
CN_SURNAMES = [
    "wang",
    "li",
    "zhang",
    "liu",
    "chen",
    "yang",
    "huang",
    "zhao",
    "zhou",
    "wu",
    "xu",
    "sun",
    "zhu",
    "ma",
    "hu",
    "guo",
    "lin",
    "he",
    "gao",
    "luo",
    "zheng",
    "liang",
    "xie",
    "song",
    "tang",
    "han",
    "feng",
    "deng",
    "cao",
    "peng",
    "zeng",
    "xiao",
    "tian",
    "dong",
    "pan",
    "yuan",
    "cai",
    "jiang",
    "yu",
    "du",
    "ye",
    "cheng",
    "wei",
    "su",
    "lu",
    "ding",
    "ren",
    "shen",
    "yao",
    "jin",
    "qian",
    "qin",
]
CN_GIVEN = [
    "wei",
    "fang",
    "xiu",
    "ying",
    "min",
    "jing",
    "li",
    "qiang",
    "lei",
    "jun",
    "yang",
    "yong",
    "jie",
    "tao",
    "ming",
    "chao",
    "xia",
    "ping",
    "hui",
    "gang",
    "hong",
    "hua",
    "zhi",
    "jian",
    "guo",
    "an",
    "dong",
    "ning",
    "chun",
    "qing",
    "kai",
    "bo",
    "xin",
    "zhen",
    "shu",
    "lan",
    "rong",
    "de",
    "xiao",
    "zi",
    "cheng",
    "qi",
    "zhong",
    "yu",
    "hao",
    "peng",
    "wen",
    "bin",
    "feng",
    "tian",
    "yi",
]
_WG_INITIALS = (
    ("zh", "ch"),
    ("ch", "ch'"),
    ("sh", "sh"),
    ("b", "p"),
    ("p", "p'"),
    ("d", "t"),
    ("t", "t'"),
    ("g", "k"),
    ("k", "k'"),
    ("z", "ts"),
    ("c", "ts'"),
    ("j", "ch"),
    ("q", "ch'"),
    ("x", "hs"),
    ("r", "j"),
    ("h", "h"),
    ("m", "m"),
    ("f", "f"),
    ("n", "n"),
    ("l", "l"),
    ("s", "s"),
    ("y", "y"),
    ("w", "w"),
)
_WG_FINALS = {"ong": "ung", "ian": "ien", "ie": "ieh", "uo": "o", "ui": "uei", "iong": "iung"}
_WG_WHOLE = {
    "yi": "i",
    "you": "yu",
    "zi": "tzu",
    "ci": "tz'u",
    "si": "ssu",
    "er": "erh",
    "ri": "jih",
    "zhi": "chih",
    "chi": "ch'ih",
    "shi": "shih",
    "yan": "yen",
    "ye": "yeh",
    "he": "ho",
    "ge": "ko",
    "ke": "k'o",
    "de": "te",
    "te": "t'e",
    "le": "le",
    "xue": "hsueh",
    "jue": "chueh",
}


def wade_giles(syllable: str) -> str:
    """Hanyu Pinyin syllable (no tones) in Wade-Giles (no tones, umlaut and breve dropped)."""
    if syllable in _WG_WHOLE:
        return _WG_WHOLE[syllable]
    for pinyin, wg in _WG_INITIALS:
        if syllable.startswith(pinyin):
            initial, final = wg, syllable[len(pinyin) :]
            break
    else:
        initial, final = "", syllable
    if initial in ("ch", "ch'", "hs") and syllable[0] in "jqx" and final.startswith("u"):
        final = "ü" + final[1:]  # ju/qu/xu are jü/chü/hsü; the umlaut is then dropped
    for pinyin, wg in sorted(_WG_FINALS.items(), key=lambda kv: -len(kv[0])):
        if final.endswith(pinyin):
            final = final[: -len(pinyin)] + wg
            break
    return (initial + final).replace("ü", "u")


def chinese_people(rng: random.Random, n: int, keep: Callable[[str], bool]) -> list[Pair]:
    """Pinyin against Wade-Giles (true), and against a namesake with another given name."""
    out: list[Pair] = []
    seen: set[str] = set()
    while len(out) < 2 * n:
        sur, g1, g2 = rng.choice(CN_SURNAMES), rng.choice(CN_GIVEN), rng.choice(CN_GIVEN)
        pinyin = f"{sur.title()} {(g1 + g2).title()}"
        if pinyin in seen or not keep(pinyin):
            continue
        seen.add(pinyin)
        wg = f"{wade_giles(sur).capitalize()} {wade_giles(g1).capitalize()}-{wade_giles(g2)}"
        other = (rng.choice(CN_GIVEN), rng.choice(CN_GIVEN))
        if set(other) & {g1, g2}:
            continue
        wg_other = (
            f"{wade_giles(sur).capitalize()} {wade_giles(other[0]).capitalize()}-{wade_giles(other[1])}"
        )
        out.append(_person("wade-giles", "latin", wg, pinyin, True, pinyin, rng, "cn"))
        out.append(_person("wade-giles", "latin", wg_other, pinyin, False, pinyin, rng, "cn"))
    return out


def random_date(rng: random.Random) -> str:
    return f"{rng.randint(1940, 2002)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def _person(
    category: str,
    script: str,
    a: str,
    b: str,
    truth: bool,
    entity: str,
    rng: random.Random,
    country: str | None,
    kind: str = "",
) -> Pair:
    """A person pair; half carry birth dates, a third nationalities (agreeing when true)."""
    pa: dict[str, list[str]] = {"name": [a]}
    pb: dict[str, list[str]] = {"name": [b]}
    if rng.random() < 0.5:
        date = random_date(rng)
        pa["birthDate"] = [date]
        pb["birthDate"] = [date if truth else random_date(rng)]
        if truth and rng.random() < 0.2:
            pb["birthDate"] = [date[:4]]  # the list gives the year only
    if country and rng.random() < 0.33:
        pa["nationality"] = [country]
        pb["nationality"] = [country]
    pair = {
        "category": category,
        "script": script,
        "schema": "Person",
        "a": pa,
        "b": pb,
        "truth": truth,
        "entity": entity,
    }
    if kind:
        pair["kind"] = kind  # which hard negative
    return pair


def typo(word: str, rng: random.Random) -> str:
    """One letter dropped, doubled, swapped with its neighbour or replaced (words of 4+ letters)."""
    if len(word) < 4:
        return word
    k = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:k] + word[k + 1 :]
    if kind == 1:
        return word[:k] + word[k] + word[k:]
    if kind == 2:
        return word[:k] + word[k + 1] + word[k] + word[k + 2 :]
    return word[:k] + rng.choice("aeioulnrst") + word[k + 1 :]


def distinct(a: str, b: str) -> bool:
    """Two name parts clearly not spellings of one name (so a pair made with them is false)."""
    a, b = a.lower(), b.lower()
    return a[:1] != b[:1] and Levenshtein.normalized_similarity(a, b) < 0.5


ORIGIN_COUNTRIES = {
    "arabic": ("sa", "eg", "sy", "iq", "ye"),
    "chinese": ("cn",),
    "hebrew": ("il",),
    "katakana": ("jp",),
    "korean": ("kr",),
    "russian": ("ru",),
}
NATIVE_SCRIPT = {
    "arabic": "arabic",
    "chinese": "han",
    "hebrew": "hebrew",
    "katakana": "kana",
    "korean": "hangul",
    "russian": "cyrillic",
}


def wikidata_people(parts: list[tuple[str, str]], origin: str, rng: random.Random, n: int) -> list[Pair]:
    """People made of two name parts of one origin, written natively and in Latin.

    True: native against Latin, Latin against Latin with a typo, words reversed (``LAST,
    First``) or in upper case. False: the same surname with another given name, the same given
    name with another surname, and (native against Latin) another random person.
    """
    out: list[Pair] = []
    sep = "" if origin in ("chinese", "korean") else " "
    country = ORIGIN_COUNTRIES[origin]
    for _ in range(n):
        (l1, n1), (l2, n2) = rng.sample(parts, 2)
        entity = f"{origin}:{l1}|{l2}"
        latin, native = f"{l1.title()} {l2.title()}", f"{n1}{sep}{n2}"
        cc = rng.choice(country)
        script = NATIVE_SCRIPT[origin]
        out.append(_person(f"translit {origin}", script, native, latin, True, entity, rng, cc))
        kind = rng.randrange(3)
        variant = (
            f"{l1.title()} {typo(l2.title(), rng)}"
            if kind == 0
            else f"{l2.upper()}, {l1.title()}"
            if kind == 1
            else latin.upper()
        )
        out.append(_person(f"people {origin}", "latin", variant, latin, True, entity, rng, cc))
        other = rng.choice(parts)
        if distinct(other[0], l1) and other[1] != n1:
            given = f"{other[0].title()} {l2.title()}"
            out.append(
                _person(f"people {origin}", "latin", given, latin, False, entity, rng, cc, "same surname")
            )
            native_other = f"{other[1]}{sep}{n2}"
            out.append(_person(f"translit {origin}", script, native_other, latin, False, entity, rng, cc))
        other = rng.choice(parts)
        if distinct(other[0], l2) and other[1] != n2:
            out.append(
                _person(
                    f"people {origin}",
                    "latin",
                    f"{l1.title()} {other[0].title()}",
                    latin,
                    False,
                    entity,
                    rng,
                    cc,
                    "same given name",
                )
            )
    return out


def arabic_long(parts: list[tuple[str, str]], rng: random.Random, n: int) -> list[Pair]:
    """Four-part Arabic names: a typo or a dropped middle part (true), one part differing (false)."""
    out: list[Pair] = []
    for _ in range(n):
        words = [p[0].title() for p in rng.sample(parts, 4)]
        name = " ".join(words)
        entity = f"arabic-long:{name}"
        cc = rng.choice(ORIGIN_COUNTRIES["arabic"])
        if rng.random() < 0.5:
            k = rng.randrange(4)
            variant = " ".join(typo(w, rng) if i == k else w for i, w in enumerate(words))
        else:
            variant = " ".join(w for i, w in enumerate(words) if i != rng.randrange(1, 3))
        out.append(_person("arabic long", "latin", variant, name, True, entity, rng, cc))
        k = rng.randrange(4)
        repl = rng.choice(parts)[0].title()
        if distinct(repl, words[k]):
            other = " ".join(repl if i == k else w for i, w in enumerate(words))
            out.append(_person("arabic long", "latin", other, name, False, entity, rng, cc))
    return out


def nicknames(
    surnames: list[str], groups: list[tuple[str, tuple[str, ...]]], rng: random.Random, n: int
) -> list[Pair]:
    """A nickname or an initial against the full given name (true); another given name (false)."""
    out: list[Pair] = []
    formal_names = [g for g, _ in NICKNAMES]
    for _ in range(n):
        formal, nicks = rng.choice(groups)
        sur = rng.choice(surnames).title()
        full = f"{formal} {sur}"
        entity = f"nick:{full}"
        out.append(_person("nickname", "latin", f"{rng.choice(nicks)} {sur}", full, True, entity, rng, None))
        other = rng.choice([f for f in formal_names if f[0] != formal[0]])
        out.append(_person("nickname", "latin", f"{other} {sur}", full, False, entity, rng, None))
        middle = rng.choice(formal_names)
        with_middle = f"{formal} {middle} {sur}"
        out.append(
            _person("initials", "latin", f"{formal} {middle[0]}. {sur}", with_middle, True, entity, rng, None)
        )
        out.append(_person("initials", "latin", f"{formal[0]}. {sur}", full, True, entity, rng, None))
        out.append(_person("initials", "latin", f"{other[0]}. {sur}", full, False, entity, rng, None))
    return out


_UNITS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def number_words(n: int) -> str:
    """1..99 in English words, hyphenated (``Forty-Four``)."""
    if n < 20:
        return _UNITS[n].title()
    tens, units = divmod(n, 10)
    return _TENS[tens].title() + (f"-{_UNITS[units].title()}" if units else "")


def funds_and_numbers(words: list[str], rng: random.Random, n: int) -> list[Pair]:
    """Sequential fund and trust names (another number is another party) and numbers written
    in digits or words."""
    out: list[Pair] = []
    for _ in range(n):
        base = rng.choice(words).title()
        k = rng.randrange(1, len(_ROMAN) - 1)
        kind = rng.randrange(3)
        if kind == 0:
            name = f"{base} Capital Partners Fund {_ROMAN[k]}, L.P."
            same = f"{base.upper()} CAPITAL PARTNERS FUND {_ROMAN[k]} LP"
            other = f"{base} Capital Partners Fund {_ROMAN[k + 1]}, L.P."
        elif kind == 1:
            year = rng.randint(2005, 2024)
            name = f"{base} Family Trust {year}"
            same = f"The {base} Family Trust {year}"
            other = f"{base} Family Trust {year + rng.choice((-1, 1))}"
        else:
            name = f"{base} Opportunity Fund {k + 1} Ltd"
            same = f"{base} Opportunity Fund {_ROMAN[k]} Limited"
            other = f"{base} Opportunity Fund {k + 2} Ltd"
        entity = f"fund:{name}"
        out.append(_org("fund", same, name, True, entity))
        out.append(_org("fund", other, name, False, entity))
        num = rng.randint(2, 98)
        trade = rng.choice(("Trading", "Shipping", "Holdings", "Logistics", "Investments"))
        name = f"{num} {base} {trade} LLC"
        entity = f"number:{name}"
        out.append(_org("numbers", f"{number_words(num)} {base} {trade} LLC", name, True, entity))
        out.append(_org("numbers", f"{number_words(num + 1)} {base} {trade} LLC", name, False, entity))
    return out


def _org(category: str, a: str, b: str, truth: bool, entity: str, schema: str = "Company") -> Pair:
    return {
        "category": category,
        "script": "latin",
        "schema": schema,
        "a": {"name": [a]},
        "b": {"name": [b]},
        "truth": truth,
        "entity": entity,
    }
