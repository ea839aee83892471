"""Shared helper for benchmarks: a cached store of N synthetic cases in /tmp (made once, reused)."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from blo_desk.config import load_settings
from blo_desk.services.demo import generate, load_demo
from blo_desk.domain.permissions import SYSTEM
from blo_desk.services.registry import Services, open_services


def cached_store(count: int, *, root: Path = Path("/tmp/blo-desk-bench")) -> Path:
    """The data folder of a store holding the demo cases plus `count` synthetic cases."""
    folder = root / f"cases-{count}"
    marker = folder / ".complete"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    services = open_services(load_settings(data_dir=folder, plaintext_store=True), principal=SYSTEM)
    load_demo(cases=services.cases)
    generate(uow=services.uow, count=count, seed=7)
    with services.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    services.close()
    marker.write_text("ok")
    print(f"(made a store of {count:,} cases in {time.perf_counter() - started:.1f} s: {folder})", file=sys.stderr)
    return folder


def open_cached(count: int) -> Services:
    return open_services(load_settings(data_dir=cached_store(count), plaintext_store=True), principal=SYSTEM)
