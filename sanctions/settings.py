"""Every SANCTIONS_* environment variable, typed, read in one place and only when asked."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from sanctions.model import VERDICTS

# Every hostile-input limit and what crossing it means (docs/security.md is generated from this).
LIMITS: dict[str, str] = {
    "max_body_bytes": "request body of JSON endpoints (413)",
    "max_upload_bytes": "a list file uploaded to POST /lists (413)",
    "max_document_bytes": "a document sent to /scan or /ui/scan (413)",
    "max_uncompressed_bytes": "all members of one ZIP, DOCX, XLSX or GZ together, and pypdf's stream limit",
    "max_compression_ratio": "inflated / compressed size of any member past 1 MB (a decompression bomb)",
    "max_archive_members": "files in one ZIP, DOCX or XLSX",
    "max_xml_depth": "element nesting of the XML inside a DOCX",
    "max_xml_bytes": "one XML part of a DOCX, inflated",
    "max_pdf_pages": "pages of a PDF (the declared count is read first)",
    "max_scan_chars": "characters of extracted text that are scanned",
    "max_word_chars": "a run without spaces longer than this is not scanned (warning)",
    "max_extract_seconds": "wall time of one document's text extraction (worker killed)",
    "max_extract_memory_bytes": "address space (RLIMIT_AS) of the extraction worker process",
    "max_request_seconds": "time budget of /scan, /ownership, /exposure, /match batches and book writes "
    "(503; cancelled on disconnect)",
    "max_job_seconds": "time budget of one background book run (then failed; resumable)",
    "book_sync_rows": "customers added or changed by one API or UI upsert that are screened within the "
    "request; more: 202 and a background run",
    "max_graph_results": "parties per /ownership page (X-Total-Count, Link: rel=next)",
    "max_field_chars": "a name (dropped) or other text (cut) from a list file, with a load warning",
}
_LIMIT_FIELDS = tuple(name for name in LIMITS if name != "max_body_bytes")


def _limits_from_env(env: Mapping[str, str]) -> dict[str, Any]:
    """The hostile-input limits set in the environment (SANCTIONS_MAX_...), typed like their field."""
    defaults = {f.name: f.default for f in fields(Settings)}
    chosen: dict[str, Any] = {}
    for name in _LIMIT_FIELDS:
        raw = env.get(f"SANCTIONS_{name.upper()}")
        if raw:
            chosen[name] = float(raw) if isinstance(defaults[name], float) else int(raw)
    return chosen


def limits_table(settings: Settings | None = None) -> str:
    """The Markdown table of every limit: setting, environment variable, value, meaning."""
    chosen = settings or Settings(data_dir=Path("."))
    rows = ["| Setting | Environment variable | Default | What it bounds |", "|---|---|---|---|"]
    for name, meaning in LIMITS.items():
        value = getattr(chosen, name)
        shown = f"{value:,}" if isinstance(value, int) else f"{value:g}"
        rows.append(f"| `{name}` | `SANCTIONS_{name.upper()}` | {shown} | {meaning} |")
    return "\n".join(rows) + "\n"


def _default_data_dir() -> Path:
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "sanctions"


def _interval(text: str) -> float:
    """``SANCTIONS_UPDATE_INTERVAL``: seconds, or with a unit (``30m``, ``6h``, ``1d``); empty: off."""
    text = text.strip().lower()
    if not text:
        return 0.0
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    if text[-1] in units:
        return float(text[:-1]) * units[text[-1]]
    return float(text)


def _verdicts(text: str) -> frozenset[str]:
    """``SANCTIONS_FOUR_EYES``: comma-separated verdicts that need a second user's approval."""
    chosen = frozenset(v.strip() for v in text.split(",") if v.strip())
    unknown = sorted(chosen - set(VERDICTS))
    if unknown:
        raise ValueError(
            f"SANCTIONS_FOUR_EYES: unknown verdict(s) {', '.join(unknown)}; use {', '.join(VERDICTS)}"
        )
    return chosen


def _path(text: str | None) -> Path | None:
    return Path(text).expanduser() if text else None


@dataclass(frozen=True, slots=True)
class Settings:
    """Runtime configuration. Build with :meth:`from_env`; pass it explicitly, never read globals."""

    data_dir: Path
    database_url: str | None = None  # default: sqlite file inside data_dir
    stale_days: int = 7  # a list older than this (by publisher's date) is stale
    keep_versions: int = 3  # old versions kept per dataset, for diff
    api_key: str | None = None  # required for state-changing API calls when set
    api_open_reads: bool = True  # reads without a key
    max_batch: int = 100  # queries per /match request
    max_body_bytes: int = 5_000_000
    rate_limit_per_minute: int = 6000
    reload_check_seconds: float = 30.0  # how often API workers look for new list versions
    max_drop_share: float = 0.10  # a new list version losing more of its entities is refused
    download_max_bytes: int = 300_000_000  # per downloaded file
    download_deadline_seconds: float = 900.0  # per downloaded file, all retries included
    update_interval_seconds: float = 0.0  # `serve` checks the publishers this often; 0: never
    public_base_url: str | None = None  # the API's public address, for the reconciliation manifest
    # Hostile-input limits (docs/security.md lists them, generated from these fields).
    max_upload_bytes: int = 300_000_000  # a list file uploaded to POST /lists (the SDN XML fits)
    max_document_bytes: int = 50_000_000  # a document to scan (file, upload or body)
    max_uncompressed_bytes: int = 1_000_000_000  # all members of one ZIP/DOCX/XLSX/GZ together
    max_compression_ratio: float = 200.0  # uncompressed / compressed, for any member over 1 MB
    max_archive_members: int = 10_000  # files in one ZIP/DOCX/XLSX
    max_xml_depth: int = 256  # element nesting in XML inside a container (DOCX parts)
    max_xml_bytes: int = 200_000_000  # one XML part of a DOCX, uncompressed
    max_pdf_pages: int = 2_000
    max_scan_chars: int = 20_000_000  # characters of extracted text that are scanned
    max_word_chars: int = 200  # a longer run without spaces is not read as a name when scanning
    max_extract_seconds: float = 60.0  # wall time of one document's text extraction
    max_extract_memory_bytes: int = 1_000_000_000  # address space of the extraction worker process
    max_request_seconds: float = 120.0  # /scan, /ownership, /exposure: then the request is cancelled
    max_job_seconds: float = 3600.0  # a background book run (import or re-screen): then it fails
    book_sync_rows: int = 100  # an API/UI upsert screening more changed customers answers 202
    max_graph_results: int = 2_000  # ownership decisions or exposure paths in one answer
    max_field_chars: int = 10_000  # a name or other field from a list file; longer ones are cut
    # Cases and audit (docs/cases.md).
    four_eyes: frozenset[str] = frozenset({"false_positive", "true_match"})  # verdicts needing a checker
    review_days: int = 0  # an approved decision is re-reviewed after this many days; 0: never
    audit_retention_days: int = 3653  # audit events older than this may be purged (10 years)
    audit_key_path: Path | None = None  # Ed25519 signing key (PEM); default data_dir/audit/signing-key.pem
    audit_checkpoint_dir: Path | None = None  # signed checkpoints; default data_dir/audit/checkpoints
    audit_checkpoint_url: str | None = None  # also POST each checkpoint here
    user: str | None = None  # the CLI's acting user on a local store (SANCTIONS_USER)
    session_hours: float = 12.0  # UI session lifetime
    max_failed_logins: int = 5  # wrong passwords in a row that lock a UI account (0: never)
    lockout_minutes: float = 15.0  # how long a locked account refuses logins
    secure_cookies: bool = True  # the session cookie is sent over HTTPS only (0 for plain-HTTP dev)

    @classmethod
    def from_env(cls, data_dir: Path | str | None = None) -> Settings:
        """Settings from SANCTIONS_* variables; an explicit ``data_dir`` wins over the environment."""
        env = os.environ
        chosen = Path(data_dir) if data_dir else Path(env.get("SANCTIONS_DATA_DIR") or _default_data_dir())
        return cls(
            data_dir=chosen.expanduser(),
            database_url=env.get("SANCTIONS_DATABASE_URL") or None,
            stale_days=int(env.get("SANCTIONS_STALE_DAYS", "7")),
            keep_versions=int(env.get("SANCTIONS_KEEP_VERSIONS", "3")),
            api_key=env.get("SANCTIONS_API_KEY") or None,
            api_open_reads=env.get("SANCTIONS_API_OPEN_READS", "1") not in ("0", "false", "no"),
            max_batch=int(env.get("SANCTIONS_MAX_BATCH", "100")),
            max_body_bytes=int(env.get("SANCTIONS_MAX_BODY_BYTES", "5000000")),
            rate_limit_per_minute=int(env.get("SANCTIONS_RATE_LIMIT_PER_MINUTE", "6000")),
            reload_check_seconds=float(env.get("SANCTIONS_RELOAD_CHECK_SECONDS", "30")),
            max_drop_share=float(env.get("SANCTIONS_MAX_DROP_SHARE", "0.10")),
            download_max_bytes=int(env.get("SANCTIONS_DOWNLOAD_MAX_BYTES", "300000000")),
            download_deadline_seconds=float(env.get("SANCTIONS_DOWNLOAD_DEADLINE_SECONDS", "900")),
            update_interval_seconds=_interval(env.get("SANCTIONS_UPDATE_INTERVAL", "")),
            public_base_url=env.get("SANCTIONS_PUBLIC_BASE_URL") or None,
            four_eyes=_verdicts(env.get("SANCTIONS_FOUR_EYES", "false_positive,true_match")),
            review_days=int(env.get("SANCTIONS_REVIEW_DAYS", "0")),
            audit_retention_days=int(env.get("SANCTIONS_AUDIT_RETENTION_DAYS", "3653")),
            audit_key_path=_path(env.get("SANCTIONS_AUDIT_KEY")),
            audit_checkpoint_dir=_path(env.get("SANCTIONS_AUDIT_CHECKPOINT_DIR")),
            audit_checkpoint_url=env.get("SANCTIONS_AUDIT_CHECKPOINT_URL") or None,
            user=env.get("SANCTIONS_USER") or None,
            session_hours=float(env.get("SANCTIONS_SESSION_HOURS", "12")),
            max_failed_logins=int(env.get("SANCTIONS_MAX_FAILED_LOGINS", "5")),
            lockout_minutes=float(env.get("SANCTIONS_LOCKOUT_MINUTES", "15")),
            secure_cookies=env.get("SANCTIONS_SECURE_COOKIES", "1") not in ("0", "false", "no"),
            **_limits_from_env(env),
        )

    @property
    def audit_dir(self) -> Path:
        """Where the audit signing key and checkpoints live unless set one by one."""
        return self.data_dir / "audit"

    @property
    def checkpoint_dir(self) -> Path:
        """The folder of signed audit checkpoints."""
        return self.audit_checkpoint_dir or self.audit_dir / "checkpoints"

    @property
    def signing_key_path(self) -> Path:
        """The Ed25519 private key that signs audit checkpoints."""
        return self.audit_key_path or self.audit_dir / "signing-key.pem"

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the store."""
        return self.database_url or f"sqlite:///{self.data_dir / 'sanctions.db'}"
