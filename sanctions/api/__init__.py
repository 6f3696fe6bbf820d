"""The HTTP API (yente-compatible matching, reconciliation, our own endpoints) and the web UI.

``create_app(settings)`` builds the ASGI app; ``sanctions serve`` runs it under uvicorn.
"""

from __future__ import annotations

from sanctions.api.app import create_app

__all__ = ["create_app"]
