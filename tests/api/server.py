"""Start `sanctions serve` as a real process on a free loopback port, for tests and benchmarks."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

SERVE = "from sanctions.cli import main; main()"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    """A running server: its base URL, process and the file its stderr goes to."""

    url: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 15 s)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)

    def log_text(self) -> str:
        """Everything the server wrote to stderr so far."""
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def start_server(
    data_dir: Path,
    log_path: Path,
    env: dict[str, str] | None = None,
    workers: int = 1,
    ready_timeout: float = 180.0,
) -> LiveServer:
    """Run `sanctions serve` on ``data_dir`` and wait until /readyz answers 200."""
    port = free_port()
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SANCTIONS_")}
    full_env.update({"SANCTIONS_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"})
    full_env.update(env or {})
    command = [sys.executable, "-c", SERVE, "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--workers", str(workers)]
    log = log_path.open("wb")
    process = subprocess.Popen(command, env=full_env, stdout=log, stderr=subprocess.STDOUT)
    server = LiveServer(f"http://127.0.0.1:{port}", process, log_path)
    deadline = time.monotonic() + ready_timeout
    with httpx.Client(timeout=5.0) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(
                    f"the server exited with {process.returncode}:\n{server.log_text()[-3000:]}"
                )
            try:
                if client.get(f"{server.url}/readyz").status_code == 200:
                    return server
            except httpx.TransportError:
                pass
            time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"the server was not ready within {ready_timeout} s:\n{server.log_text()[-3000:]}")


def bundled_template(base: Path) -> Path:
    """A data dir under ``base`` with the bundled lists loaded, made once and reused (never written to)."""
    data_dir = base / "bundled-data"
    done = data_dir / ".loaded"
    if not done.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        load_bundled_into(data_dir)
        done.touch()
    return data_dir


def load_bundled_into(data_dir: Path) -> None:
    """Load the bundled lists into a store in ``data_dir`` (what a first `sanctions serve` does)."""
    from sanctions.bundle import load_bundled
    from sanctions.settings import Settings
    from sanctions.store import open_store

    store = open_store(Settings.from_env(data_dir))
    try:
        load_bundled(store)
    finally:
        store.close()
