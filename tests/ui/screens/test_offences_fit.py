"""The administrator's Offence articles dialog and its Add form on a laptop's screen, whole in each language."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from blo_desk.i18n import set_language

from screen_checks import assert_fits, assert_form_whole, settle, text_is_whole

SHOTS = os.environ.get("BLO_DESK_SHOT_DIR")  # where to keep screenshots of the dialogs (to look at them), if set


def _shot(widget, name: str) -> None:
    if SHOTS:
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_the_offence_articles_dialog_and_its_form_show_every_text_whole(make_desk, settings, qtbot, laptop_screen,
                                                                         language):
    # GIVEN the administrator's desk in one language, at an Uzbek post
    set_language(language)
    desk = make_desk(settings, username="admin", role="admin")
    # WHEN the administrator opens Offence articles: the post's country, with its shipped articles
    desk.manage_offences()
    dialog = desk.offences_dialog
    qtbot.waitUntil(lambda: len(dialog.rows) > 0, timeout=10_000)
    assert dialog.chosen_country() == "UZ"
    settle()
    # THEN it is whole on the screen, with its buttons whole and no column scrolled sideways
    assert_fits(dialog, laptop_screen)
    for button in dialog.buttons.values():
        assert text_is_whole(button), button.text()
    assert dialog.table.horizontalScrollBar().maximum() == 0
    _shot(dialog, f"offences-{language}")
    # WHEN the administrator adds an article to a country with no law yet (Turkmenistan)
    dialog.country.setCurrentIndex(dialog.country.findData("TM"))
    qtbot.waitUntil(lambda: dialog.chosen_country() == "TM" and not dialog.rows and dialog.buttons["add"].isEnabled())
    settle()
    # THEN it says that Turkmenistan has no article yet, whole
    assert dialog.empty.isVisible() and text_is_whole(dialog.empty), dialog.empty.text()
    _shot(dialog, f"offences-tm-{language}")
    dialog.add()
    form = dialog.article_dialog
    qtbot.waitUntil(form.isVisible)
    settle()
    # THEN the form with the new law's rows is whole on the screen, every label and hint whole
    assert_fits(form, laptop_screen)
    assert_form_whole(form)
    _shot(form, f"offence-add-{language}")
    form.close()
    dialog.close()
