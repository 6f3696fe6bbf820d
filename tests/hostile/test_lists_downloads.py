"""Hostile downloads (issue 16.5): HTTPS only, no downgrade on redirect, size cap, deadline,
the publisher's checksum, sha256 and size kept beside the version.

The publisher is played by httpx's transport hook (no network in tests); the client, its
redirect handling and our checks are the real ones.
"""

from __future__ import annotations

import base64
import hashlib
import time
from pathlib import Path

import httpx
import pytest

from sanctions.errors import FetchError
from sanctions.fetch import DownloadLimits, download, make_client

BODY = b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'


def _client(handler: httpx.MockTransport) -> httpx.Client:
    return make_client(timeout=5, transport=handler)


def test_plain_http_url_is_refused(tmp_path: Path) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=BODY))
    with pytest.raises(FetchError, match="only HTTPS"):
        download(
            "http://www.treasury.gov/ofac/downloads/sdn.csv", tmp_path / "sdn.csv", client=_client(transport)
        )
    assert not (tmp_path / "sdn.csv").exists()


def test_redirect_to_http_is_not_followed(tmp_path: Path) -> None:
    asked: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        if request.url.scheme == "https":
            return httpx.Response(302, headers={"location": "http://mirror.example/sdn.csv"})
        return httpx.Response(200, content=BODY)

    with pytest.raises(FetchError, match="no downgrade"):
        download(
            "https://www.treasury.gov/ofac/downloads/sdn.csv",
            tmp_path / "sdn.csv",
            client=_client(httpx.MockTransport(handler)),
        )
    assert asked == ["https://www.treasury.gov/ofac/downloads/sdn.csv"]  # the http URL was never requested
    assert not (tmp_path / "sdn.csv").exists()


def test_announced_size_over_the_cap_is_refused_before_reading(tmp_path: Path) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=BODY * 100))
    with pytest.raises(FetchError, match="cap"):
        download(
            "https://example.test/sdn.csv",
            tmp_path / "sdn.csv",
            client=_client(transport),
            limits=DownloadLimits(max_bytes=1000),
        )


def test_streamed_body_over_the_cap_is_stopped(tmp_path: Path) -> None:
    def chunks():  # no Content-Length: the cap is enforced while streaming
        for _ in range(100):
            yield BODY

    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=chunks()))
    with pytest.raises(FetchError, match="cap"):
        download(
            "https://example.test/sdn.csv",
            tmp_path / "sdn.csv",
            client=_client(transport),
            limits=DownloadLimits(max_bytes=1000),
        )
    assert not list(tmp_path.iterdir())  # no partial file left


def test_overall_deadline_stops_a_slow_server(tmp_path: Path) -> None:
    def slow():
        for _ in range(50):
            time.sleep(0.05)
            yield BODY

    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=slow()))
    with pytest.raises(FetchError, match="within"):
        download(
            "https://example.test/sdn.csv",
            tmp_path / "sdn.csv",
            client=_client(transport),
            limits=DownloadLimits(deadline_seconds=0.2),
        )


def test_publisher_checksum_mismatch_is_refused(tmp_path: Path) -> None:
    wrong = base64.b64encode(hashlib.md5(b"another file").digest()).decode()
    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, content=BODY, headers={"content-md5": wrong})
    )
    with pytest.raises(FetchError, match="checksum"):
        download("https://example.test/ConList.csv", tmp_path / "ConList.csv", client=_client(transport))
    assert not (tmp_path / "ConList.csv").exists()


def test_publisher_checksum_match_sha256_size_and_last_modified_are_recorded(tmp_path: Path) -> None:
    right = base64.b64encode(hashlib.md5(BODY).digest()).decode()
    headers = {"content-md5": right, "last-modified": "Fri, 03 May 2024 14:02:11 GMT"}
    transport = httpx.MockTransport(lambda request: httpx.Response(200, content=BODY, headers=headers))
    got = download("https://example.test/sdn.csv", tmp_path / "sdn.csv", client=_client(transport))
    assert (got.sha256, got.size, got.last_modified) == (
        hashlib.sha256(BODY).hexdigest(),
        len(BODY),
        "2024-05-03",
    )
