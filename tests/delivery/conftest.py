"""Fixtures for delivery tests: posts with cases and photos, HQ stores trusting them, the intake service process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "exchange"))
sys.path.insert(0, str(HERE.parent))

import bundle_kit  # noqa: E402
import kit  # noqa: E402
import pg  # noqa: E402


@pytest.fixture
def servers():
    started: list[kit.IntakeServer] = []

    def start(data_dir: Path, **kwargs) -> kit.IntakeServer:
        server = kit.IntakeServer(data_dir, **kwargs)
        started.append(server)
        return server.start()

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def links():
    opened: list[kit.DroppingLink] = []

    def make(port: int, cuts) -> kit.DroppingLink:
        link = kit.DroppingLink(port, cuts)
        opened.append(link)
        return link

    yield make
    for link in opened:
        link.close()


@pytest.fixture
def posts(tmp_path):
    opened = []

    def make(code: str, *, cases: int = 4, seed: int = 1, photos: int = 1):
        post = bundle_kit.make_post(tmp_path / code, code, cases=cases, seed=seed, photos=photos)
        opened.append(post)
        return post

    yield make
    for post in opened:
        post.close()


@pytest.fixture(scope="session")
def pg_server():
    """A PostgreSQL server for this session; missing server binaries FAIL the tests (never skip)."""
    try:
        server = pg.start()
    except Exception as exc:  # noqa: BLE001
        pytest.fail(f"cannot start the test PostgreSQL server: {exc}", pytrace=False)
    try:
        yield server
    finally:
        pg.stop(server)
