"""Document text extraction in a separate, resource-limited worker process.

Parsing a hostile PDF or DOCX is where one request could take a server's memory or CPU.
Here the parse runs in a child process with an address-space limit (``RLIMIT_AS``) and a
CPU-time limit; the parent waits at most ``max_extract_seconds``, stops early when the
current :mod:`~sanctions.budget` is cancelled (the client went away), and kills the child
in every case where it has not finished. The child is started from a fork server, never
forked from a threaded server process.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import resource
import time
from typing import Any

from sanctions import budget
from sanctions.errors import LimitExceededError, SanctionsError
from sanctions.scan.extract import DocumentError, Extracted, ExtractLimits, extract_text

_POLL_SECONDS = 0.05
_MEMORY = ("max_extract_memory_bytes", "extracting the text needs more memory than allowed")


def _near_memory_limit(limit: int) -> bool:
    """True when this process's peak address space came within 10 % of ``limit`` (Linux)."""
    try:
        status = open("/proc/self/status", encoding="ascii").read()  # noqa: SIM115 - tiny, read once
    except OSError:
        return False
    for line in status.splitlines():
        if line.startswith("VmPeak:"):
            return int(line.split()[1]) * 1024 >= 0.9 * limit
    return False


def _child(conn: multiprocessing.connection.Connection, data: bytes, source: str, fmt: str | None,
           limits: ExtractLimits) -> None:  # fmt: skip
    memory = limits.max_extract_memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(limits.max_extract_seconds) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    reply: tuple[str, Any]
    try:
        reply = ("ok", extract_text(data, source, fmt, limits))
    except LimitExceededError as exc:
        reply = ("limit", (exc.limit, exc.message))
    except DocumentError as exc:
        # A C library (libxml2) that runs out of memory reports a parse error, not MemoryError.
        reply = ("limit", _MEMORY) if _near_memory_limit(memory) else ("document", exc.message)
    except MemoryError:
        reply = ("limit", _MEMORY)
    except SanctionsError as exc:
        reply = ("document", str(exc))
    try:
        conn.send(reply)
    except MemoryError:
        conn.send(
            ("limit", ("max_extract_memory_bytes", "the extracted text needs more memory than allowed"))
        )
    finally:
        conn.close()


def _context() -> Any:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["sanctions.scan.extract", "sanctions.scan.isolate"])
    return context


def extract_isolated(data: bytes, source: str, fmt: str | None, limits: ExtractLimits) -> Extracted:
    """:func:`~sanctions.scan.extract.extract_text` in a limited child process.

    Raises the same errors as the in-process extraction, plus :class:`LimitExceededError`
    for ``max_extract_seconds`` (too slow) and ``max_extract_memory_bytes`` (killed).
    """
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, data, source, fmt, limits), daemon=True)
    process.start()
    sender.close()
    deadline = time.monotonic() + limits.max_extract_seconds
    try:
        while not receiver.poll(_POLL_SECONDS):
            budget.check()
            if time.monotonic() > deadline:
                raise LimitExceededError(
                    source,
                    "max_extract_seconds",
                    f"extracting the text took over {limits.max_extract_seconds:g} s",
                )
            if not process.is_alive() and not receiver.poll(0):
                break
        try:
            kind, payload = receiver.recv()
        except (EOFError, OSError) as exc:
            raise LimitExceededError(
                source, "max_extract_memory_bytes",
                "the extraction process was stopped (out of memory or CPU time)",
            ) from exc  # fmt: skip
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(5)
    if kind == "ok":
        assert isinstance(payload, Extracted)
        return payload
    if kind == "limit":
        limit, message = payload
        raise LimitExceededError(source, limit, message)
    raise DocumentError(source, str(payload))
