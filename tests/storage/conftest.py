"""Fixtures of the storage tests: one PostgreSQL server for all of them, started by the tests themselves."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pg  # noqa: E402


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server (initdb + pg_ctl in a temporary folder); missing server binaries FAIL the tests."""
    try:
        started = pg.start()
    except Exception as exc:  # noqa: BLE001 — a loud failure on purpose
        pytest.fail(f"cannot start the test PostgreSQL server: {exc}", pytrace=False)
    yield started
    pg.stop(started)
