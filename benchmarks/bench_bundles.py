"""Bundle benchmarks side by side: export and import of 10,000 cases against raw floors, 24 posts x 5,000 cases on
SQLite and PostgreSQL, and peak memory importing 1 GB of photos.

Run: .venv/bin/python benchmarks/bench_bundles.py [--no-postgres] [--smoke]
PostgreSQL is a throw-away server started the way the tests start theirs (tests/pg.py: initdb + pg_ctl).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from blo_desk.config import load_settings  # noqa: E402
from blo_desk.domain.canonical import canonical_json, revision_record  # noqa: E402
from blo_desk.domain.entities import Attachment  # noqa: E402
from blo_desk.exchange import minisign  # noqa: E402
from blo_desk.exchange.manifest import Manifest  # noqa: E402
from blo_desk.exchange.pack import write_bundle  # noqa: E402
from blo_desk.services.demo import synthetic_cases  # noqa: E402
from blo_desk.services.registry import open_services  # noqa: E402

POSTS = ["UZ-DUS", "UZ-OYB", "UZ-SAR", "UZ-KUD", "UZ-GSK", "UZ-ALT", "TJ-FOT", "TJ-PAK", "TJ-TUR", "TJ-PNJ", "TJ-GUL",
         "KZ-KON", "KZ-KOR", "KZ-ZHZ", "KZ-KRS", "KZ-KRK", "KG-DOS", "KG-KZB", "KG-KRM", "KG-AKJ", "TM-FAR", "TM-DAS",
         "TM-IMN", "TM-SER"]
rows_out: list[tuple[str, str, str, str]] = []


def row(what: str, ours: float, floor: float | None = None, note: str = "") -> None:
    ratio = "" if not floor else f"{ours / floor:.2f}x"
    rows_out.append((what, f"{ours:.3f} s", "" if floor is None else f"{floor:.3f} s", ratio + ("  " + note if note else "")))
    print(f"  {what}: {ours:.3f} s" + ("" if floor is None else f" vs floor {floor:.3f} s ({ratio})") + (f" {note}" if note else ""),
          file=sys.stderr)


def open_store(folder: Path, url: str | None = None):
    """A plaintext store opened as SYSTEM (the benchmark measures bundles, not SQLCipher)."""
    from blo_desk.domain.permissions import SYSTEM

    return open_services(load_settings(data_dir=folder, db_url=url, language="en", plaintext_store=True),
                         principal=SYSTEM)


def post_cases(code: str, count: int, seed: int):
    return [replace(c, post_code=code, case_number=f"{code}-{c.case_number.rsplit('-', 2)[1]}-{seed:02d}{n:05d}",
                    destination_country=code[:2])
            for n, c in enumerate(synthetic_cases(count, seed=seed), start=1)]


# --- 1. export of 10,000 cases ---------------------------------------------------------------------
def bench_export(tmp: Path, count: int) -> Path:
    post = open_store(tmp / "post")
    post.sync.set_up_post(post_code="UZ-DUS")
    cases = post_cases("UZ-DUS", count, seed=1)
    with post.uow() as uow:
        uow.cases.bulk_insert(cases)
        uow.commit()
    with post.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    started = time.perf_counter()
    result = post.sync.export(folder=tmp / "out")
    ours = time.perf_counter() - started
    key = minisign.parse_secret_key(next((tmp / "post" / "keys").glob("*.key")).read_text())
    db = tmp / "post" / "blo_desk.sqlite3"
    post.close()
    # Floor: raw sqlite3 reads the same records, zips them (same deflate level), hashes the file, signs a manifest.
    started = time.perf_counter()
    conn = sqlite3.connect(db)
    lines = [r[0].encode("utf-8") for r in conn.execute(
        "SELECT record FROM case_revision ORDER BY saved_at, case_id, revision")]
    conn.close()
    floor_path = tmp / "floor.zip"
    with open(floor_path, "wb") as raw:
        with zipfile.ZipFile(raw, "w") as zf:
            body = b"\n".join(lines) + b"\n"
            digest = hashlib.sha256(body).hexdigest()
            zf.writestr("records.jsonl", body, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
            manifest = canonical_json({"records": digest, "size": len(body)})
            zf.writestr("manifest.json", manifest)
            zf.writestr("manifest.json.minisig", minisign.sign(manifest, key, trusted_comment="floor"))
        raw.flush()
        os.fsync(raw.fileno())
    hashlib.sha256(floor_path.read_bytes()).hexdigest()
    floor = time.perf_counter() - started
    row(f"export {count:,} cases ({result.size / 1e6:.1f} MB)", ours, floor, "(limit 2x)")
    return Path(result.path)


# --- 2. import of 10,000 cases -------------------------------------------------------------------
TABLES = ["seizure_case", "seized_item", "person", "case_attachment", "case_revision"]


def bench_import(tmp: Path, bundle: Path, public_key: str) -> None:
    template = tmp / "template"
    open_store(template).close()
    hq_dir = tmp / "hq"
    shutil.copytree(template, hq_dir)
    hq = open_store(hq_dir)
    hq.hq.trust_key(post_code="UZ-DUS", public_key=public_key)
    started = time.perf_counter()
    report = hq.hq.import_bundle(path=bundle)
    ours = time.perf_counter() - started
    assert report.outcome == "imported", report.reason()
    hq.close()
    # Floor: the very rows HQ ended with, inserted by raw sqlite3 executemany into an empty store (same schema,
    # indexes, FTS and pragmas: WAL, synchronous=FULL), in one transaction.
    src = sqlite3.connect(hq_dir / "blo_desk.sqlite3")
    data = {t: src.execute(f"SELECT * FROM {t}").fetchall() for t in TABLES}
    fts = src.execute("SELECT rowid, body FROM case_fts").fetchall()
    src.close()
    floor_dir = tmp / "floor-hq"
    shutil.copytree(template, floor_dir)
    conn = sqlite3.connect(floor_dir / "blo_desk.sqlite3", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("DROP TRIGGER IF EXISTS _none_")
    started = time.perf_counter()
    conn.execute("BEGIN")
    for table in TABLES:
        rows = data[table]
        if rows:
            conn.executemany(f"INSERT INTO {table} VALUES ({','.join('?' * len(rows[0]))})", rows)
    conn.executemany("INSERT INTO case_fts(rowid, body) VALUES (?, ?)", fts)
    conn.execute("COMMIT")
    floor = time.perf_counter() - started
    conn.close()
    total = sum(len(v) for v in data.values()) + len(fts)
    row(f"import {report.new:,} cases ({total:,} rows)", ours, floor, "(limit 3x)")


# --- 3. 24 posts x 5,000 cases ------------------------------------------------------------------------
def make_bundles(tmp: Path, per_post: int) -> tuple[list[Path], dict[str, str]]:
    out = tmp / "bundles"
    paths, keys = [], {}
    for n, code in enumerate(POSTS, start=1):
        key = minisign.SecretKey.generate()
        keys[code] = key.public_key.to_file_text()
        records = [canonical_json(revision_record(c, parent_hash="")) for c in post_cases(code, per_post, seed=n)]
        manifest = Manifest(post=code, key_id=key.public_key.key_id_text, sequence=1, previous_sha256="",
                            created_at="2026-01-01T00:00:00.000000Z", app_version="bench", schema_version="bench",
                            full=False, records=len(records), cases=len(records), attachments=0)
        paths.append(write_bundle(folder=out, manifest=manifest, key=key, records=records, attachments=[]).path)
    return paths, keys


def bench_many(tmp: Path, per_post: int, url: str | None, label: str, paths, keys) -> None:
    hq = open_store(tmp / f"hq-many-{label}", url)
    for code, pub in keys.items():
        hq.hq.trust_key(post_code=code, public_key=pub)
    started = time.perf_counter()
    reports = hq.hq.import_bundles(paths=paths)
    elapsed = time.perf_counter() - started
    assert not [r.reason() for r in reports if r.rejected]
    hq.close()
    row(f"24 posts x {per_post:,} cases on {label}", elapsed, None,
        f"({24 * per_post / elapsed:,.0f} cases/s; limit 60 s)")


# --- 4. 1 GB of photos, peak memory --------------------------------------------------------------------
PHOTO_CHILD = r"""
import sys, time


def peak_mb():  # VmHWM: this process's own peak RSS (ru_maxrss would carry the parent's over exec)
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) // 1024


from pathlib import Path
from blo_desk.config import load_settings
from blo_desk.domain.permissions import SYSTEM
from blo_desk.services.registry import open_services
hq = open_services(load_settings(data_dir=Path(sys.argv[1]), language="en", plaintext_store=True), principal=SYSTEM)
hq.hq.trust_key(post_code="UZ-DUS", public_key=Path(sys.argv[3]).read_text())
base = peak_mb()
t = time.perf_counter()
report = hq.hq.import_bundle(path=Path(sys.argv[2]))
elapsed = time.perf_counter() - t
assert report.outcome == "imported", report.reason()
print(elapsed, base, peak_mb(), report.attachments_stored)
"""


def bench_photos(tmp: Path, megabytes: int) -> None:
    key = minisign.SecretKey.generate()
    photo_dir = tmp / "photos"
    photo_dir.mkdir(parents=True)
    per_photo = min(50, megabytes) * 1024 * 1024
    count = max(1, megabytes * 1024 * 1024 // per_photo)
    cases = post_cases("UZ-DUS", count, seed=99)
    photos, records = [], []
    for n, case in enumerate(cases):
        data = b"\xff\xd8\xff\xe0" + os.urandom(per_photo - 4)
        sha = hashlib.sha256(data).hexdigest()
        (photo_dir / sha).write_bytes(data)
        photos.append((sha, photo_dir / sha))
        with_photo = replace(case, attachments=(Attachment(sha256=sha, filename=f"p{n}.jpg", media_type="image/jpeg",
                                                           size=per_photo),))
        records.append(canonical_json(revision_record(with_photo, parent_hash="")))
        del data
    manifest = Manifest(post="UZ-DUS", key_id=key.public_key.key_id_text, sequence=1, previous_sha256="",
                        created_at="2026-01-01T00:00:00.000000Z", app_version="bench", schema_version="bench",
                        full=False, records=len(records), cases=len(records), attachments=len(photos))
    bundle = write_bundle(folder=tmp / "photo-bundle", manifest=manifest, key=key, records=records, attachments=photos)
    shutil.rmtree(photo_dir)
    (tmp / "photo.pub").write_text(key.public_key.to_file_text())
    done = subprocess.run([sys.executable, "-c", PHOTO_CHILD, str(tmp / "hq-photos"), str(bundle.path),
                           str(tmp / "photo.pub")], capture_output=True, text=True, check=True)
    elapsed, base, peak, stored = done.stdout.split()
    row(f"import {bundle.size / 1e9:.2f} GB bundle, {stored} photos", float(elapsed), None,
        f"(peak RSS of the whole process {peak} MB, {base} MB before the import; limit 200 MB)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--per-post", type=int, default=5_000)
    parser.add_argument("--photo-mb", type=int, default=1024)
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--smoke", action="store_true",
                        help="tiny sizes, same code paths (PostgreSQL included): a check that the script still runs")
    args = parser.parse_args()
    if args.smoke:
        args.cases, args.per_post, args.photo_mb = 100, 10, 2
    tmp = Path(tempfile.mkdtemp(prefix="blo-bench-bundles-"))
    server = None
    try:
        print("export / import ...", file=sys.stderr)
        bundle = bench_export(tmp / "one", args.cases)
        pub = next((tmp / "one" / "post" / "keys").glob("*.pub")).read_text()
        bench_import(tmp / "one", bundle, pub)
        print("24 posts ...", file=sys.stderr)
        paths, keys = make_bundles(tmp / "many", args.per_post)
        bench_many(tmp / "many", args.per_post, None, "SQLite", paths, keys)
        if not args.no_postgres:
            import pg

            server = pg.start()
            server.admin("CREATE DATABASE bench")
            bench_many(tmp / "many", args.per_post, server.url("bench"), "PostgreSQL", paths, keys)
        shutil.rmtree(tmp / "many", ignore_errors=True)
        print("photos ...", file=sys.stderr)
        bench_photos(tmp / "photos", args.photo_mb)
    finally:
        if server is not None:
            pg.stop(server)
        shutil.rmtree(tmp, ignore_errors=True)
    width = max(len(r[0]) for r in rows_out)
    print(f"{'benchmark':<{width}}  {'BLO Desk':>10}  {'floor':>10}  ratio / note")
    for what, ours, floor, note in rows_out:
        print(f"{what:<{width}}  {ours:>10}  {floor:>10}  {note}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

