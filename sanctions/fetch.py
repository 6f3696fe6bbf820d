"""Download the lists from the publishers' official URLs, or find them in a local folder."""

from __future__ import annotations

import base64
import binascii
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from email.utils import parsedate_to_datetime
from pathlib import Path

import httpx

from sanctions.errors import FetchError
from sanctions.sources import SOURCES

# File names the publishers use, to recognise a list in a folder (`sanctions update --from DIR`).
KNOWN_FILES: dict[str, tuple[str, ...]] = {
    "us_ofac_sdn": ("sdn.csv", "SDN.XML", "sdn.xml", "SDN_ADVANCED.XML", "sdn_advanced.xml"),
    "us_ofac_cons": ("cons_prim.csv", "CONSOLIDATED.XML", "consolidated_advanced.xml", "CONS_ADVANCED.XML"),
    "us_trade_csl": ("consolidated.csv", "consolidated.json", "csl.csv"),
    "un_sc_sanctions": ("consolidated.xml", "consolidatedLegacyByPRN.xml", "un_consolidated.xml"),
    "eu_fsf": ("xmlFullSanctionsList_1_1.xml", "eu_fsf.xml", "csvFullSanctionsList_1_1.csv", "eu_fsf.csv"),
    "gb_fcdo_sanctions": ("UK-Sanctions-List.xml", "UK_Sanctions_List.xml", "UK-Sanctions-List.csv"),
    "gb_hmt_sanctions": ("ConList.csv", "ConList.xlsx", "ConList.xml"),
    "au_dfat_sanctions": ("regulation8_consolidated.xlsx",),
}
# OFAC's CSV sets are folders: the primary file and its companions are read together.
_FOLDER_SOURCES = {"us_ofac_sdn": "sdn.csv", "us_ofac_cons": "cons_prim.csv"}

ProgressHook = Callable[[str, int, int | None], None]  # (url, bytes so far, total or None)


@dataclass(frozen=True, slots=True)
class Located:
    """A list found on disk: the source and the path to hand to its parser."""

    source: str
    path: Path


def locate(folder: Path) -> list[Located]:
    """Find the lists in a folder: subfolders named after a source, or the publishers' file names."""
    if not folder.is_dir():
        raise FetchError(f"{folder} is not a folder")
    found: dict[str, Path] = {}
    for source in SOURCES:
        sub = folder / source
        if sub.is_dir() and any(sub.iterdir()):
            found[source] = sub
    for source, names in KNOWN_FILES.items():
        if source in found:
            continue
        for name in names:
            candidates = [p for p in (folder / name, folder / f"{name}.gz") if p.exists()]
            if candidates:
                # OFAC CSV companions (alt.csv, add.csv, ...) sit beside the primary: pass the folder.
                found[source] = folder if _FOLDER_SOURCES.get(source) == name else candidates[0]
                break
    return [Located(s, p) for s, p in found.items()]


@dataclass(frozen=True, slots=True)
class Downloaded:
    """One downloaded file: where, its sha256 and size, and the server's Last-Modified date."""

    url: str
    path: Path
    sha256: str
    size: int
    last_modified: str | None  # ISO date, when the server sent the header


@dataclass(frozen=True, slots=True)
class DownloadLimits:
    """Per-file limits of a download (from Settings)."""

    max_bytes: int = 300_000_000
    deadline_seconds: float = 900.0  # the whole download of one file, retries included


def _last_modified(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).astimezone(UTC).date().isoformat()
    except (TypeError, ValueError, IndexError):
        return None


def _publisher_md5(response: httpx.Response) -> str | None:
    """The MD5 the server states for the body (``Content-MD5``, base64), as hex; None if none."""
    value = response.headers.get("content-md5")
    if not value:
        return None
    try:
        return base64.b64decode(value, validate=True).hex()
    except (binascii.Error, ValueError):
        return None


def require_https(request: httpx.Request) -> None:
    """Event hook: every request, redirects included, goes over HTTPS (no downgrade)."""
    if request.url.scheme != "https":
        raise FetchError(f"refused to fetch {request.url}: only HTTPS downloads are allowed (no downgrade)")


def download(
    url: str,
    target: Path,
    *,
    client: httpx.Client,
    retries: int = 3,
    progress: ProgressHook | None = None,
    limits: DownloadLimits | None = None,
) -> Downloaded:
    """Stream ``url`` to ``target`` with retries, within a size cap and an overall deadline.

    The file is written to ``target.part`` first and renamed only when complete, so an
    interrupted download never leaves a half file where a good one was. A body whose
    length or MD5 differs from what the server stated is refused.
    """
    limits = limits or DownloadLimits()
    if not url.startswith("https://"):
        raise FetchError(f"refused to fetch {url}: only HTTPS downloads are allowed")
    partial = target.with_name(target.name + ".part")
    deadline = time.monotonic() + limits.deadline_seconds
    last_error: Exception | None = None
    for attempt in range(1, retries + 1):
        try:
            return _attempt(url, target, partial, client, progress, limits, deadline)
        except _Fatal as exc:
            partial.unlink(missing_ok=True)
            raise FetchError(str(exc)) from None
        except (httpx.HTTPError, OSError, FetchError) as exc:
            last_error = exc
            if attempt < retries and time.monotonic() < deadline:
                time.sleep(min(min(2**attempt, 10) * 0.5, max(deadline - time.monotonic(), 0)))
    partial.unlink(missing_ok=True)
    raise FetchError(f"could not download {url} after {retries} attempts: {last_error}")


class _Fatal(Exception):
    """A download problem that retrying cannot fix (limit exceeded, downgrade, bad checksum)."""


def _attempt(
    url: str,
    target: Path,
    partial: Path,
    client: httpx.Client,
    progress: ProgressHook | None,
    limits: DownloadLimits,
    deadline: float,
) -> Downloaded:
    digest = hashlib.sha256()
    md5 = hashlib.md5(usedforsecurity=False)
    try:
        with client.stream("GET", url) as response:
            response.raise_for_status()
            total = int(response.headers["content-length"]) if "content-length" in response.headers else None
            if total is not None and total > limits.max_bytes:
                raise _Fatal(f"{url}: {total:,} bytes announced, over the {limits.max_bytes:,}-byte cap")
            done = 0
            with partial.open("wb") as fh:
                for chunk in response.iter_bytes(1 << 16):
                    done += len(chunk)
                    if done > limits.max_bytes:
                        raise _Fatal(f"{url}: more than the {limits.max_bytes:,}-byte cap; download stopped")
                    if time.monotonic() > deadline:
                        raise _Fatal(f"{url}: not finished within {limits.deadline_seconds:g} s; stopped")
                    fh.write(chunk)
                    digest.update(chunk)
                    md5.update(chunk)
                    if progress is not None:
                        progress(url, done, total)
            stated = _publisher_md5(response)
            modified = _last_modified(response.headers.get("last-modified"))
    except FetchError as exc:  # raised by require_https on a redirect
        raise _Fatal(str(exc)) from None
    if done == 0:
        raise FetchError(f"{url}: the publisher sent an empty file")
    if total is not None and done != total:
        raise FetchError(f"{url}: {done:,} bytes received where {total:,} were announced")
    if stated is not None and stated != md5.hexdigest():
        raise _Fatal(f"{url}: the content does not match the publisher's checksum (Content-MD5)")
    partial.replace(target)
    return Downloaded(url, target, digest.hexdigest(), done, modified)


def fetch_source(
    source: str,
    folder: Path,
    *,
    client: httpx.Client,
    progress: ProgressHook | None = None,
    limits: DownloadLimits | None = None,
) -> tuple[Located, list[Downloaded]]:
    """Download every official file of one source into ``folder``: where its parser should
    look, and each file's sha256, size and Last-Modified."""
    spec = SOURCES[source]
    if not spec.urls:
        raise FetchError(f"{source} has no official download URL")
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for url in spec.urls:
        name = (
            KNOWN_FILES.get(source, (url.rsplit("/", 1)[-1],))[0]
            if len(spec.urls) == 1
            else url.rsplit("/", 1)[-1]
        )
        files.append(download(url, folder / name, client=client, progress=progress, limits=limits))
    return Located(source, folder if len(files) > 1 else files[0].path), files


def make_client(timeout: float = 60.0, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """An HTTP client with sane timeouts that follows redirects (publishers use them), over
    HTTPS only: a redirect to ``http://`` is refused before it is requested."""
    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=15.0),
        follow_redirects=True,
        max_redirects=5,
        headers={"User-Agent": "sanctions-screening/0.1 (+list update)"},
        transport=transport,
        event_hooks={"request": [require_https]},
    )
