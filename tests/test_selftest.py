"""`blo-desk --selftest`: every step (store, post key, login, case, protocol, bundle export and verify) in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys

STEPS = ("store", "post key", "login", "case", "protocol", "bundle export", "bundle verify")


def test_the_selftest_runs_every_step_offscreen_and_exits_zero(tmp_path):
    # GIVEN no display, no plaintext test mode, and a data folder the self-test must not touch
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "BLO_DESK_PLAINTEXT_STORE")}
    env.update(QT_QPA_PLATFORM="offscreen", BLO_DESK_LANG="en", TMPDIR=str(tmp_path))
    data = tmp_path / "data"
    # WHEN `python -m blo_desk --selftest` runs
    done = subprocess.run([sys.executable, "-m", "blo_desk", "--data-dir", str(data), "--selftest"], env=env,
                          capture_output=True, text=True, timeout=180)
    # THEN it exits 0 and prints one passed line per step, then the verdict
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    lines = [line for line in done.stdout.splitlines() if line.startswith("selftest:")]
    for step, line in zip(STEPS, lines, strict=False):
        assert line.startswith(f"selftest: [ok] {step}: "), lines
    assert len(lines) == len(STEPS) + 1 and lines[-1] == "selftest: ok", lines
    # AND it left nothing behind: not in the data folder, not in the temporary folder
    assert not data.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("blo-desk-selftest-")]
