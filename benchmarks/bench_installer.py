"""Installer figures for issue 8: build time and size, and cold start of the built app beside running from source.

Run: .venv/bin/python benchmarks/bench_installer.py [--runs 5] [--skip-build] [--dist DIR] [--smoke]
Both starts are measured the same way, in the same run: process start until the first window (login) has painted
and the app has quit (BLO_DESK_QUIT_AFTER=paint), offscreen, on the same data folder.
--dist: the build folder (default dist/ in the checkout); with --skip-build an existing build there is reused.
--smoke: one start of each, no warm-up starts. The build itself takes about a minute whatever the size, so the
test suite runs `--smoke --skip-build --dist DIR` on the build it makes once for tests/test_installer.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = ROOT / "tests" / "ui" / "desk_probe.py"  # python -m blo_desk, quitting at BLO_DESK_QUIT_AFTER


def built_program(dist: Path) -> Path:
    return dist / "blo-desk" / ("blo-desk.exe" if os.name == "nt" else "blo-desk")


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
    parser.add_argument("--dist", type=Path, help="build folder (default: dist/ in the checkout)")
    parser.add_argument("--smoke", action="store_true", help="one start of each, no warm-up: a check that it runs")
    args = parser.parse_args()
    if args.smoke:
        args.runs = 1
    built_path = built_program(args.dist or ROOT / "dist")
    data = Path(tempfile.mkdtemp(prefix="blo-bench-installer-"))
    try:
        if not args.skip_build or not built_path.exists():
            build(args.dist, data)
        measure(built_path, data, args.runs, warm_up=not args.smoke)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def build(dist: Path | None, scratch: Path) -> None:
    """PyInstaller on build_installer.spec, into dist/ and build/ in the checkout, or into `dist` (work files in
    `scratch`)."""
    folders = [] if dist is None else ["--distpath", str(dist), "--workpath", str(scratch / "pyinstaller-work")]
    build = subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "ERROR",
                            *folders, str(ROOT / "build_installer.spec")], cwd=ROOT, capture_output=True, text=True)
    if build.returncode:
        raise SystemExit(build.stderr[-3000:])
    print(build.stdout.strip().splitlines()[-1])


def measure(built_path: Path, scratch: Path, runs: int, *, warm_up: bool) -> None:
    data = scratch / "data"
    env = {**os.environ, "BLO_DESK_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen",
           "BLO_DESK_QUIT_AFTER": "paint", "BLO_DESK_PASSWORD": "bench-password-1",
           "BLO_DESK_NEW_PASSWORD": "bench-password-1"}  # `user add` reads the new password from here
    env.pop("DISPLAY", None)
    added = subprocess.run([sys.executable, "-m", "blo_desk", "user", "add", "--role", "admin", "admin"],
                           env=env, capture_output=True, text=True)
    if added.returncode:
        raise SystemExit(f"user add failed: {added.stdout[-500:]} {added.stderr[-1500:]}")
    source = [sys.executable, str(PROBE)]
    built = [str(built_path)]
    if warm_up:
        _start(source, env), _start(built, env)  # warm the page cache for both, as a second start would be
    times: dict[str, list[float]] = {"source": [], "built": []}
    for _ in range(runs):
        times["source"].append(_start(source, env))
        times["built"].append(_start(built, env))
    src, blt = statistics.median(times["source"]), statistics.median(times["built"])
    print(f"{'cold start to painted login window':<40} {'median':>8}   runs")
    print(f"{'from source (python -m blo_desk)':<40} {src * 1000:>6.0f}ms   {runs}")
    print(f"{'built folder (dist/blo-desk)':<40} {blt * 1000:>6.0f}ms   {runs}")
    print(f"ratio built / source: {blt / src:.2f}x (target <= 1.2x): {'ok' if blt / src <= 1.2 else 'NOT MET'}")


if __name__ == "__main__":
    main()
