"""Shared helper for benchmarks: cached plaintext stores of N synthetic cases, and where --smoke runs keep theirs."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from blo_desk.config import load_settings
from blo_desk.domain.permissions import SYSTEM
from blo_desk.services.demo import generate, load_demo
from blo_desk.services.registry import Services, open_services

SHARED_CACHE = Path("/tmp/blo-desk-bench")
SMOKE_HELP = "tiny sizes, same code paths, a private temporary cache: a check that the script still runs (seconds)"


@contextmanager
def cache_root(default: Path, *, smoke: bool) -> Iterator[Path]:
    """`default` (the shared cache full runs reuse) or, for --smoke, a fresh temporary folder removed afterwards."""
    if not smoke:
        yield default
        return
    folder = Path(tempfile.mkdtemp(prefix="blo-bench-smoke-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def open_plaintext(folder: Path, **settings) -> Services:
    """Services over the plaintext store in `folder`, as SYSTEM: benchmarks measure the store, not SQLCipher
    (bench_security.py measures encryption's own cost)."""
    return open_services(load_settings(data_dir=folder, plaintext_store=True, **settings), principal=SYSTEM)


def cached_store(count: int, *, root: Path = SHARED_CACHE, seed: int = 7) -> Path:
    """The data folder of a store holding the demo cases plus `count` synthetic cases (made once under `root`)."""
    # "-f2": stores of the format-2 record (synthetic cases with substances, weights, documents, officers...)
    folder = root / (f"cases-{count}-f2" if seed == 7 else f"cases-{count}-seed-{seed}-f2")
    marker = folder / ".complete"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    services = open_plaintext(folder)
    load_demo(cases=services.cases)
    generate(uow=services.uow, count=count, seed=seed)
    with services.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    services.close()
    marker.write_text("ok")
    print(f"(made a store of {count:,} cases in {time.perf_counter() - started:.1f} s: {folder})", file=sys.stderr)
    return folder


def open_cached(count: int, *, root: Path = SHARED_CACHE, seed: int = 7, **settings) -> Services:
    return open_plaintext(cached_store(count, root=root, seed=seed), **settings)
