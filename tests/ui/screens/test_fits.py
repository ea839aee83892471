"""Every window and dialog fits the laptop's screen, with its buttons reachable without maximizing."""

from __future__ import annotations

from datetime import date

import pytest

from blo_desk.i18n import set_language
from blo_desk.services.demo import load_demo
from blo_desk.ui.pages.editor.form_sections import SECTION_TITLES

from desk_driver import wait_until
from screen_checks import assert_fits


@pytest.mark.parametrize("language", ["uz", "ru"])
def test_the_desk_its_editor_and_its_dialogs_fit_the_screen(make_desk, settings, qtbot, services, laptop_screen,
                                                          language):
    # GIVEN the demo cases and a supervisor's desk in Uzbek or Russian (the longer words), opened as officers open it
    load_demo(cases=services.cases)
    set_language(language)
    desk = make_desk(settings)
    window = desk.window
    assert_fits(window, laptop_screen)
    # WHEN the officer opens a finalized case and goes through every section of the editor
    model = desk.list_page.model
    qtbot.waitUntil(lambda: not model.loading and bool(model.rows))
    dustlik = next(r for r in model.rows if r.case_number == "UZ-DUS-2024-00001")
    desk.open_case(dustlik.id)
    qtbot.waitUntil(lambda: desk.editor.case is not None and desk.editor.case.id == dustlik.id)
    for section in range(len(SECTION_TITLES)):
        desk.editor.tabs.setCurrentIndex(section)
        # THEN the window still fits, with Amend reachable
        assert_fits(window, laptop_screen)
    # WHEN the officer asks to amend THEN the reason dialog fits
    desk.amend()
    assert_fits(desk.editor.amend_dialog, laptop_screen)
    desk.editor.amend_dialog.reject()
    # WHEN the officer opens the protocol's print preview THEN Print, Save as PDF and Close are on the screen
    from blo_desk.ui.printing import period_report, print_protocol

    preview = print_protocol(desk)
    assert preview is not None
    wait_until(lambda: preview.task is None, 60)
    assert_fits(preview, laptop_screen)
    preview.close()
    # WHEN the supervisor asks for a period report THEN the dialog and the report's preview fit
    choose = period_report(desk)
    assert choose is not None
    assert_fits(choose, laptop_screen)
    choose.set_period(date(2024, 4, 1), date(2024, 4, 30))
    choose.buttons.button(choose.buttons.StandardButton.Ok).click()
    report = desk._print_windows["report"]
    wait_until(lambda: report.task is None, 60)
    assert_fits(report, laptop_screen)
    report.close()
    # WHEN the officer opens Settings, Change password and the bundle export THEN each fits
    desk.open_settings()
    assert_fits(desk.settings_dialog, laptop_screen)
    desk.settings_dialog.reject()
    desk.change_password()
    assert_fits(desk.password_dialog, laptop_screen)
    desk.password_dialog.reject()
    from blo_desk.ui.bundles import export_bundle

    export_bundle(desk)
    exporter = desk._bundle_windows["export"]
    wait_until(lambda: desk.runner.active == 0, 30)
    assert_fits(exporter, laptop_screen)
    exporter.close()
    # WHEN a new case is started THEN its form fits too
    desk.new_case()
    qtbot.waitUntil(lambda: desk.editor.case is not None and desk.editor.case.id is None)
    for section in range(len(SECTION_TITLES)):
        desk.editor.tabs.setCurrentIndex(section)
        assert_fits(window, laptop_screen)


def test_the_users_dialog_fits_the_screen(make_desk, settings, qtbot, laptop_screen):
    # GIVEN the administrator's desk
    desk = make_desk(settings, username="admin")
    # WHEN the administrator opens Users THEN it fits
    desk.manage_users()
    assert_fits(desk.users_dialog, laptop_screen)
    desk.users_dialog.close()


@pytest.mark.parametrize("language", ["uz", "ru"])
def test_the_hq_window_and_each_of_its_tabs_fit_the_screen(make_desk, settings, qtbot, laptop_screen, language):
    # GIVEN an HQ analyst's desk in Uzbek or Russian
    set_language(language)
    desk = make_desk(settings, username="lola", role="analyst", post_code="")
    # WHEN the analyst opens the HQ window and goes through every tab (counterpart traffic, lost cases too)
    desk.window.actions["hq_overview"].trigger()
    window = desk._bundle_windows["hq"]
    wait_until(lambda: desk.runner.active == 0, 30)
    for index in range(window.page.tabs.count()):
        window.page.tabs.setCurrentIndex(index)
        # THEN it fits, with its buttons on the screen
        assert_fits(window, laptop_screen)
    window.close()
