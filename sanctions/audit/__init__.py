"""The audit room: a hash-chained, append-only trail of every change, written in the same
transaction as the change; signed checkpoints outside the database; verification and export.

Rooms record with :func:`record`; the service opens :class:`AuditTrail` for the faces.
"""

from sanctions.audit.chain import GENESIS, SYSTEM, canonical, record, record_many

__all__ = ["GENESIS", "SYSTEM", "canonical", "record", "record_many"]
