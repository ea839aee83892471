"""Open the store from the command line: log in (encrypted or HQ store) or run as SYSTEM in the plaintext test mode."""

from __future__ import annotations

import getpass
import os
import sys

from blo_desk.config import Settings
from blo_desk.i18n import N_, _


def ask_password(prompt: str, *, env: str = "BLO_DESK_PASSWORD") -> str:
    """The password from the environment variable `env` (scripts, tests) or typed without echo."""
    given = os.environ.get(env)
    if given is not None:
        return given
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt) as exc:  # no terminal, or the user gave up: a message, not a traceback
        print(file=sys.stderr)
        from blo_desk.domain.errors import DomainError

        raise DomainError(N_("No password was given (type it when asked, or set {variable})."), variable=env) from exc


def ask_username(args) -> str:
    name = getattr(args, "user", None) or os.environ.get("BLO_DESK_USER")
    if name:
        return name
    print(_("Username: "), end="", file=sys.stderr, flush=True)
    return sys.stdin.readline().strip()


def open_session(settings: Settings, args=None, *, as_system: bool = False):
    """Services for the user named by --user / BLO_DESK_USER (password from BLO_DESK_PASSWORD or a prompt).

    In the explicit plaintext test mode without a user, the command runs as SYSTEM; `as_system` lets an
    administrator run a maintenance command (demo data) as SYSTEM.
    """
    from blo_desk.domain.permissions import SYSTEM
    from blo_desk.services.accounts import AccountService
    from blo_desk.services.registry import open_services

    wanted = getattr(args, "user", None) or os.environ.get("BLO_DESK_USER")
    if settings.plaintext_store and not wanted:
        return open_services(settings, principal=SYSTEM)
    from blo_desk.domain.errors import FirstStartError

    accounts = AccountService(settings)
    if accounts.first_start():
        raise FirstStartError()
    accounts.login(username=ask_username(args), password=ask_password(_("Password: ")))
    return accounts.open_services(as_system=as_system)
