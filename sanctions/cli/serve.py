"""`sanctions serve`: the HTTP API and the analyst web UI under uvicorn."""

from __future__ import annotations

import os
import threading
from typing import Annotated, Any

import typer

from sanctions.cli.common import DataDir, err_console, handle_errors, open_screener


def log_config(level: str) -> dict[str, Any]:
    """uvicorn's logging: our key-value events and errors; no access log with query strings."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
        "handlers": {
            "stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            # uvicorn's access log prints full URLs (?q=<name>): ours prints paths only.
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "sanctions": {"handlers": ["stderr"], "level": level, "propagate": False},
        },
    }


@handle_errors
def serve_cmd(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes (one per core is a good start).")
    ] = 1,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="Log each request's path, status and time.")
    ] = True,
    data_dir: DataDir = None,
) -> None:
    """Serve the HTTP API (yente-compatible) and the web UI. Loads the bundled lists when the store
    is empty; each worker builds its index at start-up and reports ready on /readyz."""
    import uvicorn

    screener = open_screener(data_dir)  # loads the bundled snapshot once, before workers start
    data_path = screener.settings.data_dir
    # SANCTIONS_UPDATE_INTERVAL: this process checks the publishers; workers pick up new versions.
    schedule = screener.update_schedule()
    if schedule is not None:
        schedule.start()
        err_console.print(f"checking the publishers for new lists every {schedule.interval:g} s")
    # The daily audit checkpoint and decision expiry (hourly), and webhook delivery (every 5 s).
    housekeeping = screener.housekeeping_schedule()
    housekeeping.start()
    delivery = screener.delivery_schedule()
    delivery.start()
    # Book imports and re-screens too large for a request (202): screened here, every 5 s.
    book_runs = screener.book_run_schedule()
    book_runs.start()
    os.environ["SANCTIONS_DATA_DIR"] = str(data_path)
    err_console.print(f"serving on http://{host}:{port} (UI: /ui, API docs: /docs), data in {data_path}")
    try:
        _run(uvicorn, host, port, workers, access_log)
    finally:
        book_runs.stop()
        delivery.stop()
        housekeeping.stop()
        if schedule is not None:
            schedule.stop()
        screener.close()


@handle_errors
def monitor_cmd(
    deliver_every: Annotated[
        float, typer.Option(min=0.5, help="Seconds between webhook delivery passes.")
    ] = 5.0,
    data_dir: DataDir = None,
) -> None:
    """Run the background work without the HTTP server: list update checks every
    SANCTIONS_UPDATE_INTERVAL (then the books are re-screened), book runs left to the background
    by the API and UI (every 5 s, each under SANCTIONS_MAX_JOB_SECONDS), webhook delivery, the daily
    signed audit checkpoint and decision expiry. One runner acts at a time (a lock in the store);
    stop with Ctrl-C."""
    screener = open_screener(data_dir)
    schedule = screener.update_schedule()
    jobs = [
        screener.housekeeping_schedule(),
        screener.delivery_schedule(deliver_every),
        screener.book_run_schedule(),
    ]
    if schedule is not None:
        schedule.start()
        err_console.print(f"checking the publishers for new lists every {schedule.interval:g} s")
    else:
        err_console.print("SANCTIONS_UPDATE_INTERVAL is not set: no scheduled list updates")
    for job in jobs:
        job.start()
    err_console.print(f"delivering webhooks every {deliver_every:g} s; Ctrl-C stops")
    stop = threading.Event()
    try:
        while not stop.wait(1.0):
            pass
    except KeyboardInterrupt:
        err_console.print("stopping")
    finally:
        for job in jobs:
            job.stop()
        if schedule is not None:
            schedule.stop()
        screener.close()


def _run(uvicorn: Any, host: str, port: int, workers: int, access_log: bool) -> None:
    uvicorn.run(
        "sanctions.server:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_config=log_config("INFO" if access_log else "WARNING"),
        access_log=False,
        proxy_headers=False,
        server_header=False,
    )


def register(app: typer.Typer) -> None:
    """Attach `serve`."""
    app.command("serve")(serve_cmd)
    app.command("monitor")(monitor_cmd)
