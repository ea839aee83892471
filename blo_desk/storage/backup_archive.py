"""The backup file: one zip (stored, not compressed) of a store snapshot, photos, sealed keys and the keyring.

Everything inside stays as it is at rest: an encrypted store's snapshot is SQLCipher under the same data key,
photos and key files stay sealed, the keyring holds only wrapped keys. `backup.json` lists every member with
its size and CRC-32 (damage shows without a key; what is inside authenticates itself: SQLCipher's page HMACs,
the AES-GCM seals, the manifest's MAC under the data key); `verify_backup` checks them without a key, `extract_backup` writes them into a new data
folder. The file is written under a temporary name and renamed once complete (durable.atomic_file), so a crash
never leaves a file under the final name that fails verification.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from blo_desk.domain.errors import DomainError
from blo_desk.durable import atomic_file, fsync_dir
from blo_desk.i18n import N_
from blo_desk.storage.crypto import DataKey
from blo_desk.storage.engine import open_sqlcipher

BACKUP_FORMAT = "blo-desk-backup"
BACKUP_VERSION = 1
SUFFIX = ".blobak"
MANIFEST = "backup.json"
STORE_MEMBER = "store.sqlite3"
KEYRING_MEMBER = "keyring.json"
#: Folders of the data folder that go into a backup (all sealed or public): photos, keys, HQ's receipts.
FOLDERS = ("attachments", "keys", "receipts")
CHUNK = 1024 * 1024
SQLITE_HEADER = b"SQLite format 3\x00"

Progress = Callable[[int, int], None]


class BackupError(DomainError):
    message = N_("The backup {filename} cannot be used: {reason}")


NOT_A_BACKUP = N_("it is not a BLO Desk backup (damaged, truncated or another kind of file)")
MEMBER_ALTERED = N_("the file {name} inside it is damaged or was altered")
MEMBER_MISSING = N_("the file {name} is missing from it")
MEMBER_EXTRA = N_("it holds a file it does not list: {name}")
STORE_NOT_ENCRYPTED = N_("its store is not encrypted although the backup says it is")
WRONG_KEY = N_("it does not belong to this store's key")


class RestoreTargetError(DomainError):
    message = N_("The folder {folder} already holds a store; restore into a new, empty folder.")


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """What a backup's manifest says (nothing in it is case content)."""

    path: Path
    created_at: str  # UTC, ISO 8601 with Z
    post_code: str
    store_id: str
    schema_version: str
    app_version: str
    encrypted: bool
    last_sequence: int  # the highest bundle number the store had numbered when the backup was taken
    audit_length: int
    audit_head: str
    members: int
    size: int


def backup_file_name(label: str, at: datetime) -> str:
    stamp = at.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return f"blo-desk-{label or 'store'}-{stamp}{SUFFIX}"


def _files_under(data_dir: Path) -> Iterator[tuple[str, Path]]:
    for folder in FOLDERS:
        root = data_dir / folder
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.startswith(".") and not path.name.endswith(".part"):
                yield path.relative_to(data_dir).as_posix(), path


SNAPSHOT_PREFIX = ".backup-snapshot-"
STALE_SNAPSHOT_S = 6 * 3600  # a snapshot part this old belongs to no running backup: a killed one left it


def _connect(db_path: Path, key: DataKey | None, *, read_only: bool):
    if key is not None:
        return open_sqlcipher(db_path, key, check_same_thread=False)
    if read_only:
        return sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, check_same_thread=False)
    return sqlite3.connect(db_path, check_same_thread=False)


class StoreSnapshot:
    """A consistent copy of a live store by SQLite's online backup API, taken on a worker thread.

    `pin()` opens a read transaction on the store: from then on the copy is the store as it was at that moment,
    however the desk keeps saving (WAL), so what is listed after `pin()` (the photos) holds everything the copy
    refers to. `start()` runs the copy on a thread (SQLite and SQLCipher's page crypto run without the GIL), so
    the photos are copied meanwhile; `wait()` returns once the copy is complete. For an encrypted store both
    sides are SQLCipher under the same key, so the copy never exists in the clear."""

    def __init__(self, db_path: Path, target: Path, *, key: DataKey | None) -> None:
        self.target = target
        self._key = key
        self._source = _connect(db_path, key, read_only=True)
        self._dest = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def pin(self) -> None:
        self._source.execute("BEGIN")
        self._source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the read snapshot starts here

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="backup-snapshot", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            dest = self._dest = _connect(self.target, self._key, read_only=False)
            # A temporary file, made durable only inside the backup file (fsync before the rename): no journal
            # and no syncs of its own; one step, one pass over the pages (no sleeps, no callbacks per page).
            dest.execute("PRAGMA journal_mode=OFF")
            dest.execute("PRAGMA synchronous=OFF")
            self._source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")  # a single file: no WAL beside the snapshot
            dest.commit()
        except BaseException as exc:  # handed to wait(), on the caller's thread
            self._error = exc

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        if self._thread is not None and self._thread.is_alive():
            self._thread.join()
        for conn in (self._dest, self._source):
            if conn is not None:
                with suppress(Exception):
                    conn.close()

    def __enter__(self) -> StoreSnapshot:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def remove_stale_snapshots(folder: Path, *, older_than_s: float = STALE_SNAPSHOT_S) -> int:
    """Remove snapshot parts a killed backup left in `folder` (encrypted as the store is, but a waste of space)."""
    removed = 0
    now = time.time()
    with suppress(OSError):
        for path in Path(folder).glob(f"{SNAPSHOT_PREFIX}*.part"):
            with suppress(OSError):
                if now - path.stat().st_mtime > older_than_s:
                    path.unlink()
                    removed += 1
    return removed


def _copy_into(archive: zipfile.ZipFile, name: str, path: Path, buffer: bytearray | None = None) -> tuple[int, int]:
    """Copy a file into the archive in chunks; returns its CRC-32 (zip's own) and size. One reused buffer: a fresh
    1 MB bytes object per chunk costs the kernel a page fault per 4 KB, about as much as the copy itself."""
    size = 0
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_STORED
    buffer = buffer if buffer is not None else bytearray(CHUNK)
    view = memoryview(buffer)
    with path.open("rb", buffering=0) as src, archive.open(info, "w", force_zip64=True) as out:
        while count := src.readinto(buffer):
            size += count
            out.write(view[:count])
    return info.CRC, size


def manifest_mac(key: DataKey, manifest: bytes) -> str:
    """Ties a manifest to the data key: a restore with the key notices a backup assembled from other parts."""
    return hmac.new(key.subkey("backup-manifest"), manifest, hashlib.sha256).hexdigest()


def write_backup(*, folder: Path, name: str, db_path: Path, data_dir: Path, key: DataKey | None, meta: dict,
                 progress: Progress | None = None) -> Path:
    """Write the backup file `folder/name`; `meta` (post, store id, sequence, audit head...) goes in the manifest.

    The store's snapshot is taken into the data folder (beside the store, on the local disk: a stick is written
    once) on a worker thread while the keyring, photos and keys are copied into the file; the snapshot goes in
    last. Everything is copied once, in 1 MB pieces, with zip's own CRC-32 as the only hash."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    remove_stale_snapshots(data_dir)
    snapshot_path = data_dir / f"{SNAPSHOT_PREFIX}{secrets.token_hex(6)}.part"
    members: list[dict] = []
    target = folder / name
    try:
        with StoreSnapshot(db_path, snapshot_path, key=key) as snapshot:
            snapshot.pin()
            # Listed once the store's snapshot is fixed: every photo the snapshot refers to is already on disk.
            files = [(KEYRING_MEMBER, data_dir / KEYRING_MEMBER)] if (data_dir / KEYRING_MEMBER).exists() else []
            files += list(_files_under(data_dir))
            total = db_path.stat().st_size + sum(p.stat().st_size for _n, p in files)
            done = 0
            buffer = bytearray(CHUNK)
            snapshot.start()
            with atomic_file(target) as fh, zipfile.ZipFile(fh, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
                for member, path in files:
                    crc, size = _copy_into(archive, member, path, buffer)
                    members.append({"name": member, "crc32": crc, "size": size})
                    done += size
                    if progress:
                        progress(min(done, total), total)
                snapshot.wait()
                crc, size = _copy_into(archive, STORE_MEMBER, snapshot_path, buffer)
                members.insert(0, {"name": STORE_MEMBER, "crc32": crc, "size": size})
                if progress:
                    progress(total, total)
                body = {"format": BACKUP_FORMAT, "format_version": BACKUP_VERSION, "encrypted": key is not None,
                        "members": members, **meta}
                data = json.dumps(body, sort_keys=True, indent=1).encode("utf-8")
                archive.writestr(zipfile.ZipInfo(MANIFEST, date_time=(1980, 1, 1, 0, 0, 0)), data)
                if key is not None:
                    archive.writestr(zipfile.ZipInfo(MANIFEST + ".mac", date_time=(1980, 1, 1, 0, 0, 0)),
                                     manifest_mac(key, data))
    finally:
        with suppress(FileNotFoundError):
            snapshot_path.unlink()
    return target


def _bad(path: Path, reason: str, **params: object) -> BackupError:
    from blo_desk.i18n import _

    return BackupError(filename=path.name, reason=_(reason).format(**params))


def _safe_name(name: str) -> bool:
    pure = PurePosixPath(name)
    return (not pure.is_absolute() and ".." not in pure.parts and "\\" not in name and name != ""
            and (name in (STORE_MEMBER, KEYRING_MEMBER) or pure.parts[0] in FOLDERS))


def read_manifest(path: Path) -> tuple[dict, bytes, str]:
    """The parsed manifest, its bytes and its MAC ('' for a plain store); BackupError when unreadable."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read(MANIFEST)
            mac = archive.read(MANIFEST + ".mac").decode("ascii") if MANIFEST + ".mac" in archive.namelist() else ""
        body = json.loads(data)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, UnicodeError):
        raise _bad(path, NOT_A_BACKUP) from None
    if not isinstance(body, dict) or body.get("format") != BACKUP_FORMAT or body.get("format_version") != 1 \
            or not isinstance(body.get("members"), list):
        raise _bad(path, NOT_A_BACKUP)
    return body, data, mac


def _info(path: Path, body: dict) -> BackupInfo:
    return BackupInfo(
        path=path, created_at=str(body.get("created_at", "")), post_code=str(body.get("post_code", "")),
        store_id=str(body.get("store_id", "")), schema_version=str(body.get("schema_version", "")),
        app_version=str(body.get("app_version", "")), encrypted=bool(body.get("encrypted")),
        last_sequence=int(body.get("last_sequence", 0)), audit_length=int(body.get("audit_length", 0)),
        audit_head=str(body.get("audit_head", "")), members=len(body["members"]), size=path.stat().st_size)


def _check_members(path: Path, body: dict, archive: zipfile.ZipFile) -> dict[str, dict]:
    listed: dict[str, dict] = {}
    for member in body["members"]:
        if not (isinstance(member, dict) and isinstance(member.get("name"), str) and _safe_name(member["name"])
                and isinstance(member.get("crc32"), int) and isinstance(member.get("size"), int)):
            raise _bad(path, NOT_A_BACKUP)
        listed[member["name"]] = member
    present = {i.filename: i for i in archive.infolist()}
    for name in present:
        if name not in listed and name not in (MANIFEST, MANIFEST + ".mac"):
            raise _bad(path, MEMBER_EXTRA, name=name)
    for name, member in listed.items():
        info = present.get(name)
        if info is None:
            raise _bad(path, MEMBER_MISSING, name=name)
        if info.file_size != member["size"] or info.CRC != member["crc32"]:
            raise _bad(path, MEMBER_ALTERED, name=name)
    if STORE_MEMBER not in listed:
        raise _bad(path, MEMBER_MISSING, name=STORE_MEMBER)
    return listed


def _stream(path: Path, archive: zipfile.ZipFile, member: dict, out=None) -> bytes:
    """Read a member in chunks (zipfile checks its CRC-32 at the end); returns its first 16 bytes."""
    first = b""
    try:
        with archive.open(member["name"]) as src:
            while chunk := src.read(CHUNK):
                if not first:
                    first = chunk[:16]
                if out is not None:
                    out.write(chunk)
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _bad(path, MEMBER_ALTERED, name=member["name"]) from None
    return first


def verify_backup(path: Path, *, progress: Progress | None = None) -> BackupInfo:
    """Check a backup without a key and without restoring it: every member present, listed, of its size and CRC;
    an encrypted backup's store is not a plain SQLite file. Raises BackupError."""
    path = Path(path)
    body, _data, _mac = read_manifest(path)
    try:
        with zipfile.ZipFile(path) as archive:
            listed = _check_members(path, body, archive)
            total = sum(m["size"] for m in listed.values())
            done = 0
            for name, member in listed.items():
                first = _stream(path, archive, member)
                if name == STORE_MEMBER and body.get("encrypted") and first.startswith(SQLITE_HEADER):
                    raise _bad(path, STORE_NOT_ENCRYPTED)
                done += member["size"]
                if progress:
                    progress(done, total)
    except (OSError, zipfile.BadZipFile):
        raise _bad(path, NOT_A_BACKUP) from None
    return _info(path, body)


def check_key(path: Path, key: DataKey) -> None:
    """Raise BackupError unless the backup's manifest was written under this data key."""
    _body, data, mac = read_manifest(path)
    if not mac or not hmac.compare_digest(mac, manifest_mac(key, data)):
        raise _bad(Path(path), WRONG_KEY)


def extract_backup(path: Path, data_dir: Path, *, db_name: str, progress: Progress | None = None) -> BackupInfo:
    """Write a verified backup into a new data folder (refused if the folder already holds a store or keyring).

    Every member is checked against its hash as it is written; on any failure the folder is left without a
    store (what was written is removed)."""
    path, data_dir = Path(path), Path(data_dir)
    if (data_dir / db_name).exists() or (data_dir / KEYRING_MEMBER).exists():
        raise RestoreTargetError(folder=str(data_dir))
    body, _data, _mac = read_manifest(path)
    data_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    try:
        with zipfile.ZipFile(path) as archive:
            listed = _check_members(path, body, archive)
            total = sum(m["size"] for m in listed.values())
            done = 0
            # The store last, so a folder with a store in it always has its keyring and photos.
            for name in sorted(listed, key=lambda n: n == STORE_MEMBER):
                member = listed[name]
                target = data_dir / (db_name if name == STORE_MEMBER else name)
                with atomic_file(target, mode=0o600 if name.startswith("keys/") or name == KEYRING_MEMBER
                                 else None) as out:
                    written.append(target)
                    _stream(path, archive, member, out)
                done += member["size"]
                if progress:
                    progress(done, total)
    except BaseException:
        for target in written:
            with suppress(FileNotFoundError):
                target.unlink()
        raise
    if os.name != "nt" and (data_dir / "keys").is_dir():
        os.chmod(data_dir / "keys", 0o700)
    fsync_dir(data_dir)
    return _info(path, body)
