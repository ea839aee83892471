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
from blo_desk.domain.permissions import Role  # noqa: E402
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
    with kit.sharing_as(oybek, Role.SUPERVISOR):
        sent = oybek.sharing.share(references=[case.case_number], to="TJ-FOT", profile="operational",
                                   reason=REASON, legal_basis=BASIS, out=tmp_path / "stick")
    fotehobod.sharing.import_share(path=Path(sent.path))
    asked = oybek.sharing.request(to="TJ-FOT", about=case.case_number, text="Was the same truck seen at your post?",
                                  out=tmp_path / "req")
    fotehobod.sharing.import_share(path=Path(asked.path))
    yield oybek, fotehobod
    oybek.close()
    fotehobod.close()


@pytest.fixture
def window(qtbot, posts):
    """Fotehobod's Shared with us at 1366×768, its one record listed; the window's work waited for at the end."""
    _oybek, fotehobod = posts
    set_language("en")
    runner = TaskRunner()
    dialog = SharedWithUsDialog(None, runner=runner, sharing=fotehobod.sharing, cases=fotehobod.cases)
    qtbot.addWidget(dialog)
    dialog.resize(1366 - 40, 768 - 80)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10_000)
    yield dialog
    dialog.close()
    runner.wait()
    set_language("en")


def _open(dialog, kind) -> list:
    return [d for d in dialog.findChildren(kind) if d.isVisible()]


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter])
def test_enter_on_a_shared_record_goes_to_its_fields_and_asks_nothing(qtbot, window, key):
    # GIVEN the officer reaches the records table by Tab (its row is chosen) and its fields are shown
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_Tab)
    qtbot.waitUntil(window.table.hasFocus, timeout=5_000)
    qtbot.waitUntil(lambda: "Sender's case: " in window.details.toPlainText(), timeout=10_000)
    # WHEN Enter is pressed in the table
    qtbot.keyClick(window.table, key)
    # THEN the keyboard is in the record's fields, and Ask the sender… did not open
    assert window.details.hasFocus()
    assert not _open(window, AskDialog)
    # AND the fields show the legal basis and the reason Oybek's supervisor stated, labelled
    text = window.details.toPlainText()
    assert f"Legal basis for sharing: {BASIS}\n" in text and f"Reason for sharing: {REASON}\n" in text
    # AND Ask the sender… still opens from its own button
    qtbot.mouseClick(window.ask_button, Qt.MouseButton.LeftButton)
    assert _open(window, AskDialog)


def test_enter_with_no_record_chosen_does_nothing(qtbot, window):
    window.table.setFocus(Qt.FocusReason.MouseFocusReason)  # by the mouse: nothing chosen
    window.table.selectionModel().clearSelection()
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert window.table.hasFocus() and not _open(window, AskDialog)


def test_enter_on_a_received_request_answers_it_as_a_double_click_does(qtbot, window):
    qtbot.waitUntil(lambda: window.requests_panel.model.rowCount() == 1, timeout=10_000)
    window.tabs.setCurrentIndex(TAB_REQUESTS)
    table = window.requests_panel.table
    table.setFocus(Qt.FocusReason.TabFocusReason)  # reached by Tab: the request is chosen
    qtbot.waitUntil(lambda: window.requests_panel.selected_request() is not None, timeout=5_000)
    # WHEN Enter is pressed on the request Oybek sent THEN Answer… opens for it (one window), nothing else
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert len(_open(window, AnswerDialog)) == 1 and not _open(window, AskDialog)
    _open(window, AnswerDialog)[0].close()
    # AND a double-click opens one Answer… window too, not two
    index = table.model().index(0, 0)
    where = table.visualRect(index).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)  # a double-click's first press
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert len(_open(window, AnswerDialog)) == 1


@pytest.mark.parametrize(("language", "basis_label", "reason_label"), [
    ("ru", "Правовое основание пересылки", "Причина пересылки"),
    ("uz", "Ulashishning huquqiy asosi", "Ulashish sababi"),
])
def test_the_legal_basis_and_reason_are_labelled_in_the_officers_language(qtbot, window, language, basis_label,
                                                                          reason_label):
    # GIVEN the desk in the officer's language WHEN the operational record is chosen
    set_language(language)
    window.table.selectRow(0)
    qtbot.waitUntil(lambda: BASIS in window.details.toPlainText(), timeout=10_000)
    # THEN the basis and the reason are labelled in that language, with what the sender typed
    text = window.details.toPlainText()
    assert f"{basis_label}: {BASIS}\n" in text and f"{reason_label}: {REASON}\n" in text
    if SHOTS.parent.exists():  # for a look at 1366×768
        SHOTS.mkdir(exist_ok=True)
        window.grab().save(str(SHOTS / f"operational-{language}.png"))


def test_enter_in_the_search_field_searches_and_asks_nothing(qtbot, window):
    window.table.selectRow(0)  # a record chosen: Ask the sender… is enabled
    assert window.ask_button.isEnabled()
    # WHEN the officer types a word into the search and presses Enter
    window.search.setFocus()
    qtbot.keyClicks(window.search, "nothing-like-this")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    # THEN the list is searched (no record matches), and Ask the sender… did not open
    qtbot.waitUntil(lambda: window.model.rowCount() == 0 and window.runner.active == 0, timeout=10_000)
    assert not _open(window, AskDialog)
