"""Our own analysis endpoints: document scanning, ownership rules and exposure paths.

Each answers the same JSON as the matching CLI command with ``--json`` (``sanctions scan``,
``sanctions ownership``, ``sanctions exposure``).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, Field, ValidationError
from starlette.datastructures import UploadFile

from sanctions import Entity, ExposureResult, Relation, Screener
from sanctions.api.budgeted import run_budgeted
from sanctions.api.deps import OPEN_READ, StateDep
from sanctions.api.errors import ApiError
from sanctions.api.responses import JsonResponse
from sanctions.api.schemas import ErrorResponse
from sanctions.api.state import ServiceState

if TYPE_CHECKING:
    from sanctions import ScanResult

router = APIRouter(tags=["Analysis"], dependencies=OPEN_READ)
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Unreadable input"},
    413: {"model": ErrorResponse, "description": "Request body too large"},
    422: {"model": ErrorResponse, "description": "Invalid request"},
    503: {"model": ErrorResponse, "description": "Index not ready"},
}
Format = Literal["auto", "text", "html", "pdf", "docx", "mt", "pacs008"]


class ScanText(BaseModel):
    """A text to scan (JSON body). Files go as multipart field ``file`` instead."""

    text: str = Field(..., examples=["KamAZ and Moskvich signed an agreement in Moscow."])


class GraphInput(BaseModel):
    """The graph to assess: FtM entities (JSON objects) and/or a relations CSV, as the CLI reads."""

    ftm: list[dict[str, Any]] = Field(
        [], max_length=20_000, description="FtM entities, as in an FtM JSON lines file."
    )
    relations_csv: str | None = Field(
        None, description="A relations CSV file's content (subject,relation,object,...)."
    )
    jurisdiction: str = Field("us,eu,gb", description="Rules to apply, comma-separated: us, eu, gb.")
    rule_settings: list[str] = Field(
        [],
        max_length=20,
        description=(
            "Rule changes as <rule>.<option>=<value>: gb.aggregate=yes, eu.control=no, eu.listed=eu,un."
        ),
    )
    as_of: str | None = Field(
        None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$", description="Date relations must be in force."
    )


class ExposureInput(GraphInput):
    party: str = Field(
        ..., min_length=1, max_length=500, description="A name, a party id or a listed entity id."
    )
    depth: int = Field(2, ge=1, le=6, description="Relations to follow.")
    screen: bool = Field(True, description="Link parties to listed ones by screening their names.")


_SCAN_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": ScanText.model_json_schema()},
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            }
        },
        "text/plain": {"schema": {"type": "string"}},
    },
}


async def _scan_input(request: Request) -> tuple[bytes, str]:
    """The bytes to scan and a label for them, from a JSON, multipart or plain-text body."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        form = await request.form(max_files=1, max_fields=5)
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ApiError(422, "send the document as multipart field 'file'")
        return await upload.read(), Path(upload.filename or "upload").name
    body = await request.body()
    if content_type == "application/json":
        try:
            return ScanText.model_validate_json(body).text.encode("utf-8"), "<text>"
        except ValidationError as exc:
            raise ApiError(422, f'expected {{"text": "..."}}: {exc.errors()[0]["msg"]}') from exc
    return body, "<body>"


@router.post(
    "/scan",
    responses={**_ERRORS, 200: {"content": {"text/html": {"schema": {"type": "string"}}}}},
    openapi_extra={"requestBody": _SCAN_BODY},
)
async def scan(
    request: Request,
    state: StateDep,
    threshold: Annotated[
        float | None, Query(ge=0.0, le=1.0, description="Lowest mention score kept.")
    ] = None,
    fmt: Annotated[Format, Query(alias="format", description="Input format (auto: sniff).")] = "auto",
    output: Annotated[Literal["json", "html"], Query(description="json, or the HTML report.")] = "json",
) -> Response:
    """Find every listed party named in a text or document (text, HTML, PDF, DOCX, MT/pacs.008
    payment message): offsets, score, the listed entity and why. Same JSON as `sanctions scan --json`."""
    data, source = await _scan_input(request)
    if not data.strip():
        raise ApiError(422, "nothing to scan: the text is empty")
    screener = state.require_ready()
    result = await run_budgeted(request, _scan_document, screener, data, source, fmt, threshold)
    if output == "html":
        # The report is self-contained (inline style) and runs no script at all.
        return HTMLResponse(
            Screener.scan_report(result, title=source), headers={"Content-Security-Policy": REPORT_POLICY}
        )
    return JsonResponse(result.to_dict())


REPORT_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


def _scan_document(
    screener: Screener, data: bytes, source: str, fmt: str, threshold: float | None
) -> ScanResult:
    return screener.scan_document(data, source=source, fmt=fmt, threshold=threshold)


def _records(body: GraphInput) -> list[Entity | Relation]:
    """The body's FtM entities and relations CSV, read by the service's own parsers."""
    return Screener.records_from_payload(body.ftm, body.relations_csv)


def _ownership(body: GraphInput, offset: int, size: int) -> tuple[list[dict[str, Any]], int]:
    rules = Screener.rules(body.jurisdiction, body.rule_settings)
    records = _records(body)
    if not records:
        raise ApiError(422, "no entities or relations given: send 'ftm' entities and/or 'relations_csv'")
    report = Screener.ownership(
        records, rules=rules, as_of=body.as_of, page=(offset, size), path_hops=_PATH_HOPS
    )
    return report.to_dict(), report.total


@router.post("/ownership", responses=_ERRORS)
async def ownership(
    request: Request,
    body: GraphInput,
    offset: Annotated[int, Query(ge=0, description="Parties to skip (pagination).")] = 0,
    limit: Annotated[
        int | None, Query(ge=1, description="Parties in this page (at most SANCTIONS_MAX_GRAPH_RESULTS).")
    ] = None,
) -> JsonResponse:
    """Who in the given graph is blocked under each jurisdiction's ownership rule (US 50 %,
    EU ownership and control, UK), and by which path. Same JSON as `sanctions ownership --json`.

    Pages of at most `SANCTIONS_MAX_GRAPH_RESULTS` parties: the `X-Total-Count` header gives the
    total and `Link: <...>; rel="next"` the next page. A decision whose paths were cut to keep the
    answer small says `"paths_truncated": true`."""
    settings = request.app.state.settings
    size = min(limit or settings.max_graph_results, settings.max_graph_results)
    rows, total = await run_budgeted(request, _ownership, body, offset, size)
    headers = {"X-Total-Count": str(total)}
    if offset + size < total:
        query = urlencode({**request.query_params, "offset": offset + size, "limit": size})
        headers["Link"] = f'<{request.url.path}?{query}>; rel="next"'  # relative: never the Host header
    return JsonResponse(rows, headers=headers)


def _exposure(state: ServiceState, body: ExposureInput) -> ExposureResult:
    """The exposure of the body's party (with the collection warnings), screened against the lists."""
    screener = state.require_ready()
    rules = Screener.rules(body.jurisdiction, body.rule_settings)
    return screener.exposure(
        body.party, _records(body), rules=rules, depth=body.depth, screen=body.screen, as_of=body.as_of
    )


_PATH_HOPS = 50_000  # parties listed along ownership paths in one answer (a few MB)


@router.post(
    "/exposure", responses={**_ERRORS, 200: {"content": {"image/svg+xml": {"schema": {"type": "string"}}}}}
)
async def exposure(
    request: Request,
    body: ExposureInput,
    state: StateDep,
    output: Annotated[
        Literal["json", "svg"], Query(description="json, or the exposure graph as SVG.")
    ] = "json",
) -> Response:
    """Every path within ``depth`` relations from a party to listed parties: blocked by ownership,
    controlled, or exposed. Same JSON as `sanctions exposure --json`; `output=svg` draws it."""
    result = await run_budgeted(request, _exposure, state, body)
    if output == "svg":
        return Response(Screener.exposure_svg(result), media_type="image/svg+xml")
    return JsonResponse(result.to_dict())
