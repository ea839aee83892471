"""Store figures for issue 2: save, full-text search and first list page, each beside a raw sqlite3 floor.

Run: .venv/bin/python benchmarks/bench_store.py [--cases 100000] [--smoke]
The store is generated once and cached under /tmp/blo-desk-bench (see _store.py).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
import uuid
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from sqlalchemy import event

sys.path.insert(0, str(Path(__file__).resolve().parent))

from blo_desk.domain.canonical import canonical_json, revision_record  # noqa: E402
from blo_desk.domain.entities import CaseQuery, Officer, Person, TransportDocument  # noqa: E402
from blo_desk.domain.enums import PersonRole  # noqa: E402
from blo_desk.services.demo import dustlik_case  # noqa: E402
from blo_desk.storage.case_rows import search_body  # noqa: E402
from blo_desk.storage.repositories import fts_query  # noqa: E402

from _store import SHARED_CACHE, SMOKE_HELP, cache_root, open_cached  # noqa: E402

QUERIES = ["Karimov", "ҳеро", "01 A 457", "toʻxtayev", "AB 1234", "Oztay", "героин", "Dilnoza", "vodka",
           "Rahimova Madina", "baby", "UZ-DUS-2024", "perfume", "Шарипов", "KN 00",
           # substance synonyms in the three languages and inflections, and format-2 numbers
           "heroin", "geroin", "гашиш", "nasha", "марихуаны", "tramadol", "ангидрид", "patron", "MSKU 1234567",
           "CMR 12"]


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _p95_ms(samples: list[float]) -> float:
    return sorted(samples)[max(0, int(len(samples) * 0.95) - 1)] * 1000


def case_with_5_items_3_persons():
    """The Dustlik case made a full format-2 record: 5 items with substance, weights, packaging and seals; 3 persons,
    one with several roles and the passport's issue; a truck with trailer, documents, officers, a joint operation."""
    base = dustlik_case()
    items = tuple(replace(base.items[0], description=f"Item {n}", value=Decimal(1000 * n), substance="pellets_4_5",
                          net_weight=Decimal("12.345") * n, gross_weight=Decimal("13.1") * n, packaging="box",
                          package_group="A" if n < 3 else "", seals=f"UZ-DUS 0046{n:02d}") for n in range(1, 6))
    persons = (
        Person(role=PersonRole.OWNER, full_name="Karimova Dilnoza", document_type="passport", document_number="AC 1",
               other_roles=(PersonRole.SUSPECT,), document_issued_on=base.occurred_at.date().replace(year=2019),
               document_issuer="IIV Toshkent", birth_place="Samarqand"),
        *base.persons[1:3],
    )
    return replace(base, items=items, persons=persons, joint_agencies=("border", "police"),
                   other_detection_methods=("dog",), technical_means=("xray_scanner",), conveyance_type="truck",
                   vehicle_make="MAN TGX 18.440", trailer_plate="01 5544 AA", vin="WMA06XZZ4DM612345",
                   transit_countries=("TJ",), declared_cargo="Toys", declared_weight=Decimal("1200"),
                   documents=(TransportDocument(kind="cmr", number="AF 0412377"),
                              TransportDocument(kind="invoice", number="INV-1")),
                   officers=(Officer(full_name="Karimov Aziz", rank="Major", agency="customs"),
                             Officer(full_name="Ergashev Sardor", rank="Captain", agency="customs")))


class _Replay:
    """The floor of a save: the very statements and parameters that one of our saves sent to SQLite, replayed with
    raw sqlite3 (same pragmas, same transaction) on a snapshot of the store taken before the timed saves. What
    validation reads through the driver's own cursor (every reference code and post) is read here too."""

    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path)
        from blo_desk.storage.engine import SQLITE_PRAGMAS

        for pragma in SQLITE_PRAGMAS:
            self.conn.execute(f"PRAGMA {pragma}")

    def run(self, statements: list[tuple[str, object, bool]]) -> float:
        conn = self.conn
        started = time.perf_counter()
        conn.execute("SELECT kind, code FROM reference_item").fetchall()
        conn.execute("SELECT code FROM post").fetchall()
        for statement, parameters, many in statements:
            if many:
                conn.executemany(statement, parameters)
            else:
                conn.execute(statement, parameters).fetchall()
        conn.commit()
        return time.perf_counter() - started


def _minimal_floor(case, rounds: int, path: Path) -> list[float]:
    """The earlier floor, kept for comparison: a handful of columns into five bare tables of an empty file, no
    triggers, counter or audit event. It is not the same work as a save, so no ratio is taken against it."""
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.executescript(
        "CREATE TABLE c(id TEXT PRIMARY KEY, number TEXT, post TEXT, occurred TEXT, narrative TEXT, fts INTEGER);"
        "CREATE TABLE i(id INTEGER PRIMARY KEY, case_id TEXT, pos INT, category TEXT, description TEXT, qty TEXT, value TEXT);"
        "CREATE TABLE p(id INTEGER PRIMARY KEY, case_id TEXT, pos INT, role TEXT, name TEXT, doc TEXT);"
        "CREATE TABLE r(case_id TEXT, revision INT, hash TEXT, record TEXT, PRIMARY KEY(case_id, revision));"
        "CREATE VIRTUAL TABLE f USING fts5(body);"
    )
    timings = []
    for n in range(rounds):
        started = time.perf_counter()
        cid = str(uuid.uuid4())
        record = revision_record(replace(case, id=cid, revision=1), parent_hash="")
        conn.execute("BEGIN")
        rowid = conn.execute("INSERT INTO f(body) VALUES (?)", (search_body(case),)).lastrowid
        conn.execute("INSERT INTO c VALUES (?,?,?,?,?,?)", (cid, f"N-{n}", case.post_code, "2024", case.narrative, rowid))
        conn.executemany("INSERT INTO i(case_id,pos,category,description,qty,value) VALUES (?,?,?,?,?,?)",
                         [(cid, k, it.category, it.description, str(it.quantity), str(it.value)) for k, it in enumerate(case.items)])
        conn.executemany("INSERT INTO p(case_id,pos,role,name,doc) VALUES (?,?,?,?,?)",
                         [(cid, k, str(pe.role), pe.full_name, pe.document_number) for k, pe in enumerate(case.persons)])
        conn.execute("INSERT INTO r VALUES (?,?,?,?)", (cid, 1, record["content_hash"], canonical_json(record).decode()))
        conn.execute("COMMIT")
        timings.append(time.perf_counter() - started)
    conn.close()
    path.unlink(missing_ok=True)
    return timings


def bench_save(services, rounds: int) -> tuple[float, float, float]:
    """Median of our save, of its raw floor (the same statements replayed), and of the earlier minimal floor."""
    case = case_with_5_items_3_persons()
    data_dir = services.settings.data_dir
    snapshot = data_dir / "floor-snapshot.sqlite3"
    snapshot.unlink(missing_ok=True)
    with sqlite3.connect(data_dir / "blo_desk.sqlite3") as source, sqlite3.connect(snapshot) as target:
        source.backup(target)  # the store as it is before the timed saves, so that the replay writes the same rows
    statements: list[tuple[str, object, bool]] = []

    def capture(_conn, _cursor, statement, parameters, _context, executemany):
        statements.append((statement, parameters, executemany))

    timings, floor = [], []
    replay = _Replay(snapshot)
    event.listen(services.engine, "before_cursor_execute", capture)
    try:
        for _ in range(rounds):  # ours and its floor in turns, so that both see the same machine load
            statements.clear()
            started = time.perf_counter()
            services.cases.save(case=case)
            timings.append(time.perf_counter() - started)
            floor.append(replay.run(statements))
    finally:
        event.remove(services.engine, "before_cursor_execute", capture)
        replay.conn.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{snapshot}{suffix}").unlink(missing_ok=True)
    minimal = _minimal_floor(case, rounds, data_dir / "floor.sqlite3")
    return _median_ms(timings), _median_ms(floor), _median_ms(minimal)


def bench_search(services, rounds: int) -> tuple[float, float]:
    timings, floor = [], []
    path = services.settings.data_dir / "blo_desk.sqlite3"
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    for _ in range(rounds):
        for text in QUERIES:
            started = time.perf_counter()
            services.cases.search(text=text, limit=200)
            timings.append(time.perf_counter() - started)
            started = time.perf_counter()
            rows = raw.execute(
                "SELECT id, case_number, occurred_at FROM seizure_case WHERE search_rowid IN "
                "(SELECT rowid FROM case_fts WHERE case_fts MATCH ?) ORDER BY occurred_at DESC LIMIT 200",
                (fts_query(text),),
            ).fetchall()
            raw.execute(
                "SELECT count(*) FROM seizure_case WHERE search_rowid IN (SELECT rowid FROM case_fts WHERE case_fts MATCH ?)",
                (fts_query(text),),
            ).fetchone()
            floor.append(time.perf_counter() - started)
            del rows
    raw.close()
    return _p95_ms(timings), _p95_ms(floor)


SHARED_RECORDS = 2_000


def _ensure_shared_records(services, count: int) -> None:
    """The store holds `count` records a counterpart shared (non-nominal redactions of synthetic cases), added once."""
    from blo_desk.domain.canonical import content_dict, parse_ts
    from blo_desk.domain.redaction import redact
    from blo_desk.domain.sharing import MessageKind, SharedRecord, ShareMessage
    from blo_desk.services.demo import synthetic_cases
    from blo_desk.storage.models_share import SharedRecordRow

    with services.uow() as uow:
        held = uow.session.query(SharedRecordRow).count()
        if held >= count:
            return
        profile = services.sharing.profile("non-nominal")
        at = parse_ts("2024-05-01T08:00:00Z")
        for n, case in enumerate(synthetic_cases(count - held, seed=99), start=held):
            message_id = f"{n:012x}{0:020x}"
            uow.shares.add_message(ShareMessage(id=message_id, kind=MessageKind.SHARE, outgoing=False, peer="TJ-FOT",
                                                created_at=at, profile="non-nominal",
                                                references=(case.case_number,)), received_at=at, actor="bench")
            content = redact(content_dict(case), profile)
            uow.shares.add_record(SharedRecord(id=f"{message_id[:12]}-1", message_id=message_id, sender="TJ-FOT",
                                               profile="non-nominal", reference=case.case_number, shared_at=at,
                                               received_at=at, content=content),
                                  content_json=canonical_json(content).decode("utf-8"))
        uow.commit()


def bench_shared_search(services, rounds: int) -> tuple[float, float]:
    """What the case list's search adds beside the cases (issue 16): the matching shared records, at most 51."""
    _ensure_shared_records(services, SHARED_RECORDS)
    timings, floor = [], []
    path = services.settings.data_dir / "blo_desk.sqlite3"
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    for _ in range(rounds):
        for text in QUERIES:
            started = time.perf_counter()
            services.sharing.shared_records(text=text, limit=51)
            timings.append(time.perf_counter() - started)
            started = time.perf_counter()
            raw.execute("SELECT * FROM shared_record WHERE id IN (SELECT record_id FROM shared_fts WHERE shared_fts "
                        "MATCH ?) ORDER BY received_at DESC, id LIMIT 51", (fts_query(text),)).fetchall()
            floor.append(time.perf_counter() - started)
    raw.close()
    return _p95_ms(timings), _p95_ms(floor)


def bench_first_page(services, rounds: int) -> tuple[float, float]:
    timings, floor = [], []
    path = services.settings.data_dir / "blo_desk.sqlite3"
    raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    for _ in range(rounds):
        started = time.perf_counter()
        services.cases.list_cases(query=CaseQuery(limit=200))
        timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        raw.execute(
            "SELECT id, case_number, post_code, occurred_at, timezone, status, revision, categories, items_summary, "
            "persons_summary, total_value, currency FROM seizure_case ORDER BY occurred_at DESC, id DESC LIMIT 200"
        ).fetchall()
        raw.execute("SELECT count(*) FROM seizure_case").fetchone()
        floor.append(time.perf_counter() - started)
    raw.close()
    return _median_ms(timings), _median_ms(floor)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--smoke", action="store_true", help=SMOKE_HELP)
    args = parser.parse_args()
    if args.smoke:
        args.cases, args.rounds = 300, 5
    with cache_root(SHARED_CACHE, smoke=args.smoke) as root:
        services = open_cached(args.cases, root=root)
        try:
            search = bench_search(services, max(3, args.rounds // 10))
            shared = bench_shared_search(services, max(3, args.rounds // 10))
            page = bench_first_page(services, args.rounds)
            save = bench_save(services, args.rounds)
        finally:
            services.close()
    save_ours, save_floor, save_minimal = save
    rows = [
        ("save case, 5 items + 3 persons (median)", (save_ours, save_floor), 15.0),
        (f"full-text search over {args.cases:,} cases (p95)", search, 50.0),
        (f"first page of sorted list, {args.cases:,} cases (median)", page, 20.0),
        (f"search of {SHARED_RECORDS:,} shared records beside it (p95)", shared, 50.0),
    ]
    print(f"{'measure':<52} {'BLO Desk':>10} {'raw sqlite3':>12} {'ratio':>7} {'target':>8}  ok")
    for name, (ours, floor), target in rows:
        print(f"{name:<52} {ours:>8.2f}ms {floor:>10.2f}ms {ours / floor:>6.1f}x {target:>6.0f}ms  {'yes' if ours <= target else 'NO'}")
    print(f"save floor = our saves' own statements replayed with raw sqlite3 on a snapshot of the store (limit 3x); "
          f"the earlier minimal floor (5 bare tables, few columns, no triggers/counter/audit) takes {save_minimal:.2f} ms")


if __name__ == "__main__":
    main()
