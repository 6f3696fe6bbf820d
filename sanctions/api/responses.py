"""A JSON response rendered with orjson: our payloads are plain dicts built for speed."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import JSONResponse


class JsonResponse(JSONResponse):
    """``application/json`` rendered by orjson (a JSONResponse, so OpenAPI shows the response models)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY)
