"""Number fields of the item editor: typed in the officer's language, echoed in the field's unit, saved exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QPoint

from blo_desk.i18n import set_language
from blo_desk.ui.pages.case_editor import SECTION_ITEMS

from .conftest import choose, retype


def _item_being_entered(make_desk, settings, qtbot, language: str):
    """The desk in `language` with a new case whose one item and one person are otherwise complete."""
    set_language(language)
    desk = make_desk(settings)
    desk.new_case()
    qtbot.waitUntil(lambda: desk.window.on_editor and desk.editor.case is not None)
    editor = desk.editor
    editor.persons.add_record()
    retype(editor.persons.fields["full_name"].widget, "Karimova Dilnoza")
    editor.tabs.setCurrentIndex(SECTION_ITEMS)
    editor.items.add_record()
    item = editor.items.fields
    choose(item["category"].widget, "narcotics")
    retype(item["description"].widget, "Heroin")
    choose(item["unit"].widget, "kg")
    return desk, editor, item


def _save(desk, editor, qtbot):
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save()
    return desk.services.cases.get(case_id=editor.case.id)


@pytest.mark.parametrize(("language", "echo"), [("ru", "= 85,505 кг"), ("uz", "= 85,505 kg")])
def test_a_decimal_comma_typed_in_the_quantity_is_saved_as_a_decimal(make_desk, settings, qtbot, language, echo):
    # GIVEN an officer entering a seized item in the Russian or Uzbek desk, the unit being kilograms
    desk, editor, item = _item_being_entered(make_desk, settings, qtbot, language)

    # WHEN 85,505 is typed into the quantity field, key by key
    retype(item["quantity"].widget, "85,505")

    # THEN the field says at once how it was understood, in kilograms, written the language's way
    assert item["quantity"].error.text() == echo and item["quantity"].error.isVisible()
    # AND the saved case holds 85.505 kg, not 85 505 kg
    case = _save(desk, editor, qtbot)
    assert case.items[0].quantity == Decimal("85.505") and case.items[0].unit == "kg"


def test_kilograms_and_grams_are_understood_and_the_echo_follows_the_unit(make_desk, settings, qtbot):
    # GIVEN the Russian desk and an item in kilograms
    desk, editor, item = _item_being_entered(make_desk, settings, qtbot, "ru")

    # WHEN the officer writes the weight as the scale shows it
    retype(item["quantity"].widget, "85 кг 505 г")
    # THEN it is understood in kilograms
    assert item["quantity"].error.text() == "= 85,505 кг"
    # AND in grams when the unit is changed to grams
    item["unit"].widget.set_code("g")  # (typing "г" over "кг" is not a way to choose it)
    assert item["quantity"].error.text() == "= 85\u00a0505 г"
    item["unit"].widget.set_code("kg")

    # WHEN the case is saved THEN the stored quantity is 85.505 kg, and the list shows it so
    case = _save(desk, editor, qtbot)
    assert case.items[0].quantity == Decimal("85.505")
    assert editor.items.table.item(0, 3).text() == "85,505 кг"


def test_a_number_read_two_ways_is_refused_next_to_its_field_and_the_layout_does_not_move(make_desk, settings,
                                                                                        qtbot):
    # GIVEN the English desk, an item in kilograms, and where the fields below the quantity are drawn
    desk, editor, item = _item_being_entered(make_desk, settings, qtbot, "en")
    qtbot.waitUntil(lambda: item["packages"].isVisible())
    # measured from the quantity field, whose message comes and goes (a refused save also shows a notice above the
    # page, which makes the page shorter: the form may shift as a whole, but no message pushes a field down)
    def below_quantity():
        return item["packages"].mapToGlobal(QPoint(0, 0)) - item["quantity"].mapToGlobal(QPoint(0, 0))

    below = below_quantity()

    # WHEN the officer types 85,505 (85505 in English, 85.505 by the habit of the region)
    retype(item["quantity"].widget, "85,505")

    # THEN the field shows both readings in red and nothing below it moved
    note = item["quantity"].error
    assert "85505" in note.text() and "85.505" in note.text() and note.property("invalid") is True
    assert below_quantity() == below
    # AND saving is refused with the same message next to the field
    editor.save()
    qtbot.waitUntil(lambda: not editor.saving, timeout=10_000)
    assert editor.case.id is None and any(e.field == "items.0.quantity" for e in editor.errors)

    # WHEN the officer types what was meant THEN the echo replaces the message, still without moving anything
    retype(item["quantity"].widget, "85.505")
    assert note.text() == "= 85.505 kg" and note.property("invalid") is False
    retype(item["packages"].widget, "3")
    retype(item["value"].widget, "9,100,000")
    assert item["packages"].error.text() == "= 3 packages"
    assert item["value"].error.text() == "= UZS\u00a09,100,000"
    assert below_quantity() == below
    case = _save(desk, editor, qtbot)
    assert case.items[0].quantity == Decimal("85.505") and case.items[0].packages == 3
    assert case.items[0].value == 9_100_000


def test_typed_numbers_keep_their_value_when_the_language_is_switched(make_desk, settings, qtbot):
    # GIVEN 85,505 kg typed in the Russian desk
    desk, editor, item = _item_being_entered(make_desk, settings, qtbot, "ru")
    retype(item["quantity"].widget, "85,505")

    # WHEN the officer switches to English, where 85,505 would be read two ways
    desk.window.actions["language_en"].trigger()

    # THEN the field is rewritten the English way and still means 85.505 kg
    assert item["quantity"].value() == "85.505" and item["quantity"].error.text() == "= 85.505 kg"
    case = _save(desk, editor, qtbot)
    assert case.items[0].quantity == Decimal("85.505")
