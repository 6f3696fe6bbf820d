"""The domain model every stage shares: entities, names, identifiers, relations, list versions.

Hot-path objects are slotted dataclasses. They serialise to plain dicts (``to_dict``) and
back (``from_dict``) so the store can keep them as JSON and workers can rebuild them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any


class Schema(StrEnum):
    """Entity types, named as in FollowTheMoney."""

    PERSON = "Person"
    ORGANIZATION = "Organization"
    COMPANY = "Company"
    VESSEL = "Vessel"
    AIRCRAFT = "Aircraft"
    LEGAL_ENTITY = "LegalEntity"  # a party whose kind the publisher did not say

    @property
    def is_organization(self) -> bool:
        return self in (Schema.ORGANIZATION, Schema.COMPANY, Schema.LEGAL_ENTITY)


class NameKind(StrEnum):
    """How strongly a name identifies its entity."""

    PRIMARY = "primary"
    ALIAS = "alias"  # a strong a.k.a.
    WEAK_ALIAS = "weak_alias"  # OFAC "weak", UN "low quality", OFSI "low quality"
    ORIGINAL_SCRIPT = "original_script"  # the name in its own script (Cyrillic, Arabic, Han, ...)
    FORMER = "former"  # f.k.a., previous name


class RelationKind(StrEnum):
    """Relations between two parties, listed or not."""

    LINKED_TO = "linked_to"  # OFAC "Linked To:": an unspecified link stated by the publisher
    OWNER = "owner"  # subject owns (a share of) object
    DIRECTOR = "director"  # subject directs / manages object
    CONTROL = "control"  # subject controls object without (known) majority ownership
    FAMILY = "family"
    ASSOCIATE = "associate"
    PARTNER = "partner"
    JOINT_VENTURE = "joint_venture"
    SUPPLIER = "supplier"  # subject supplies object
    CUSTOMER = "customer"  # subject is a customer of object
    LICENSEE = "licensee"  # subject licenses / uses object's platform or technology
    UNKNOWN = "unknown"


@dataclass(slots=True, frozen=True)
class Name:
    """One name of an entity as the publisher wrote it."""

    value: str
    kind: NameKind = NameKind.PRIMARY
    lang: str | None = None  # ISO 639 code or script hint when the publisher gave one


@dataclass(slots=True, frozen=True)
class PartialDate:
    """A date that may be partial (``1957``, ``1957-11``) or approximate ("circa 1960")."""

    value: str  # ISO 8601 prefix: YYYY, YYYY-MM or YYYY-MM-DD
    approximate: bool = False

    @property
    def year(self) -> int | None:
        try:
            return int(self.value[:4])
        except ValueError:
            return None


@dataclass(slots=True, frozen=True)
class Identifier:
    """An identifying number: tax ID, registration, passport, IMO, SWIFT/BIC, ..."""

    scheme: str  # see IDENTIFIER_SCHEMES
    value: str
    country: str | None = None  # ISO 3166-1 alpha-2, lower case
    note: str | None = None


# The identifier schemes we recognise. Free text goes to "other" with the label in `note`.
IDENTIFIER_SCHEMES = (
    "tax",  # Tax ID, INN
    "registration",  # company registration number, OGRN
    "passport",
    "national_id",
    "swift",  # SWIFT/BIC
    "imo",
    "mmsi",
    "lei",
    "email",
    "website",
    "phone",
    "aircraft_serial",
    "aircraft_tail",
    "other",
)


@dataclass(slots=True, frozen=True)
class Address:
    full: str
    country: str | None = None  # ISO 3166-1 alpha-2, lower case


# What a listing obliges: "sanction" (blocking, asset freeze, ...) or "export_control"
# (a licence is needed to export to the party: BIS Entity List, EU Regulation 833/2014 Annex IV).
LISTING_KINDS = ("sanction", "export_control")


@dataclass(slots=True, frozen=True)
class Listing:
    """Why and since when an entity is on a list."""

    authority: str  # jurisdiction code of the listing body: us, eu, gb, un, au, or a user label
    program: str | None = None  # e.g. RUSSIA-EO14024, "Russia", "DRC"
    listed_on: str | None = None  # ISO date the publisher gives for the designation
    reason: str | None = None  # statement of reasons / remarks when published
    kind: str = "sanction"  # LISTING_KINDS: a sanction, or an export-control restriction
    measure: str | None = None  # the measure as published: "Asset freeze", "Export control", ...
    legal_act: str | None = None  # the act that lists it: CELEX number, Federal Register citation
    notes: str | None = None  # what the publisher attaches (licence requirement and policy, ...)

    def describe(self, dataset: str | None = None) -> str:
        """One line for a hit: ``eu_journal · EU · EU-RUS · export control · listed 2023-02-25``."""
        bits = [dataset, self.authority.upper(), self.program]
        if self.kind == "export_control":
            bits.append("export control")
        if self.listed_on:
            bits.append(f"listed {self.listed_on}")
        return " · ".join(b for b in bits if b)


@dataclass(slots=True)
class Entity:
    """A party on a list (or in a user's graph): person, organisation, vessel or aircraft."""

    id: str  # globally unique: "<dataset>-<source_id>" for parsed lists
    dataset: str  # source / dataset name, e.g. us_ofac_sdn
    source_id: str  # the publisher's own record id
    schema: Schema
    names: list[Name] = field(default_factory=list)
    birth_dates: list[PartialDate] = field(default_factory=list)  # or incorporation dates
    birth_places: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)  # ISO alpha-2, lower case
    countries: list[str] = field(default_factory=list)  # other links: residence, jurisdiction
    identifiers: list[Identifier] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)  # empty: not sanctioned
    gender: str | None = None  # "male" / "female"
    remarks: str | None = None
    properties: dict[str, list[str]] = field(default_factory=dict)  # anything else, FtM names

    @property
    def caption(self) -> str:
        for name in self.names:
            if name.kind is NameKind.PRIMARY:
                return name.value
        return self.names[0].value if self.names else self.id

    @property
    def is_listed(self) -> bool:
        return bool(self.listings)

    def add_name(self, value: str | None, kind: NameKind = NameKind.PRIMARY, lang: str | None = None) -> None:
        """Add a name once; blank values and exact repeats are ignored."""
        if value is None:
            return
        value = " ".join(value.split())
        if not value:
            return
        if any(n.value == value for n in self.names):
            return
        self.names.append(Name(value, kind, lang))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            id=data["id"],
            dataset=data["dataset"],
            source_id=data["source_id"],
            schema=Schema(data["schema"]),
            names=[Name(n["value"], NameKind(n["kind"]), n.get("lang")) for n in data.get("names", [])],
            birth_dates=[PartialDate(**d) for d in data.get("birth_dates", [])],
            birth_places=list(data.get("birth_places", [])),
            nationalities=list(data.get("nationalities", [])),
            countries=list(data.get("countries", [])),
            identifiers=[Identifier(**i) for i in data.get("identifiers", [])],
            addresses=[Address(**a) for a in data.get("addresses", [])],
            listings=[Listing(**s) for s in data.get("listings", [])],
            gender=data.get("gender"),
            remarks=data.get("remarks"),
            properties={k: list(v) for k, v in data.get("properties", {}).items()},
        )


@dataclass(slots=True)
class Relation:
    """A directed relation: ``subject`` <kind> ``object`` (e.g. A owner-of B, 50.0 %)."""

    id: str
    dataset: str
    kind: RelationKind
    subject_id: str
    object_id: str
    share: float | None = None  # percentage 0..100 for ownership; None = unknown
    start_date: str | None = None
    end_date: str | None = None
    source: str | None = None  # publisher's wording or the user's reference
    properties: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Relation:
        return cls(
            id=data["id"],
            dataset=data["dataset"],
            kind=RelationKind(data["kind"]),
            subject_id=data["subject_id"],
            object_id=data["object_id"],
            share=data.get("share"),
            start_date=data.get("start_date"),
            end_date=data.get("end_date"),
            source=data.get("source"),
            properties={k: list(v) for k, v in data.get("properties", {}).items()},
        )


Record = Entity | Relation

# Entity property naming records of other lists that the publisher says are the same party
# (ids as ``<dataset>-<source_id>``); the index clusters them together.
SAME_AS = "sameAs"


@dataclass(slots=True)
class ListVersion:
    """One load of one list: what, from when, how much."""

    id: int
    dataset: str
    source: str  # the parser used: us_ofac_sdn, ftm, csv, ...
    published: str | None  # the publisher's date (ISO), when the file says it
    loaded_at: str  # ISO timestamp, UTC
    sha256: str  # of the input file(s)
    entities: int
    names: int
    relations: int
    current: bool
    warnings: list[str] = field(default_factory=list)
    dated_by: str | None = None  # how `published` is known: publisher, given, http (None: unknown)
    size: int | None = None  # bytes of the input file(s), beside sha256


# How an analyst decides an alert (docs/cases.md).
VERDICTS = ("true_match", "false_positive", "needs_info")
# Why a hit is not the listed party: what an examiner expects to read beside a false positive.
REASON_CODES = (
    "different_person",  # same name, another person (birth date, nationality, photo ID differ)
    "different_entity",  # another company, vessel or aircraft
    "different_birth_date",
    "different_nationality",
    "different_identifier",
    "name_only",  # only a common name matches, nothing else
    "other",
)
# The states of an alert (docs/cases.md), and what a queue can be filtered by: "queue" is what
# analysts work (open, review_required, needs_info), "all" every state.
ALERT_STATES = (
    "open",
    "review_required",
    "needs_info",
    "pending",
    "cleared",
    "confirmed",
    "delisted",
    "closed",
)
ALERT_FILTERS = ("queue", *ALERT_STATES, "all")
