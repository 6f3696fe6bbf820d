"""Name comparison: aligning the words of two names (``align``), doing it for one query against
many candidates (``aligner``), and the constants that tune it (``policy``)."""

from sanctions.matching.names.align import NameScore, Weigher, compare_forms, compare_names, describe
from sanctions.matching.names.aligner import NameAligner, PreparedCache

__all__ = [
    "NameAligner",
    "NameScore",
    "PreparedCache",
    "Weigher",
    "compare_forms",
    "compare_names",
    "describe",
]
