"""Signed checkpoints of the chain's head, written outside the database.

A checkpoint is ``{"seq", "hash", "at", "key_id", "signature"}``: the Ed25519 signature covers
the canonical JSON of ``seq``, ``hash`` and ``at``. They are written as files (one per
checkpoint) and optionally POSTed to a webhook. Someone who rewrites the whole chain, or cuts
its tail, cannot make the chain agree with checkpoints signed before, nor sign new ones without
the private key, which should live apart from the database (``SANCTIONS_AUDIT_KEY``).
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.engine import Engine

from sanctions.audit.chain import head, now
from sanctions.audit.verify import Verification, verify_chain
from sanctions.errors import InvalidInputError, SanctionsError


def _signed_bytes(seq: int, digest: str, at: str) -> bytes:
    return orjson.dumps({"at": at, "hash": digest, "seq": seq}, option=orjson.OPT_SORT_KEYS)


def key_id(public: Ed25519PublicKey) -> str:
    """A short name of a public key: the first 16 hex digits of SHA-256 of its raw bytes."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The signing key at ``path``; a new one (mode 0600) when there is none, with its public
    half beside it as ``<name>.pub``."""
    if path.exists():
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise SanctionsError(f"{path} is not an Ed25519 private key")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
    public_path(path).write_bytes(
        key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return key


def public_path(key_path: Path) -> Path:
    """Where the public half of a signing key is written."""
    return key_path.with_name(key_path.stem + ".pub")


def load_public_key(path: Path) -> Ed25519PublicKey:
    """An Ed25519 public key from a PEM file."""
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise InvalidInputError(f"{path}: not a readable PEM public key ({exc})") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise InvalidInputError(f"{path} is not an Ed25519 public key")
    return key


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A signed statement: at ``at`` the chain's event ``seq`` had hash ``hash``."""

    seq: int
    hash: str
    at: str
    key_id: str
    signature: str  # base64

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "hash": self.hash,
            "at": self.at,
            "key_id": self.key_id,
            "signature": self.signature,
        }


def sign_checkpoint(engine: Engine, key: Ed25519PrivateKey) -> Checkpoint:
    """A checkpoint of the chain's current head."""
    with engine.connect() as conn:
        seq, digest = head(conn)
    at = now()
    signature = base64.b64encode(key.sign(_signed_bytes(seq, digest, at))).decode()
    return Checkpoint(seq, digest, at, key_id(key.public_key()), signature)


def write_checkpoint(folder: Path, checkpoint: Checkpoint) -> Path:
    """Write a checkpoint as ``<seq>-<time>.json`` in ``folder`` (never overwriting one)."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = checkpoint.at.replace(":", "").replace("-", "").replace(".", "")
    path = folder / f"{checkpoint.seq:012d}-{stamp}.json"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    with os.fdopen(fd, "wb") as out:
        out.write(
            orjson.dumps(checkpoint.to_dict(), option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS) + b"\n"
        )
    return path


def read_checkpoints(folder: Path) -> list[Checkpoint]:
    """Every checkpoint file in ``folder``, in sequence order; a malformed one is an error."""
    if not folder.is_dir():
        raise InvalidInputError(f"{folder}: no such checkpoint folder")
    out = []
    for path in sorted(folder.glob("*.json")):
        try:
            data = orjson.loads(path.read_bytes())
            out.append(
                Checkpoint(
                    int(data["seq"]),
                    str(data["hash"]),
                    str(data["at"]),
                    str(data["key_id"]),
                    str(data["signature"]),
                )
            )
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
            raise InvalidInputError(f"{path}: not a checkpoint ({exc})") from exc
    return sorted(out, key=lambda c: (c.seq, c.at))


def verify(engine: Engine, checkpoints: list[Checkpoint], public: Ed25519PublicKey | None) -> Verification:
    """The chain recomputed, and held against every checkpoint (signature, then hash at its seq)."""
    result, found = verify_chain(engine, {c.seq for c in checkpoints})
    for cp in checkpoints:
        result.checkpoints += 1
        if public is not None:
            try:
                public.verify(base64.b64decode(cp.signature), _signed_bytes(cp.seq, cp.hash, cp.at))
            except (InvalidSignature, ValueError):
                result.problem(
                    f"checkpoint {cp.seq} at {cp.at}: the signature does not verify (forged or other key)"
                )
                continue
        if cp.seq == 0:
            continue
        if cp.seq > result.head_seq:
            result.problem(
                f"checkpoint {cp.seq} at {cp.at}: the chain ends at {result.head_seq} (its tail was cut)"
            )
        elif cp.seq < result.first_seq:
            continue  # purged under the retention rule; the purge anchor is checked by the walk
        elif found.get(cp.seq) != cp.hash:
            result.problem(
                f"checkpoint {cp.seq} at {cp.at}: the chain's hash there differs (history rewritten)"
            )
    return result
