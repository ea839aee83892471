"""Benchmark of printing: one protocol, 1,000 protocols in a batch (memory), period report over 100,000 cases."""

from __future__ import annotations

import gc
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from blo_desk.config import load_settings
from blo_desk.services.demo import generate, load_demo
from blo_desk.services.registry import open_services

CACHE = Path(os.environ.get("BLO_BENCH_CACHE", "/tmp/blo_desk_bench/reports-100k"))
CASES = 100_000


def rss_mb() -> float:
    """Current resident set size (Linux /proc; falls back to the peak from resource)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def store_with_cases():
    """Services over a store holding the demo cases plus 100,000 synthetic ones (built once, then cached)."""
    if not (CACHE / "blo_desk.sqlite3").exists():
        print(f"generating {CASES:,} cases into {CACHE} (once) ...", file=sys.stderr)
        building = Path(tempfile.mkdtemp(prefix="blo-bench-"))
        services = open_services(load_settings(data_dir=building, language="en"))
        load_demo(cases=services.cases)
        generate(uow=services.uow, count=CASES, seed=1)
        services.close()
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(CACHE, ignore_errors=True)
        shutil.move(str(building), CACHE)
    return open_services(load_settings(data_dir=CACHE, language="en"))


def timed(fn, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    services = store_with_cases()
    printing = services.printing
    rows: list[tuple[str, str, str]] = []
    try:
        dustlik = services.cases.find(reference="UZ-DUS-2024-00001")
        printing.protocol(case_id=dustlik.id, lang="en")  # warm up: fonts, catalogs
        for lang in ("en", "uz+ru"):
            times = timed(lambda: printing.protocol(case_id=dustlik.id, lang=lang), 40)
            rows.append((f"one protocol ({lang}), read + PDF", f"{statistics.median(times) * 1000:.1f} ms median",
                         f"p95 {sorted(times)[int(len(times) * 0.95)] * 1000:.1f} ms; target <= 60 ms"))

        ids = [r.id for r in services.cases.list_cases(query=_query(1000)).rows]
        gc.collect()
        start_rss = rss_mb()
        start = time.perf_counter()
        total_bytes = 0
        checkpoints = []
        for n, (_, pdf) in enumerate(printing.protocols(case_ids=ids, lang="ru"), start=1):
            total_bytes += len(pdf)
            if n % 250 == 0:
                checkpoints.append(f"{rss_mb():.0f}")
        elapsed = time.perf_counter() - start
        rows.append((f"{len(ids):,} protocols in a batch (ru)", f"{elapsed:.1f} s ({elapsed / len(ids) * 1000:.1f} ms each)",
                     f"RSS {start_rss:.0f} MB at start, {rss_mb():.0f} MB at end (every 250: {', '.join(checkpoints)})"))

        for lang in ("en", "ru"):
            times = timed(
                lambda: printing.period_report(date_from=date(2021, 1, 1), date_to=date(2024, 12, 31), lang=lang), 3
            )
            rows.append((f"period report, all {CASES:,}+ cases ({lang})", f"{statistics.median(times):.2f} s median",
                         "target <= 3 s"))
        with services.uow() as uow:
            from blo_desk.domain.statistics import PeriodFilter

            times = timed(lambda: uow.reports.period_statistics(PeriodFilter(date(2021, 1, 1), date(2024, 12, 31))), 3)
        rows.append(("  of which the SQL aggregation", f"{statistics.median(times):.2f} s median", ""))
        times = timed(lambda: printing.period_report(date_from=date(2024, 1, 1), date_to=date(2024, 3, 31),
                                                      post_codes=["UZ-DUS", "KZ-KOR"], lang="uz"), 3)
        rows.append(("period report, one quarter, two posts (uz)", f"{statistics.median(times):.2f} s median", ""))
    finally:
        services.close()
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'result':<28}  notes")
    for name, result, note in rows:
        print(f"{name:<{width}}  {result:<28}  {note}")


def _query(limit: int):
    from blo_desk.domain.entities import CaseQuery

    return CaseQuery(limit=limit, sort_by="case_number", descending=False)


if __name__ == "__main__":
    main()
