"""Tables of accounts, the hash-chained audit trail and the amendment window of finalized cases."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from blo_desk.storage.base import Base, UtcDateTime


class UserAccountRow(Base):
    """A person who logs in: role, post, rank and agency, argon2id password hash and lock-out state."""

    __tablename__ = "user_account"

    username: Mapped[str] = mapped_column(String(64), primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16))
    post_code: Mapped[str] = mapped_column(String(16), default="")
    rank: Mapped[str] = mapped_column(String(100), default="", server_default="")  # free text: "Major", "майор"
    agency: Mapped[str] = mapped_column(String(64), default="", server_default="")  # reference code, kind "agency"
    password_hash: Mapped[str] = mapped_column(String(200))  # $argon2id$v=19$m=...,t=...,p=...$salt$hash
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    password_changed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class AuditEventRow(Base):
    """One link of the audit chain: hash = SHA-256 of the canonical JSON of every other column + prev_hash."""

    __tablename__ = "audit_event"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # 1, 2, 3, ...
    at: Mapped[str] = mapped_column(String(32))  # UTC, 2026-11-28T10:40:00.123456Z (text: hashed as stored)
    actor: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(64), index=True)
    outcome: Mapped[str] = mapped_column(String(16))  # ok | denied | failed
    target: Mapped[str] = mapped_column(String(200), default="", index=True)  # e.g. case:<uuid>, user:<name>
    before_hash: Mapped[str] = mapped_column(String(64), default="")
    after_hash: Mapped[str] = mapped_column(String(64), default="")
    details: Mapped[str] = mapped_column(Text, default="{}")  # canonical JSON, no personal data
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class CaseAmendmentWindowRow(Base):
    """Opened by the writer of a finalized case for one transaction; the triggers let only that change through."""

    __tablename__ = "case_amendment_window"

    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer)
