"""Every benchmark script runs from a clean checkout: each one, in --smoke mode, exits 0 and prints its table."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCHMARKS = ROOT / "benchmarks"
SHARED_CACHES = ("/tmp/blo-desk-bench", "/tmp/blo_bench_store", "/tmp/blo_desk_bench")

# The lines each script's table must print (each a line's start, runs of spaces counting as one), in smoke mode.
TABLES = {
    "bench_backup.py": ["backup of 200 cases", "cp -r (store, photos, keys, keyring)", "blo-desk backup",
                        "ratio backup / cp", "same backup of the plaintext store",
                        "peak memory (RSS) of the backup process", "backup verify"],
    "bench_bundle_encryption.py": ["bundle of 2 MB of photos", "write_plain", "write_encrypted", "check_envelope",
                                   "decrypt", "verify_inner"],
    "bench_bundles.py": ["benchmark", "export 100 cases", "import 100 cases", "24 posts x 10 cases on SQLite",
                         "24 posts x 10 cases on PostgreSQL", "import 0.00 GB bundle, 1 photos"],
    "bench_delivery.py": ["part measure value", "throughput bundle", "throughput upload + verify + import + receipt",
                          "throughput transfer only", "drops connections cut mid-chunk", "drops bytes sent again",
                          "3 posts delivered / failed 3 / 0", "3 posts HQ holds 3 bundles from 3 posts"],
    "bench_export.py": ["measure", "XLSX export, about a tenth of the cases", "XLSX export, every case",
                        "CSV export, every case", "floor: raw sqlite3 rows to one CSV", "memory flat"],
    "bench_hq.py": ["measure", "store of 1,200 cases, built once through the import", "search p95, 15 queries",
                    "search p95, raw-SQL floor on the same index", "first list page by date (median)",
                    "first list page, filtered by post", "first list page, filtered by status",
                    "first list page, filtered by commodity", "first list page, filtered by dates",
                    "further pages, keyset (median)", "import 24 posts x 10 cases on PostgreSQL",
                    "import 24 posts x 10 cases on SQLite", "3 analysts searching alone, no import (p95)",
                    "3 analysts searching during an import (p95)"],
    "bench_installer.py": ["cold start to painted login window", "from source (python -m blo_desk)",
                           "built folder (dist/blo-desk)", "ratio built / source"],
    "bench_reports.py": ["benchmark", "one protocol (en), read + PDF", "one protocol (uz+ru), read + PDF",
                         "20 protocols in a batch (ru)", "period report, all 300+ cases (en)",
                         "period report, all 300+ cases (ru)", "of which the SQL aggregation",
                         "period report, one quarter, two posts (uz)"],
    "bench_security.py": ["store of 200 synthetic cases", "plain", "sqlcipher", "ratio", "login (argon2id"],
    "bench_sharing.py": ["measure", "share and receive a case with 10 photos", "share: redact, sign, encrypt, write",
                         "receive: check, decrypt, verify, store", "target (each)"],
    "bench_store.py": ["measure", "save case, 5 items + 3 persons (median)", "full-text search over 300 cases (p95)",
                       "first page of sorted list, 300 cases (median)"],
    "bench_ui.py": ["measure", "cold start, bare PySide6 window painted", "cold start, login window painted",
                    "cold start, desk painted after login", "cold start, desk with store open",
                    "scroll the list end to end", "peak memory (RSS)", "longest GUI stall while typing",
                    "search results after the last key", "longest GUI stall typing in the case editor",
                    "longest GUI stall saving a case", "longest GUI stall switching the language",
                    "longest GUI stall opening the print preview"],
}
# Scripts that build a store: smoke mode must build it in its own temporary folder, not in a shared /tmp cache.
MAKES_A_STORE = {"bench_backup.py", "bench_export.py", "bench_hq.py", "bench_reports.py", "bench_store.py",
                 "bench_ui.py"}
# The installer benchmark needs a PyInstaller build (about a minute whatever the size): it reuses the session's.
SLOW = {"bench_installer.py"}


def test_every_benchmark_script_has_a_smoke_check():
    # GIVEN the benchmark scripts in benchmarks/ THEN each one is run below
    assert sorted(p.name for p in BENCHMARKS.glob("bench_*.py")) == sorted(TABLES)


@pytest.fixture
def scratch():
    """TMPDIR, cwd and caches of the run: a fresh folder (readable by the postgres user tests/pg.py runs as)."""
    folder = Path(tempfile.mkdtemp(prefix="blo-bench-test-"))
    os.chmod(folder, 0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("script", [
    pytest.param(name, marks=[pytest.mark.slow] if name in SLOW else []) for name in sorted(TABLES)
])
def test_benchmark_runs_in_smoke_mode(script, scratch, request):
    # GIVEN a clean environment: none of the test suite's BLO_DESK_* settings (the plaintext-store switch above
    # all), this checkout first on the path, temporary files in a folder of its own
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLO_DESK_")}
    env.update(PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])), TMPDIR=str(scratch),
               QT_QPA_PLATFORM="offscreen")
    command = [sys.executable, str(BENCHMARKS / script), "--smoke"]
    if script == "bench_installer.py":
        if shutil.which("Xvfb") is None:  # it watches both starts on a private X display
            pytest.skip("Xvfb is not installed")
        build, dist = request.getfixturevalue("installer_build")
        assert build.returncode == 0, build.stderr[-3000:]
        command += ["--skip-build", "--dist", str(dist)]
    # WHEN the script runs at its smoke size
    done = subprocess.run(command, cwd=scratch, env=env, capture_output=True, text=True, timeout=300)
    # THEN it succeeds and prints every line of its table
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    lines = [" ".join(line.split()) for line in done.stdout.splitlines()]
    missing = [label for label in TABLES[script] if not any(line.startswith(label) for line in lines)]
    assert not missing, f"not printed: {missing}\n{done.stdout}"
    # AND it kept its stores in its own temporary folder, away from the caches full runs reuse
    output = done.stdout + done.stderr
    assert not [cache for cache in SHARED_CACHES if cache in output], output
    if script in MAKES_A_STORE:
        assert str(scratch) in done.stderr, done.stderr
