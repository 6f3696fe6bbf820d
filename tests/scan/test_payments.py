"""Payment messages: fields parsed, parties screened field by field, BICs matched exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from sanctions.scan import DocumentError, MentionIndex, scan_document
from sanctions.scan.payments import detect_payment, parse_mt, parse_pacs008, scan_payment


def read(fixtures: Path, name: str) -> str:
    return (fixtures / name).read_text(encoding="utf-8")


def test_mt103_fields(scan_fixtures: Path) -> None:
    message = parse_mt(read(scan_fixtures, "mt103.txt"))
    assert message.format == "mt103"
    by_tag = {(f.tag, f.bic): f.value for f in message.fields}
    assert by_tag[("59", False)].startswith("KAMAZ PJSC")
    assert "/40702810500000012345" not in by_tag[("59", False)]  # the account line is not a name
    assert by_tag[("50K", False)].startswith("MUELLER MASCHINENBAU GMBH")
    assert by_tag[("56A", True)] == "VTBRRUMMXXX"
    assert by_tag[("57A", True)] == "SABRRUMM"
    assert by_tag[("{2}", True)] == "SABRRUMMXXX"
    for f in message.fields:
        assert message.text[f.start : f.end].startswith(f.value[:8])


def test_mt103_screening(scan_fixtures: Path, scan_index: MentionIndex) -> None:
    message = parse_mt(read(scan_fixtures, "mt103.txt"))
    mentions = scan_payment(message, scan_index)
    found = {(m.field.split()[0] if m.field else None, m.entity.id) for m in mentions}
    assert ("59", "us_ofac_sdn-37756") in found  # beneficiary KAMAZ PJSC
    assert ("56A", "us_ofac_sdn-17013") in found  # intermediary VTB by BIC11
    assert ("57A", "us_ofac_sdn-17018") in found  # account with institution Sberbank by BIC8
    assert ("{2}", "us_ofac_sdn-17018") in found  # receiver in the header
    assert any(m.field and m.field.startswith("70") and "KOGOGIN" in m.text for m in mentions)
    assert not any("MUELLER" in m.text for m in mentions)
    for m in mentions:
        assert message.text[m.start : m.end] == m.text


def test_mt202_branch_bic(scan_fixtures: Path, scan_index: MentionIndex) -> None:
    message = parse_mt(read(scan_fixtures, "mt202.txt"))
    assert message.format == "mt202"
    mentions = scan_payment(message, scan_index)
    branch = [m for m in mentions if m.text == "SABRRUMM012"]
    assert branch and branch[0].entity.id == "us_ofac_sdn-17018" and branch[0].score < 1.0
    assert any(m.entity.id == "us_ofac_sdn-17013" and m.field and m.field.startswith("58A") for m in mentions)
    assert any(m.entity.id == "us_ofac_sdn-47956" for m in mentions)  # AURUS LLC in :72:
    assert not any(m.text in ("COBADEFF", "CITIUS33") for m in mentions)


def test_pacs008(scan_fixtures: Path, scan_index: MentionIndex) -> None:
    message = parse_pacs008(read(scan_fixtures, "pacs008.xml"))
    paths = {f.tag for f in message.fields}
    assert {
        "Dbtr/Nm",
        "Cdtr/Nm",
        "DbtrAgt/BICFI",
        "CdtrAgt/BICFI",
        "IntrmyAgt1/BICFI",
        "RmtInf/Ustrd",
    } <= paths
    mentions = scan_payment(message, scan_index)
    got = {
        (m.field.split()[0] if m.field else "", e.id)
        for m in mentions
        for e in (m.entity, *(a for a, _ in m.alternatives))
    }
    assert ("Cdtr/Nm", "us_ofac_sdn-47956") in got
    assert ("CdtrAgt/BICFI", "us_ofac_sdn-17018") in got
    assert ("IntrmyAgt1/BICFI", "us_ofac_sdn-17013") in got
    assert ("RmtInf/Ustrd", "us_ofac_sdn-35217") in got
    for m in mentions:
        assert message.text[m.start : m.end] == m.text


def test_detection(scan_fixtures: Path) -> None:
    assert detect_payment(read(scan_fixtures, "mt103.txt")) == "mt"
    assert detect_payment(read(scan_fixtures, "pacs008.xml")) == "pacs008"
    assert detect_payment("An ordinary letter about trucks.") is None


def test_scan_document_detects_payments(scan_fixtures: Path, scan_index: MentionIndex) -> None:
    result = scan_document((scan_fixtures / "mt103.txt").read_bytes(), scan_index, source="mt103.txt")
    assert result.format == "mt103"
    assert result.stats["fields"] >= 6
    forced = scan_document((scan_fixtures / "mt103.txt").read_bytes(), scan_index, fmt="text")
    assert forced.format == "text" and all(m.field is None for m in forced.mentions)


def test_bad_payment_messages(scan_index: MentionIndex) -> None:
    with pytest.raises(DocumentError):
        scan_document(b"<Document><FIToFICstmrCdtTrf>", scan_index, fmt="pacs008")
    with pytest.raises(DocumentError):
        scan_document(b"no fields here", scan_index, fmt="mt")


def test_a_field_of_everyday_words_does_not_match_a_listed_name_sharing_one() -> None:
    """ "TRUCK PARTS" in a beneficiary field is not the SDN's HD PARTS OY (a plural of an
    everyday word is everyday too), while the company's own name still is found."""
    from sanctions.model import Entity, Name, NameKind, Schema

    listed = Entity("us_ofac_sdn-47199", "us_ofac_sdn", "47199", Schema.ORGANIZATION)
    listed.names.append(Name("HD PARTS OY", NameKind.PRIMARY))
    index = MentionIndex.build([listed])

    def beneficiary(name: str) -> list[str]:
        text = (
            "{1:F01BANKBEBBAXXX0000000000}{2:I103BANKDEFFXXXXN}{4:\n:20:REF123\n:23B:CRED\n"
            f":32A:230101EUR1000,00\n:50K:/12345\nJOHN SMITH\n:59:/67890\n{name}\n:71A:SHA\n-}}\n"
        )
        return [m.entity.id for m in scan_payment(parse_mt(text), index)]

    assert beneficiary("TRUCK PARTS") == []
    assert beneficiary("HD PARTS OY") == ["us_ofac_sdn-47199"]
