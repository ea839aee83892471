"""Plain data of backups and restores: a backup written, the state of backups, a restore the post announces."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from blo_desk.domain.enums import CaseStatus
from blo_desk.i18n import N_, Translator


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
    # what HQ holds of the case now, to tell it apart when re-entering it: when it happened (in its post's zone),
    # what was seized and who was involved (the list's summaries)
    occurred_at: datetime | None = None
    timezone: str = ""
    items: str = ""
    persons: str = ""


#: The columns of the list of lost cases (HQ's window, its PDF and CSV).
LOST_CASE_HEADINGS = (N_("Case number"), N_("Revision"), N_("Status"), N_("Saved at the post"), N_("Date and time"),
                      N_("Seized items"), N_("Persons"))


def lost_case_rows(cases: Sequence[LostCase], tr: Translator) -> list[tuple[str, int, str, str, str, str, str]]:
    """One row per lost revision, in the reader's language: number, revision, status, when it was saved at the
    post and when the case happened (each in the post's zone), what was seized and who was involved."""
    rows = []
    for c in cases:
        try:
            status = CaseStatus(c.status).label_in(tr)
        except ValueError:
            status = c.status
        zone = c.timezone or None
        rows.append((c.case_number, c.revision, status, tr.format_datetime(c.saved_at, tz=zone),
                     tr.format_datetime(c.occurred_at, tz=zone) if c.occurred_at else "", c.items, c.persons))
    return rows
