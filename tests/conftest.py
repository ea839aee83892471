"""Shared fixtures: a fresh data folder and store per test, English messages unless a test asks otherwise."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from blo_desk.config import load_settings
from blo_desk.i18n import set_language


@pytest.fixture(autouse=True)
def english_by_default():
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def settings(tmp_path):
    """Settings for a store in a temporary data folder (SQLite file, WAL)."""
    return load_settings(data_dir=tmp_path / "data", language="en")


@pytest.fixture
def services(settings):
    """Services over a freshly migrated and seeded store."""
    from blo_desk.services.registry import open_services

    opened = open_services(settings)
    yield opened
    opened.close()
