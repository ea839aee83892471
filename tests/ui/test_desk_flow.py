"""What a QA run of the real window found in the desk's flow: who saved a revision, the outbox in cases, Print and
Finalize from the list."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence

from blo_desk.app import backend
from blo_desk.domain.enums import CaseStatus
from blo_desk.reports.raster import page_count
from blo_desk.services.demo import dustlik_case
from blo_desk.ui.pages.editor.form_sections import SECTION_HISTORY

from .conftest import ADMIN, PASSWORD, retype


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


def test_the_history_names_the_program_for_what_it_saved_itself(make_desk, settings, services, qtbot):
    # GIVEN a case saved by the program itself (a command, the demo loader)
    saved = services.cases.save(case=dustlik_case())
    desk = make_desk(settings)
    desk.open_case(saved.id)
    qtbot.waitUntil(lambda: desk.editor.case is not None and bool(desk.editor.history))
    # THEN its history says so, not a username that is nobody's
    table = desk.editor.history_table
    assert table.item(0, table.columnCount() - 1).text() == "BLO Desk (the program)"


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
    assert _outbox_line(desk, qtbot, "Outbox: 2 cases waiting") == "Outbox: 2 cases waiting"
    assert desk.delivery.label.toolTip().startswith("0 bundles written and not yet confirmed by HQ.")
    assert "HQ last confirmed a bundle: never" in desk.delivery.label.toolTip()
    # WHEN a bundle of both is written (a USB stick) THEN the same two cases wait, in one bundle HQ has not confirmed
    result = services.sync.export(folder=tmp_path)
    _outbox_line(desk, qtbot, "Outbox: 2 cases waiting")
    assert desk.delivery.label.toolTip().startswith("1 bundle written and not yet confirmed by HQ.")
    # WHEN a third case is saved THEN three cases wait (two in the bundle, one not yet bundled)
    services.cases.save(case=dustlik_case())
    _outbox_line(desk, qtbot, "Outbox: 3 cases waiting")
    # WHEN HQ confirms the bundle THEN only the case saved since waits: one case, in the singular
    services.sync.acknowledge(up_to=result.sequence)
    assert _outbox_line(desk, qtbot, "Outbox: 1 case waiting") == "Outbox: 1 case waiting"
    assert desk.delivery.label.toolTip().startswith("0 bundles written")
    # WHEN the officer switches to Russian THEN the count takes Russian's plural form for one (дело), at once
    from blo_desk.i18n import translator

    russian = translator("ru").ngettext("Outbox: {count} case waiting", "Outbox: {count} cases waiting", 1)
    desk.switch_language("ru")
    assert desk.delivery.label.text().startswith(russian.split("{count}")[0] + "1")
    if russian.startswith("Исходящие"):  # (once the Russian catalog has the message)
        assert desk.delivery.label.text() == "Исходящие: 1 дело ждёт отправки"


# --- Print and Finalize from the list ------------------------------------------------------------------------------
def _press(desk, action_id: str, shortcut: str) -> None:
    """The action's keyboard shortcut (QTest's key clicks do not reach window shortcuts offscreen)."""
    action = desk.window.actions[action_id]
    assert action.shortcut() == QKeySequence(shortcut)
    assert action.isEnabled(), action_id
    action.trigger()


def _select(desk, qtbot, *case_numbers: str) -> None:
    """Click the rows of these cases in the list (Ctrl+click for the second and later)."""
    page = desk.list_page
    desk.show_list()
    qtbot.waitUntil(lambda: not page.model.loading and {r.case_number for r in page.model.rows} >= set(case_numbers))
    page.table.clearSelection()
    for i, number in enumerate(case_numbers):
        row = next(r for r, s in enumerate(page.model.rows) if s.case_number == number)
        rect = page.table.visualRect(page.model.index(row, 0))
        modifier = Qt.KeyboardModifier.ControlModifier if i else Qt.KeyboardModifier.NoModifier
        qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, modifier, rect.center())


def _status_in_list(desk, case_number: str):
    return next(s.status for s in desk.list_page.model.rows if s.case_number == case_number)


def _draft(services, **changes):
    from dataclasses import replace

    return services.cases.save(case=replace(dustlik_case(), **changes))


def test_print_and_finalize_work_on_the_case_selected_in_the_list(make_desk, settings, services, qtbot):
    # GIVEN two complete drafts of UZ-DUS listed at sabina's desk (a supervisor there)
    first, second = _draft(services), _draft(services)
    desk = make_desk(settings)
    actions = desk.window.actions
    # WHEN nothing is selected THEN neither is offered
    desk.show_list()
    assert not actions["print"].isEnabled() and not actions["finalize"].isEnabled()
    # WHEN she selects the first case and presses Ctrl+P THEN its protocol's preview opens, without opening the case
    _select(desk, qtbot, first.case_number)
    _press(desk, "print", "Ctrl+P")
    preview = desk._print_windows["protocol"]
    assert first.case_number in preview.windowTitle() and not desk.window.on_editor
    qtbot.waitUntil(lambda: preview.pdf is not None, timeout=30_000)
    preview.close()
    # WHEN both are selected and she presses Ctrl+P THEN one preview holds both protocols, one after the other
    _select(desk, qtbot, first.case_number, second.case_number)
    _press(desk, "print", "Ctrl+P")
    both = desk._print_windows["protocol"]
    top, bottom = [s.case_number for s in desk.list_page.selected_summaries()]  # in the list's order
    assert both.windowTitle() == f"Protocols of 2 cases ({top} … {bottom}) — print preview"
    qtbot.waitUntil(lambda: both.pdf is not None, timeout=30_000)
    single = [page_count(services.printing.protocol(case_id=c.id, lang=both.pdf_language)) for c in (first, second)]
    assert page_count(both.pdf) == sum(single)
    both.close()
    # AND Finalize takes both
    assert actions["finalize"].isEnabled()
    # WHEN she presses Ctrl+Shift+F THEN one question names both cases, Cancel first
    _press(desk, "finalize", "Ctrl+Shift+F")
    qtbot.waitUntil(lambda: desk.finalize_dialog is not None and desk.finalize_dialog.isVisible())
    box = desk.finalize_dialog
    assert box.text() == "Finalize 2 cases?"
    assert first.case_number in box.informativeText() and second.case_number in box.informativeText()
    assert box.defaultButton() is box.reject_button
    # WHEN she confirms THEN both are finalized and the list says so
    qtbot.mouseClick(box.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.window.message_text == "2 cases finalized.", timeout=10_000)
    qtbot.waitUntil(lambda: not desk.list_page.model.loading and all(
        _status_in_list(desk, c.case_number) == CaseStatus.FINALIZED for c in (first, second)), timeout=10_000)
    assert services.cases.get(case_id=first.id).is_finalized and services.cases.get(case_id=second.id).is_finalized
    # AND a finalized case selected alone is not offered Finalize again
    _select(desk, qtbot, first.case_number)
    assert not actions["finalize"].isEnabled() and actions["print"].isEnabled()


def test_finalizing_an_incomplete_case_from_the_list_opens_it_with_the_missing_fields_marked(
        make_desk, settings, services, qtbot):
    # GIVEN a draft with no detection method (needed to finalize), selected in the list
    draft = _draft(services, detection_method="")
    desk = make_desk(settings)
    _select(desk, qtbot, draft.case_number)
    # WHEN Finalize is pressed
    _press(desk, "finalize", "Ctrl+Shift+F")
    # THEN nothing is asked: the case opens with the missing field marked, as Finalize in the editor does
    qtbot.waitUntil(lambda: desk.window.on_editor and desk.editor.case is not None
                    and desk.editor.case.id == draft.id and bool(desk.editor.errors), timeout=10_000)
    assert desk.editor.fields["detection_method"].error.text() == "Choose how the goods were detected."
    assert desk.window.message_text == "Not finalized: complete the marked fields first."
    assert desk.finalize_dialog is None and not services.cases.get(case_id=draft.id).is_finalized


def test_an_officer_is_told_why_another_officers_draft_is_not_theirs_to_finalize(make_desk, settings, services,
                                                                                  qtbot):
    # GIVEN sabina's draft, and karim, an officer of the same post, at his desk
    make_desk(settings)  # sabina
    from blo_desk.app import backend

    sabinas = backend().accounts(settings)
    sabinas.login(username="sabina", password=PASSWORD)
    hers = sabinas.open_services()
    try:
        draft = hers.cases.save(case=dustlik_case())
    finally:
        hers.close()
    desk = make_desk(settings, username="karim", role="officer")
    _select(desk, qtbot, draft.case_number)
    # WHEN he presses Finalize on it
    _press(desk, "finalize", "Ctrl+Shift+F")
    # THEN he is told why, nothing is asked and the draft stays a draft
    qtbot.waitUntil(lambda: desk.finalize_dialog is not None and desk.finalize_dialog.isVisible(), timeout=10_000)
    box = desk.finalize_dialog
    assert box.objectName() == "errorDialog"
    assert f"{draft.case_number}: Only the officer who created this case, or a supervisor, may change it." in box.text()
    assert not services.cases.get(case_id=draft.id).is_finalized


def test_unsaved_changes_to_the_selected_case_are_asked_about_before_it_is_finalized_from_the_list(
        make_desk, settings, services, qtbot):
    # GIVEN a draft open in the editor with a changed procedure, then the list shown with that case selected
    draft = _draft(services)
    desk = make_desk(settings)
    desk.open_case(draft.id)
    qtbot.waitUntil(lambda: desk.editor.case is not None and desk.editor.case.id == draft.id)
    retype(desk.editor.fields["procedure"].widget, "Inspection of a minibus")
    assert desk.editor.dirty
    _select(desk, qtbot, draft.case_number)
    # WHEN Finalize is pressed in the list
    _press(desk, "finalize", "Ctrl+Shift+F")
    # THEN Save / Discard / Cancel comes first
    qtbot.waitUntil(lambda: desk.unsaved_dialog is not None and desk.unsaved_dialog.isVisible())
    assert desk.finalize_dialog is None
    # WHEN the officer saves THEN the question to finalize follows, back on the list
    qtbot.mouseClick(desk.unsaved_dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: desk.finalize_dialog is not None and desk.finalize_dialog.isVisible(), timeout=10_000)
    assert desk.finalize_dialog.text() == f"Finalize case {draft.case_number}?"
    assert not desk.window.on_editor
    qtbot.mouseClick(desk.finalize_dialog.accept_button, Qt.MouseButton.LeftButton)
    # AND what was finalized is what was typed; the editor shows the finalized case
    qtbot.waitUntil(lambda: services.cases.get(case_id=draft.id).is_finalized, timeout=10_000)
    assert services.cases.get(case_id=draft.id).procedure == "Inspection of a minibus"
    qtbot.waitUntil(lambda: desk.editor.mode == "final")
