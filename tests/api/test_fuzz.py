"""Property-based fuzzing of every documented endpoint from the OpenAPI schema: never a 5xx.

Bounded (a few dozen examples per operation) so the whole run takes a minute or two. Skips
when schemathesis is not installed.
"""

from __future__ import annotations

import os
import tempfile
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.api.server import LiveServer

schemathesis = pytest.importorskip(
    "schemathesis", reason="schemathesis is not installed (pip install schemathesis)"
)
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# Raise for a deeper (slower) exploration: SANCTIONS_FUZZ_EXAMPLES=300 pytest tests/api/test_fuzz.py
EXAMPLES = int(os.environ.get("SANCTIONS_FUZZ_EXAMPLES", "30"))


def _openapi() -> dict[str, Any]:
    """The OpenAPI document the server publishes at /openapi.json (built from the same factory).

    Read in-process because schemathesis' lazy fixture loader does not run under pytest 9.
    """
    from sanctions.api import create_app
    from sanctions.settings import Settings

    with tempfile.TemporaryDirectory(prefix="sanctions-openapi-") as tmp:
        app = create_app(Settings.from_env(tmp))
        document = app.openapi()
        app.state.service.screener.close()
    return document


schema = schemathesis.openapi.from_dict(_openapi())


@schema.parametrize()  # type: ignore[untyped-decorator]
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,  # the same cases every run: a failure reproduces
)
def test_no_server_errors_and_documented_answers(case: Any, server: LiveServer) -> None:
    response = case.call(base_url=server.url, timeout=60)
    case.validate_response(
        response,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
