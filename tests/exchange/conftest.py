"""Fixtures for bundle tests: a real PostgreSQL server for the session, HQ stores on SQLite and PostgreSQL, posts."""

from __future__ import annotations

import itertools
import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bundle_kit  # noqa: E402
import pg  # noqa: E402

_counter = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server started for this session; missing server binaries FAIL the tests (never skip)."""
    try:
        server = pg.start()
    except Exception as exc:  # noqa: BLE001 — turned into a loud failure on purpose
        pytest.fail(f"cannot start the test PostgreSQL server: {exc}", pytrace=False)
    try:
        # One migrated, seeded database; every test copies it (CREATE DATABASE ... TEMPLATE) in ~50 ms.
        server.admin("CREATE DATABASE blo_template")
        bundle_kit.open_store(Path(server.folder) / "template-data", server.url("blo_template")).close()
        yield server
    finally:
        pg.stop(server)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    """A migrated, seeded SQLite store copied for each HQ (migrations run once)."""
    folder = tmp_path_factory.mktemp("sqlite-template")
    bundle_kit.open_store(folder).close()
    return folder / "blo_desk.sqlite3"


def new_hq(backend: str, folder: Path, *, sqlite_template: Path, pg_server=None):
    folder.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        shutil.copyfile(sqlite_template, folder / "blo_desk.sqlite3")
        return bundle_kit.open_store(folder)
    name = f"hq_{next(_counter)}"
    pg_server.admin(f"CREATE DATABASE {name} TEMPLATE blo_template")
    return bundle_kit.open_store(folder, pg_server.url(name))


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request):
    return request.param


@pytest.fixture
def hq_factory(backend, tmp_path, sqlite_template, request):
    """Make fresh HQ stores on the test's backend (SQLite file or a database on the session's server)."""
    server = request.getfixturevalue("pg_server") if backend == "postgresql" else None
    opened = []

    def make(name: str = "hq"):
        services = new_hq(backend, tmp_path / name, sqlite_template=sqlite_template, pg_server=server)
        opened.append(services)
        return services

    yield make
    for services in opened:
        services.close()


@pytest.fixture
def hq(hq_factory):
    return hq_factory()
