"""The first-run wizard on a laptop's screen, in each language: every page whole, nothing past the right edge, the
recovery code shown whole."""

from __future__ import annotations

from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QApplication

from blo_desk.app import backend
from blo_desk.config import LANGUAGES
from blo_desk.domain.recovery import normalize_code
from blo_desk.i18n import set_language
from blo_desk.ui.first_run import PAGE_ADMIN, PAGE_KEY, PAGE_PEOPLE
from blo_desk.ui.main import StartFlow

from desk_driver import type_text
from screen_checks import assert_fits, assert_nothing_past_the_right_edge


def test_every_page_of_the_first_run_wizard_fits_and_shows_the_recovery_code_whole(encrypted_settings, qtbot,
                                                                                    laptop_screen):
    # GIVEN a laptop with no store yet, started in Uzbek: the login window, then the first-run wizard
    set_language("uz")
    flow = StartFlow(encrypted_settings, backend(), app=QApplication.instance(), ask_demo=False)
    try:
        flow.start()
        assert_fits(flow.login, laptop_screen)
        qtbot.waitUntil(lambda: flow.wizard is not None and bool(flow.wizard.posts), timeout=60_000)
        wizard = flow.wizard
        # WHEN the administrator goes to the admin page and creates the store (which makes the recovery code)
        wizard.next()
        wizard.next()
        assert wizard.page == PAGE_ADMIN
        for key, text in (("username", "amina"), ("password", "correct horse battery"),
                          ("repeat", "correct horse battery")):
            wizard.admin_fields[key].setFocus()
            type_text(wizard.admin_fields[key], text)
        wizard.next()
        qtbot.waitUntil(lambda: wizard.page == PAGE_KEY, timeout=60_000)
        assert wizard.recovery_code
        for language in ("uz", *(lang for lang in LANGUAGES if lang != "uz")):
            flow.switch_language(language)
            # THEN in each language every page is whole on the screen with Back and Next in reach, and nothing on
            # it lies past the right edge or is cut (there is no sideways scrolling to find it)
            for page in range(wizard.stack.count()):
                wizard.stack.setCurrentIndex(page)
                wizard._page_changed()
                assert_fits(wizard, laptop_screen)
                area = wizard.stack.currentWidget()
                assert_nothing_past_the_right_edge(area)
                assert not area.horizontalScrollBar().isVisible()
            # AND the recovery code is shown whole, in monospace, broken only between its groups
            wizard.stack.setCurrentIndex(PAGE_KEY)
            wizard._page_changed()
            assert_nothing_past_the_right_edge(wizard.stack.currentWidget())
            code = wizard.recovery_label
            assert code.isVisibleTo(wizard) and QFontInfo(code.font()).fixedPitch()
            assert normalize_code(code.text()) == normalize_code(wizard.recovery_code)
            assert all(len(group) == 5 for line in code.text().splitlines() for group in line.split("-") if group)
            # AND on step 5 the supervisor's column is beside the officer's, both whole
            wizard.stack.setCurrentIndex(PAGE_PEOPLE)
            wizard._page_changed()
            for role in ("officer", "supervisor"):
                for key in ("username", "full_name", "password", "repeat"):
                    field = wizard.people_fields[role][key]
                    assert field.isVisible() and field.width() >= 150, (role, key, field.width())
    finally:
        flow.close()
