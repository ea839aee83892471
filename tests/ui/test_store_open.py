"""The desk's actions while the store is still opening (the first seconds after login): each says so, once, in the
notice above the page, and opens nothing; the notice is said by one helper (ui/store_open.py) for them all."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from blo_desk.domain.permissions import SYSTEM
from blo_desk.ui import backup, bundles, printing, sharing

STILL_OPENING = "The case store is still opening; try again in a moment."
UI = Path(__file__).resolve().parents[2] / "blo_desk" / "ui"


class Window:
    """The desk window's notice, as the officer reads it."""

    def __init__(self) -> None:
        self.notices: list[str] = []

    def notice(self, text) -> None:
        self.notices.append(text())


@pytest.mark.parametrize("action", [
    sharing.share_case, sharing.shared_with_us, printing.print_protocol, printing.period_report,
    printing.verify_print, bundles.export_bundle, bundles.show_hq, lambda c: backup.backup_now(c, folder="/tmp"),
], ids=["share", "shared-with-us", "protocol", "period-report", "verify-print", "export", "hq", "backup"])
def test_an_action_asked_while_the_store_opens_says_so_and_opens_nothing(action):
    # GIVEN a desk whose store is still opening (no services yet), the user allowed everything
    window = Window()
    controller = SimpleNamespace(ready=False, services=None, window=window, principal=SYSTEM, editor=None,
                                 list_page=None)
    # WHEN the action is asked for THEN nothing opens and the notice says to try again in a moment, once
    assert action(controller) is None
    assert window.notices == [STILL_OPENING]


def test_the_still_opening_notice_is_said_in_one_place():
    # GIVEN the ui package's modules THEN one of them says "still opening" (the actions use it: no copies to drift)
    saying = sorted(str(p.relative_to(UI)) for p in UI.rglob("*.py") if STILL_OPENING in p.read_text("utf-8"))
    assert saying == ["store_open.py"]
