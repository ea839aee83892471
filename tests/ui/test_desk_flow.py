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


def _outbox_line(desk, qtbot, expected_start: str) -> str:
    """Tick the outbox now and wait for its line in the status bar to start with `expected_start`."""
    qtbot.waitUntil(lambda: not desk.delivery._busy, timeout=10_000)  # a tick of its own may be running
    desk.delivery.tick()
    qtbot.waitUntil(lambda: not desk.delivery._busy, timeout=10_000)
    assert desk.delivery.label.text().startswith(expected_start), desk.delivery.label.text()
    return desk.delivery.label.text()


def test_the_outbox_counts_the_cases_waiting_to_be_sent_and_tells_the_bundles_in_its_tip(
        make_desk, settings, services, qtbot, tmp_path):
    # GIVEN a post with its key, two cases saved (one of them saved twice), nothing sent yet
    services.sync.set_up_post(post_code="UZ-DUS")
    first = services.cases.save(case=dustlik_case())
    services.cases.save(case=first)
    services.cases.save(case=dustlik_case())
    desk = make_desk(settings)
    qtbot.waitUntil(lambda: desk.delivery is not None and desk.delivery.label.text() != "", timeout=20_000)
    # WHEN the officer reads the outbox line THEN it counts cases, not revisions or bundles
    assert _outbox_line(desk, qtbot, "Outbox: 2 cases waiting").startswith("Outbox: 2 cases waiting · HQ last")
    assert desk.delivery.label.toolTip().startswith("0 bundles written and not yet confirmed by HQ.")
    # WHEN a bundle of both is written (a USB stick) THEN the same two cases wait, in one bundle HQ has not confirmed
    result = services.sync.export(folder=tmp_path)
    _outbox_line(desk, qtbot, "Outbox: 2 cases waiting")
    assert desk.delivery.label.toolTip().startswith("1 bundle written and not yet confirmed by HQ.")
    # WHEN a third case is saved THEN three cases wait (two in the bundle, one not yet bundled)
    services.cases.save(case=dustlik_case())
    _outbox_line(desk, qtbot, "Outbox: 3 cases waiting")
    # WHEN HQ confirms the bundle THEN only the case saved since waits: one case, in the singular
    services.sync.acknowledge(up_to=result.sequence)
    assert _outbox_line(desk, qtbot, "Outbox: 1 case waiting").startswith("Outbox: 1 case waiting · ")
    assert desk.delivery.label.toolTip().startswith("0 bundles written")
    # WHEN the officer switches to Russian THEN the count takes Russian's plural form for one (дело), at once
    from blo_desk.i18n import translator

    russian = translator("ru").ngettext("Outbox: {count} case waiting · HQ last confirmed: {when}",
                                        "Outbox: {count} cases waiting · HQ last confirmed: {when}", 1)
    desk.switch_language("ru")
    assert desk.delivery.label.text().startswith(russian.split("{count}")[0] + "1")
    if russian.startswith("Исходящие"):  # (once the Russian catalog has the message)
        assert desk.delivery.label.text().startswith("Исходящие: 1 дело ждёт отправки · ")
