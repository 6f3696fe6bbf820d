"""``python -m sanctions.store.migrations revision "what it does"`` writes the next migration;
``python -m sanctions.store.migrations sql postgresql|sqlite`` prints the DDL of all of them."""

from __future__ import annotations

import sys

from sanctions.store.migrate import new_revision, offline_sql

USAGE = """usage: python -m sanctions.store.migrations revision "what the migration does"
       python -m sanctions.store.migrations sql postgresql|sqlite"""


def main(argv: list[str]) -> int:
    """Run the command in ``argv``; 2 on bad usage."""
    if len(argv) != 2 or argv[0] not in ("revision", "sql"):
        print(USAGE, file=sys.stderr)
        return 2
    print(new_revision(argv[1]) if argv[0] == "revision" else offline_sql(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
