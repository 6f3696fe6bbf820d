"""Item 1 of the hostile-input issue: every container is read under limits, never inflated whole."""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sanctions.containers import TEMP_PREFIX, ContainerLimits, sweep_stale_temp, temp_folder
from sanctions.errors import LimitExceededError, SourceFormatError
from sanctions.ingest import LoadRequest, load
from sanctions.scan import DocumentError
from sanctions.scan.extract import ExtractLimits, extract_text
from sanctions.scan.isolate import extract_isolated
from sanctions.settings import Settings
from sanctions.store import open_store
from tests.hostile.bombs import (
    docx_paragraphs,
    entity_bomb_docx,
    gz_bomb,
    pdf_flate_bomb,
    pdf_pages,
    zip_bomb_docx,
)


def test_docx_zip_bomb_is_refused_by_ratio_before_inflating() -> None:
    bomb = zip_bomb_docx(100)  # inflates to 100 MB
    assert len(bomb) < 1_000_000
    with pytest.raises(LimitExceededError) as caught:
        extract_text(bomb, "bomb.docx")
    assert caught.value.limit == "max_compression_ratio"


def test_docx_bomb_with_ratio_allowed_still_stops_at_the_size_limit() -> None:
    limits = ExtractLimits(
        container=ContainerLimits(
            max_compression_ratio=1e9, max_uncompressed_bytes=10_000_000, max_xml_bytes=10_000_000
        ),
        max_scan_chars=10**9,
    )
    with pytest.raises(LimitExceededError) as caught:
        extract_text(zip_bomb_docx(30), "bomb.docx", limits=limits)
    assert caught.value.limit in ("max_uncompressed_bytes", "max_xml_bytes")


def test_docx_with_too_many_members() -> None:
    extra = {f"word/media/{i}.bin": b"x" for i in range(30)}
    from tests.hostile.bombs import docx_bytes

    limits = ExtractLimits(container=ContainerLimits(max_archive_members=20))
    with pytest.raises(LimitExceededError, match="max_archive_members"):
        extract_text(docx_bytes("<a/>", extra), "many.docx", limits=limits)


def test_docx_too_deep_xml_names_the_limit() -> None:
    from tests.hostile.bombs import docx_bytes

    deep = "<a>" * 300 + "</a>" * 300
    with pytest.raises(LimitExceededError, match="max_xml_depth"):
        extract_text(docx_bytes(deep), "deep.docx")


def test_entity_bomb_docx_is_a_clean_document_error() -> None:
    with pytest.raises(DocumentError, match="entity|XML"):
        extract_text(entity_bomb_docx(), "laughs.docx")


def test_malformed_docx_xml_is_a_clean_document_error() -> None:
    from tests.hostile.bombs import docx_bytes

    with pytest.raises(DocumentError, match="malformed XML"):
        extract_text(docx_bytes("<w:document><unclosed>"), "broken.docx")


def test_good_docx_still_reads_in_document_order() -> None:
    assert extract_text(
        docx_paragraphs("Meeting notes", "Sergei Sobyanin met the press."), "ok.docx"
    ).text == ("Meeting notes\nSergei Sobyanin met the press.")


def test_pdf_page_limit_reads_the_declared_count() -> None:
    with pytest.raises(LimitExceededError, match="20,000 pages") as caught:
        extract_text(pdf_pages(20_000, "x"), "long.pdf")
    assert caught.value.limit == "max_pdf_pages"


def test_pdf_decompression_limit_becomes_our_error() -> None:
    limits = ExtractLimits(container=ContainerLimits(max_uncompressed_bytes=5_000_000))
    with pytest.raises(LimitExceededError, match="pypdf refused"):
        extract_text(pdf_flate_bomb(20), "flate.pdf", limits=limits)


def test_isolated_extraction_is_killed_at_its_time_limit() -> None:
    slow = b"<html>" + b"<div>" * 400_000 + b"hidden"
    with pytest.raises(LimitExceededError) as caught:
        extract_isolated(slow, "slow.html", None, ExtractLimits(max_extract_seconds=0.2))
    assert caught.value.limit == "max_extract_seconds"


def test_isolated_extraction_cannot_take_more_memory_than_its_limit() -> None:
    limits = ExtractLimits(
        container=ContainerLimits(
            max_compression_ratio=1e9, max_xml_bytes=10**10, max_uncompressed_bytes=10**10
        ),
        max_scan_chars=10**10,
        max_extract_memory_bytes=400_000_000,
    )
    with pytest.raises(LimitExceededError) as caught:
        extract_isolated(zip_bomb_docx(600, run=60_000), "bomb.docx", None, limits)
    assert caught.value.limit == "max_extract_memory_bytes"


def test_isolated_extraction_reads_a_good_document() -> None:
    extracted = extract_isolated(docx_paragraphs("Sergei Sobyanin"), "ok.docx", None, ExtractLimits())
    assert extracted.text == "Sergei Sobyanin"


def test_gz_bomb_list_file_stops_at_the_limit_and_leaves_no_temp_file(tmp_path: Path) -> None:
    bomb = gz_bomb(tmp_path / "sdn.csv.gz", 50)
    before = set(Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}{__import__('os').getpid()}-*"))
    store = open_store(Settings.from_env(tmp_path / "data"))
    try:
        request = LoadRequest("us_ofac_sdn", bomb)
        with pytest.raises(LimitExceededError, match="max_compression_ratio"):
            load(store, request)
        small = LoadRequest(
            "us_ofac_sdn",
            bomb,
            limits=ContainerLimits(max_compression_ratio=1e9, max_uncompressed_bytes=5_000_000),
        )
        with pytest.raises(LimitExceededError, match="max_uncompressed_bytes"):
            load(store, small)
    finally:
        store.close()
    after = set(Path(tempfile.gettempdir()).glob(f"{TEMP_PREFIX}{__import__('os').getpid()}-*"))
    assert after == before


def test_stale_temp_folders_of_dead_processes_are_swept(tmp_path: Path) -> None:
    dead = tmp_path / f"{TEMP_PREFIX}999999999-abc"
    dead.mkdir()
    (dead / "big.csv").write_bytes(b"x" * 1000)
    with temp_folder() as mine:
        ours = tmp_path / f"{TEMP_PREFIX}{__import__('os').getpid()}-def"
        ours.mkdir()
        assert sweep_stale_temp(tmp_path) == 1
        assert not dead.exists() and ours.exists() and mine.exists()
    assert not mine.exists()


def _xlsx_bomb() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Type"])
    sheet.append(["x" * 32_000, "Individual"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                item = re.search(rb'<row r="2".*?</row>', data, re.S)
                assert item is not None
                head, tail = data.split(item.group(0), 1)
                with archive.open(info.filename, "w", force_zip64=True) as member:
                    member.write(head)
                    for _ in range(3_000):  # ~100 MB of one repeated 32,000-letter row
                        member.write(item.group(0))
                    member.write(tail)
            else:
                archive.writestr(info, data)
    return out.getvalue()


def test_xlsx_bomb_is_refused_before_openpyxl(tmp_path: Path) -> None:
    path = tmp_path / "regulation8_consolidated.xlsx"
    path.write_bytes(_xlsx_bomb())
    assert path.stat().st_size < 2_000_000
    store = open_store(Settings.from_env(tmp_path / "data"))
    try:
        with pytest.raises(LimitExceededError, match="max_compression_ratio"):
            load(store, LoadRequest("au_dfat_sanctions", path))
    finally:
        store.close()


def test_xlsx_without_dimension_tag_reads_quickly(tmp_path: Path) -> None:
    from sanctions.sources.xlsx import XlsxReader

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Type"])
    for i in range(2_000):
        sheet.append([f"name {i}", "Individual"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    path = tmp_path / "nodim.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                assert b"<dimension" in data
                data = re.sub(rb"<dimension[^>]*/>", b"", data)
            archive.writestr(info, data)
    with XlsxReader(path) as reader:
        rows = list(reader.rows(["Name", "Type"]))
    assert len(rows) == 2_000 and rows[-1][1]["Name"] == "name 1999"


def test_broken_gz_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "sdn.csv.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage")
    store = open_store(Settings.from_env(tmp_path / "data"))
    try:
        with pytest.raises(SourceFormatError, match="cannot decompress"):
            load(store, LoadRequest("us_ofac_sdn", path))
    finally:
        store.close()
