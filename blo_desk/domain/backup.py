"""Plain data of backups and restores: a backup written, the state of backups, a restore the post announces."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: str
    size: int
    created_at: datetime
    members: int


@dataclass(frozen=True, slots=True)
class BackupStatus:
    """When the last backup was taken, and where automatic backups go (empty: none are set up)."""

    last_at: datetime | None
    last_path: str
    auto_folder: str
    keep: int
    age_days: float | None  # None: never backed up

    @property
    def overdue(self) -> bool:
        """No backup, or the last one is older than a week."""
        return self.age_days is None or self.age_days > 7


@dataclass(frozen=True, slots=True)
class RestoreNotice:
    """What a restored post tells HQ in each later bundle: it was restored from the backup of `backup_created_at`,
    the bundles it numbered above `lost_above` are lost to it, it went on at `resumed_at`; and the audit chain
    it had when the backup was taken (its new chain extends that one, not the lost one)."""

    backup_created_at: str
    lost_above: int
    resumed_at: int
    audit_length: int
    audit_head: str
    restored_at: str


@dataclass(frozen=True, slots=True)
class LostCase:
    """A case revision HQ received that a restored post no longer holds (saved after its backup was taken)."""

    case_id: str
    case_number: str
    revision: int
    status: str
    saved_at: datetime
