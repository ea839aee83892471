"""Installer figures for issue 8: build time and size, and cold start of the built app beside running from source.

Run: .venv/bin/python benchmarks/bench_installer.py [--runs 5] [--skip-build] [--dist DIR] [--smoke]
Both starts are measured the same way, in the same run, with no hook inside the app: each runs on a private Xvfb
display (QT_QPA_PLATFORM=xcb), on the same data folder, in English, and the time is taken from process start until
this script, watching the display from outside, sees the login window mapped and painted; the process is then
terminated. Source is `python -m blo_desk`, built is dist/blo-desk/blo-desk.
--dist: the build folder (default dist/ in the checkout); with --skip-build an existing build there is reused.
--smoke: one start of each, no warm-up starts. The build itself takes about a minute whatever the size, so the
test suite runs `--smoke --skip-build --dist DIR` on the build it makes once for tests/test_installer.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _xwindow import Display, wait_for_window, wait_until_gone, xvfb  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
LOGIN_TITLE = "BLO Desk — log in"  # the login window's title in English (BLO_DESK_LANG=en below)


def built_program(dist: Path) -> Path:
    return dist / "blo-desk" / ("blo-desk.exe" if os.name == "nt" else "blo-desk")


def _start(command: list[str], env: dict, display: Display, scratch: Path) -> float:
    """Seconds from spawning `command` until its login window is mapped and painted; then it is terminated."""
    with open(scratch / "stderr.txt", "w+") as errors:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=errors,
                                   start_new_session=True)
        try:
            elapsed = wait_for_window(display, LOGIN_TITLE, process) - started
        except (RuntimeError, TimeoutError) as exc:
            errors.seek(0)
            raise SystemExit(f"{command[0]}: {exc}\n{errors.read()[-2000:]}") from None
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    wait_until_gone(display, LOGIN_TITLE)
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
    base = {k: v for k, v in os.environ.items() if not k.startswith("BLO_DESK_")}
    base.update(BLO_DESK_DATA_DIR=str(data), BLO_DESK_LANG="en")
    added = subprocess.run([sys.executable, "-m", "blo_desk", "user", "add", "--role", "admin", "admin"],
                           env={**base, "BLO_DESK_NEW_PASSWORD": "bench-password-1",  # `user add` reads it here
                                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), base.get("PYTHONPATH")]))},
                           capture_output=True, text=True)
    if added.returncode:
        raise SystemExit(f"user add failed: {added.stdout[-500:]} {added.stderr[-1500:]}")
    with xvfb() as name:
        display = Display(name)
        try:
            base.update(DISPLAY=name, QT_QPA_PLATFORM="xcb")
            # From source: this checkout first on the path, as `python -m blo_desk` run from its root.
            source_env = {**base, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), base.get("PYTHONPATH")]))}
            # Built: nothing of this Python (the built folder carries its own).
            built_env = {k: v for k, v in base.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
            source = ([sys.executable, "-m", "blo_desk"], source_env)
            built = ([str(built_path)], built_env)
            if warm_up:  # warm the page cache for both, as a second start would be
                _start(*source, display, scratch), _start(*built, display, scratch)
            times: dict[str, list[float]] = {"source": [], "built": []}
            for _ in range(runs):
                times["source"].append(_start(*source, display, scratch))
                times["built"].append(_start(*built, display, scratch))
        finally:
            display.close()
    src, blt = statistics.median(times["source"]), statistics.median(times["built"])
    print(f"{'cold start to painted login window':<40} {'median':>8}   runs (each, ms)")
    print(f"{'from source (python -m blo_desk)':<40} {src * 1000:>6.0f}ms   {runs} ({_all(times['source'])})")
    print(f"{'built folder (dist/blo-desk)':<40} {blt * 1000:>6.0f}ms   {runs} ({_all(times['built'])})")
    print(f"ratio built / source: {blt / src:.2f}x (target <= 1.2x): {'ok' if blt / src <= 1.2 else 'NOT MET'}")
    print("(Xvfb, xcb platform; window mapped and painted, seen from outside the process; alternating runs)")


def _all(values: list[float]) -> str:
    return "/".join(f"{v * 1000:.0f}" for v in values)


if __name__ == "__main__":
    main()
