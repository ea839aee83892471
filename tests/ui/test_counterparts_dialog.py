"""Counterpart posts… (issue 16): the administrator sees the card read from a file (post, code, fingerprint) and
pairs only once the fingerprint read out by telephone is typed and matches; nothing is stored before."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "exchange"))
from blo_desk.ui.dialogs.counterparts import CounterpartsDialog  # noqa: E402
from blo_desk.ui.tasks import TaskRunner  # noqa: E402

import bundle_kit as kit  # noqa: E402


def test_a_card_is_shown_and_paired_only_when_the_fingerprint_heard_matches(qtbot, tmp_path):
    # GIVEN Fotehobod's card on a stick, and Oybek's administrator in Counterpart posts…
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=0, seed=3, photos=0)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=0, seed=4, photos=0)
    try:
        card, fingerprint = fotehobod.sharing.write_card(path=tmp_path / "fot.card")
        runner = TaskRunner()
        dialog = CounterpartsDialog(None, runner=runner, sharing=oybek.sharing)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.load_task.done, timeout=10_000)
        assert dialog.model.rowCount() == 0
        # WHEN the card is read
        dialog.read_card(card)
        qtbot.waitUntil(lambda: dialog.card_box.isVisible(), timeout=10_000)
        # THEN it shows the post by name, its code and the fingerprint, and the pair button waits
        shown = dialog.card_text.text()
        assert "Card of post Fotehobod (TJ-FOT)" in shown and f"Key fingerprint: {fingerprint}" in shown
        assert not dialog.pair.isEnabled() and oybek.sharing.counterparts() == []
        # WHEN a misheard fingerprint is typed THEN it says so and still cannot pair
        wrong = fingerprint[:-1] + ("0" if fingerprint[-1] != "0" else "1")
        dialog.heard.setText(wrong)
        assert not dialog.pair.isEnabled() and "does not match" in dialog.status.text()
        assert dialog.run_pair() is None and oybek.sharing.counterparts() == []
        # WHEN the fingerprint heard is typed as heard (lower case, no spaces) THEN the post is paired and listed
        dialog.heard.setText(fingerprint.replace(" ", "").lower())
        assert dialog.pair.isEnabled() and dialog.status.text() == ""
        dialog.pair.click()
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10_000)
        assert "Paired with post Fotehobod (TJ-FOT)" in dialog.status.text()
        assert dialog.model.rows[0][:2] == ("Fotehobod (TJ-FOT)", fingerprint) and not dialog.card_box.isVisible()
        assert [c.post_code for c in oybek.sharing.counterparts()] == ["TJ-FOT"]
        # AND the row reached by keyboard (the focus frame on it, nothing selected) is the one a revoke means
        from PySide6.QtCore import QItemSelectionModel

        dialog.table.clearSelection()
        dialog.table.selectionModel().setCurrentIndex(dialog.table.model().index(0, 0),
                                                      QItemSelectionModel.SelectionFlag.NoUpdate)
        assert dialog.table.selectionModel().selectedRows() == []
        assert dialog.selected() is not None and dialog.selected().post_code == "TJ-FOT"
        # WHEN the administrator revokes it THEN the list says so, and the message names the post as the list does
        dialog.revoke("TJ-FOT")
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 1 and "revoked" in str(dialog.model.rows[0][3]),
                        timeout=10_000)
        assert dialog.status.text() == "The pairing with post Fotehobod (TJ-FOT) is revoked."
        # AND this post's own card is written with the fingerprint to read out
        dialog.write_card(tmp_path / "oyb.card")
        qtbot.waitUntil(lambda: "Fingerprint to read out by telephone:" in dialog.status.text(), timeout=10_000)
        assert (tmp_path / "oyb.card").exists()
        runner.wait()
    finally:
        oybek.close()
        fotehobod.close()


def test_every_button_and_the_fingerprint_field_is_reached_from_the_keyboard(qtbot, tmp_path):
    # GIVEN the administrator in Counterpart posts…
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=0, seed=3, photos=0)
    try:
        runner = TaskRunner()
        dialog = CounterpartsDialog(None, runner=runner, sharing=oybek.sharing)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda: dialog.load_task.done, timeout=10_000)
        # THEN each action and the field for the fingerprint heard has an Alt letter, each a different one
        texts = [w.text() for w in (dialog.write, dialog.add, dialog.revoke_button, dialog.heard_label, dialog.pair)]
        letters = [t[t.index("&") + 1].lower() for t in texts if "&" in t]
        assert len(letters) == len(texts) == len(set(letters)), texts
        assert dialog.heard_label.buddy() is dialog.heard
        runner.wait()
    finally:
        oybek.close()


def test_the_card_file_offered_is_named_after_this_post(qtbot, tmp_path, monkeypatch):
    # GIVEN Oybek's administrator in Counterpart posts… (two posts' cards often travel on one stick)
    from blo_desk.ui import file_dialogs

    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=0, seed=3, photos=0)
    offered: list[str] = []
    monkeypatch.setattr(file_dialogs, "_run", lambda dialog: offered.extend(dialog.selectedFiles()) and [])
    try:
        runner = TaskRunner()
        dialog = CounterpartsDialog(None, runner=runner, sharing=oybek.sharing, post_code="UZ-OYB")
        qtbot.addWidget(dialog)
        # WHEN they choose to write this post's card (and cancel the file window)
        dialog.choose_card_target()
        # THEN the file offered is named after the post, not a 'post.card' both sides would write
        assert [Path(p).name for p in offered] == ["UZ-OYB.card"]
        runner.wait()
    finally:
        oybek.close()
