"""Roles as the screen shows them: who finalizes amends, only savable posts offered, read-only looks read-only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QWidget

from blo_desk.domain.enums import CaseStatus
from blo_desk.i18n import _
from blo_desk.ui.pages.editor.form_sections import SECTION_ITEMS, SECTION_TITLES

from .conftest import ADMIN, retype
from desk_driver import type_text

SCREEN = (1366, 768)


def _new_case(desk, qtbot):
    desk.window.resize(*SCREEN)
    desk.new_case()
    qtbot.waitUntil(lambda: desk.window.on_editor and desk.editor.case is not None)
    return desk.editor


def _editable(widget: QWidget) -> bool:
    """Whether an officer could change a value in this widget (enabled and, for text, not read-only)."""
    if not widget.isEnabled():
        return False
    if isinstance(widget, (QLineEdit, QPlainTextEdit)):
        return not widget.isReadOnly()
    return True


def test_an_officer_finalizes_after_the_completeness_check_and_amends_their_case(make_desk, settings, qtbot):
    # GIVEN an officer's saved draft without seized items or a detection method
    desk = make_desk(settings, username="amina", role="officer")
    editor = _new_case(desk, qtbot)
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save()
    actions = desk.window.actions
    case_menu = desk.window.actions.menus["case"].actions()
    assert actions["finalize"] in case_menu and actions["amend"] in case_menu
    # WHEN the officer asks to finalize
    actions["finalize"].trigger()
    # THEN no confirmation is asked yet: what is missing is marked, and the tabs say where
    assert getattr(editor, "finalize_dialog", None) is None
    assert "⚠" in editor.tabs.tabText(SECTION_ITEMS)
    assert desk.window.message_text == _("Not finalized: complete the marked fields first.")
    # WHEN the item and the detection method are entered and finalize is asked again
    editor.fields["detection_method"].widget.set_code("xray")
    editor.tabs.setCurrentIndex(SECTION_ITEMS)
    editor.items.add_record()
    for key, value in (("description", "Pellets"), ("quantity", "12")):
        retype(editor.items.fields[key].widget, value)
    editor.items.fields["category"].widget.set_code("narcotics")
    editor.items.fields["unit"].widget.set_code("kg")
    actions["finalize"].trigger()
    # THEN the confirmation comes, and the tabs carry no warning any more
    qtbot.waitUntil(lambda: getattr(editor, "finalize_dialog", None) is not None and editor.finalize_dialog.isVisible())
    assert not any("⚠" in editor.tabs.tabText(i) for i in range(len(SECTION_TITLES)))
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        qtbot.mouseClick(editor.finalize_dialog.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: editor.mode == "final" and editor.case.status == CaseStatus.FINALIZED, timeout=10_000)
    # AND the officer who finalized it is offered Amend, in the banner, the button and the menu
    qtbot.waitUntil(lambda: actions["amend"].isEnabled(), timeout=10_000)
    assert editor.amend_button.isVisible() and "Amend" in editor.banner.text()
    # WHEN they amend it with a reason and save
    actions["amend"].trigger()
    dialog = editor.amend_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.reason.setFocus()
    type_text(dialog.reason, "Quantity recounted")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    editor.tabs.setCurrentIndex(SECTION_ITEMS)
    editor.items.select(0)
    retype(editor.items.fields["quantity"].widget, "13")
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save()
    # THEN the history shows the save, the finalizing and the amendment with its reason
    qtbot.waitUntil(lambda: len(editor.history) == 4, timeout=10_000)
    assert editor.history[-1].reason == "Quantity recounted" and editor.history[-1].actor == "amina"


def test_a_finalized_case_of_someone_else_looks_read_only_and_offers_no_amend(make_desk, settings, qtbot, services):
    # GIVEN the finalized Dustlik case (entered by someone else) and an officer of that post
    from blo_desk.services.demo import load_demo

    load_demo(cases=services.cases)
    dustlik = services.cases.find(reference="UZ-DUS-2024-00001")
    desk = make_desk(settings, username="olim", role="officer")
    desk.window.resize(*SCREEN)
    editor = desk.editor
    # WHEN the officer opens it
    desk.open_case(dustlik.id)
    qtbot.waitUntil(lambda: editor.case is not None and editor.case.id == dustlik.id and bool(editor.history))
    # THEN the banner does not offer Amend, no Amend button is shown, the menu entry is disabled
    assert editor.mode == "final"
    assert "Amend" not in editor.banner.text() and "finalized" in editor.banner.text()
    assert not editor.amend_button.isVisible() and not desk.window.actions["amend"].isEnabled()
    # AND no field of any section can be changed: every input is read-only or disabled
    inputs = [w for w in editor.tabs.findChildren(QWidget)
              if isinstance(w, (QLineEdit, QPlainTextEdit, QComboBox))
              and w.objectName() not in ("qt_spinbox_lineedit",)]
    editable = [(type(w).__name__, w.objectName()) for w in inputs
                if _editable(w) and not isinstance(w.parent(), QComboBox)]
    assert editable == []
    # AND the text fields on screen look read-only: the grey of a read-only field, not the white of one to type in
    shown = [f.widget for f in editor.fields.values()
             if isinstance(f.widget, QLineEdit) and f.widget.isVisible()]
    assert len(shown) >= 3  # date, time, procedure on the first section
    for line in shown:
        pixel = line.grab().toImage().pixelColor(line.width() - 6, line.height() // 2)
        assert pixel == QColor("#f2f2f2"), (line.objectName(), pixel.name())
    buttons = [w for w in editor.tabs.findChildren(QAbstractButton) if w.isEnabled() and w.isVisibleTo(editor)]
    assert {b.objectName() for b in buttons} <= {"photoOpen", "qt_scrollarea_hcontainer", ""}, \
        [(b.objectName(), b.text()) for b in buttons]


def test_the_crossing_point_choice_offers_only_the_users_own_post(make_desk, settings, qtbot):
    # GIVEN an officer of Sariosiyo
    desk = make_desk(settings, username="sardor", role="officer", post_code="UZ-SAR")
    # WHEN they start a new case
    editor = _new_case(desk, qtbot)
    combo = editor.fields["post_code"].widget
    # THEN the crossing point offered is theirs alone
    codes = [combo.itemData(i) for i in range(combo.count()) if combo.itemData(i)]
    assert codes == ["UZ-SAR"] and combo.code() == "UZ-SAR"


def test_add_user_offers_the_admins_post_and_shows_a_post_error_under_the_drop_down(make_desk, settings, qtbot):
    # GIVEN the administrator of UZ-DUS opening Add user
    desk = make_desk(settings, username="admin", role="admin")
    desk.window.resize(*SCREEN)
    desk.window.actions["users"].trigger()
    dialog = desk.users_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    qtbot.mouseClick(dialog.buttons["add"], Qt.MouseButton.LeftButton)
    add = dialog.add_dialog
    qtbot.waitUntil(add.isVisible)
    width_before = add.width()
    # THEN the crossing point is the administrator's own
    assert add.post.code() == "UZ-DUS"
    # WHEN an officer is added without a crossing point
    retype(add.fields["username"], "olim")
    add.role.setCurrentIndex(add.role.findData("officer"))
    add.post.set_code("")
    retype(add.fields["new"], "officer password 1")
    retype(add.fields["repeat"], "officer password 1")
    add.buttons.button(add.buttons.StandardButton.Ok).click()
    # THEN the message is shown right under the drop-down, no wider than it, and the dialog keeps its width
    qtbot.waitUntil(lambda: add.post_error.text() != "", timeout=10_000)
    qtbot.waitUntil(lambda: add.post_error.isVisible())
    combo, error = add.post.geometry(), add.post_error.geometry()
    assert error.top() >= combo.bottom() and error.left() == combo.left()
    assert error.width() <= combo.width() and add.width() == width_before
    assert add.general.text() == ""
    # WHEN the post is chosen THEN the message goes
    add.post.set_code("UZ-DUS")
    assert add.post_error.text() == ""


def test_an_officer_is_not_offered_demo_cases_only_to_be_refused(make_desk, settings, qtbot):
    # GIVEN an officer's desk on an empty store WHEN it opens THEN it does not offer the demo cases (loading them is
    # an administrator's task: the officer would be refused with a permission's code)
    desk = make_desk(settings, username="amina", role="officer", ask_demo=True)
    qtbot.wait(100)
    assert getattr(desk, "demo_dialog", None) is None


def test_the_demo_question_is_not_asked_again_once_answered(make_desk, settings, qtbot):
    # GIVEN an administrator's desk on an empty store, which offers the demo cases
    desk = make_desk(settings, username=ADMIN, role="admin", ask_demo=True)
    dialog = desk.demo_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert [dialog.accept_button.text(), dialog.reject_button.text()] == ["Load demo cases", "Start empty"]
    # WHEN the answer is "Start empty"
    qtbot.mouseClick(dialog.reject_button, Qt.MouseButton.LeftButton)
    desk.shutdown()
    desk.window.hide()
    # THEN the next start of the desk, on the still empty store, does not ask again
    again = make_desk(settings, username=ADMIN, role="admin", ask_demo=True)
    qtbot.wait(100)
    assert getattr(again, "demo_dialog", None) is None
    assert again.list_page.model.total == 0
