"""Backups of a post's store (by hand, after a finalize, daily) and its restore onto a new laptop."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from blo_desk import __version__
from blo_desk.config import DB_FILENAME, Settings
from blo_desk.domain.backup import BackupResult, BackupStatus, RestoreNotice
from blo_desk.domain.canonical import timestamp_text
from blo_desk.domain.errors import DomainError
from blo_desk.domain.permissions import Action
from blo_desk.durable import write_atomically
from blo_desk.i18n import N_
from blo_desk.services.audit import Guard
from blo_desk.services.clock import utc_now
from blo_desk.storage.backup_archive import (
    SUFFIX,
    BackupInfo,
    Progress,
    backup_file_name,
    extract_backup,
    write_backup,
)
from blo_desk.storage.crypto import DataKey, Keyring
from blo_desk.storage.engine import sqlite_path
from blo_desk.storage.migrate import head_revision
from blo_desk.storage.sync_repository import RESTORE_SETTING, SEQUENCE_FLOOR_SETTING
from blo_desk.storage.uow import UnitOfWorkFactory

LAST_SETTING = "backup.last"  # {"at": ..., "path": ...}
FOLDER_SETTING = "backup.folder"  # automatic backups go here ('' : none)
KEEP_SETTING = "backup.keep"
DEFAULT_KEEP = 7
DAILY = timedelta(hours=24)
#: Beside a restored store until its first opening records the restore (a file: the store is locked until then).
RESTORE_MARKER = "restore-pending.json"
#: Without HQ's word on the highest bundle it received, a restored post skips this many numbers: a number a lost
#: bundle may have used is never used again (HQ lists the skipped ones as lost in the restore, not as missing).
UNKNOWN_SKIP = 100


class BackupNotPossibleError(DomainError):
    message = N_("This store cannot be backed up here: {reason}")


class HqStatusFileError(DomainError):
    message = N_("The file {path} is neither HQ's status file for a post nor one of HQ's receipts.")


_LOCKS: dict[str, threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock(data_dir: Path) -> threading.Lock:
    """One backup of a data folder at a time in this process (the menu, a finalize and the daily timer)."""
    key = os.path.normcase(os.path.abspath(data_dir))
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


class BackupService:
    """Backups of the open store: `backup()` writes one file; automatic ones go to the folder set up for them."""

    def __init__(self, *, uow: UnitOfWorkFactory, guard: Guard, settings: Settings, key: DataKey | None,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self._uow = uow
        self._guard = guard
        self._settings = settings
        self._key = key
        self._clock = clock

    # --- state --------------------------------------------------------------------------------
    def status(self) -> BackupStatus:
        with self._uow() as uow:
            last = json.loads(uow.settings.get(LAST_SETTING) or "{}")
            folder = uow.settings.get(FOLDER_SETTING) or ""
            keep = int(uow.settings.get(KEEP_SETTING) or DEFAULT_KEEP)
        at = datetime.fromisoformat(last["at"]) if last.get("at") else None
        age = None if at is None else max(0.0, (self._clock() - at).total_seconds() / 86400)
        return BackupStatus(last_at=at, last_path=str(last.get("path", "")), auto_folder=folder, keep=keep,
                            age_days=age)

    def configure(self, *, folder: str, keep: int = DEFAULT_KEEP) -> BackupStatus:
        """Where automatic backups go ('' turns them off) and how many of them are kept."""
        self._guard.require(Action.SETTINGS_MANAGE, target="backup")
        keep = max(1, int(keep))
        with self._uow() as uow:
            uow.settings.set(FOLDER_SETTING, str(folder))
            uow.settings.set(KEEP_SETTING, str(keep))
            self._guard.record(uow, action=Action.SETTINGS_MANAGE, target="backup",
                               details={"op": "auto_backup", "folder": str(folder), "keep": keep})
            uow.commit()
        return self.status()

    # --- backing up ---------------------------------------------------------------------------
    def backup(self, *, folder: Path, progress: Progress | None = None, reason: str = "manual") -> BackupResult:
        """Write one backup file into `folder`: a snapshot of the store taken with SQLite's online backup while
        the desk keeps working, with the photos, sealed keys and keyring, all as encrypted as they are at rest.

        The backup is audited before the snapshot, so the backup holds the record of its own taking."""
        self._guard.require(Action.STORE_BACKUP, target="backup")
        db_path = sqlite_path(self._settings.db_url)
        if db_path is None:
            raise BackupNotPossibleError(reason=N_("only a SQLite store is backed up by BLO Desk"))
        with _lock(self._settings.data_dir):
            now = self._clock()
            with self._uow() as uow:
                identity = uow.sync.identity()
                post = identity.post_code if identity else ""
                name = backup_file_name(post, now)
                self._guard.record(uow, action=Action.STORE_BACKUP, target=f"backup:{name}",
                                   details={"folder": str(folder), "reason": reason})
                head = self._guard.trail(uow).head()
                last_sequence = uow.sync.last_sequence()
                uow.commit()
            meta = {"created_at": timestamp_text(now), "post_code": post, "store_id": self._store_id(),
                    "schema_version": head_revision(), "app_version": __version__, "last_sequence": last_sequence,
                    "audit_length": head.length, "audit_head": head.head}
            path = write_backup(folder=Path(folder), name=name, db_path=db_path, data_dir=self._settings.data_dir,
                                key=self._key, meta=meta, progress=progress)
            with self._uow() as uow:
                uow.settings.set(LAST_SETTING, json.dumps({"at": now.isoformat(), "path": str(path)}))
                uow.commit()
        import zipfile

        with zipfile.ZipFile(path) as archive:
            members = len(archive.namelist())
        return BackupResult(path=str(path), size=path.stat().st_size, created_at=now, members=members)

    def _store_id(self) -> str:
        keyring = Keyring(self._settings.keyring_path)
        return keyring.store_id

    def auto_backup(self, *, reason: str, progress: Progress | None = None) -> BackupResult | None:
        """A backup into the folder set up for them, then only the newest `keep` are kept. `reason`: "finalize"
        (always) or "daily" (only when the last backup is a day old). None when none was due or none is set up."""
        state = self.status()
        if not state.auto_folder:
            return None
        if reason == "daily" and state.last_at is not None and self._clock() - state.last_at < DAILY:
            return None
        result = self.backup(folder=Path(state.auto_folder), progress=progress, reason=reason)
        prune(Path(state.auto_folder), keep=state.keep, like=Path(result.path).name)
        return result

    # --- after a restore ----------------------------------------------------------------------
    def finish_restore(self) -> RestoreNotice | None:
        """On the first opening of a restored store: check the backup was made under this key, record the signed
        restore event, and set the bundle number to continue above. None when no restore is pending."""
        marker = self._settings.data_dir / RESTORE_MARKER
        if not marker.exists():
            return None
        pending = json.loads(marker.read_text("utf-8"))
        now = self._clock()
        with self._uow() as uow:
            lost_above = int(pending["last_sequence"])
            known = max(lost_above, uow.sync.last_sequence())
            hq_last = pending.get("hq_last")
            floor = max(known, int(hq_last)) if hq_last is not None else known + UNKNOWN_SKIP
            self._guard.record(uow, action=Action.STORE_RESTORE, target=f"backup:{Path(pending['backup']).name}",
                               details={"backup_created_at": pending["created_at"], "lost_above": lost_above,
                                        "resumed_at": floor + 1, "hq_last": hq_last})
            notice = RestoreNotice(backup_created_at=pending["created_at"], lost_above=lost_above,
                                   resumed_at=floor + 1, audit_length=int(pending["audit_length"]),
                                   audit_head=str(pending["audit_head"]), restored_at=timestamp_text(now))
            uow.settings.set(SEQUENCE_FLOOR_SETTING, str(floor))
            uow.settings.set(RESTORE_SETTING, json.dumps(restore_notice_dict(notice), sort_keys=True))
            uow.commit()
        marker.unlink()
        return notice


def restore_notice_dict(notice: RestoreNotice) -> dict:
    return {"backup_created_at": notice.backup_created_at, "lost_above": notice.lost_above,
            "resumed_at": notice.resumed_at, "audit_length": notice.audit_length, "audit_head": notice.audit_head,
            "restored_at": notice.restored_at}


def prune(folder: Path, *, keep: int, like: str) -> list[Path]:
    """Remove all but the newest `keep` backups of the same store label as the file `like` (names sort by time)."""
    prefix = like[: like.rfind("-") + 1]
    mine = sorted(p for p in Path(folder).glob(f"{prefix}*{SUFFIX}") if p.is_file())
    removed = mine[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def read_hq_last(path: Path) -> tuple[str, int]:
    """(post, highest bundle number HQ received) from HQ's status file for a post or one of HQ's receipts."""
    try:
        data = json.loads(Path(path).read_text("utf-8"))
    except (OSError, ValueError, UnicodeError):
        raise HqStatusFileError(path=str(path)) from None
    if isinstance(data, dict) and data.get("format") == "blo-desk-post-status":
        value = data.get("last_sequence")
    elif isinstance(data, dict) and data.get("format") == "blo-desk-receipt":
        value = data.get("sequence")
    else:
        value = None
    if not isinstance(data, dict) or not isinstance(value, int) or isinstance(value, bool) or value < 0 \
            or not isinstance(data.get("post"), str):
        raise HqStatusFileError(path=str(path))
    return data["post"], value


def restore_backup(settings: Settings, path: Path, *, hq_status: Path | None = None,
                   progress: Progress | None = None) -> BackupInfo:
    """Write a backup into the new data folder of `settings` and mark it restored: the first login records the
    restore (BackupService.finish_restore). `hq_status`: HQ's status file for the post, or its last receipt."""
    hq_last = None
    if hq_status is not None:
        _post, hq_last = read_hq_last(hq_status)
    db_path = sqlite_path(settings.db_url)
    info = extract_backup(path, settings.data_dir, db_name=db_path.name if db_path else DB_FILENAME,
                          progress=progress)
    pending = {"backup": str(Path(path).resolve()), "created_at": info.created_at, "last_sequence": info.last_sequence,
               "audit_length": info.audit_length, "audit_head": info.audit_head, "hq_last": hq_last}
    write_atomically(settings.data_dir / RESTORE_MARKER, json.dumps(pending, sort_keys=True).encode("utf-8"))
    return info
