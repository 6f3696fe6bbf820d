"""The labels OFAC prints before an identifying number, and what each one means.

OFAC writes identifiers as ``<label> <value> (<country>)`` in the remarks of its legacy CSV
(``Tax ID No. 1650032058 (Russia)``), as ``idType`` / ``idNumber`` / ``idCountry`` in
SDN.XML and as ``IDRegDocType`` / ``FeatureType`` names in SDN_ADVANCED.XML: the label set
is the same, so one table serves all three parsers.

``IDENTIFIER_LABELS`` maps a label (compared case-insensitively, longest first) to one of
:data:`sanctions.model.IDENTIFIER_SCHEMES`. A label that is not here but reads like a
number label (``... Number``, ``... No.``, ``... #``) becomes scheme ``other`` with the
label kept in ``Identifier.note``; so do the labels mapped to ``other`` explicitly.
``PROPERTY_LABELS`` maps descriptive labels to FtM property names.
"""

from __future__ import annotations

import re
from functools import lru_cache

IDENTIFIER_LABELS: dict[str, str] = {
    # tax numbers
    "Tax ID No.": "tax",
    "R.F.C.": "tax",
    "RFC": "tax",
    "NIT #": "tax",
    "V.A.T. Number": "tax",
    "Italian Fiscal Code": "tax",
    "US FEIN": "tax",
    "C.U.I.T.": "tax",
    "RTN": "tax",
    "C.I.F.": "tax",
    "Paraguayan tax identification number": "tax",
    "Numero Unico de Identificacao Tributaria (NUIT)": "tax",
    # company registrations
    "Registration Number": "registration",
    "Registration ID": "registration",
    "Company Number": "registration",
    "UK Company Number": "registration",
    "Commercial Registry Number": "registration",
    "Business Registration Document #": "registration",
    "Business Registration Number": "registration",
    "Unified Social Credit Code (USCC)": "registration",
    "United Social Credit Code Certificate (USCCC)": "registration",
    "Economic Register Number (CBLS)": "registration",
    "Chamber of Commerce Number": "registration",
    "Trade License No.": "registration",
    "C.R. No.": "registration",
    "Certificate of Incorporation Number": "registration",
    "Enterprise Number": "registration",
    "Branch Unit Number": "registration",
    "Central Registration System Number": "registration",
    "Istanbul Chamber of Comm. No.": "registration",
    "Dubai Chamber of Commerce Membership No.": "registration",
    "Folio Mercantil No.": "registration",
    "Matricula Mercantil No": "registration",
    "Registered Charity No.": "registration",
    # personal documents
    "Passport": "passport",
    "Diplomatic Passport": "passport",
    "Travel Document Number": "passport",
    "National ID No.": "national_id",
    "Cedula No.": "national_id",
    "C.U.R.P.": "national_id",
    "C.U.R.P. #": "national_id",
    "D.N.I.": "national_id",
    "Personal ID Card": "national_id",
    "Kenyan ID No.": "national_id",
    "Turkish Identification Number": "national_id",
    "Citizen's Card Number": "national_id",
    "Tazkira National ID Card": "national_id",
    "Numero de Identidad": "national_id",
    "C.U.I.": "national_id",
    "LE Number": "national_id",
    "SSN": "national_id",
    "Identification Number": "national_id",
    # vessels, aircraft, banks, contact points
    "Vessel Registration Identification": "imo",
    "MMSI": "mmsi",
    "SWIFT/BIC": "swift",
    "Legal Entity Number": "lei",
    "Website": "website",
    "Email Address": "email",
    "Email": "email",
    "Phone Number": "phone",
    "Phone": "phone",
    "Telephone": "phone",
    "Telephone No.": "phone",
    "Aircraft Manufacturer's Serial Number (MSN)": "aircraft_serial",
    "Aircraft Construction Number (also called L/N or S/N or F/N)": "aircraft_serial",
    "Aircraft Tail Number": "aircraft_tail",
    "Previous Aircraft Tail Number": "aircraft_tail",
    # kept, but with no scheme of their own
    "Government Gazette Number": "other",
    "D-U-N-S Number": "other",
    "ISIN": "other",
    "BIK (RU)": "other",
    "Equity Ticker": "other",
    "UN/LOCODE": "other",
    "Fax": "other",
    "License": "other",
    "Chinese Commercial Code": "other",
    "Digital Currency Address - XBT": "other",
    "Digital Currency Address - ETH": "other",
    "Digital Currency Address - USDT": "other",
    "Digital Currency Address - XMR": "other",
    "Digital Currency Address - LTC": "other",
    "Digital Currency Address - TRX": "other",
    "Digital Currency Address - ZEC": "other",
    "Digital Currency Address - BSV": "other",
    "Digital Currency Address - BCH": "other",
    "Digital Currency Address - XRP": "other",
    "Digital Currency Address - ETC": "other",
    "Digital Currency Address - DASH": "other",
    "Digital Currency Address - BTG": "other",
    "Digital Currency Address - XVG": "other",
    "Digital Currency Address - USDC": "other",
    "Digital Currency Address - ARB": "other",
    "Digital Currency Address - BSC": "other",
    "Digital Currency Address - SOL": "other",
}

# Descriptive facts that are neither names, dates nor identifiers: label -> FtM property.
PROPERTY_LABELS: dict[str, str] = {
    "Aircraft Model": "model",
    "Aircraft Operator": "operator",
    "Aircraft Manufacture Date": "buildDate",
    "Vessel Year of Build": "buildDate",
    "Former Vessel Flag": "pastFlags",
    "Other Vessel Flag": "pastFlags",
    "Other Vessel Call Sign": "callSign",
    "Other Vessel Type": "type",
    "Target Type": "classification",
    "Organization Type:": "sector",
    "Secondary sanctions risk:": "sanctionsRisk",
    "Additional Sanctions Information -": "sanctionsRisk",
}

# Generic number labels: "Permit Number", "Electoral Registry No.", "File #", ...
_NUMBER_LABEL = re.compile(
    r"^(?P<label>[A-Z][\w'.,/()\- ]{1,60}?(?:Number|No\.?|#|ID|Code|Card|Certificate))"
    r"[:#]?\s+(?P<value>\S*\d.*)$"
)


def _sorted_labels(table: dict[str, str]) -> list[tuple[str, str]]:
    return sorted(((k.lower(), v) for k, v in table.items()), key=lambda kv: -len(kv[0]))


_ID_LABELS = _sorted_labels(IDENTIFIER_LABELS)
_PROP_LABELS = _sorted_labels(PROPERTY_LABELS)
_CANONICAL = {k.lower(): k for k in (*IDENTIFIER_LABELS, *PROPERTY_LABELS)}


def _split(clause: str, labels: list[tuple[str, str]]) -> tuple[str, str, str] | None:
    low = clause.lower()
    for label, target in labels:
        if low.startswith(label):
            rest = clause[len(label) :]
            if rest and not (rest[0] in " :#" or label.endswith((".", "#", ":", "-"))):
                continue  # "Passports" is not "Passport"
            value = rest.strip().lstrip(":#").strip()
            if value:
                return _CANONICAL[label], target, value
    return None


@lru_cache(maxsize=4096)
def split_identifier(clause: str) -> tuple[str, str, str] | None:
    """``(label, scheme, value)`` when ``clause`` starts with an identifier label, else None.

    ``value`` still carries any trailing ``(Country)`` and ``issued`` / ``expires`` dates.
    """
    found = _split(clause, _ID_LABELS)
    if found is not None:
        return found
    match = _NUMBER_LABEL.match(clause)
    if match is None:
        return None
    return match.group("label").strip(), "other", match.group("value").strip()


def split_property(clause: str) -> tuple[str, str, str] | None:
    """``(label, ftm_property, value)`` when ``clause`` starts with a descriptive label."""
    return _split(clause, _PROP_LABELS)
