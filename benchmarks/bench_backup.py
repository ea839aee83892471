"""Benchmark of issue 18: a backup of an encrypted store of N cases and its photos, against `cp` of the same files.

Run: .venv/bin/python benchmarks/bench_backup.py [--cases 100000] [--photos-mb 1024] [--rounds 2] [--smoke]
Targets: the backup takes <= 2 x the time `cp -r` takes to copy the store, photos, keys and keyring; the backup
process's peak memory (RSS, interpreter and libraries included) is <= 150 MB.
Exits 1 when a target is missed, except with --smoke, whose sizes are too small for the targets to mean anything.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from blo_desk.storage.crypto import MINIMUM_KDF, DataKey, KdfParams, Keyring  # noqa: E402

from _store import SHARED_CACHE, SMOKE_HELP, cache_root, cached_store  # noqa: E402

PHOTO_BYTES = 2 * 1024 * 1024  # a phone photo
PASSWORD = "bench-admin-password"

CHILD = """
import json, resource, sys, time
from pathlib import Path
from blo_desk.config import load_settings
from blo_desk.domain.permissions import SYSTEM
from blo_desk.services.registry import open_services
from blo_desk.storage.crypto import Keyring
plain = sys.argv[4] == "plain"
settings = load_settings(data_dir=Path(sys.argv[1]), plaintext_store=plain)
key = None if plain else Keyring(settings.keyring_path).unwrap("admin", sys.argv[3])
services = open_services(settings, principal=SYSTEM, key=key)
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
started, cpu_started = time.perf_counter(), cpu()
result = services.backup.backup(folder=Path(sys.argv[2]))
elapsed, cpu_s = time.perf_counter() - started, cpu() - cpu_started
services.close()
print(json.dumps({"seconds": elapsed, "path": result.path, "size": result.size, "cpu_s": cpu_s,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def plain_copy(plain: Path, secure: Path, folder: Path) -> Path:
    """The same data folder with the plaintext store (for the figure without SQLCipher): photos linked, not copied."""
    if (folder / ".complete").exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copyfile(plain / "blo_desk.sqlite3", folder / "blo_desk.sqlite3")
    shutil.copytree(secure / "attachments", folder / "attachments", copy_function=os.link)
    shutil.copytree(secure / "keys", folder / "keys")
    shutil.copyfile(secure / "keyring.json", folder / "keyring.json")
    (folder / ".complete").write_text("ok")
    return folder


def encrypted_copy(plain: Path, folder: Path, photos_mb: int) -> Path:
    """An encrypted data folder made from the cached plaintext store (sqlcipher_export), with a keyring and
    `photos_mb` of sealed-looking photo files (random bytes, as sealed photos are); made once, then reused."""
    marker = folder / ".complete"
    if marker.exists():
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    started = time.perf_counter()
    key = DataKey.generate()
    keyring = Keyring(folder / "keyring.json")
    keyring.create(key)
    keyring.wrap_for("admin", PASSWORD, key, KdfParams(memory_kib=MINIMUM_KDF.memory_kib, time_cost=2,
                                                       parallelism=1))
    keyring.save()
    from sqlcipher3 import dbapi2 as sqlcipher

    conn = sqlcipher.connect(str(plain / "blo_desk.sqlite3"))
    conn.execute(f"ATTACH DATABASE ? AS secure KEY \"x'{key.raw.hex()}'\"", (str(folder / "blo_desk.sqlite3"),))
    conn.execute("SELECT sqlcipher_export('secure')")
    conn.execute("DETACH DATABASE secure")
    conn.close()
    import hashlib

    for n in range(max(1, photos_mb * 1024 * 1024 // PHOTO_BYTES)):
        name = hashlib.sha256(f"photo-{n}".encode()).hexdigest()
        target = folder / "attachments" / name[:2] / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"BLOSEAL1" + os.urandom(PHOTO_BYTES - 8))
    (folder / "keys").mkdir(mode=0o700)
    (folder / "keys" / "UZ-DUS-0000000000000000.key.sealed").write_bytes(b"BLOSEAL1" + os.urandom(200))
    marker.write_text("ok")
    print(f"(made an encrypted store with {photos_mb} MB of photos in {time.perf_counter() - started:.1f} s: "
          f"{folder})", file=sys.stderr)
    return folder


def drop_outputs(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)


def time_cp(source: Path, target: Path) -> tuple[float, float]:
    """`cp -r` of what a backup holds: the store file, the photos, the keys and the keyring (wall and CPU s)."""
    drop_outputs(target)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(["cp", "-r", str(source / "blo_desk.sqlite3"), str(source / "attachments"), str(source / "keys"),
                    str(source / "keyring.json"), str(target)], check=True)
    # The backup fsyncs its file; cp's copies are fsynced too (each file, not the whole busy file system).
    for path in target.rglob("*"):
        if path.is_file():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def time_backup(source: Path, target: Path, *, plain: bool = False) -> dict:
    drop_outputs(target)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("BLO_DESK_PLAINTEXT_STORE", None)
    done = subprocess.run([sys.executable, "-c", CHILD, str(source), str(target), PASSWORD,
                           "plain" if plain else "encrypted"], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--photos-mb", type=int, default=1024)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--smoke", action="store_true", help=SMOKE_HELP)
    args = parser.parse_args()
    if args.smoke:
        args.cases, args.photos_mb, args.rounds = 200, 8, 1
    with cache_root(SHARED_CACHE, smoke=args.smoke) as cache:
        plain = cached_store(args.cases, root=cache)
        source = encrypted_copy(plain, cache / f"backup-{args.cases}-{args.photos_mb}mb", args.photos_mb)
        plain_source = plain_copy(plain, source, cache / f"backup-{args.cases}-{args.photos_mb}mb-plain")
        scratch = Path(tempfile.mkdtemp(prefix="blo-bench-backup-"))
        try:
            return _run(source, plain_source, scratch, args)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def _run(source: Path, plain_source: Path, scratch: Path, args) -> int:
    from blo_desk.storage.backup_archive import verify_backup

    store_mb = (source / "blo_desk.sqlite3").stat().st_size / 1e6
    copies, copy_cpu, backups, plains = [], [], [], []
    for _ in range(args.rounds):  # interleaved, so both see the same machine and page cache
        wall, cpu = time_cp(source, scratch / "cp")
        copies.append(wall)
        copy_cpu.append(cpu)
        backups.append(time_backup(source, scratch / "backup"))
        plains.append(time_backup(plain_source, scratch / "plain", plain=True))
    best_cp = min(copies)
    best = min(backups, key=lambda b: b["seconds"])
    rss = max(b["rss_mb"] for b in backups)
    started = time.perf_counter()
    info = verify_backup(Path(backups[-1]["path"]))  # the last one is still on disk
    verify_s = time.perf_counter() - started
    ratio = best["seconds"] / best_cp if best_cp else 0.0
    print(f"backup of {args.cases:,} cases ({store_mb:.0f} MB store) + {args.photos_mb} MB photos, encrypted, "
          f"best of {args.rounds}")
    print("load average (1, 5, 15 min) at the end: " + " ".join(f"{v:.2f}" for v in os.getloadavg()))
    print(f"{'measure':<44}{'value':>12}  target")
    print(f"{'cp -r (store, photos, keys, keyring)':<44}{best_cp:>10.2f} s")
    print(f"{'blo-desk backup (one file, fsync, rename)':<44}{best['seconds']:>10.2f} s")
    print(f"{'CPU time: cp (its own, not the fsyncs)':<44}{min(copy_cpu):>10.2f} s")
    print(f"{'CPU time: backup (both threads)':<44}{best['cpu_s']:>10.2f} s")
    print(f"{'ratio backup / cp':<44}{ratio:>12.2f}  <= 2")
    best_plain = min(p["seconds"] for p in plains)
    print(f"{'same backup of the plaintext store':<44}{best_plain:>10.2f} s  (ratio {best_plain / best_cp:.2f})")
    print(f"{'peak memory (RSS) of the backup process':<44}{rss:>9.0f} MB  <= 150")
    print(f"{'backup verify (every member read, CRC)':<44}{verify_s:>10.2f} s")
    print(f"{'backup file':<44}{best['size'] / 1e6:>9.0f} MB  ({info.members} files)")
    print(f"{'all rounds (cp / backup / plain, s)':<44}" + "  ".join(
        f"{c:.2f}/{b['seconds']:.2f}/{p['seconds']:.2f}" for c, b, p in zip(copies, backups, plains, strict=True)))
    if args.smoke:
        return 0
    return 0 if ratio <= 2 and rss <= 150 else 1


if __name__ == "__main__":
    raise SystemExit(main())
