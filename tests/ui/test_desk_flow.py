"""What a QA run of the real window found in the desk's flow: who saved a revision, the outbox in cases, Print and
Finalize from the list."""

from __future__ import annotations

from blo_desk.app import backend
from blo_desk.services.demo import dustlik_case
from blo_desk.ui.pages.editor.form_sections import SECTION_HISTORY

from .conftest import ADMIN, PASSWORD


def _set_rank(settings, username: str, *, full_name: str, rank: str) -> None:
    """The administrator records a user's full name and rank (Users… dialog)."""
    admin = backend().accounts(settings)
    admin.login(username=ADMIN, password=PASSWORD)
    services = admin.open_services()
    try:
        services.users.update_user(username=username, full_name=full_name, rank=rank, agency="customs")
    finally:
        services.close()


def test_the_history_names_who_saved_each_revision_with_the_username_in_its_tip(make_desk, settings, qtbot):
    # GIVEN sabina (Sabina Yusupova, Major) saved a case at her desk
    desk = make_desk(settings, full_name="Sabina Yusupova")
    _set_rank(settings, "sabina", full_name="Sabina Yusupova", rank="Major")
    saved = desk.services.cases.save(case=dustlik_case())
    # WHEN she opens it and looks at its history
    desk.open_case(saved.id)
    qtbot.waitUntil(lambda: desk.editor.case is not None and bool(desk.editor.history))
    desk.editor.tabs.setCurrentIndex(SECTION_HISTORY)
    table = desk.editor.history_table
    by = table.columnCount() - 1
    # THEN the person is named with her rank, and her username is in the cell's tip
    assert table.horizontalHeaderItem(by).text() == "By"
    assert table.item(0, by).text() == "Sabina Yusupova, Major"
    assert table.item(0, by).toolTip() == "Username: sabina"
