"""A user account as plain data (no password hash): what the administrator's list of users shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from blo_desk.domain.permissions import Role


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A user as the admin screen lists them (no hash)."""

    username: str
    full_name: str
    role: Role
    post_code: str
    active: bool
    locked_until: datetime | None
    last_login_at: datetime | None
    rank: str = ""  # free text, as the officer writes it: "Major", "Senior lieutenant", "майор"
    agency: str = ""  # reference code of kind "agency" ("" when not known)
    failed_logins: int = 0  # wrong passwords in a row since the last login or unlock


@dataclass(frozen=True, slots=True)
class UnknownLogin:
    """A username nobody has that someone tried to log in with, as the audit trail counted it."""

    username: str
    attempts: int
    last_recorded: str  # UTC text of the last event, as the audit trail holds it
