"""Download the lists from the publishers' official URLs, or find them in a local folder."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import httpx

from sanctions.errors import FetchError
from sanctions.sources import SOURCES

# File names the publishers use, to recognise a list in a folder (`sanctions update --from DIR`).
KNOWN_FILES: dict[str, tuple[str, ...]] = {
    "us_ofac_sdn": ("sdn.csv", "SDN.XML", "sdn.xml", "SDN_ADVANCED.XML", "sdn_advanced.xml"),
    "us_ofac_cons": ("cons_prim.csv", "CONSOLIDATED.XML", "consolidated_advanced.xml", "CONS_ADVANCED.XML"),
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


def download(
    url: str,
    target: Path,
    *,
    client: httpx.Client,
    retries: int = 3,
    progress: ProgressHook | None = None,
) -> str:
    """Stream ``url`` to ``target`` with retries; returns the sha256 of what was written.

    The file is written to ``target.part`` first and renamed only when complete, so an
    interrupted download never leaves a half file where a good one was.
    """
    partial = target.with_name(target.name + ".part")
    last_error: Exception | None = None
    for attempt in range(1, retries + 1):
        try:
            digest = hashlib.sha256()
            with client.stream("GET", url) as response:
                response.raise_for_status()
                total = (
                    int(response.headers["content-length"]) if "content-length" in response.headers else None
                )
                done = 0
                with partial.open("wb") as fh:
                    for chunk in response.iter_bytes(1 << 16):
                        fh.write(chunk)
                        digest.update(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(url, done, total)
            if done == 0:
                raise FetchError(f"{url}: the publisher sent an empty file")
            partial.replace(target)
            return digest.hexdigest()
        except (httpx.HTTPError, OSError, FetchError) as exc:
            last_error = exc
            if attempt < retries:
                time.sleep(min(2**attempt, 10) * 0.5)
    partial.unlink(missing_ok=True)
    raise FetchError(f"could not download {url} after {retries} attempts: {last_error}")


def fetch_source(
    source: str,
    folder: Path,
    *,
    client: httpx.Client,
    progress: ProgressHook | None = None,
) -> Located:
    """Download every official file of one source into ``folder`` and say where its parser should look."""
    spec = SOURCES[source]
    if not spec.urls:
        raise FetchError(f"{source} has no official download URL")
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for url in spec.urls:
        name = (
            KNOWN_FILES.get(source, (url.rsplit("/", 1)[-1],))[0]
            if len(spec.urls) == 1
            else url.rsplit("/", 1)[-1]
        )
        target = folder / name
        download(url, target, client=client, progress=progress)
        paths.append(target)
    return Located(source, folder if len(paths) > 1 else paths[0])


def make_client(timeout: float = 60.0, transport: httpx.BaseTransport | None = None) -> httpx.Client:
    """An HTTP client with sane timeouts that follows redirects (publishers use them)."""
    return httpx.Client(
        timeout=httpx.Timeout(timeout, connect=15.0),
        follow_redirects=True,
        headers={"User-Agent": "sanctions-screening/0.1 (+list update)"},
        transport=transport,
    )
