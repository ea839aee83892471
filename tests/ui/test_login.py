"""Login screen, first-run wizard and role-aware desk, on real encrypted stores, driven through the widgets."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QMessageBox, QRadioButton
from shiboken6 import isValid

from blo_desk.app import backend
from blo_desk.domain.errors import AccountLockedError, InvalidCredentialsError, PermissionDeniedError
from blo_desk.domain.permissions import Role
from blo_desk.i18n import active_language, set_language, translator
from blo_desk.ui.first_run import PAGE_ADMIN, PAGE_DEMO, PAGE_KEY, PAGE_PEOPLE, PAGE_POST, grouped
from blo_desk.ui.prefs import Preferences

from .conftest import PASSWORD, choose, login_as, retype
from desk_driver import type_text


def click(qtbot, widget) -> None:
    """Click a button; radio buttons and check boxes on their indicator (their label may not fill the row)."""
    if isinstance(widget, (QRadioButton, QCheckBox)):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_first_run_wizard_sets_up_admin_post_key_and_demo_and_opens_the_desk(start_flow, encrypted_settings, qtbot):
    # GIVEN a laptop with no store yet
    settings = encrypted_settings
    flow = start_flow(settings)
    # THEN the first-run wizard is shown instead of the login
    assert flow.first_start is True
    wizard = flow.wizard
    qtbot.waitUntil(wizard.isVisible)

    # WHEN the language is chosen: Russian, at once, and remembered for the next start
    click(qtbot, wizard.language_buttons["ru"])
    assert active_language() == "ru" and Preferences(settings.data_dir).language == "ru"
    assert wizard.next_button.text() == translator("ru").gettext("&Next")
    click(qtbot, wizard.next_button)

    # AND the post is picked from the shipped list with the keyboard (typing the beginning of its name)
    assert wizard.page == PAGE_POST
    qtbot.waitUntil(lambda: wizard.post_combo.count() == 24)
    choose(wizard.post_combo, "UZ-OYB")
    click(qtbot, wizard.next_button)

    # AND the admin is typed with two different passwords, then with a short one
    assert wizard.page == PAGE_ADMIN
    fields, errors = wizard.admin_fields, wizard.admin_errors
    retype(fields["username"], "amina")
    retype(fields["full_name"], "Aminа Toʻxtayeva")
    retype(fields["password"], "correct horse battery")
    retype(fields["repeat"], "correct horse batterY")
    click(qtbot, wizard.next_button)
    # THEN the mismatch is shown next to the second password field, translated, and nothing is created
    assert errors["repeat"].text() == translator("ru").gettext("The two passwords differ.")
    assert wizard.page == PAGE_ADMIN and flow.accounts.first_start()
    retype(fields["password"], "short")
    retype(fields["repeat"], "short")
    click(qtbot, wizard.next_button)
    assert "10" in errors["password"].text() and wizard.page == PAGE_ADMIN

    # WHEN the passwords are right
    retype(fields["password"], "correct horse battery")
    retype(fields["repeat"], "correct horse battery")
    click(qtbot, wizard.next_button)
    # THEN the store, the admin and the post's key are created and the key id is shown to read out to HQ
    qtbot.waitUntil(lambda: wizard.page == PAGE_KEY, timeout=30_000)
    identity = wizard.identity
    assert identity.post_code == "UZ-OYB" and re.fullmatch(r"[0-9A-F]{16}", identity.key_id)
    assert wizard.key_id.text() == grouped(identity.key_id)
    assert identity.public_key in wizard.key_public.text()
    assert (settings.data_dir / "keys" / f"UZ-OYB-{identity.key_id}.pub").exists()
    assert not wizard.back_button.isEnabled()  # the store exists now: no way back to the admin page

    # WHEN the next page offers the first officer and supervisor (the administrator does not work with cases)
    click(qtbot, wizard.next_button)
    assert wizard.page == PAGE_PEOPLE
    people, people_errors = wizard.people_fields, wizard.people_errors
    retype(people["officer"]["username"], "olim")
    retype(people["officer"]["full_name"], "Olim Gʻaniyev")
    for key in ("password", "repeat"):
        retype(people["officer"][key], "officer password 1")
    retype(people["supervisor"]["username"], "nodira")
    retype(people["supervisor"]["password"], "supervisor password 1")
    retype(people["supervisor"]["repeat"], "supervisor password 2")
    click(qtbot, wizard.next_button)
    # THEN a mismatch is shown next to the supervisor's second password, and nobody is created yet
    assert people_errors["supervisor"]["repeat"].text() == translator("ru").gettext("The two passwords differ.")
    assert wizard.page == PAGE_PEOPLE
    # WHEN it is corrected THEN both accounts are created and the demo page follows
    retype(people["supervisor"]["repeat"], "supervisor password 1")
    click(qtbot, wizard.next_button)
    qtbot.waitUntil(lambda: wizard.page == PAGE_DEMO, timeout=30_000)

    # WHEN the demo cases are asked for and the wizard finished with the keyboard
    assert wizard.page == PAGE_DEMO
    qtbot.keyClick(wizard.demo_check, Qt.Key.Key_Space)
    assert wizard.demo_check.isChecked()
    click(qtbot, wizard.next_button)

    # THEN the desk opens for the new administrator, in Russian, who is named in the title and status bar
    qtbot.waitUntil(lambda: flow.desk is not None and flow.desk.ready, timeout=30_000)
    desk = flow.desk
    assert desk.principal.username == "amina" and desk.principal.role == Role.ADMIN
    assert "amina" in desk.window.windowTitle() and "amina" in desk.window.user_label.text()
    assert Role.ADMIN.label in desk.window.windowTitle()
    # AND an administrator manages users and settings but does not enter cases
    actions = desk.window.actions
    assert actions["users"].isEnabled() and actions["settings"].isEnabled()
    assert not actions["new_case"].isEnabled()
    # AND the store is encrypted, holds the demo cases, and the post is this office's
    assert (settings.data_dir / "blo_desk.sqlite3").read_bytes()[:16] != b"SQLite format 3\x00"
    services = flow.accounts.open_services(as_system=True)
    try:
        assert services.cases.search(text="Diabolo").total == 1
        assert services.sync.identity().key_id == identity.key_id
        assert services.reference.get_setting(key="post_code") == "UZ-OYB"
    finally:
        services.close()
    # AND the officer and the supervisor log in with their roles at this post; the demo question was answered
    for username, password, role in (("olim", "officer password 1", Role.OFFICER),
                                     ("nodira", "supervisor password 1", Role.SUPERVISOR)):
        principal = backend().accounts(settings).login(username=username, password=password)
        assert (principal.role, principal.post_code) == (role, "UZ-OYB")
    assert Preferences(settings.data_dir).demo_answered


def _login(qtbot, flow, username: str, password: str) -> None:
    """Type the username, Enter, the password, Enter; wait until the answer is in."""
    login = flow.login
    qtbot.waitUntil(lambda: login.button.isEnabled())
    retype(login.username, username)
    qtbot.keyClick(login.username, Qt.Key.Key_Return)
    retype(login.password, password)
    qtbot.keyClick(login.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: login.button.isEnabled() or flow.desk is not None, timeout=30_000)


def test_a_wrong_password_is_refused_in_the_users_language_and_the_store_stays_closed(
        start_flow, encrypted_settings, qtbot):
    # GIVEN an encrypted store with a user, and the login screen switched to Russian on the screen itself
    login_as(encrypted_settings, username="olim", role="officer")
    flow = start_flow(encrypted_settings)
    assert flow.first_start is False
    click(qtbot, flow.login.languages.buttons["ru"])
    assert flow.login.button.text() == translator("ru").gettext("&Log in")
    # WHEN a wrong password is typed
    _login(qtbot, flow, "olim", "not the password")
    # THEN the translated error is shown and no desk (no store) was opened
    assert flow.login.error.text() == InvalidCredentialsError().translated(translator("ru"))
    assert flow.login.error.text() != InvalidCredentialsError().translated(translator("en"))
    assert flow.desk is None
    # WHEN switched to Uzbek, the message follows
    click(qtbot, flow.login.languages.buttons["uz"])
    assert flow.login.error.text() == InvalidCredentialsError().translated(translator("uz"))
    # AND with the right password the desk opens for that officer
    _login(qtbot, flow, "olim", PASSWORD)
    qtbot.waitUntil(lambda: flow.desk is not None and flow.desk.ready, timeout=30_000)
    assert flow.desk.principal.username == "olim" and not flow.login.isVisible()


def test_ten_wrong_passwords_lock_the_account_with_a_clear_message(start_flow, encrypted_settings, qtbot):
    # GIVEN an encrypted store with a user
    login_as(encrypted_settings, username="olim", role="officer")
    set_language("ru")
    flow = start_flow(encrypted_settings)
    # WHEN ten wrong passwords are typed
    for attempt in range(10):
        _login(qtbot, flow, "olim", f"wrong password {attempt}")
    # THEN the account is locked, and the screen says for how long, in Russian
    texts = {AccountLockedError(minutes=m).translated(translator("ru")) for m in (14, 15)}
    assert flow.login.error.text() in texts
    # AND even the right password does not open the store while it is locked
    _login(qtbot, flow, "olim", PASSWORD)
    assert flow.login.error.text() in texts and flow.desk is None


def test_an_officer_cannot_finalize_or_amend_others_cases_and_a_refusal_is_translated(
        make_desk, settings, qtbot, services):
    # GIVEN a finalized case (the Dustlik case) and a draft entered by a supervisor, both at UZ-DUS
    from blo_desk.services.demo import dustlik_case, load_demo

    load_demo(cases=services.cases)
    dustlik = services.cases.find(reference="UZ-DUS-2024-00001")
    supervisor = login_as(settings, username="sabina", role="supervisor").open_services()
    try:
        draft = supervisor.cases.save(case=_fresh_draft(dustlik_case()))
    finally:
        supervisor.close()
    # AND an officer of that post logged in, working in Russian
    set_language("ru")
    desk = make_desk(settings, username="olim", role="officer")
    actions, editor = desk.window.actions, desk.editor
    assert "olim" in desk.window.windowTitle() and Role.OFFICER.label in desk.window.windowTitle()
    assert actions["new_case"].isEnabled() and not actions["users"].isEnabled()
    assert not actions["load_demo"].isEnabled()

    # WHEN the officer opens the supervisor's draft
    desk.open_case(draft.id)
    qtbot.waitUntil(lambda: editor.case is not None and editor.case.id == draft.id and bool(editor.history))
    # THEN it may be read but not finalized (nor saved) by this officer
    assert not actions["finalize"].isEnabled() and not editor.finalize_button.isEnabled()
    assert not actions["save"].isEnabled()

    # WHEN the officer opens the finalized Dustlik case
    desk.open_case(dustlik.id)
    qtbot.waitUntil(lambda: editor.case is not None and editor.case.id == dustlik.id and bool(editor.history))
    # THEN Amend is not offered: the officer did not finalize it (whoever finalizes a case may amend it)
    assert editor.mode == "final"
    assert not actions["amend"].isEnabled() and not editor.amend_button.isEnabled()
    assert actions["print"].isEnabled()

    # WHEN the officer gets round the interface (an amendment started by hand) and saves
    editor.start_amendment("Seal number corrected")
    retype(editor.fields["procedure"].widget, "Changed by an officer")
    with qtbot.waitSignal(editor.save_failed, timeout=10_000) as refused:
        editor.save()
    # THEN the service refused, and the officer reads why, in Russian
    assert isinstance(refused.args[0], PermissionDeniedError)
    qtbot.waitUntil(lambda: any(isinstance(w, QMessageBox) and w.isVisible() for w in QApplication.topLevelWidgets()))
    box = next(w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible())
    expected = translator("ru").gettext("Only the officer who created this case, or a supervisor, may change it.")
    assert box.text() == expected
    box.close()
    # AND the stored case did not change
    assert services.cases.get(case_id=dustlik.id).revision == dustlik.revision


def _fresh_draft(case):
    from dataclasses import replace

    return replace(case, procedure="Draft by the supervisor")


def test_the_settings_dialog_changes_the_language_and_remembers_it(make_desk, settings, qtbot):
    # GIVEN the desk in English
    desk = make_desk(settings)
    # WHEN Settings… is opened and Uzbek chosen
    desk.window.actions["settings"].trigger()
    dialog = desk.settings_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.language.setCurrentIndex(dialog.language.findData("uz"))
    assert not dialog.post.isEnabled()  # only an administrator changes the office's post
    dialog.accept()
    # THEN the desk is in Uzbek now and the next start opens in Uzbek (the choice is written off the GUI thread)
    assert active_language() == "uz"
    qtbot.waitUntil(lambda: Preferences(settings.data_dir).language == "uz")
    assert desk.window.actions["new_case"].text() == translator("uz").gettext("&New case")


def test_a_user_changes_their_password(make_desk, settings, qtbot):
    # GIVEN a logged-in supervisor
    desk = make_desk(settings)
    desk.window.actions["change_password"].trigger()
    dialog = desk.password_dialog
    qtbot.waitUntil(dialog.isVisible)
    # WHEN the old password is wrong THEN the dialog says so next to it
    retype(dialog.fields["old"], "not it at all")
    retype(dialog.fields["new"], "a new long password")
    retype(dialog.fields["repeat"], "a new long password")
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: bool(dialog.errors["old"].text()), timeout=10_000)
    # WHEN it is right THEN the new password opens the store
    retype(dialog.fields["old"], PASSWORD)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not isValid(dialog) or not dialog.isVisible(), timeout=10_000)
    again = backend().accounts(settings)
    assert again.login(username="sabina", password="a new long password").username == "sabina"


def test_the_admin_adds_unlocks_and_removes_a_user(make_desk, settings, qtbot):
    # GIVEN the administrator's desk and the users dialog
    desk = make_desk(settings, username="admin", role="admin")
    desk.window.actions["users"].trigger()
    dialog = desk.users_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    # WHEN an officer is added
    click(qtbot, dialog.buttons["add"])
    add = dialog.add_dialog
    qtbot.waitUntil(add.isVisible)
    retype(add.fields["username"], "olim")
    type_text(add.fields["full_name"], "Olim Gʻaniyev")
    add.role.setCurrentIndex(add.role.findData("officer"))
    add.post.set_code("UZ-DUS")
    retype(add.fields["new"], "officer password 1")
    retype(add.fields["repeat"], "officer password 1")
    add.buttons.button(add.buttons.StandardButton.Ok).click()
    # THEN the list shows them and they can log in
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 2, timeout=10_000)
    assert backend().accounts(settings).login(username="olim", password="officer password 1").role == Role.OFFICER
    # WHEN they are removed THEN their password opens nothing any more
    dialog.table.selectRow([u.username for u in dialog.rows].index("olim"))
    click(qtbot, dialog.buttons["remove"])
    qtbot.waitUntil(lambda: dialog.remove_box.isVisible())
    click(qtbot, dialog.remove_box.accept_button)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    with pytest.raises(InvalidCredentialsError):
        backend().accounts(settings).login(username="olim", password="officer password 1")


def test_tab_in_the_add_user_dialog_follows_the_rows_as_seen(make_desk, settings, qtbot):
    # GIVEN the administrator adding a user
    desk = make_desk(settings, username="admin", role="admin")
    desk.window.actions["users"].trigger()
    dialog = desk.users_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1)
    click(qtbot, dialog.buttons["add"])
    add = dialog.add_dialog
    qtbot.waitUntil(add.isVisible)
    # WHEN Tab is pressed from the username onwards
    seen = [add.fields["username"]]
    for _ in range(7):
        seen.append(seen[-1].nextInFocusChain())
        while not (seen[-1].focusPolicy() & Qt.FocusPolicy.TabFocus):
            seen[-1] = seen[-1].nextInFocusChain()
    # THEN it walks name, full name, rank, role, post, agency, password, password again, top to bottom
    assert seen == [add.fields["username"], add.fields["full_name"], add.fields["rank"], add.role, add.post,
                    add.agency, add.fields["new"], add.fields["repeat"]]


def test_the_desk_opens_maximized_on_a_screen_too_small_for_its_size(start_flow, encrypted_settings, qtbot):
    # GIVEN an officer and a screen smaller than the desk's 1200x760 plus a title bar (the test screen is 800x800)
    login_as(encrypted_settings, username="olim", role="officer")
    flow = start_flow(encrypted_settings)
    room = flow.login.screen().availableGeometry()
    assert room.width() < 1200 + 40 or room.height() < 760 + 40
    # WHEN they log in
    _login(qtbot, flow, "olim", PASSWORD)
    qtbot.waitUntil(lambda: flow.desk is not None and flow.desk.ready, timeout=30_000)
    # THEN the desk fills the screen instead of running off its bottom edge (the status bar stays in sight)
    window = flow.desk.window
    assert window.isMaximized()


def test_the_admin_page_fields_do_not_move_while_the_live_password_message_comes_and_goes(
        start_flow, encrypted_settings, qtbot):
    # GIVEN the first-run wizard on its administrator page
    flow = start_flow(encrypted_settings)
    wizard = flow.wizard
    qtbot.waitUntil(wizard.isVisible)
    click(qtbot, wizard.next_button)
    qtbot.waitUntil(lambda: wizard.post_combo.count() > 0)
    click(qtbot, wizard.next_button)
    assert wizard.page == PAGE_ADMIN
    fields = wizard.admin_fields

    def repeat_at() -> int:
        wizard.layout().activate()
        return fields["repeat"].mapTo(wizard, fields["repeat"].rect().topLeft()).y()

    before = repeat_at()
    # WHEN a password is typed key by key: too short first (the live message shows), then long enough (it goes)
    fields["password"].setFocus()
    type_text(fields["password"], "short")
    assert wizard.admin_errors["password"].text()
    type_text(fields["password"], " but now long enough")
    assert not wizard.admin_errors["password"].text()
    # AND the repeat is typed (the live "differ" message shows until it matches)
    fields["repeat"].setFocus()
    type_text(fields["repeat"], "short but now long enough")
    assert not wizard.admin_errors["repeat"].text()
    # THEN the fields are where they were: each empty message kept its line
    assert repeat_at() == before
    assert all(label.height() >= label.fontMetrics().lineSpacing() for label in wizard.admin_errors.values())


def test_the_desk_window_is_built_while_the_password_is_checked_and_kept_after_a_wrong_one(
        start_flow, encrypted_settings, qtbot):
    # GIVEN an officer, the login window, and a password check that takes as long as it takes (argon2id on a slow
    # laptop: here it waits to be let go)
    import threading

    login_as(encrypted_settings, username="olim", role="officer")
    flow = start_flow(encrypted_settings)
    go_on = threading.Event()
    check = flow.accounts.login

    def slow_login(**kwargs):
        go_on.wait(30)
        return check(**kwargs)

    flow.accounts.login = slow_login
    # WHEN a wrong password is typed
    retype(flow.login.username, "olim")
    retype(flow.login.password, "not the password")
    qtbot.keyClick(flow.login.password, Qt.Key.Key_Return)
    # THEN while it is checked, the desk's window is built (hidden), not waiting for the check to end
    try:
        qtbot.waitUntil(lambda: flow._prepared is not None, timeout=30_000)
        prepared = flow._prepared[1]
        assert not prepared.isVisible() and flow.desk is None
    finally:
        go_on.set()
    # AND the refusal keeps it for the next try
    qtbot.waitUntil(lambda: flow.login.button.isEnabled() and flow.login.error.text() != "", timeout=30_000)
    assert flow._prepared is not None and flow._prepared[1] is prepared
    # WHEN the right password is typed THEN the desk opens in that very window, for that officer
    _login(qtbot, flow, "olim", PASSWORD)
    qtbot.waitUntil(lambda: flow.desk is not None and flow.desk.ready, timeout=30_000)
    assert flow.desk.window is prepared and prepared.isVisible() and flow._prepared is None
    assert flow.desk.principal.username == "olim"
    # AND once the desk is ready, the process that builds the PDFs is started, for a quick first print preview
    qtbot.waitUntil(lambda: flow.desk.services.printing._process.running, timeout=30_000)
