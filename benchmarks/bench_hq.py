"""HQ at national scale on PostgreSQL (issue 17): a store of 1,000,000 cases built once through the real import
(signed bundles from 24 posts) and cached; then search and the first list page, each beside a raw-SQL floor on the
same index, the import of 24 posts x 5,000 cases on PostgreSQL and on SQLite, and 20 analysts searching while a
batch of bundles imports into the big store.

Run: .venv/bin/python benchmarks/bench_hq.py [--cases 1000000] [--build-only] [--partial]
         [--parts search,import,concurrent] [--smoke]
The store is a PostgreSQL cluster cached under /tmp/blo-desk-bench/hq-pg-<cases> (built with fsync off, measured
with the server's durable defaults); its server is started for the run and stopped after (tests/pg.py). A build
that is stopped goes on where it stopped when run again (bundles HQ holds are skipped); `--partial` measures an
unfinished store as it is. On a shared machine, build it once in the background: `nice -n 5 ... --build-only`.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from blo_desk.config import load_settings  # noqa: E402
from blo_desk.domain.canonical import canonical_json, revision_record  # noqa: E402
from blo_desk.domain.entities import EXACT_COUNT_LIMIT, CaseQuery  # noqa: E402
from blo_desk.domain.enums import CaseStatus  # noqa: E402
from blo_desk.domain.permissions import SYSTEM  # noqa: E402
from blo_desk.exchange import minisign  # noqa: E402
from blo_desk.exchange.manifest import Manifest  # noqa: E402
from blo_desk.exchange.pack import write_bundle  # noqa: E402
from blo_desk.services.demo import synthetic_cases  # noqa: E402
from blo_desk.services.registry import open_services  # noqa: E402
from blo_desk.storage.repositories import TRUSTED_ESTIMATE, WHOLE_WORDS_FROM  # noqa: E402
from blo_desk.storage.search_query import ts_query  # noqa: E402

from _store import SHARED_CACHE, SMOKE_HELP, cache_root  # noqa: E402

POSTS = ["UZ-DUS", "UZ-OYB", "UZ-SAR", "UZ-KUD", "UZ-GSK", "UZ-ALT", "TJ-FOT", "TJ-PAK", "TJ-TUR", "TJ-PNJ", "TJ-GUL",
         "KZ-KON", "KZ-KOR", "KZ-ZHZ", "KZ-KRS", "KZ-KRK", "KG-DOS", "KG-KZB", "KG-KRM", "KG-AKJ", "TM-FAR", "TM-DAS",
         "TM-IMN", "TM-SER"]
# The 15 searches of bench_store.py at the post: names in both scripts and with the Uzbek apostrophe, plates and
# passports cut short, a brand, a substance in Russian, a case number's start, everyday words.
QUERIES = ["Karimov", "ҳеро", "01 A 457", "toʻxtayev", "AB 1234", "Oztay", "героин", "Dilnoza", "vodka",
           "Rahimova Madina", "baby", "UZ-DUS-2024", "perfume", "Шарипов", "KN 00"]
# The server of an HQ: a quarter of the machine's memory for PostgreSQL's own cache, SSD costs.
SERVER = "-c shared_buffers=2GB -c effective_cache_size=8GB -c work_mem=32MB -c random_page_cost=1.1"
PAGE = 500  # the list's page (ui/models/case_table.py)
#: An analyst's pause to read between two searches, seconds (bench_concurrent).
READING = (0.3, 1.5)
LIST_COLUMNS = ("id, case_number, post_code, occurred_at, timezone, status, revision, categories, items_summary, "
                "persons_summary, total_value, currency")
rows_out: list[tuple[str, str, str]] = []


def row(what: str, value: str, note: str = "") -> None:
    rows_out.append((what, value, note))
    print(f"  {what}: {value} {note}", file=sys.stderr)


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _p95_ms(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95 + 0.5) - 1)] * 1000


def open_store(folder: Path, url: str | None = None):
    """A plaintext store opened as SYSTEM (the benchmark measures HQ's store, not SQLCipher)."""
    return open_services(load_settings(data_dir=folder, db_url=url, language="en", plaintext_store=True),
                         principal=SYSTEM)


# --- bundles -----------------------------------------------------------------------------------------------------
def make_bundle(folder: str, code: str, post_index: int, sequence: int, count: int, secret: str) -> str:
    """One signed bundle of `count` new synthetic cases of a post (a worker process makes them ahead of the import)."""
    key = minisign.parse_secret_key(secret)
    seed = post_index * 10_000 + sequence
    cases = [replace(c, post_code=code, destination_country=code[:2],
                     case_number=f"{code}-{c.case_number.rsplit('-', 2)[1]}-{sequence:02d}{n:05d}")
             for n, c in enumerate(synthetic_cases(count, seed=seed), start=1)]
    records = [canonical_json(revision_record(c, parent_hash="")) for c in cases]
    manifest = Manifest(post=code, key_id=key.public_key.key_id_text, sequence=sequence, previous_sha256="",
                        created_at="2026-01-01T00:00:00.000000Z", app_version="bench", schema_version="bench",
                        full=False, records=len(records), cases=len(records), attachments=0)
    return str(write_bundle(folder=Path(folder) / f"{code}-{sequence}", manifest=manifest, key=key, records=records,
                            attachments=[]).path)


def post_keys() -> dict[str, minisign.SecretKey]:
    return {code: minisign.SecretKey.generate() for code in POSTS}


def bundle_plan(total: int, per_bundle: int, first_sequence: int) -> list[tuple[str, int, int, int]]:
    """(post, post index, sequence, cases) for `total` cases spread evenly over the 24 posts, one bundle of each post
    in turn (a store stopped half way holds every post)."""
    per_post, extra = divmod(total, len(POSTS))
    plan = []
    for index, code in enumerate(POSTS, start=1):
        left, sequence = per_post + (1 if index <= extra else 0), first_sequence
        while left > 0:
            plan.append((code, index, sequence, min(per_bundle, left)))
            left -= per_bundle
            sequence += 1
    return sorted(plan, key=lambda p: (p[2], p[1]))


def trust(hq, keys: dict[str, minisign.SecretKey]) -> None:
    for code, key in keys.items():
        hq.hq.trust_key(post_code=code, public_key=key.public_key.to_file_text())


def import_plan(hq, folder: Path, plan, keys, *, workers: int = 1) -> float:
    """Make the plan's bundles in worker processes (ahead) and import each through HQ's import as it is ready;
    returns the seconds spent importing (bundle making overlaps it and is not counted). Bundles HQ already holds
    (a build stopped half way) are skipped."""
    held = {(status.post_code, seq) for status in hq.hq.status() for seq in status.sequences}
    plan = [p for p in plan if (p[0], p[2]) not in held]
    secrets = {code: key.to_file_text() for code, key in keys.items()}
    importing, done_cases, started = 0.0, 0, time.perf_counter()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(make_bundle, str(folder), code, index, seq, count, secrets[code])
                   for code, index, seq, count in plan]
        for n, future in enumerate(futures, start=1):
            path = Path(future.result())
            t = time.perf_counter()
            report = hq.hq.import_bundle(path=path)
            importing += time.perf_counter() - t
            assert report.outcome == "imported", report.reason()
            done_cases += report.new
            shutil.rmtree(path.parent, ignore_errors=True)
            if n % 10 == 0 or n == len(futures):
                print(f"    {done_cases:,} cases imported in {time.perf_counter() - started:.0f} s "
                      f"({done_cases / importing:,.0f} cases/s importing)", file=sys.stderr, flush=True)
    return importing


# --- the cached 1,000,000-case store -----------------------------------------------------------------------------
def _held_cases(server) -> int:
    import psycopg

    with psycopg.connect(host=str(server.folder), port=server.port, user="postgres", dbname="hq") as conn:
        return int(conn.execute("SELECT count(*) FROM seizure_case").fetchone()[0])


def hq_store(root: Path, cases: int, per_bundle: int, *, partial: bool = False):
    """Start the server of the cached store of `cases` cases, building it first if it is not complete (a build
    that was stopped goes on where it stopped). With `partial`, an unfinished store is measured as it is."""
    import pg

    folder = root / f"hq-pg-{cases}"
    marker = folder / "complete.json"
    if not marker.exists() and not (partial and (folder / "keys.json").exists()):
        fresh = not (folder / "keys.json").exists()
        if fresh:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for where in (root, folder):  # the server runs as the postgres user
                os.chmod(where, 0o755)
            keys = post_keys()
        else:
            keys = {code: minisign.parse_secret_key(text)
                    for code, text in json.loads((folder / "keys.json").read_text()).items()}
        server = pg.start(folder / "pg", settings=SERVER + " -c fsync=off -c full_page_writes=off")
        try:
            if fresh:
                server.admin("CREATE DATABASE hq")
            hq = open_store(folder / "app", server.url("hq"))
            if fresh:
                trust(hq, keys)
                (folder / "keys.json").write_text(json.dumps({c: k.to_file_text() for c, k in keys.items()}))
            started = time.perf_counter()
            importing = import_plan(hq, folder / "bundles", bundle_plan(cases, per_bundle, 1), keys)
            hq.close()
            server.admin("VACUUM ANALYZE")
            server.admin("CHECKPOINT")
            built = time.perf_counter() - started
        finally:
            pg.stop(server, remove=False)
        marker.write_text(json.dumps({"cases": cases, "seconds": built, "importing": importing}))
        print(f"(made a store of {cases:,} cases in {built:.0f} s, {importing:.0f} s of it importing: {folder})",
              file=sys.stderr)
    server = pg.start(folder / "pg", settings=SERVER)
    if marker.exists():
        return server, json.loads(marker.read_text())
    server.admin("VACUUM ANALYZE")
    held = _held_cases(server)
    print(f"(the store of {cases:,} cases is not complete: measuring the {held:,} it holds)", file=sys.stderr)
    return server, {"cases": held, "seconds": 0.0, "importing": 0.0, "partial": True}


# --- search and list -------------------------------------------------------------------------------------------
def _raw(server, database: str):
    import psycopg

    return psycopg.connect(host=str(server.folder), port=server.port, user="postgres", dbname=database,
                           autocommit=True)


def _steer(conn, *, walk_dates: bool) -> None:
    switches = {"enable_bitmapscan": not walk_dates, "enable_indexscan": walk_dates, "enable_seqscan": walk_dates}
    conn.execute("SELECT " + ", ".join(f"set_config('{name}', '{'on' if on else 'off'}', true)"
                                       for name, on in switches.items()))


def floor_search(conn, text: str) -> None:
    """What the app asks PostgreSQL for one search, as raw SQL with the same tsquery on the same index, in one
    transaction as the app's: the planner's estimate; between WHOLE_WORDS_FROM and TRUSTED_ESTIMATE the GIN index's
    entries for the typed words as whole words (EXPLAIN ANALYZE of LIMIT 1) and, unless those are twice the limit,
    the capped count of the search itself; the page with the
    same planner switches (a walk of the date index over the limit, the search index's matches sorted under it);
    the page's substances. The list without a search: the estimate, the page, its substances and (a full page,
    estimated at most TRUSTED_ESTIMATE) the capped count."""
    where = "WHERE status <> 'voided'" + (" AND search_vector @@ %s::tsquery" if text else "")
    params = (ts_query(text),) if text else ()
    count = f"SELECT count(*) FROM (SELECT 1 FROM seizure_case {where} LIMIT {EXACT_COUNT_LIMIT + 1}) s"
    explain = f"EXPLAIN (FORMAT JSON) SELECT id FROM seizure_case {where}"
    with conn.transaction():
        estimate = conn.execute(explain, params).fetchone()[0][0]["Plan"]["Plan Rows"]
        if text:
            dense = True
            if estimate <= TRUSTED_ESTIMATE:
                _steer(conn, walk_dates=False)
                capped = None
                if estimate >= WHOLE_WORDS_FROM:  # the index's entries for the whole words (the searches have no filter)
                    plan = conn.execute(f"EXPLAIN (ANALYZE, TIMING OFF, SUMMARY OFF, FORMAT JSON) SELECT 1 "
                                        f"FROM seizure_case {where} LIMIT 1",
                                        (ts_query(text, whole_words=True),)).fetchone()[0][0]["Plan"]
                    while plan["Node Type"] != "Bitmap Index Scan":
                        plan = plan["Plans"][0]
                    capped = EXACT_COUNT_LIMIT + 1 if plan["Actual Rows"] >= 2 * EXACT_COUNT_LIMIT else None
                if capped is None:
                    capped = conn.execute(count, params).fetchone()[0]
                dense = capped > EXACT_COUNT_LIMIT
            _steer(conn, walk_dates=dense)
        rows = conn.execute(f"SELECT {LIST_COLUMNS}, occurred_at FROM seizure_case {where} "
                            f"ORDER BY occurred_at DESC, id DESC LIMIT {PAGE + 1}", params).fetchall()
        conn.execute("SELECT case_id, position, substance FROM seized_item WHERE case_id = ANY(%s) AND substance <> ''",
                     ([r[0] for r in rows[:PAGE]],)).fetchall()
        if not text and estimate <= TRUSTED_ESTIMATE and len(rows) > PAGE:
            conn.execute(count).fetchone()


def bench_search(hq, conn, rounds: int) -> None:
    ours: list[float] = []
    floor: list[float] = []
    for text in QUERIES:  # warm both
        hq.cases.list_cases(query=CaseQuery(text=text, limit=PAGE))
        floor_search(conn, text)
    per_query = {}
    for text in QUERIES:
        mine, raw = [], []
        for _ in range(rounds):
            t = time.perf_counter()
            page = hq.cases.list_cases(query=CaseQuery(text=text, limit=PAGE))
            mine.append(time.perf_counter() - t)
            t = time.perf_counter()
            floor_search(conn, text)
            raw.append(time.perf_counter() - t)
        ours += mine
        floor += raw
        per_query[text] = (page.total, page.estimated, _median_ms(mine), _median_ms(raw))
    for text, (total, estimated, mine_ms, raw_ms) in per_query.items():
        print(f"    {text!r:20} {'~' if estimated else ' '}{total:>9,} hits  {mine_ms:7.1f} ms  floor {raw_ms:7.1f} ms",
              file=sys.stderr)
    p95, floor_p95 = _p95_ms(ours), _p95_ms(floor)
    row(f"search p95, 15 queries x {rounds}", f"{p95:.1f} ms",
        f"(median {_median_ms(ours):.1f} ms; limit 100 ms)")
    row("search p95, raw-SQL floor on the same index", f"{floor_p95:.1f} ms",
        f"(median {_median_ms(floor):.1f} ms; ours / floor {p95 / floor_p95:.2f}x, limit 1.5x)")


def bench_list(hq, conn, rounds: int) -> None:
    mine, raw = [], []
    for _ in range(rounds + 1):
        t = time.perf_counter()
        first = hq.cases.list_cases(query=CaseQuery(limit=PAGE))
        mine.append(time.perf_counter() - t)
        t = time.perf_counter()
        floor_search(conn, "")
        raw.append(time.perf_counter() - t)
    mine, raw = mine[1:], raw[1:]
    row("first list page by date (median)", f"{_median_ms(mine):.1f} ms",
        f"(p95 {_p95_ms(mine):.1f} ms, floor {_median_ms(raw):.1f} ms; {'~' if first.estimated else ''}"
        f"{first.total:,} cases; limit 50 ms)")
    filters = {"post": CaseQuery(limit=PAGE, post_code="UZ-DUS"),
               "status": CaseQuery(limit=PAGE, statuses=(CaseStatus.DRAFT,)),
               "commodity": CaseQuery(limit=PAGE, category="narcotics"),
               "dates": CaseQuery(limit=PAGE, date_from=first.rows[-1].occurred_at.date().replace(day=1),
                                  date_to=first.rows[-1].occurred_at.date())}
    for name, query in filters.items():
        samples = []
        for _ in range(rounds + 1):
            t = time.perf_counter()
            hq.cases.list_cases(query=query)
            samples.append(time.perf_counter() - t)
        row(f"first list page, filtered by {name} (median)", f"{_median_ms(samples[1:]):.1f} ms")
    page, later = first, []
    for _ in range(min(rounds, 10)):
        t = time.perf_counter()
        page = hq.cases.list_cases(query=CaseQuery(limit=PAGE, after=page.after, offset=1))
        later.append(time.perf_counter() - t)
    row("further pages, keyset (median)", f"{_median_ms(later):.1f} ms", "(no count, no OFFSET)")


# --- import ------------------------------------------------------------------------------------------------------
def _server_cpu(server) -> float | None:
    """CPU seconds the PostgreSQL server has used so far (its postmaster, the children it waited for, and the live
    ones: backends, WAL writer, checkpointer), from /proc; None where there is no /proc."""
    try:
        pid = int((server.folder / "data" / "postmaster.pid").read_text().split()[0])
        ticks = os.sysconf("SC_CLK_TCK")

        def fields(p: int) -> list[str]:
            return Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()

        total = sum(int(x) for x in fields(pid)[11:15])  # utime, stime, cutime, cstime
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            try:
                total += sum(int(x) for x in fields(int(child))[11:13])
            except FileNotFoundError:
                pass
        return total / ticks
    except (OSError, ValueError, IndexError):
        return None


def _own_cpu() -> float:
    """CPU seconds of this process and of the child processes it waited for (the import's worker, once closed)."""
    import resource

    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def bench_import(tmp: Path, per_post: int) -> None:
    """24 posts' bundles into an empty HQ on PostgreSQL (a throw-away server with the HQ settings and durable
    commits) and into one on SQLite (synchronous=FULL), one after the other. Besides the wall time, the CPU seconds
    of the importing process with its worker, and of the PostgreSQL server: on a shared machine the steadier
    figures."""
    import pg

    keys = post_keys()
    plan = bundle_plan(per_post * len(POSTS), per_post, 1000)
    secrets = {code: key.to_file_text() for code, key in keys.items()}
    with ProcessPoolExecutor(max_workers=2) as pool:
        paths = list(pool.map(make_bundle, *zip(*[(str(tmp / "b"), c, i, s, n, secrets[c]) for c, i, s, n in plan],
                                                 strict=True)))
    results = {}
    server = pg.start(tmp / "import-pg", settings=SERVER)
    try:
        server.admin("CREATE DATABASE import_bench")
        for label, url in (("PostgreSQL", server.url("import_bench")), ("SQLite", None)):
            hq = open_store(tmp / f"hq-{label}", url)
            trust(hq, keys)
            cpu, served, t = _own_cpu(), _server_cpu(server), time.perf_counter()
            reports = hq.hq.import_bundles(paths=[Path(p) for p in paths])
            seconds = time.perf_counter() - t
            after = _server_cpu(server)
            assert not [r.reason() for r in reports if r.rejected]
            hq.close()  # its worker process ends: its CPU is counted
            server_cpu = after - served if after is not None and served is not None and url else None
            results[label] = (seconds, _own_cpu() - cpu, server_cpu, os.getloadavg()[0])
    finally:
        pg.stop(server)
    total = per_post * len(POSTS)
    for label, (seconds, client, server_cpu, load) in results.items():
        cpu = f"CPU: import {client:.1f} s" + ("" if server_cpu is None else f", server {server_cpu:.1f} s")
        row(f"import 24 posts x {per_post:,} cases on {label}", f"{seconds:.1f} s",
            f"({total / seconds:,.0f} cases/s; {cpu}; load {load:.1f}"
            + ("; limit 30 s, at least as fast as SQLite)" if label == "PostgreSQL" else ")"))
    shutil.rmtree(tmp / "b", ignore_errors=True)


# --- 20 analysts during an import --------------------------------------------------------------------------------
def analyst(url: str, folder: str, seed: int, ready, start, stop, phase, out, pause: tuple[float, float]) -> None:
    """One analyst: searches with a pause to read between them (`pause`: 0.3 to 1.5 s) until told to stop; each search
    recorded as (phase, wall seconds, this process's CPU seconds), phase 0 before the import starts, 1 during it."""
    rng = random.Random(seed)
    hq = open_store(Path(folder), url)
    hq.cases.list_cases(query=CaseQuery(text=rng.choice(QUERIES), limit=PAGE))  # connected, warm
    with hq.engine.connect() as conn:  # the pool's one connection: the server process that serves this analyst
        ready.put(conn.exec_driver_sql("SELECT pg_backend_pid()").scalar())
    start.wait()
    samples = []
    while True:  # at least one search each, however short the import
        now = phase.value
        t, cpu = time.perf_counter(), time.process_time()
        hq.cases.list_cases(query=CaseQuery(text=rng.choice(QUERIES), limit=PAGE))
        samples.append((now, time.perf_counter() - t, time.process_time() - cpu))
        if stop.wait(rng.uniform(*pause)):
            break
    hq.close()
    out.put(samples)


def _server_cpu_by_process(server) -> dict[int, float]:
    """CPU seconds (user + system) used so far by each of the server's live processes (the postmaster's children):
    the analysts' backends stay connected through both phases, so a difference is their work."""
    ticks = os.sysconf("SC_CLK_TCK")
    postmaster = (server.folder / "data" / "postmaster.pid").read_text().split()[0]
    found = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            fields = (Path("/proc") / pid / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[1] == postmaster or pid == postmaster:
            found[int(pid)] = (int(fields[11]) + int(fields[12])) / ticks
    return found


def bench_concurrent(server, tmp: Path, analysts: int, per_post: int, alone: float,
                     pause: tuple[float, float] = READING) -> None:
    """A copy of the big store (CREATE DATABASE ... TEMPLATE) takes a batch of bundles from 24 posts while
    `analysts` processes search it, after `alone` seconds of the same analysts searching with no import; the cached
    store itself is never changed. Wall time of each search, the CPU of the analysts' processes (ours: Python,
    SQLAlchemy, psycopg) and of the server's processes (PostgreSQL) per search, in each phase."""
    server.admin("DROP DATABASE IF EXISTS hq_run", "CREATE DATABASE hq_run TEMPLATE hq STRATEGY FILE_COPY")
    url = server.url("hq_run")
    keys = post_keys()
    plan = bundle_plan(per_post * len(POSTS), per_post, 2000)
    secrets = {code: key.to_file_text() for code, key in keys.items()}
    with ProcessPoolExecutor(max_workers=2) as pool:
        paths = list(pool.map(make_bundle, *zip(*[(str(tmp / "c"), c, i, s, n, secrets[c]) for c, i, s, n in plan],
                                                 strict=True)))
    hq = open_store(tmp / "hq-run", url)
    trust(hq, keys)
    context = multiprocessing.get_context("spawn")
    ready, start, stop, out = context.Queue(), context.Event(), context.Event(), context.Queue()
    phase = context.Value("i", 0)
    workers = [context.Process(target=analyst,
                               args=(url, str(tmp / f"analyst-{n}"), n, ready, start, stop, phase, out, pause))
               for n in range(analysts)]
    for w in workers:
        w.start()
    backends = {ready.get(timeout=600) for _ in workers}  # all connected and warm
    server_cpu = [_server_cpu_by_process(server)]
    start.set()
    time.sleep(alone)
    phase.value = 1
    server_cpu.append(_server_cpu_by_process(server))
    t, cpu = time.perf_counter(), time.process_time()
    reports = hq.hq.import_bundles(paths=[Path(p) for p in paths])
    importing, import_cpu = time.perf_counter() - t, time.process_time() - cpu
    server_cpu.append(_server_cpu_by_process(server))
    stop.set()
    samples = [s for _ in workers for s in out.get(timeout=600)]
    for w in workers:
        w.join()
    hq.close()
    assert not [r.reason() for r in reports if r.rejected]
    server.admin("DROP DATABASE hq_run")
    spans = {0: alone, 1: importing}
    for which, label in ((0, "alone, no import"), (1, "during an import")):
        walls = [w for p, w, _c in samples if p == which]
        if not walls:
            continue
        cpus = [c for p, _w, c in samples if p == which]
        before, after = server_cpu[which], server_cpu[which + 1]
        used = {pid: seconds - before.get(pid, 0.0) for pid, seconds in after.items()}
        searching = sum(seconds for pid, seconds in used.items() if pid in backends)
        note = (f"(median {_median_ms(walls):.1f} ms, {len(walls)} searches, {len(walls) / spans[which]:.1f}/s; "
                f"CPU per search: analyst {_median_ms(cpus):.1f} ms median, {sum(cpus) / len(walls) * 1000:.1f} ms "
                f"mean, server {searching / len(walls) * 1000:.1f} ms mean; the rest of the server "
                f"{sum(used.values()) - searching:.1f} s CPU in {spans[which]:.1f} s)")
        if which:
            note += (f"; import of {per_post * len(POSTS):,} cases took {importing:.1f} s meanwhile "
                     f"({import_cpu:.1f} s CPU in the importer's process); limit 250 ms")
        row(f"{analysts} analysts searching {label} (p95)", f"{_p95_ms(walls):.1f} ms", note)
    shutil.rmtree(tmp / "c", ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--per-bundle", type=int, default=5_000)
    parser.add_argument("--per-post", type=int, default=5_000, help="cases per post in the import benchmark")
    parser.add_argument("--analysts", type=int, default=20)
    parser.add_argument("--batch-per-post", type=int, default=1_000,
                        help="cases per post in the batch imported while the analysts search")
    parser.add_argument("--parts", default="search,import,concurrent",
                        help="which measurements: search (search and list), import, concurrent")
    parser.add_argument("--alone", type=float, default=20.0,
                        help="seconds the analysts search before the import starts (measured apart)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--build-only", action="store_true", help="build (or find) the cached store and stop")
    parser.add_argument("--partial", action="store_true",
                        help="measure an unfinished cached store as it is (a build stopped half way)")
    parser.add_argument("--smoke", action="store_true", help=SMOKE_HELP)
    args = parser.parse_args()
    args.pause = READING
    if args.smoke:
        args.cases, args.per_bundle, args.per_post, args.analysts, args.rounds = 1_200, 50, 10, 3, 1
        args.batch_per_post, args.alone = 10, 2.0
        # the smoke import lasts a fraction of a second: analysts who paused to read would all miss it
        args.pause = (0.01, 0.05)
    parts = set(args.parts.split(","))
    import pg

    with cache_root(SHARED_CACHE, smoke=args.smoke) as root:
        tmp = Path(tempfile.mkdtemp(prefix="blo-bench-hq-", dir=root if args.smoke else None))
        os.chmod(tmp, 0o755)
        if parts == {"import"}:  # needs no big store
            try:
                bench_import(tmp, args.per_post)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            _print_table()
            return 0
        server, built = hq_store(root, args.cases, args.per_bundle, partial=args.partial)
        try:
            if built.get("partial"):
                row(f"store of {built['cases']:,} cases (an unfinished build of {args.cases:,})", "", "")
            else:
                row(f"store of {built['cases']:,} cases, built once through the import",
                    f"{built['seconds']:.0f} s", f"({built['cases'] / built['importing']:,.0f} cases/s importing)")
            if args.build_only:
                return 0
            if "search" in parts:
                hq = open_store(tmp / "hq", server.url("hq"))
                conn = _raw(server, "hq")
                print("search and list ...", file=sys.stderr)
                bench_search(hq, conn, args.rounds)
                bench_list(hq, conn, max(args.rounds * 4, 3))
                conn.close()
                hq.close()
            if "import" in parts:
                print("import ...", file=sys.stderr)
                bench_import(tmp, args.per_post)
            if "concurrent" in parts:
                print("analysts during an import ...", file=sys.stderr)
                bench_concurrent(server, tmp, args.analysts, args.batch_per_post, args.alone, args.pause)
        finally:
            pg.stop(server, remove=args.smoke)
            shutil.rmtree(tmp, ignore_errors=True)
    _print_table()
    return 0


def _print_table() -> None:
    width = max(len(r[0]) for r in rows_out)
    print(f"{'measure':<{width}}  {'value':>10}  note")
    for what, value, note in rows_out:
        print(f"{what:<{width}}  {value:>10}  {note}")


if __name__ == "__main__":
    raise SystemExit(main())
