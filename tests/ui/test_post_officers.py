"""The seizing officers of the case editor: "Add me" and "Officers of the post" fill name, rank and agency from the
accounts of the case's post; anyone else is still typed in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from blo_desk.app import backend
from blo_desk.domain.entities import Officer

from .conftest import ADMIN, PASSWORD, choose, login_as, retype


def _accounts_with_ranks(settings) -> None:
    """The supervisor sabina (Captain, customs) and officer karim (Major, border) at UZ-DUS; timur at UZ-GSK."""
    login_as(settings)  # the first administrator and sabina
    admin = backend().accounts(settings)
    admin.login(username=ADMIN, password=PASSWORD)
    services = admin.open_services()
    try:
        services.users.update_user(username="sabina", full_name="Yoʻldosheva Sabina", rank="Captain",
                                   agency="customs")
        services.users.add_user(username="karim", password=PASSWORD, role="officer", post_code="UZ-DUS",
                                full_name="Karimov Karim", rank="Major", agency="border")
        services.users.add_user(username="timur", password=PASSWORD, role="officer", post_code="UZ-GSK",
                                full_name="Timurov Timur", rank="Lieutenant")
    finally:
        services.close()


def _new_case(desk, qtbot):
    desk.new_case()
    qtbot.waitUntil(lambda: desk.window.on_editor and desk.editor.case is not None)
    return desk.editor


def test_officers_of_the_post_and_add_me_fill_name_rank_and_agency(make_desk, settings, qtbot):
    # GIVEN the supervisor sabina of UZ-DUS at her desk, with a new case; the accounts carry ranks and agencies
    _accounts_with_ranks(settings)
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    button = editor.post_officers_button
    # WHEN the users of the post have been read (off the GUI thread)
    qtbot.waitUntil(lambda: len(button.officers) == 2, timeout=10_000)
    # THEN the menu offers the officers of this post by name and rank, and nobody from another post
    labels = [a.text() for a in button.menu().actions()]
    assert labels == ["Karimov Karim (Major)", "Yoʻldosheva Sabina (Captain)"]

    # WHEN she presses "Add me", picks Karimov from the menu, and types in a police officer by hand
    QTest.keyClick(editor.add_me_button, Qt.Key.Key_Space)
    next(a for a in button.menu().actions() if a.objectName() == "officerOfPost_karim").trigger()
    editor.officers.add_record()
    fields = editor.officers.fields
    retype(fields["full_name"].widget, "Rustam Gafurov")
    retype(fields["rank"].widget, "Sergeant")
    choose(fields["agency"].widget, "police")
    # AND picks herself again (she is already listed: nothing is added twice)
    next(a for a in button.menu().actions() if a.objectName() == "officerOfPost_sabina").trigger()

    # THEN the list holds her and Karimov with the name, rank and agency of their accounts, and the typed officer
    assert [(r["full_name"], r["rank"], r["agency"], r["username"]) for r in editor.officers.records] == [
        ("Yoʻldosheva Sabina", "Captain", "customs", "sabina"),
        ("Karimov Karim", "Major", "border", "karim"),
        ("Rustam Gafurov", "Sergeant", "police", ""),
    ]
    assert editor.officers.current_row() == 0
    # AND saved, the case names all three seizing officers
    with qtbot.waitSignal(editor.saved, timeout=10_000) as saved:
        assert editor.save(), [(e.field, e.translated()) for e in editor.errors]
    assert saved.args[0].officers == (
        Officer(full_name="Yoʻldosheva Sabina", rank="Captain", agency="customs", username="sabina"),
        Officer(full_name="Karimov Karim", rank="Major", agency="border", username="karim"),
        Officer(full_name="Rustam Gafurov", rank="Sergeant", agency="police"),
    )


def test_a_finalized_case_offers_no_officers_to_add(make_desk, settings, qtbot):
    # GIVEN a desk with the officers of the post read
    _accounts_with_ranks(settings)
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    qtbot.waitUntil(lambda: len(editor.post_officers_button.officers) == 2, timeout=10_000)
    # WHEN the case is shown read-only THEN neither "Add me" nor "Officers of the post" can be used
    editor.mode = "final"
    editor._apply_mode()
    assert not editor.post_officers_button.isEnabled() and not editor.add_me_button.isEnabled()


def test_the_admin_gives_a_rank_in_the_users_dialog_and_adds_a_user_with_rank_and_agency(make_desk, settings, qtbot):
    # GIVEN the administrator's desk with the list of users open
    _accounts_with_ranks(settings)
    desk = make_desk(settings, username=ADMIN, role="admin")
    desk.manage_users()
    dialog = desk.users_dialog
    qtbot.waitUntil(lambda: any(u.username == "karim" for u in dialog.rows), timeout=10_000)
    # WHEN Karimov is selected, Change… is pressed, and the new rank and agency are entered
    dialog.table.selectRow(next(i for i, u in enumerate(dialog.rows) if u.username == "karim"))
    QTest.keyClick(dialog.buttons["edit"], Qt.Key.Key_Space)
    edit = dialog.edit_dialog
    assert edit.fields["rank"].text() == "Major" and edit.agency.code() == "border"
    retype(edit.fields["rank"], "Lieutenant colonel")
    choose(edit.agency, "customs")
    edit.buttons.accepted.emit()
    # THEN the list shows the new rank and agency
    qtbot.waitUntil(lambda: dialog.message.text() == "User changed.", timeout=10_000)
    qtbot.waitUntil(lambda: any(u.rank == "Lieutenant colonel" for u in dialog.rows), timeout=10_000)
    karim = next(u for u in dialog.rows if u.username == "karim")
    assert (karim.rank, karim.agency) == ("Lieutenant colonel", "customs")

    # WHEN a new officer is added with a rank (the agency combo starts at customs) THEN the account keeps them
    dialog.add()
    add = dialog.add_dialog
    assert add.agency.code() == "customs"
    retype(add.fields["username"], "dilshod")
    retype(add.fields["full_name"], "Dilshod Rahimov")
    retype(add.fields["rank"], "Senior lieutenant")
    choose(add.post, "UZ-DUS")
    retype(add.fields["new"], PASSWORD)
    retype(add.fields["repeat"], PASSWORD)
    add.buttons.accepted.emit()
    qtbot.waitUntil(lambda: any(u.username == "dilshod" for u in dialog.rows), timeout=10_000)
    dilshod = next(u for u in dialog.rows if u.username == "dilshod")
    assert (dilshod.full_name, dilshod.rank, dilshod.agency, dilshod.post_code) == (
        "Dilshod Rahimov", "Senior lieutenant", "customs", "UZ-DUS")


def test_an_officer_added_by_hand_starts_with_the_cases_lead_agency(make_desk, settings, qtbot):
    # GIVEN a new case led by the border service
    login_as(settings)
    desk = make_desk(settings)
    editor = _new_case(desk, qtbot)
    choose(editor.fields["agency"].widget, "border")
    # WHEN the officer presses Add officer
    QTest.keyClick(editor.officers.add_button, Qt.Key.Key_Space)
    # THEN the new row's agency is the lead agency, not empty; the name is left to type
    assert editor.officers.records[-1]["agency"] == "border"
    assert editor.officers.records[-1]["full_name"] == ""
