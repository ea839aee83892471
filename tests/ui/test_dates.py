"""One clock, one format: every date on the desk comes from i18n's one formatter, in the post's zone, and every
date field has a calendar."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QTableView

from blo_desk.i18n import set_language, translator
from blo_desk.services.demo import load_demo
from blo_desk.ui.models.case_table import COL_DATE

from .conftest import PASSWORD, retype

TASHKENT = ZoneInfo("Asia/Tashkent")


def test_the_list_the_editor_its_header_and_history_write_dates_alike_in_the_posts_zone(make_desk, settings, qtbot,
                                                                                          services):
    # GIVEN the demo's Dustlik case (20 April 2024, 10:40 at the post) and the desk in Uzbek
    load_demo(cases=services.cases)
    set_language("uz")
    desk = make_desk(settings)
    model = desk.list_page.model
    qtbot.waitUntil(lambda: not model.loading and bool(model.rows))
    row = next(i for i, r in enumerate(model.rows) if r.case_number == "UZ-DUS-2024-00001")
    # WHEN the officer reads the list and opens the case
    listed = model.index(row, COL_DATE).data()
    desk.open_case(model.rows[row].id)
    qtbot.waitUntil(lambda: desk.editor.case is not None and bool(desk.editor.history))
    editor, case = desk.editor, desk.editor.case
    # THEN the list and the editor write the date the same way, with a four-digit year, in Tashkent time
    assert listed == "20/04/2024, 10:40"
    assert editor.fields["occurred_date"].value() == "20/04/2024"
    assert editor.fields["occurred_time"].value() == "10:40"
    created = case.created_at.astimezone(TASHKENT).strftime("%d/%m/%Y, %H:%M")
    assert created in editor.summary_label.text()
    saved = editor.history[-1].saved_at.astimezone(TASHKENT).strftime("%d/%m/%Y, %H:%M")
    assert editor.history_table.item(len(editor.history) - 1, 1).text() == saved
    # WHEN switched to Russian THEN the same date in Russian's way
    desk.switch_language("ru")
    assert model.index(row, COL_DATE).data() == "20.04.2024, 10:40"
    assert created.replace("/", ".") in editor.summary_label.text()


def test_the_users_dialog_shows_a_login_in_the_posts_time_like_the_cases(make_desk, settings, qtbot):
    # GIVEN sabina logged in once (the moment is stored in UTC), and the administrator's desk at UZ-DUS
    from blo_desk.app import backend

    make_desk(settings)  # sabina's desk: her login is recorded
    admin_desk = make_desk(settings, username="admin")
    # WHEN the administrator opens Users
    admin_desk.manage_users()
    dialog = admin_desk.users_dialog
    qtbot.waitUntil(lambda: bool(getattr(dialog, "rows", None)))
    accounts = backend().accounts(settings)
    accounts.login(username="admin", password=PASSWORD)
    row = next(i for i, u in enumerate(dialog.rows) if u.username == "sabina")
    last = dialog.rows[row].last_login_at
    # THEN her last login is written in Tashkent time, the way the cases' times are
    shown = dialog.table.item(row, dialog.table.columnCount() - 1).text()
    assert shown == last.astimezone(TASHKENT).strftime("%d/%m/%Y, %H:%M")
    dialog.close()


def _calendar_view(popup) -> QTableView:
    return popup.calendar.findChild(QTableView)


def test_every_date_field_has_a_calendar_that_writes_the_chosen_day(make_desk, settings, qtbot):
    # GIVEN a new case in Russian
    set_language("ru")
    desk = make_desk(settings)
    desk.new_case()
    qtbot.waitUntil(lambda: desk.window.on_editor and desk.editor.case is not None)
    editor = desk.editor
    editor.persons.add_record()
    editor.documents.add_record()
    date_fields = [editor.fields["occurred_date"], editor.persons.fields["birth_date"],
                   editor.persons.fields["document_issued_on"], editor.documents.fields["issued_on"]]
    for field in date_fields:
        widget = field.widget
        # THEN each shows how a date is typed, and a calendar button
        assert widget.placeholderText() == "ДД.ММ.ГГГГ"
        assert widget.calendar_action.isVisible()
    # WHEN the officer opens the calendar of the incident's date (Alt+Down) and picks 20 April 2024 with the keyboard
    field = editor.fields["occurred_date"].widget
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    popup = field.popup
    assert popup is not None and popup.isVisible()
    popup.calendar.setSelectedDate(QDate(2024, 4, 20))
    qtbot.keyClick(_calendar_view(popup), Qt.Key.Key_Return)
    # THEN the day is written in Russian's way, the calendar is gone and the case counts as changed
    assert field.text() == "20.04.2024"
    assert not popup.isVisible()
    assert editor.dirty
    # WHEN the officer types a day of another form THEN it is read all the same (day first)
    retype(field, "21/04/2024")
    assert field.value() == date(2024, 4, 21)
    QApplication.processEvents()


def test_a_date_that_cannot_be_read_is_refused_with_the_form_of_the_ui_language(make_desk, settings, qtbot):
    # GIVEN a new case in Uzbek
    set_language("uz")
    desk = make_desk(settings)
    desk.new_case()
    qtbot.waitUntil(lambda: desk.window.on_editor and desk.editor.case is not None)
    editor = desk.editor
    # WHEN the officer types a date the desk cannot read and saves
    retype(editor.fields["occurred_date"].widget, "April 20")
    editor.save()
    # THEN the message next to the field names the Uzbek form of a date
    hint = translator("uz").date_hint()
    assert hint == "KK/OO/YYYY"
    assert hint in editor.fields["occurred_date"].error.text()


def test_a_language_switch_rewrites_the_editors_dates_at_once_and_that_is_no_edit(make_desk, settings, qtbot,
                                                                                  services):
    # GIVEN a draft of the Dustlik case open in Uzbek, its owner's birth date shown in the persons' form
    from blo_desk.services.demo import dustlik_case

    dustlik = services.cases.save(case=dustlik_case())
    set_language("uz")
    desk = make_desk(settings)
    desk.open_case(dustlik.id)
    qtbot.waitUntil(lambda: desk.editor.case is not None and desk.editor.case.id == dustlik.id)
    editor = desk.editor
    editor.persons.table.selectRow(0)
    birth = editor.persons.fields["birth_date"].widget
    assert editor.fields["occurred_date"].widget.text() == "20/04/2024"
    assert birth.text() == "14/03/1991"
    # WHEN the officer switches to Russian
    desk.switch_language("ru")
    # THEN every date field on screen is written the Russian way at once, and nothing counts as changed
    assert editor.fields["occurred_date"].widget.text() == "20.04.2024"
    assert birth.text() == "14.03.1991"
    assert editor.persons.records[0]["birth_date"] == "14.03.1991"
    assert not editor.dirty
    # WHEN the officer then types a half date and switches to English THEN it stays as typed (never guessed at)
    retype(editor.fields["occurred_date"].widget, "20.04")
    assert editor.dirty
    desk.switch_language("en")
    assert editor.fields["occurred_date"].widget.text() == "20.04"
    assert birth.text() == "14/03/1991"
    # WHEN the officer puts the date back THEN the case no longer counts as changed (the saved dates read anew)
    retype(editor.fields["occurred_date"].widget, "20/04/2024")
    assert not editor.dirty


def _month_and_days(calendar) -> tuple[str, list[str]]:
    """The month's name on the calendar's title bar and the day names over its columns, as shown."""
    from PySide6.QtWidgets import QToolButton

    month = calendar.findChild(QToolButton, "qt_calendar_monthbutton").text()
    view = calendar.findChild(QTableView)
    days = [view.model().index(0, column).data() for column in range(7)]
    return month, days


@pytest.mark.parametrize(("language", "month_names", "monday"), [
    ("uz", ["Yanvar", "Fevral", "Mart", "Aprel", "May", "Iyun", "Iyul", "Avgust", "Sentabr", "Oktabr", "Noyabr",
            "Dekabr"], "Dush"),
    ("ru", ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь",
            "декабрь"], "пн"),
])
def test_the_lists_date_filter_opens_its_calendar_in_the_ui_language_at_this_month(make_desk, settings, qtbot,
                                                                                    language, month_names, monday):
    # GIVEN the desk in English, then switched to another language
    desk = make_desk(settings)
    desk.switch_language(language)
    page = desk.list_page
    field = page.date_from
    assert field.text() == translator(language).gettext("any date")
    # WHEN the officer opens the From filter's calendar with the keyboard (Alt+Down)
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    calendar = field.calendarWidget()
    qtbot.waitUntil(calendar.isVisible)
    # THEN it shows this month, named in the UI language, with the week from Monday in that language
    today = date.today()
    month, days = _month_and_days(calendar)
    assert (calendar.yearShown(), calendar.monthShown()) == (today.year, today.month)
    assert month.lower() == month_names[today.month - 1].lower()
    assert days[0].lower() == monday.lower()
    # AND today is the day marked, while the filter still says "any date" until a day is picked
    assert calendar.selectedDate() == QDate(today.year, today.month, today.day)
    assert field.text() == translator(language).gettext("any date")
    assert page.model.query.date_from is None
    # WHEN the officer picks a day with the keyboard THEN the filter takes it, written the language's way
    view = calendar.findChild(QTableView)
    calendar.setSelectedDate(QDate(today.year, today.month, 1))
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert field.date() == QDate(today.year, today.month, 1)
    assert field.text() == translator(language).format_date(date(today.year, today.month, 1))
    qtbot.waitUntil(lambda: page.model.query.date_from == date(today.year, today.month, 1))


def test_a_date_filter_goes_back_to_any_date(make_desk, settings, qtbot):
    # GIVEN the list filtered from a day
    desk = make_desk(settings)
    page = desk.list_page
    field = page.date_from
    field.setDate(QDate(2024, 4, 21))
    qtbot.waitUntil(lambda: page.model.query.date_from == date(2024, 4, 21))
    clear = field.findChild(QAction, "anyDate") or field.clear_action
    assert clear.isVisible()
    # WHEN the officer presses the ✕ in the field THEN the filter is off again: "any date", every date listed
    clear.trigger()
    assert field.text() == translator("en").gettext("any date")
    qtbot.waitUntil(lambda: page.model.query.date_from is None)
    assert not clear.isVisible()
    # WHEN a day is picked again and the officer presses Delete in the field THEN the same
    field.setDate(QDate(2024, 4, 21))
    qtbot.waitUntil(lambda: page.model.query.date_from == date(2024, 4, 21))
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    assert field.text() == translator("en").gettext("any date")
    qtbot.waitUntil(lambda: page.model.query.date_from is None)
