"""The service entry points the desk is given by the composition root (blo_desk.app); the ui never looks them up.

The ui never imports SQLAlchemy, not even through the services, so it cannot import `blo_desk.services.*` modules
itself: the composition root hands in callables (which import their modules lazily, on a worker thread, so that
the first window does not pay for SQLAlchemy, Alembic and argon2). The ui knows the services through their typed
face, the Protocols of `blo_desk.ports`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # for the type checker only: the login window is painted before the domain is imported
    from blo_desk.config import Settings
    from blo_desk.domain.entities import Post
    from blo_desk.domain.permissions import Principal
    from blo_desk.ports import AccountsPort, LoadDemo, RestoreBackup, SelfTest, ServicesPort


@dataclass(frozen=True)
class Backend:
    """What the desk may call in the service layer.

    accounts:     (settings) -> AccountService: first_start(), create_first_admin(...), login(...) -> Principal,
                  open_services(as_system=...) -> Services, policy (PasswordPolicy)
    load_demo:    (*, cases) -> list[Case]: the demo cases, through the normal service path
    posts:        () -> list[Post]: the shipped list of crossing points (readable before any store exists)
    selftest:     (*, report) -> bool: the self-test steps (services.selftest.run); `report(line)` per step
    restore:      (*, data_dir, backup, hq_status, progress) -> str: a backup written into a new data folder
    tidy:         (settings) -> int: at the start, what killed exports left on a stick removed (before any login)
    """

    accounts: Callable[[Settings], AccountsPort]
    load_demo: LoadDemo
    posts: Callable[[], list[Post]]
    selftest: SelfTest | None = None
    restore: RestoreBackup | None = None
    tidy: Callable[[Settings], int] | None = None


class Session:
    """One logged-in user of the desk: their principal and the way to open the store with their rights."""

    def __init__(self, accounts: AccountsPort, principal: Principal) -> None:
        self.accounts = accounts
        self.principal = principal

    def open_services(self) -> ServicesPort:
        """Worker-thread function: the store opened for this principal (with the data key the login unwrapped)."""
        return self.accounts.open_services()

    def open_system_services(self) -> ServicesPort:
        """An administrator's maintenance work (demo data) as SYSTEM; refused and audited for anyone else."""
        return self.accounts.open_services(as_system=True)

    def load_demo(self, load: LoadDemo) -> int:
        """Worker-thread function: load the demo cases with `load` (Backend.load_demo) as SYSTEM, an
        administrator's task (refused and audited for anyone else); returns how many were loaded."""
        services = self.open_system_services()
        try:
            return len(load(cases=services.cases))
        finally:
            services.close()
