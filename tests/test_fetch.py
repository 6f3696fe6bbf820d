"""Downloads (through a mocked transport: no network in tests) and finding lists in a folder."""

from __future__ import annotations

import hashlib
from pathlib import Path

import httpx
import pytest

from sanctions.errors import FetchError
from sanctions.fetch import download, fetch_source, locate, make_client


def _client(handler: httpx.MockTransport) -> httpx.Client:
    return make_client(timeout=5, transport=handler)


def test_download_writes_file_and_returns_sha256(tmp_path: Path) -> None:
    body = b'35096,"PUTIN, Vladimir Vladimirovich","individual"\n'
    seen: list[int] = []
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    got = download(
        "https://example.test/sdn.csv",
        tmp_path / "sdn.csv",
        client=_client(transport),
        progress=lambda url, done, total: seen.append(done),
    )
    assert (tmp_path / "sdn.csv").read_bytes() == body
    assert got.sha256 == hashlib.sha256(body).hexdigest()
    assert got.size == len(body)
    assert seen[-1] == len(body)


def test_download_retries_then_succeeds(tmp_path: Path) -> None:
    calls = {"n": 0}

    def handler(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        return httpx.Response(503) if calls["n"] < 2 else httpx.Response(200, content=b"ok")

    download("https://example.test/x", tmp_path / "x", client=_client(httpx.MockTransport(handler)))
    assert calls["n"] == 2


def test_failed_download_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "sdn.csv"
    target.write_bytes(b"good old data")
    transport = httpx.MockTransport(lambda request: httpx.Response(500))
    with pytest.raises(FetchError, match="after 2 attempts"):
        download("https://example.test/sdn.csv", target, client=_client(transport), retries=2)
    assert target.read_bytes() == b"good old data"
    assert not (tmp_path / "sdn.csv.part").exists()


def test_empty_response_is_an_error(tmp_path: Path) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=b""))
    with pytest.raises(FetchError, match="empty"):
        download("https://example.test/x", tmp_path / "x", client=_client(transport), retries=1)


def test_fetch_source_gets_every_ofac_file(tmp_path: Path) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=request.url.path.encode()))
    located, files = fetch_source("us_ofac_sdn", tmp_path / "sdn", client=_client(transport))
    assert [f.size for f in files] == [len(f.url.split(".gov", 1)[1]) for f in files]
    assert located.path == tmp_path / "sdn"
    assert sorted(p.name for p in located.path.iterdir()) == [
        "add.csv",
        "alt.csv",
        "sdn.csv",
        "sdn_comments.csv",
    ]


def test_locate_recognises_publisher_file_names(tmp_path: Path) -> None:
    (tmp_path / "sdn.csv").write_text("x")
    (tmp_path / "alt.csv").write_text("x")
    (tmp_path / "ConList.xlsx").write_bytes(b"x")
    (tmp_path / "un_sc_sanctions").mkdir()
    (tmp_path / "un_sc_sanctions" / "list.xml").write_text("x")
    found = {x.source: x.path for x in locate(tmp_path)}
    assert found == {
        "us_ofac_sdn": tmp_path,
        "gb_hmt_sanctions": tmp_path / "ConList.xlsx",
        "un_sc_sanctions": tmp_path / "un_sc_sanctions",
    }
