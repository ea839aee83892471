"""What a real-window run found: substances named in the list, found by synonym, counted in words; name columns."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from decimal import Decimal

from PySide6.QtWidgets import QApplication

from blo_desk.domain.entities import Person, SeizedItem
from blo_desk.domain.enums import PersonRole
from blo_desk.i18n import set_language
from blo_desk.ui.models.case_table import COL_ITEMS
from blo_desk.ui.pages.editor.form_sections import SECTION_INCIDENT, SECTION_ITEMS

from .conftest import retype
from desk_driver import type_text


def _case(services):
    template = services.cases.new_case(post_code="UZ-DUS", timezone="Asia/Tashkent")
    return services.cases.save(case=replace(
        template, occurred_at=datetime(2024, 8, 25, 3, 30, tzinfo=timezone.utc),
        items=(SeizedItem(category="narcotics", substance="hashish", description="brown bricks in a bag",
                       quantity=Decimal(2), unit="kg"),
                  SeizedItem(category="narcotics", substance="heroin", description="white powder", quantity=Decimal(1),
                       unit="pcs")),
        persons=(Person(role=PersonRole.SUSPECT, full_name="Karimov Aziz"),)))


def test_the_list_names_the_seized_substances_in_the_ui_language(make_desk, settings, qtbot, services):
    # GIVEN a case of hashish and heroin whose items were described in the officer's own words
    _case(services)
    desk = make_desk(settings)
    model = desk.list_page.model
    qtbot.waitUntil(lambda: not model.loading and bool(model.rows))
    # WHEN the officer reads the list THEN it names the substances, not the descriptions
    text = model.index(0, COL_ITEMS).data()
    assert "Hashish" in text and "Heroin" in text and "bricks" not in text
    # WHEN switched to Russian THEN in Russian
    desk.switch_language("ru")
    text = model.index(0, COL_ITEMS).data()
    assert "Гашиш" in text and "Героин" in text


def test_the_substance_is_found_by_a_synonym_typed_in_another_script(make_desk, settings, qtbot):
    # GIVEN a new case with an item, the desk in English
    desk = make_desk(settings)
    desk.new_case()
    qtbot.waitUntil(lambda: desk.window.on_editor and desk.editor.case is not None)
    editor = desk.editor
    editor.tabs.setCurrentIndex(SECTION_ITEMS)
    editor.items.add_record()
    combo = editor.items.fields["substance"].widget
    combo.setFocus()
    # WHEN the officer types the street name "анаша" into the substance field
    type_text(combo, "анаша")
    # THEN hashish is offered, and choosing it sets the substance and fills in its category and unit
    popup = combo.completer().popup()
    offered = [popup.model().index(i, 0).data() for i in range(popup.model().rowCount())]
    assert any("Hashish" in label for label in offered), offered
    combo.completer().activated.emit(next(label for label in offered if "Hashish" in label))
    QApplication.processEvents()
    assert combo.code() == "hashish"
    assert editor.items.records[0]["substance"] == "hashish"
    assert editor.items.records[0]["category"] == "narcotics"
    popup.hide()


def test_one_piece_is_written_in_words_that_agree_with_the_number(make_desk, settings, qtbot):
    # GIVEN an item counted in pieces
    desk = make_desk(settings)
    desk.new_case()
    qtbot.waitUntil(lambda: desk.window.on_editor and desk.editor.case is not None)
    editor = desk.editor
    editor.tabs.setCurrentIndex(SECTION_ITEMS)
    editor.items.add_record()
    editor.items.fields["unit"].widget.set_code("pcs")
    # WHEN the officer types 1, then 3
    retype(editor.items.fields["quantity"].widget, "1")
    one = editor.items.fields["quantity"].error.text()
    retype(editor.items.fields["quantity"].widget, "3")
    three = editor.items.fields["quantity"].error.text()
    # THEN the echo says "1 piece" and "3 pieces", never "1 pcs"
    assert one == "= 1 piece" and three == "= 3 pieces", (one, three)


def test_the_name_column_of_the_officers_gets_the_room(make_desk, settings, qtbot):
    # GIVEN a new case with a seizing officer of a long rank
    set_language("en")
    desk = make_desk(settings)
    desk.new_case()
    qtbot.waitUntil(lambda: desk.window.on_editor and desk.editor.case is not None)
    editor = desk.editor
    editor.tabs.setCurrentIndex(SECTION_INCIDENT)
    officers = editor.officers
    officers.add_record()
    retype(officers.fields["full_name"].widget, "Yusupova Sabina Rustamovna")
    retype(officers.fields["rank"].widget, "Senior inspector of the customs post, second class, on duty")
    QApplication.processEvents()
    # THEN the full name is shown whole, in the widest column
    table = officers.table
    name_width = table.columnWidth(1)
    assert name_width >= table.fontMetrics().horizontalAdvance("Yusupova Sabina Rustamovna")
    assert name_width >= max(table.columnWidth(c) for c in range(table.columnCount()))
