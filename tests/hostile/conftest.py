"""Fixtures of the hostile-input tests: the scanner's fixture index over real list entries."""

from __future__ import annotations

import pytest

from sanctions.scan import MentionIndex
from tests.scan.conftest import load_entities


@pytest.fixture(scope="session")
def scan_index() -> MentionIndex:
    """A mention index over the scanner's fixture entities (Putin, Sobyanin, Aurus, ...)."""
    return MentionIndex.build(load_entities())
