"""Shared fixtures: a fresh data folder and store per test, English messages unless a test asks otherwise."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests run on unencrypted stores (as SYSTEM when no principal is given) unless a test asks for encryption
# explicitly (the `encrypted_settings` fixture, or plaintext_store=False); subprocesses inherit this too.
os.environ.setdefault("BLO_DESK_PLAINTEXT_STORE", "1")

import pytest

from blo_desk.config import load_settings
from blo_desk.i18n import set_language, set_local_zone


@pytest.fixture(autouse=True)
def english_by_default():
    set_language("en")
    yield
    set_language("en")
    set_local_zone(None)  # a desk sets its post's zone for times of no case


@pytest.fixture
def settings(tmp_path):
    """Settings for a store in a temporary data folder (SQLite file, WAL), explicitly unencrypted for speed."""
    return load_settings(data_dir=tmp_path / "data", language="en", plaintext_store=True)


@pytest.fixture
def encrypted_settings(tmp_path):
    """Settings for an encrypted (SQLCipher) store in a temporary data folder, as a real install has."""
    return load_settings(data_dir=tmp_path / "secure", language="en", plaintext_store=False)


@pytest.fixture
def services(settings):
    """Services over a freshly migrated and seeded store, acting as the SYSTEM principal (all rights)."""
    from blo_desk.domain.permissions import SYSTEM
    from blo_desk.services.registry import open_services

    opened = open_services(settings, principal=SYSTEM)
    yield opened
    opened.close()


@pytest.fixture(scope="session")
def installer_build(tmp_path_factory):
    """One PyInstaller build of build_installer.spec per session (about a minute), for every test that needs it:
    the finished process (its stdout says how long and how big) and the folder it built into."""
    import subprocess
    import sys
    from pathlib import Path

    pytest.importorskip("PyInstaller", reason="the test extra installs PyInstaller")
    root = Path(__file__).resolve().parent.parent
    folder = tmp_path_factory.mktemp("installer")
    dist, work = folder / "dist", folder / "build"
    done = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "ERROR",
         "--distpath", str(dist), "--workpath", str(work), str(root / "build_installer.spec")],
        cwd=root, capture_output=True, text=True, timeout=900,
    )
    return done, dist
