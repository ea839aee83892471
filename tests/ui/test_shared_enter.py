"""Enter in Shared with us' tables (issue 16's leftover): on a shared record it goes to the record's fields, on a
request it does what a double-click does; it never presses the window's default button (Ask the sender…). The
record's pane shows the legal basis and the reason of an operational share."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "exchange"))
from blo_desk.domain.entities import CaseQuery  # noqa: E402
from blo_desk.domain.permissions import Principal, Role  # noqa: E402
from blo_desk.i18n import set_language  # noqa: E402
from blo_desk.ui.dialogs.share_messages import AnswerDialog, AskDialog  # noqa: E402
from blo_desk.ui.dialogs.shared_with_us import TAB_REQUESTS, SharedWithUsDialog  # noqa: E402
from blo_desk.ui.tasks import TaskRunner  # noqa: E402

import bundle_kit as kit  # noqa: E402

SHOTS = Path("/work/qa-shots/share-left")
BASIS = "Соглашение о сотрудничестве от 2019 г., ст. 5"
REASON = "Тот же тягач прошёл через Фотехобод 12 марта"


@pytest.fixture
def posts(tmp_path, qapp):
    """Oybek's supervisor shares a case operationally (a legal basis and a reason) and Oybek asks Fotehobod about
    a case; Fotehobod imports both."""
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=2, seed=3, photos=0)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=1, seed=4, photos=0)
    kit.pair_posts(oybek, fotehobod, tmp_path)
    case = oybek.cases.list_cases(query=CaseQuery()).rows[0]
    real = oybek.sharing._guard
    oybek.sharing._guard = type(real)(uow=oybek.uow, principal=Principal(username="dilnoza", role=Role.SUPERVISOR,
                                                                          post_code="UZ-OYB"))
    try:
        sent = oybek.sharing.share(references=[case.case_number], to="TJ-FOT", profile="operational",
                                   reason=REASON, legal_basis=BASIS, out=tmp_path / "stick")
    finally:
        oybek.sharing._guard = real
    fotehobod.sharing.import_share(path=Path(sent.path))
    asked = oybek.sharing.request(to="TJ-FOT", about=case.case_number, text="Was the same truck seen at your post?",
                                  out=tmp_path / "req")
    fotehobod.sharing.import_share(path=Path(asked.path))
    yield oybek, fotehobod
    oybek.close()
    fotehobod.close()


def _window(qtbot, runner, services) -> SharedWithUsDialog:
    dialog = SharedWithUsDialog(None, runner=runner, sharing=services.sharing, cases=services.cases)
    qtbot.addWidget(dialog)
    dialog.resize(1366 - 40, 768 - 80)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10_000)
    return dialog


def _open(dialog, kind) -> list:
    return [d for d in dialog.findChildren(kind) if d.isVisible()]


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_on_a_shared_record_goes_to_its_fields_and_asks_nothing(qtbot, posts, key):
    _oybek, fotehobod = posts
    set_language("en")
    runner = TaskRunner()
    try:
        dialog = _window(qtbot, runner, fotehobod)
        # GIVEN the officer reaches the records table by Tab (its row is chosen) and its fields are shown
        dialog.search.setFocus()
        qtbot.keyClick(dialog.search, Qt.Key.Key_Tab)
        qtbot.waitUntil(dialog.table.hasFocus, timeout=5_000)
        qtbot.waitUntil(lambda: "Sender's case: " in dialog.details.toPlainText(), timeout=10_000)
        # WHEN Enter is pressed in the table
        qtbot.keyClick(dialog.table, key)
        # THEN the keyboard is in the record's fields, and Ask the sender… did not open
        assert dialog.details.hasFocus()
        assert not _open(dialog, AskDialog)
        # AND the fields show the legal basis and the reason Oybek's supervisor stated, labelled
        text = dialog.details.toPlainText()
        assert f"Legal basis for sharing: {BASIS}\n" in text and f"Reason for sharing: {REASON}\n" in text
        # AND Ask the sender… still opens from its own button
        qtbot.mouseClick(dialog.ask_button, Qt.MouseButton.LeftButton)
        assert _open(dialog, AskDialog)
        dialog.close()
    finally:
        runner.wait()
        set_language("en")


def test_enter_with_no_record_chosen_does_nothing(qtbot, posts):
    _oybek, fotehobod = posts
    set_language("en")
    runner = TaskRunner()
    try:
        dialog = _window(qtbot, runner, fotehobod)
        dialog.table.setFocus(Qt.FocusReason.MouseFocusReason)  # by the mouse: nothing chosen
        dialog.table.selectionModel().clearSelection()
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
        assert dialog.table.hasFocus() and not _open(dialog, AskDialog)
        dialog.close()
    finally:
        runner.wait()


def test_enter_on_a_received_request_answers_it_as_a_double_click_does(qtbot, posts):
    _oybek, fotehobod = posts
    set_language("en")
    runner = TaskRunner()
    try:
        dialog = _window(qtbot, runner, fotehobod)
        qtbot.waitUntil(lambda: dialog.requests_panel.model.rowCount() == 1, timeout=10_000)
        dialog.tabs.setCurrentIndex(TAB_REQUESTS)
        table = dialog.requests_panel.table
        table.setFocus(Qt.FocusReason.TabFocusReason)  # reached by Tab: the request is chosen
        qtbot.waitUntil(lambda: dialog.requests_panel.selected_request() is not None, timeout=5_000)
        # WHEN Enter is pressed on the request Oybek sent THEN Answer… opens for it (one window), nothing else
        qtbot.keyClick(table, Qt.Key.Key_Return)
        assert len(_open(dialog, AnswerDialog)) == 1 and not _open(dialog, AskDialog)
        _open(dialog, AnswerDialog)[0].close()
        # AND a double-click opens one Answer… window too, not two
        index = table.model().index(0, 0)
        where = table.visualRect(index).center()
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double-click's first press
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
        assert len(_open(dialog, AnswerDialog)) == 1
        dialog.close()
    finally:
        runner.wait()


@pytest.mark.parametrize("language", ["en", "ru", "uz"])
def test_screenshot_of_an_operational_record(qtbot, posts, language):
    """Shared with us at 1366×768 with the operational record chosen, for a look in each language."""
    _oybek, fotehobod = posts
    set_language(language)
    runner = TaskRunner()
    try:
        dialog = _window(qtbot, runner, fotehobod)
        dialog.table.selectRow(0)
        qtbot.waitUntil(lambda: BASIS in dialog.details.toPlainText() and runner.active == 0, timeout=10_000)
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
        if SHOTS.parent.exists():
            SHOTS.mkdir(exist_ok=True)
            dialog.grab().save(str(SHOTS / f"operational-{language}.png"))
        dialog.close()
    finally:
        runner.wait()
        set_language("en")


def test_enter_in_the_search_field_searches_and_asks_nothing(qtbot, posts):
    _oybek, fotehobod = posts
    set_language("en")
    runner = TaskRunner()
    try:
        dialog = _window(qtbot, runner, fotehobod)
        dialog.table.selectRow(0)  # a record chosen: Ask the sender… is enabled
        assert dialog.ask_button.isEnabled()
        # WHEN the officer types a word into the search and presses Enter
        dialog.search.setFocus()
        qtbot.keyClicks(dialog.search, "nothing-like-this")
        qtbot.keyClick(dialog.search, Qt.Key.Key_Return)
        # THEN the list is searched (no record matches), and Ask the sender… did not open
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 0 and runner.active == 0, timeout=10_000)
        assert not _open(dialog, AskDialog)
        dialog.close()
    finally:
        runner.wait()
