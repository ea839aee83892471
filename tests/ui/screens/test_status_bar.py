"""The status bar on a laptop screen: every text follows a language switch, and none is cut off."""

from __future__ import annotations

from PySide6.QtCore import Qt

from blo_desk.i18n import set_language, translator

from screen_checks import global_rect, text_is_whole


def _ru(msgid: str) -> str:
    text = translator("ru").gettext(msgid)
    assert text != msgid, f"no Russian for {msgid!r}"
    return text


def test_after_a_language_switch_every_text_of_the_status_bar_is_in_the_new_language(make_desk, settings, qtbot):
    # GIVEN the desk in English, ready, its outbox line shown
    desk = make_desk(settings)
    window = desk.window
    qtbot.waitUntil(lambda: desk.delivery is not None and desk.delivery.label.text() != "", timeout=20_000)
    assert window.message_text == "Ready."
    # WHEN the officer switches to Russian
    desk.switch_language("ru")
    # THEN the message, the office, the user and the outbox read in Russian, as does the title
    assert window.message_text == _ru("Ready.")
    assert window.post_label.text().startswith(_ru("Office: {post} ({code})").split("{post}")[0])
    assert window.user_label.text().startswith(_ru("Logged in: {user}").split("{user}")[0])
    assert _ru("Supervisor") in window.user_label.text()
    outbox = translator("ru").ngettext("Outbox: {count} case waiting", "Outbox: {count} cases waiting", 0)
    assert desk.delivery.label.text().startswith(outbox.split("{count}")[0])
    assert _ru("HQ last confirmed a bundle: {when}").format(when=_ru("never")) in desk.delivery.label.toolTip()
    assert window.windowTitle().startswith(_ru("BLO Desk — seizure cases"))


def test_a_long_status_message_is_elided_and_told_whole_in_its_tooltip(make_desk, settings, qtbot):
    # GIVEN the desk on the laptop's screen
    desk = make_desk(settings)
    window = desk.window
    qtbot.waitUntil(lambda: desk.delivery is not None and desk.delivery.label.text() != "", timeout=20_000)
    # WHEN a message longer than the status bar comes
    long = "The bundle UZ-DUS-000042.blo was written to the USB stick; " * 6
    window.message(long.strip())
    qtbot.wait(50)
    # THEN it ends with "…" inside the window, the tooltip tells it whole, and the labels beside it stay whole
    label = window.status_text
    assert label.is_elided and label.elided_text().endswith("…")
    assert long.strip() in label.toolTip()
    bar = window.statusBar()
    assert label.geometry().right() <= bar.width()
    for permanent in (window.post_label, window.user_label, desk.delivery.label):
        assert not permanent.is_elided, permanent.text()
        assert permanent.geometry().left() >= label.geometry().right()
        assert permanent.geometry().right() <= bar.width()



def test_a_refusal_is_shown_whole_above_the_page_and_follows_the_language(make_desk, settings, qtbot, laptop_screen):
    # GIVEN the desk in Russian on the laptop's screen, a new case open with a date that cannot be
    set_language("ru")
    desk = make_desk(settings)
    window = desk.window
    desk.new_case()
    qtbot.waitUntil(lambda: window.on_editor and desk.editor.case is not None)
    editor = desk.editor
    editor.fields["occurred_date"].set_value("31.02.2024")
    # WHEN the officer saves
    editor.save()
    qtbot.waitUntil(lambda: not editor.saving, timeout=10_000)
    qtbot.wait(20)
    # THEN the refusal is shown whole in the notice above the form: wrapped, inside the window, not cut
    bar = window.notice_bar
    assert bar.isVisible() and window.notice_text == _ru("Not saved: correct the marked fields.")
    assert text_is_whole(bar.label)
    assert global_rect(window).contains(global_rect(bar.label))
    # AND it is not repeated, cut, in the status bar
    assert window.status_text.text() == ""
    # WHEN the language is switched THEN the notice follows it
    desk.switch_language("en")
    assert window.notice_text == "Not saved: correct the marked fields."
    # WHEN the officer corrects the date and saves THEN the notice goes and the status bar says it was saved
    editor.fields["occurred_date"].set_value("20.04.2024")
    with qtbot.waitSignal(editor.saved, timeout=10_000):
        editor.save()
    assert not bar.isVisible() and window.notice_text == ""
    assert window.status_text.text().startswith("Saved ")


def test_every_refusal_of_the_desk_goes_to_the_notice_and_can_be_closed(make_desk, settings, qtbot, laptop_screen):
    # GIVEN a desk whose store is still opening (as in the first second after login)
    desk = make_desk(settings, wait=False)
    window = desk.window
    from blo_desk.ui.sharing import share_case

    if not desk.ready:
        share_case(desk)
        # THEN the refusal is in the notice, whole
        assert window.notice_text == "The case store is still opening; try again in a moment."
    qtbot.waitUntil(lambda: desk.ready, timeout=30_000)
    # WHEN nothing is chosen and the officer asks to share THEN the notice says what to do, and the ✕ closes it
    desk.window.show_list()
    share_case(desk)
    assert window.notice_text == "Open a case, or select cases in the list, to share them."
    assert text_is_whole(window.notice_bar.label)
    qtbot.mouseClick(window.notice_bar.close_button, Qt.MouseButton.LeftButton)
    assert not window.notice_bar.isVisible() and window.notice_text == ""
