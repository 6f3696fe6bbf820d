"""The cases room: analysts decide alerts, checkers approve (four eyes), and approved decisions
keep an alert quiet until the customer or the listed party changes (docs/cases.md)."""

from sanctions.cases.decide import EFFECT, CaseRoom
from sanctions.cases.views import QueueFilter, approvals_queue, case, memory, queue

__all__ = [
    "EFFECT",
    "CaseRoom",
    "QueueFilter",
    "approvals_queue",
    "case",
    "memory",
    "queue",
]
