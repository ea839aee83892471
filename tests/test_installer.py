"""The PyInstaller build: the one-folder app builds from build_installer.spec and its self-test passes offscreen."""

from __future__ import annotations

import os
import subprocess

import pytest


@pytest.mark.slow
def test_built_folder_runs_its_selftest_offscreen(tmp_path, installer_build):
    # GIVEN a build of build_installer.spec into a temporary folder (made once per session: conftest.py)
    build, dist = installer_build
    assert build.returncode == 0, build.stderr[-3000:]
    program = dist / "blo-desk" / ("blo-desk.exe" if os.name == "nt" else "blo-desk")
    assert program.exists()
    # AND the build said how long it took and how big it is, and left a compressed archive beside the folder
    assert "built" in build.stdout and "MB" in build.stdout
    assert list(dist.glob("blo-desk-*.tar.gz")) or list(dist.glob("blo-desk-*.zip"))
    # WHEN the built program runs its self-test with no display, no Python and a fresh home
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "BLO_DESK_"))}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"), BLO_DESK_LANG="en")
    env.pop("DISPLAY", None)
    run = subprocess.run([str(program), "--selftest"], capture_output=True, text=True, timeout=300, env=env,
                         cwd=tmp_path)
    # THEN every step passed: store, key, login, case, protocol, bundle export and verification
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().splitlines()[-1] == "selftest: ok"
    assert run.stdout.count("[ok]") >= 7
