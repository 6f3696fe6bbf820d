"""A throw-away PostgreSQL server for tests and benchmarks: Debian's PostgreSQL 15 binaries,
``initdb`` into a temporary folder, ``pg_ctl start`` on a free loopback port, stopped at the end.

When the tests run as root the server runs as the ``postgres`` system user (PostgreSQL refuses
to run as root), in a folder that user owns. Nothing is installed or downloaded here.
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

PG_BIN = Path(os.environ.get("SANCTIONS_PG_BIN", "/usr/lib/postgresql/15/bin"))
_names = itertools.count(1)


def missing_reason(bin_dir: Path = PG_BIN) -> str | None:
    """Why a server cannot be started here, or None when it can."""
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (bin_dir / tool).is_file():
            return f"no PostgreSQL binaries in {bin_dir} (apt-get install postgresql, or make system-deps)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' system user to run the server as"
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    """One running server; :meth:`stop` is idempotent and also runs at interpreter exit."""

    bin_dir: Path = PG_BIN
    port: int = 0
    folder: Path = field(default_factory=Path)
    _user: str | None = None
    _running: bool = False
    _watchdog: subprocess.Popen[bytes] | None = None

    def start(self) -> PostgresServer:
        """initdb + pg_ctl start; raises RuntimeError with the server log when it fails."""
        self._user = "postgres" if os.geteuid() == 0 else None
        self.folder = Path(tempfile.mkdtemp(prefix="sanctions-pg-"))
        if self._user:
            entry = pwd.getpwnam(self._user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        atexit.register(self.stop)
        data = self.folder / "data"
        self._run(
            "initdb",
            "-D",
            str(data),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        options = [
            "-h 127.0.0.1",
            f"-k {self.folder}",
            "-c fsync=off",  # a test server: durability is not the point, speed is
            "-c synchronous_commit=off",
            "-c full_page_writes=off",
            "-c shared_buffers=32MB",
            "-c max_connections=200",
        ]
        for _attempt in range(3):
            self.port = _free_port()
            try:
                self._run(
                    "pg_ctl",
                    "-D",
                    str(data),
                    "-l",
                    str(self.folder / "server.log"),
                    "-w",
                    "-t",
                    "60",
                    "-o",
                    " ".join([*options, f"-p {self.port}"]),
                    "start",
                )
            except RuntimeError:
                continue  # the port was taken between the probe and the start
            self._running = True
            self._watch(data)
            return self
        log = self.folder / "server.log"
        raise RuntimeError(f"PostgreSQL did not start: {log.read_text() if log.exists() else 'no log'}")

    def _watch(self, data: Path) -> None:
        """A watchdog that shuts the server down if this process is killed before :meth:`stop`."""
        script = (
            f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; "
            f'kill -QUIT "$(head -1 {data}/postmaster.pid)" 2>/dev/null; sleep 3; rm -rf {self.folder}'
        )
        self._watchdog = subprocess.Popen(
            ["sh", "-c", script],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # survives a Ctrl-C or kill of the test process group
        )

    def _run(self, tool: str, *args: str) -> None:
        result = subprocess.run(
            [str(self.bin_dir / tool), *args],
            cwd=self.folder,
            user=self._user,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stderr or result.stdout}")

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL of a database on this server (psycopg 3, trusted loopback)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def create_database(self, template: str | None = None) -> str:
        """A new empty database (or a copy of ``template``); returns its name."""
        name = f"test_{os.getpid()}_{next(_names)}"
        suffix = f" TEMPLATE {template}" if template else ""
        self.execute(f"CREATE DATABASE {name}{suffix}")
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, closing any connection a test left open."""
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def execute(self, sql: str) -> None:
        """Run one statement in autocommit on the maintenance database."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(sql.encode())

    def stop(self) -> None:
        """Stop the server (fast, then immediate) and delete its folder."""
        if self._running:
            self._running = False
            data = str(self.folder / "data")
            try:
                self._run("pg_ctl", "-D", data, "-m", "fast", "-w", "-t", "30", "stop")
            except (RuntimeError, subprocess.TimeoutExpired):
                with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                    self._run("pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        if self.folder != Path() and self.folder.exists():
            shutil.rmtree(self.folder, ignore_errors=True)
        if self._watchdog is not None:
            self._watchdog.kill()
            self._watchdog.wait()
            self._watchdog = None


@contextlib.contextmanager
def running_server() -> Iterator[PostgresServer]:
    """A started server, stopped when the block ends (even on failure)."""
    server = PostgresServer()
    try:
        yield server.start()
    finally:
        server.stop()
