"""Data out figures for issue 17: XLSX and CSV export of every case of a store, with peak memory, beside a floor.

Run: .venv/bin/python benchmarks/bench_export.py [--cases 100000] [--smoke]
The store is generated once and cached under /tmp/blo-desk-bench (see _store.py). CPU is this process's own time:
on a shared, loaded machine it shows the work itself. Memory is the process's resident
size sampled every 20 ms while the export runs: it stays flat when rows stream to disk, so the peak over a tenth
of the cases and over all of them should be about the same.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from blo_desk.domain.entities import CaseQuery  # noqa: E402

from _store import SHARED_CACHE, SMOKE_HELP, cache_root, open_cached  # noqa: E402


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * 4096 / 1e6


class _PeakRss:
    """The highest resident size seen while the block runs, in MB, and the size before it."""

    def __enter__(self) -> _PeakRss:
        self.before = self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss_mb())

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())


def _export(services, query: CaseQuery, fmt: str, out: Path) -> tuple[float, float, int, float, float]:
    with _PeakRss() as memory:
        started, cpu = time.perf_counter(), time.process_time()
        result = services.exports.export(query=query, fmt=fmt, out=out, language="ru")
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    return seconds, cpu_seconds, result.cases, memory.before, memory.peak


def _floor(services, out: Path) -> float:
    """Reading the same case rows with raw sqlite3 and writing them as CSV: what any export must at least do."""
    import csv
    import sqlite3

    started = time.perf_counter()
    conn = sqlite3.connect(services.settings.data_dir / "blo_desk.sqlite3")
    with open(out, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        for table in ("seizure_case", "seized_item", "person"):
            for row in conn.execute(f"SELECT * FROM {table}"):  # noqa: S608 - fixed table names
                writer.writerow(row)
    conn.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--smoke", action="store_true", help=SMOKE_HELP)
    args = parser.parse_args()
    if args.smoke:
        args.cases = 300
    with cache_root(SHARED_CACHE, smoke=args.smoke) as root, tempfile.TemporaryDirectory() as scratch:
        services = open_cached(args.cases, root=root)
        out = Path(scratch)
        try:
            tenth = services.cases.list_cases(query=CaseQuery(limit=1, descending=False,
                                                              offset=args.cases // 10)).rows
            cut = tenth[0].occurred_at.date() if tenth else date.today()
            part = _export(services, CaseQuery(date_to=cut), "xlsx", out / "part.xlsx")
            whole = _export(services, CaseQuery(), "xlsx", out / "all.xlsx")
            csv_whole = _export(services, CaseQuery(), "csv", out / "csv")
            floor = _floor(services, out / "floor.csv")
        finally:
            services.close()
    print(f"{'measure':<44} {'time':>9} {'CPU':>9} {'cases':>8} {'peak RSS':>10} {'growth':>8} {'target':>8}  ok")
    for name, (seconds, cpu_seconds, cases, before, peak), target in (
        ("XLSX export, about a tenth of the cases", part, None),
        ("XLSX export, every case", whole, 30.0),
        ("CSV export, every case", csv_whole, None),
    ):
        ok = "" if target is None else ("yes" if seconds <= target else "NO")
        print(f"{name:<44} {seconds:>8.2f}s {cpu_seconds:>8.2f}s {cases:>8,} {peak:>8.0f}MB {peak - before:>6.0f}MB "
              f"{'' if target is None else f'{target:.0f}s':>8}  {ok}")
    print(f"{'floor: raw sqlite3 rows to one CSV':<44} {floor:>8.2f}s")
    flat = whole[4] - whole[3] <= max(2 * (part[4] - part[3]), 20)
    print(f"memory flat (growth over every case <= 2x growth over a tenth, or <= 20 MB): {'yes' if flat else 'NO'}")


if __name__ == "__main__":
    main()
