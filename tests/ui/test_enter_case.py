"""Enter the Dustlik case from an empty store through the widgets alone, attach a photo, finalize it, find it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit

from blo_desk.domain.enums import CaseStatus, PersonRole
from blo_desk.i18n import set_language, translator
from blo_desk.ui.pages.editor.form_sections import (
    SECTION_CONVEYANCE,
    SECTION_INCIDENT,
    SECTION_ITEMS,
    SECTION_NARRATIVE,
    SECTION_PERSONS,
    SECTION_PHOTOS,
)

from .conftest import choose, drop_files, make_png, retype
from desk_driver import type_text

# The value as an officer types it in each language's habit.
VALUE_TYPED = {"en": "9,100,000", "ru": "9 100 000", "uz": "9 100 000"}


def press(qtbot, window, keys: str) -> None:
    """Press a shortcut such as Ctrl+S on the window's focused widget."""
    if not window.isActiveWindow():  # a dialog that just closed may have taken the activation with it
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
    sequence = QKeySequence(keys)
    combo = sequence[0]
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())


@pytest.mark.parametrize("language", ["en", "ru"])
def test_officer_enters_finalizes_and_finds_the_dustlik_case(make_desk, settings, qtbot, tmp_path, language):
    # GIVEN an empty store, the desk open and in the officer's language
    set_language(language)
    desk = make_desk(settings)
    window, editor = desk.window, desk.editor
    window.activateWindow()
    qtbot.waitUntil(lambda: desk.list_page.model.total == 0 and not desk.list_page.model.loading)

    # WHEN the officer starts a new case with Ctrl+N
    press(qtbot, window, "Ctrl+N")
    qtbot.waitUntil(lambda: window.on_editor and editor.case is not None)
    assert editor.fields["post_code"].value() == "UZ-DUS"  # the post of this office

    # AND fills the incident section by typing
    retype(editor.fields["occurred_date"].widget, "20.04.2024")
    retype(editor.fields["occurred_time"].widget, "10:40")
    retype(editor.fields["procedure"].widget, "Customs inspection of hand luggage")
    choose(editor.fields["detection_method"].widget, "customs_inspection")

    # AND the persons section (Ctrl+PgDown moves to the next section)
    press(qtbot, window, "Ctrl+PgDown")
    assert editor.tabs.currentIndex() == SECTION_PERSONS
    qtbot.mouseClick(editor.persons.add_button, Qt.MouseButton.LeftButton)
    choose(editor.persons.fields["role"].widget, str(PersonRole.OWNER))
    retype(editor.persons.fields["full_name"].widget, "Karimova Dilnoza Rustamovna")
    choose(editor.persons.fields["nationality"].widget, "KG")
    retype(editor.persons.fields["document_number"].widget, "AC 2284611")

    # AND the conveyance and route
    press(qtbot, window, "Ctrl+PgDown")
    assert editor.tabs.currentIndex() == SECTION_CONVEYANCE
    choose(editor.fields["conveyance_type"].widget, "pedestrian")
    choose(editor.fields["origin_country"].widget, "KG")
    choose(editor.fields["destination_country"].widget, "UZ")
    choose(editor.fields["concealment_method"].widget, "baby_carriage")
    retype(editor.fields["concealment_details"].widget, "Boxes hidden in a baby carriage with a child")

    # AND the seized item: 130 boxes of Oztay Diabolo pellets worth UZS 9,100,000
    press(qtbot, window, "Ctrl+PgDown")
    assert editor.tabs.currentIndex() == SECTION_ITEMS
    press(qtbot, window, "Alt+Ins")
    assert len(editor.items.records) == 1
    item = editor.items.fields
    choose(item["category"].widget, "ammunition")
    retype(item["description"].widget, "Pellets for pneumatic weapons, 4.5 mm")
    retype(item["brand"].widget, "Oztay Diabolo")
    retype(item["quantity"].widget, "130")
    choose(item["unit"].widget, "box")
    retype(item["packages"].widget, "130")
    retype(item["value"].widget, VALUE_TYPED[language])
    # THEN the item list shows the money the way the language writes it
    assert editor.items.table.item(0, 4).text() == translator(language).format_money(Decimal(9_100_000), "UZS")

    # WHEN the narrative and legal basis are typed (Tab leaves the text box)
    editor.tabs.setCurrentIndex(SECTION_NARRATIVE)
    editor.fields["narrative"].widget.setFocus()
    type_text(editor.fields["narrative"].widget, "130 boxes of Oztay Diabolo 4.5 mm pellets in a baby carriage.")
    editor.fields["legal_basis"].widget.setFocus()
    type_text(editor.fields["legal_basis"].widget, "Goods not declared; over the duty-free norm")

    # AND a photo is dropped on the photos section
    editor.tabs.setCurrentIndex(SECTION_PHOTOS)
    photo = tmp_path / "carriage.png"
    make_png(photo)
    drop_files(editor.photos, [photo])
    qtbot.waitUntil(lambda: len(editor.photos.attachments) == 1, timeout=10_000)

    # AND the case is saved with Ctrl+S
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        press(qtbot, window, "Ctrl+S")
    case = desk.services.cases.get(case_id=editor.case.id)
    assert case.case_number == "UZ-DUS-2024-00001"
    assert case.occurred_at == datetime(2024, 4, 20, 10, 40, tzinfo=ZoneInfo("Asia/Tashkent"))
    assert case.items[0].quantity == 130 and case.items[0].unit == "box" and case.items[0].value == 9_100_000
    assert case.items[0].brand == "Oztay Diabolo" and case.concealment_method == "baby_carriage"
    assert case.persons[0].full_name == "Karimova Dilnoza Rustamovna" and case.persons[0].role == PersonRole.OWNER
    assert case.attachments[0].filename == "carriage.png" and case.attachments[0].media_type == "image/png"

    # WHEN the officer finalizes it and confirms
    editor.tabs.setCurrentIndex(SECTION_INCIDENT)
    qtbot.mouseClick(editor.finalize_button, Qt.MouseButton.LeftButton)
    box = editor.finalize_dialog
    qtbot.waitUntil(box.isVisible)
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        qtbot.mouseClick(box.accept_button, Qt.MouseButton.LeftButton)

    # THEN the case is final and the form read-only
    assert desk.services.cases.get(case_id=case.id).status == CaseStatus.FINALIZED
    assert editor.mode == "final"
    assert editor.fields["narrative"].widget.isReadOnly()
    assert not editor.items.add_button.isEnabled()

    # WHEN the officer searches for it with Ctrl+F and the search box
    press(qtbot, window, "Ctrl+F")
    search: QLineEdit = desk.list_page.search
    qtbot.waitUntil(search.hasFocus)
    type_text(search, "Diabolo")
    qtbot.waitUntil(lambda: desk.list_page.model.query.text == "Diabolo" and not desk.list_page.model.loading,
                    timeout=10_000)
    # THEN exactly this case is listed, and Enter opens it
    assert [r.case_number for r in desk.list_page.model.rows] == ["UZ-DUS-2024-00001"]
    desk.list_page.table.setFocus()
    desk.list_page.table.selectRow(0)
    desk.list_page.table.setCurrentIndex(desk.list_page.model.index(0, 0))
    qtbot.keyClick(desk.list_page.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.on_editor and editor.case.id == case.id)
