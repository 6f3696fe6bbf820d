"""``/docs``: the API reference as one server-rendered page, built from the OpenAPI document.

FastAPI's default ``/docs`` loads Swagger UI's scripts from a CDN at every visit, unpinned:
whoever serves those scripts runs code next to the API key a user types in. This page needs
no script at all and no asset from anywhere else; ``/openapi.json`` stays for tools.
"""

from __future__ import annotations

from html import escape
from typing import Any

_METHODS = ("get", "post", "put", "patch", "delete")


def render_docs(openapi: dict[str, Any]) -> str:
    """An HTML page listing every operation: method, path, summary, description and parameters."""
    info = openapi.get("info", {})
    title, version = escape(str(info.get("title", "API"))), escape(str(info.get("version", "")))
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        f"<title>{title}</title>",
        "<link rel='stylesheet' href='/static/app.css'></head><body><main class='docs'>",
        f"<h1>{title} <small>{version}</small></h1>",
        f"<p>{escape(str(info.get('description', '')))}</p>",
        "<p>Machine-readable: <a href='/openapi.json'>/openapi.json</a>.</p>",
    ]
    for path, operations in openapi.get("paths", {}).items():
        for method in _METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            parts.append(f"<section><h2><code>{method.upper()} {escape(path)}</code></h2>")
            if operation.get("summary"):
                parts.append(f"<p><strong>{escape(str(operation['summary']))}</strong></p>")
            if operation.get("description"):
                parts.append(f"<pre>{escape(str(operation['description']))}</pre>")
            params = operation.get("parameters", [])
            if params:
                parts.append("<ul>")
                for p in params:
                    text = f"{p.get('name')} ({p.get('in')})"
                    described = p.get("description") or p.get("schema", {}).get("description") or ""
                    parts.append(f"<li><code>{escape(text)}</code> {escape(str(described))}</li>")
                parts.append("</ul>")
            parts.append("</section>")
    parts.append("</main></body></html>")
    return "".join(parts)
