"""Ownership rules per jurisdiction, as configuration: thresholds, aggregation, control, who counts.

Each rule answers one question: when is a party that is not itself listed nevertheless
blocked because listed parties own or control it? ``docs/ownership.md`` cites the official
guidance behind every default and is checked against :data:`RULES` by the tests.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from sanctions.errors import SanctionsError
from sanctions.model import RelationKind

__all__ = ["RULES", "JurisdictionRule", "configure_rules", "parse_jurisdictions"]


@dataclass(frozen=True, slots=True)
class JurisdictionRule:
    """How one jurisdiction extends a listing to the entities its listed parties own or control."""

    code: str  # us, eu, gb
    title: str
    threshold: float  # percent
    inclusive: bool  # True: ``share >= threshold`` blocks (US); False: ``share > threshold`` (EU, UK)
    aggregate: bool  # True: holdings of different listed parties are added up
    listed_authorities: frozenset[str]  # Listing.authority values that make a party "listed" here
    control_kinds: frozenset[str] = frozenset()  # relation kinds that pass control without a majority
    source: str = ""  # the official guidance the defaults follow

    def reaches(self, share: float) -> bool:
        """Whether an aggregate share crosses this rule's threshold (with float tolerance)."""
        if self.inclusive:
            return share >= self.threshold - 1e-9
        return share > self.threshold + 1e-9

    def with_options(
        self,
        *,
        aggregate: bool | None = None,
        control: bool | None = None,
        listed_authorities: Iterable[str] | None = None,
    ) -> JurisdictionRule:
        """A copy with aggregation, control or the counted authorities changed."""
        rule = self
        if aggregate is not None:
            rule = replace(rule, aggregate=aggregate)
        if control is not None:
            kinds = frozenset({RelationKind.CONTROL.value}) if control else frozenset()
            rule = replace(rule, control_kinds=kinds)
        if listed_authorities is not None:
            rule = replace(rule, listed_authorities=frozenset(a.strip().lower() for a in listed_authorities))
        return rule

    def to_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "title": self.title,
            "threshold": self.threshold,
            "inclusive": self.inclusive,
            "aggregate": self.aggregate,
            "listed_authorities": sorted(self.listed_authorities),
            "control_kinds": sorted(self.control_kinds),
            "source": self.source,
        }


_CONTROL = frozenset({RelationKind.CONTROL.value})

RULES: dict[str, JurisdictionRule] = {
    rule.code: rule
    for rule in (
        JurisdictionRule(
            code="us",
            title="US OFAC 50 Percent Rule",
            threshold=50.0,
            inclusive=True,
            aggregate=True,
            # OFAC designates UN-listed parties itself (they appear on the SDN list), so a UN
            # listing alone does not block under US law.
            listed_authorities=frozenset({"us"}),
            control_kinds=frozenset(),  # the rule is about ownership; control alone does not block
            source="OFAC, Revised Guidance on Entities Owned by Persons Whose Property and Interests "
            "in Property Are Blocked, 13 August 2014 (79 FR 47726)",
        ),
        JurisdictionRule(
            code="eu",
            title="EU ownership and control (more than 50 %)",
            threshold=50.0,
            inclusive=False,
            aggregate=True,  # the Commission's asset-freeze FAQ adds up listed owners' holdings
            # UN listings bind the EU and are transposed into its annexes.
            listed_authorities=frozenset({"eu", "un"}),
            control_kinds=_CONTROL,
            source="Council of the EU, EU Best Practices for the effective implementation of "
            "restrictive measures (ownership and control criteria); European Commission, "
            "consolidated FAQs on Regulation (EU) No 269/2014, asset freeze (aggregated ownership)",
        ),
        JurisdictionRule(
            code="gb",
            title="UK OFSI ownership and control (more than 50 %)",
            threshold=50.0,
            inclusive=False,
            aggregate=False,  # OFSI does not add up different designated persons' holdings
            # UN-named persons are designated in the UK by the sanctions regulations themselves.
            listed_authorities=frozenset({"gb", "un"}),
            control_kinds=_CONTROL,
            source="OFSI, UK Financial Sanctions General Guidance, chapter 'Ownership and control' "
            "(aggregation paragraph added March 2022); Sanctions and Anti-Money Laundering Act 2018",
        ),
    )
}


def parse_jurisdictions(text: str | Iterable[str] | None) -> list[JurisdictionRule]:
    """The rules for ``"us,eu,gb"`` (or a list of codes; None: all), in the order given.

    ``uk`` is accepted for ``gb``. An unknown code raises SanctionsError naming the known ones.
    """
    if text is None:
        return list(RULES.values())
    codes = text.split(",") if isinstance(text, str) else list(text)
    rules: list[JurisdictionRule] = []
    for raw in codes:
        code = raw.strip().lower()
        if not code:
            continue
        code = "gb" if code == "uk" else code
        rule = RULES.get(code)
        if rule is None:
            raise SanctionsError(f"unknown jurisdiction {raw.strip()!r}; known: {', '.join(RULES)}")
        if rule not in rules:
            rules.append(rule)
    if not rules:
        raise SanctionsError(f"no jurisdiction given; known: {', '.join(RULES)}")
    return rules


def configure_rules(codes: str, settings: Iterable[str] | None = None) -> list[JurisdictionRule]:
    """The rules for ``codes`` (``us,eu,gb``) with ``<rule>.<option>=<value>`` changes applied.

    Options: ``aggregate`` and ``control`` (yes/no), ``listed`` (comma-separated authorities).
    """
    rules = {rule.code: rule for rule in parse_jurisdictions(codes)}
    for setting in settings or []:
        key, sep, value = setting.partition("=")
        code, dot, option = key.strip().lower().partition(".")
        code = "gb" if code == "uk" else code
        if not sep or not dot or code not in rules:
            raise SanctionsError(
                f"rule setting {setting!r}: expected <jurisdiction>.<option>=<value> "
                f"for one of {', '.join(rules)}"
            )
        flag = value.strip().lower() in ("1", "yes", "true", "on")
        if option == "aggregate":
            rules[code] = rules[code].with_options(aggregate=flag)
        elif option == "control":
            rules[code] = rules[code].with_options(control=flag)
        elif option == "listed":
            rules[code] = rules[code].with_options(
                listed_authorities=[a for a in value.split(",") if a.strip()]
            )
        else:
            raise SanctionsError(
                f"rule setting {setting!r}: unknown option {option!r}; use aggregate, control or listed"
            )
    return list(rules.values())
