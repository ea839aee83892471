"""Accounts in the store, and the ownership of cases (who saved revision 1) that permissions ask about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from blo_desk.storage.models import CaseRow, RevisionRow
from blo_desk.storage.models_security import UserAccountRow


@dataclass(frozen=True, slots=True)
class Account:
    username: str
    full_name: str
    role: str
    post_code: str
    rank: str
    agency: str
    password_hash: str
    active: bool
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    password_changed_at: datetime
    last_login_at: datetime | None

    def public(self) -> dict:
        """What the audit trail hashes for before/after (no password hash)."""
        return {"username": self.username, "full_name": self.full_name, "role": self.role,
                "post_code": self.post_code, "rank": self.rank, "agency": self.agency, "active": self.active}


def _account(r: UserAccountRow) -> Account:
    return Account(username=r.username, full_name=r.full_name, role=r.role, post_code=r.post_code,
                   rank=r.rank, agency=r.agency, password_hash=r.password_hash, active=r.active, failed_logins=r.failed_logins,
                   locked_until=r.locked_until, created_at=r.created_at, password_changed_at=r.password_changed_at,
                   last_login_at=r.last_login_at)


class AccountRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, username: str) -> Account | None:
        row = self.session.get(UserAccountRow, username)
        return None if row is None else _account(row)

    def all(self, *, include_inactive: bool = False) -> list[Account]:
        stmt = select(UserAccountRow).order_by(UserAccountRow.username)
        if not include_inactive:
            stmt = stmt.where(UserAccountRow.active.is_(True))
        return [_account(r) for r in self.session.scalars(stmt)]

    def at_post(self, post_code: str) -> list[Account]:
        """The active accounts of one post, by full name then username."""
        stmt = (select(UserAccountRow)
                .where(UserAccountRow.active.is_(True), UserAccountRow.post_code == post_code)
                .order_by(UserAccountRow.full_name, UserAccountRow.username))
        return [_account(r) for r in self.session.scalars(stmt)]

    def count(self, *, role: str | None = None) -> int:
        stmt = select(func.count()).select_from(UserAccountRow).where(UserAccountRow.active.is_(True))
        if role:
            stmt = stmt.where(UserAccountRow.role == role)
        return int(self.session.scalar(stmt) or 0)

    def add(self, **values) -> None:
        self.session.add(UserAccountRow(**values))
        self.session.flush()

    def update(self, username: str, **values) -> None:
        row = self.session.get(UserAccountRow, username)
        for key, value in values.items():
            setattr(row, key, value)
        self.session.flush()

    def case_creator(self, case_id: str) -> str | None:
        """Who saved the first revision of the case held here ('' for generated or imported ones)."""
        return self.session.scalar(
            select(RevisionRow.actor).where(RevisionRow.case_id == case_id).order_by(RevisionRow.revision).limit(1)
        )

    def case_post(self, case_id: str) -> str | None:
        """The post a case held here belongs to (what post-bound rights are checked against)."""
        return self.session.scalar(select(CaseRow.post_code).where(CaseRow.id == case_id))
