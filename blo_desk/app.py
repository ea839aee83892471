"""Composition root: settings -> language -> service entry points -> Qt (login or first-run wizard, then the desk)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from blo_desk.config import Settings
from blo_desk.i18n import set_language

if TYPE_CHECKING:
    from blo_desk.domain.entities import Case, Post
    from blo_desk.ports import AccountsPort, CasesPort
    from blo_desk.ui.backend import Backend


# The entry points are plain functions that import their service modules when first called: they run on a
# worker thread after the first window is painted, so PySide6 start-up does not pay for SQLAlchemy and Alembic.
# Their return types are the ports the desk sees (blo_desk.ports): mypy checks here that the concrete services
# (AccountService, the Services it opens, and each service in it) still fit them.
def _accounts(settings: Settings) -> AccountsPort:
    from blo_desk.services.accounts import AccountService

    # The desk runs the fast check of the store on a worker after its first paint (ui/controller.py), not in login.
    return AccountService(settings, check_at_login=False)


def _load_demo(*, cases: CasesPort) -> list[Case]:
    from blo_desk.services.demo import load_demo

    return load_demo(cases=cases)


def _posts() -> list[Post]:
    from blo_desk.domain.entities import Post
    from blo_desk.services.reference import load_seed

    posts, _lists = load_seed()
    return [Post(**post) for post in posts]


def _restore(*, data_dir: Path, backup: Path, hq_status: Path | None = None,
             progress: Callable[[int, int], None] | None = None) -> str:
    from blo_desk.config import load_settings
    from blo_desk.services.backup import restore_backup

    settings = load_settings(data_dir=data_dir)
    info = restore_backup(settings, backup, hq_status=hq_status, progress=progress)
    return _in_post_time(info.created_at, info.post_code)


def _in_post_time(moment: str, post_code: str) -> str:
    """An ISO moment (UTC) at the post's UTC offset, so that the login window tells it in the post's time."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from blo_desk.domain.zones import zone_for_post

    try:
        return datetime.fromisoformat(moment).astimezone(ZoneInfo(zone_for_post(post_code))).isoformat()
    except (ValueError, LookupError):
        return moment


def _tidy(settings: Settings) -> int:
    from blo_desk.services.sync import remove_interrupted_exports

    return remove_interrupted_exports(settings.data_dir)


def _selftest(*, report: Callable[[str], None], language: str = "en") -> bool:
    from blo_desk.services.selftest import run

    return run(report=report, language=language).ok


def backend() -> Backend:
    """The service entry points the desk is allowed to call."""
    from blo_desk.ui.backend import Backend

    return Backend(accounts=_accounts, load_demo=_load_demo, posts=_posts, selftest=_selftest,
                   restore=_restore, tidy=_tidy)


def run_gui(settings: Settings, *, selftest: bool = False, user: str | None = None,
            language_chosen: bool = False) -> int:
    """Start the desk. `language_chosen`: --lang or BLO_DESK_LANG was given (else the remembered language wins)."""
    if selftest:
        set_language(settings.language)
        from blo_desk.ui.selftest import run_selftest

        return run_selftest(backend(), language=settings.language)
    from blo_desk.ui.main import run  # the only place that pulls in PySide6

    return run(settings, backend=backend(), user=user, language_chosen=language_chosen)
