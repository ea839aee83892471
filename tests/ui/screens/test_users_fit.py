"""The administrator's Users and Add user dialogs on a laptop's screen: sized from their content in each language,
no column, label or hint cut."""

from __future__ import annotations

import pytest
from conftest import ADMIN, PASSWORD
from PySide6.QtWidgets import QComboBox

from blo_desk.app import backend
from blo_desk.domain.errors import InvalidCredentialsError
from blo_desk.i18n import set_language

from screen_checks import assert_fits, assert_form_whole, global_rect, settle, text_is_whole


def _add_people(settings) -> None:
    """Two more users with long names and ranks; one with failed logins (its state is the longest text)."""
    admin = backend().accounts(settings)
    admin.login(username=ADMIN, password=PASSWORD)
    services = admin.open_services()
    try:
        services.users.add_user(username="gulnora.toxtayeva", password=PASSWORD, role="supervisor",
                                post_code="UZ-SAR", full_name="Gulnora Abdumalikovna Toʻxtayeva",
                                rank="Bojxona xizmati katta leytenanti", agency="border")
        services.users.add_user(username="olim", password=PASSWORD, role="officer", post_code="UZ-DUS",
                                full_name="Olim Gʻaniyev", rank="Kapitan", agency="customs")
    finally:
        services.close()
    for _ in range(3):
        with pytest.raises(InvalidCredentialsError):
            backend().accounts(settings).login(username="olim", password="not the password 1")


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_the_users_and_add_user_dialogs_show_every_text_whole(make_desk, settings, qtbot, laptop_screen, language):
    # GIVEN the administrator's desk, in one language, and users whose names, ranks and states are long
    set_language(language)
    desk = make_desk(settings, username=ADMIN)
    _add_people(settings)
    # WHEN the administrator opens Users
    desk.manage_users()
    dialog = desk.users_dialog
    qtbot.waitUntil(lambda: len(dialog.rows) == 3)
    settle()
    # THEN it is whole on the screen with its buttons, every button's text whole
    assert_fits(dialog, laptop_screen)
    for button in dialog.buttons.values():
        assert text_is_whole(button), button.text()
    # AND every column shows its longest text and its heading whole, all columns in view without scrolling sideways
    table, header = dialog.table, dialog.table.horizontalHeader()
    for column in range(table.columnCount()):
        need = max(table.sizeHintForColumn(column), header.sectionSizeHint(column))
        assert header.sectionSize(column) >= need, (table.horizontalHeaderItem(column).text(), need)
    assert table.horizontalScrollBar().maximum() == 0
    assert global_rect(dialog).contains(global_rect(table.viewport()))
    # WHEN the administrator adds a user
    dialog.add()
    add = dialog.add_dialog
    qtbot.waitUntil(add.isVisible)
    settle()
    # THEN the Add user dialog is whole on the screen with OK and Cancel, and every label, hint and choice is whole
    assert_fits(add, laptop_screen)
    assert_form_whole(add)
    for combo in add.findChildren(QComboBox):
        if combo.isVisibleTo(add):
            assert combo.fontMetrics().horizontalAdvance(combo.currentText()) <= combo.width() - 30, combo.currentText()
    add.close()
    dialog.close()


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_every_field_of_add_user_keeps_the_same_room_for_its_message(make_desk, settings, qtbot, laptop_screen,
                                                                    language):
    from PySide6.QtWidgets import QDialogButtonBox

    # GIVEN the administrator's Add user dialog, in one language
    set_language(language)
    desk = make_desk(settings, username=ADMIN)
    desk.manage_users()
    dialog = desk.users_dialog
    qtbot.waitUntil(lambda: len(dialog.rows) == 1)
    dialog.add()
    add = dialog.add_dialog
    qtbot.waitUntil(add.isVisible)
    settle()
    inputs = [add.fields["username"], add.fields["full_name"], add.fields["rank"], add.role, add.post, add.agency,
              add.fields["new"], add.fields["repeat"]]

    def tops() -> list[int]:
        settle()
        return [global_rect(w).top() for w in inputs]

    # THEN the fields follow each other at one even step: each (drop-downs too) has one line kept for its message,
    # as the case editor's fields have (before, the role and the agency had none and the others' gaps differed)
    before = tops()
    steps = [b - a for a, b in zip(before, before[1:], strict=False)]
    heights = {w.height() for w in inputs}
    assert max(steps) - min(steps) <= max(heights) - min(heights) + 1, steps
    line = add.fontMetrics().lineSpacing()
    assert min(steps) >= min(heights) + line, (steps, line)
    # WHEN OK is pressed without a username THEN the message shows under it and no field moves
    add.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: add.errors["username"].text() != "")
    assert tops() == before
    add.close()
    dialog.close()
