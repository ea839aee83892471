"""A throw-away PostgreSQL server for the test session: initdb + pg_ctl in a temporary folder, unix socket only."""

from __future__ import annotations

import glob
import os
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path


@dataclass
class PgServer:
    folder: Path
    port: int
    bin_dir: Path

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.folder}&port={self.port}"

    def admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(host=str(self.folder), port=self.port, user="postgres", dbname="postgres",
                             autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)


def find_bin_dir() -> Path:
    """The newest installed server's bin folder; fails loudly (CI must install the `postgresql` package)."""
    found = []
    for path in glob.glob("/usr/lib/postgresql/*/bin/initdb"):
        match = re.search(r"/postgresql/(\d+)/bin/", path)
        if match:
            found.append((int(match.group(1)), Path(path).parent))
    if not found:
        raise RuntimeError(
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: install the `postgresql` package"
        )
    return max(found)[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_postgres(args: list[str]) -> list[str]:
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


def start(folder: Path | None = None, *, settings: str = "-c fsync=off -c full_page_writes=off") -> PgServer:
    """A server in a new temporary folder, or in `folder` (made if new; a cluster already there is started as
    it is: a benchmark's cached store). `settings` are extra server options."""
    bin_dir = find_bin_dir()
    if folder is None:
        folder = Path(tempfile.mkdtemp(prefix="blo-pg-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o755)
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    port = _free_port()
    if not (folder / "data" / "PG_VERSION").exists():
        subprocess.run(
            _as_postgres([str(bin_dir / "initdb"), "-D", str(folder / "data"), "-U", "postgres", "--auth-local=trust",
                          "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]),
            check=True, capture_output=True,
        )
    options = f"-p {port} -k {folder} -c listen_addresses='' {settings}"
    subprocess.run(
        _as_postgres([str(bin_dir / "pg_ctl"), "-D", str(folder / "data"), "-l", str(folder / "log.txt"),
                      "-o", options, "-w", "start"]),
        check=True, capture_output=True,
    )
    return PgServer(folder=folder, port=port, bin_dir=bin_dir)


def stop(server: PgServer, *, remove: bool = True) -> None:
    subprocess.run(
        _as_postgres([str(server.bin_dir / "pg_ctl"), "-D", str(server.folder / "data"), "-m", "fast", "-w", "stop"]),
        check=False, capture_output=True,
    )
    if remove:
        shutil.rmtree(server.folder, ignore_errors=True)
