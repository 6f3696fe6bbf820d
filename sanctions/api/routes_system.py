"""Health, readiness, the loaded lists, and the keyed endpoints that change them."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, UploadFile
from starlette.concurrency import run_in_threadpool

from sanctions import Screener
from sanctions.api.deps import OPEN_READ, AdminDep, StateDep
from sanctions.api.errors import ApiError
from sanctions.api.responses import JsonResponse
from sanctions.api.schemas import (
    ErrorResponse,
    ListStatusModel,
    ReadyResponse,
    StatusResponse,
    UpdateRequest,
    UpdateResponse,
)
from sanctions.api.updating import run_update, status_json

router = APIRouter()
_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "Unreadable body"},
    401: {"model": ErrorResponse, "description": "Missing or wrong API key"},
    403: {"model": ErrorResponse, "description": "Updates are disabled (no API key configured)"},
}
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@router.get("/healthz", tags=["System information"], response_model=StatusResponse)
async def healthz() -> JsonResponse:
    """Liveness: the process answers. Says nothing about the lists (see ``/readyz``)."""
    return JsonResponse({"status": "ok"})


@router.get(
    "/readyz",
    tags=["System information"],
    response_model=ReadyResponse,
    responses={503: {"model": ErrorResponse, "description": "Lists not loaded or index not built yet"}},
)
async def readyz(state: StateDep) -> JsonResponse:
    """Readiness: lists are loaded and this worker's index is built. 503 until then."""
    state.require_ready()
    return JsonResponse({"status": "ok", "versions": list(state.versions), "lists": len(state.versions)})


@router.get(
    "/lists",
    tags=["Lists"],
    response_model=list[ListStatusModel],
    dependencies=OPEN_READ,
)
async def lists(state: StateDep) -> JsonResponse:
    """The loaded lists: publisher's date, load time, counts, age and staleness (``stale: true``
    means the list is older than SANCTIONS_STALE_DAYS: update it before relying on a screening)."""
    statuses = await run_in_threadpool(state.lists)
    return JsonResponse([status_json(state, s.version) for s in statuses])


def _save_uploads(files: list[UploadFile], folder: Path) -> Path:
    """Write the uploaded files into ``folder``; returns the file itself when there is only one."""
    paths = []
    for i, upload in enumerate(files):
        name = _SAFE_NAME.sub("_", Path(upload.filename or f"upload-{i}").name).strip("._") or f"upload-{i}"
        target = folder / name
        with target.open("wb") as out:
            shutil.copyfileobj(upload.file, out)
        paths.append(target)
    return paths[0] if len(paths) == 1 else folder


@router.post(
    "/lists/{source}",
    tags=["Lists"],
    status_code=201,
    response_model=ListStatusModel,
    responses={
        **_ERRORS,
        404: {"model": ErrorResponse, "description": "Unknown source format"},
        422: {"model": ErrorResponse, "description": "The file does not parse as that source"},
    },
)
async def upload_list(
    source: str,
    state: StateDep,
    who: AdminDep,
    files: Annotated[
        list[UploadFile], File(description="The publisher's file(s), e.g. sdn.csv, alt.csv, add.csv.")
    ],
    dataset: Annotated[str | None, Form(description="Dataset name (required for ftm and csv).")] = None,
    published: Annotated[
        str | None, Form(description="Publication date (ISO) when the file lacks it.")
    ] = None,
) -> JsonResponse:
    """Upload a list file and load it as a new version (atomic: a bad file changes nothing).
    Requires the API key. The serving index is rebuilt before the answer is sent."""
    if source not in Screener.source_formats():
        known = ", ".join(sorted(Screener.source_formats()))
        raise ApiError(404, f"unknown source {source!r}; known: {known}")
    if not files:
        raise ApiError(422, "no file uploaded: send the list as multipart field 'files'")
    with tempfile.TemporaryDirectory(prefix="sanctions-upload-") as tmp:
        path = await run_in_threadpool(_save_uploads, files, Path(tmp))
        version = await run_in_threadpool(
            lambda: state.screener.load(
                source, path, dataset=dataset or None, published=published or None, actor=who.name
            )
        )
    await run_in_threadpool(state.build)
    await run_in_threadpool(state.screener.rescreen_books, [version], "api load")
    return JsonResponse(status_json(state, version), status_code=201)


@router.post(
    "/update",
    tags=["Lists"],
    response_model=UpdateResponse,
    responses=_ERRORS,
)
async def update(state: StateDep, who: AdminDep, body: UpdateRequest | None = None) -> JsonResponse:
    """Download the official lists (or load the bundled snapshot) and load every one that changed.
    Requires the API key. Lists that fail keep their previous version; failures are listed."""
    request = body or UpdateRequest.model_validate({})
    result = await run_in_threadpool(run_update, state, request, who.name)
    return JsonResponse(result)
