"""The status bar on a laptop screen: every text follows a language switch, and none is cut off."""

from __future__ import annotations

from blo_desk.i18n import translator


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
    outbox = translator("ru").ngettext("Outbox: {count} case waiting · HQ last confirmed: {when}",
                                       "Outbox: {count} cases waiting · HQ last confirmed: {when}", 0)
    assert desk.delivery.label.text().startswith(outbox.split("{count}")[0])
    assert _ru("never") in desk.delivery.label.text()
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

