"""Messages naming post codes, case numbers and files (QA of session 6): none is broken across two lines at a hyphen
("Fotehobod (TJ-" | "FOT)"), and what the officer copies is what was written (plain hyphens, the exact path)."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit

from blo_desk.domain.sharing import MessageKind, RequestStatus, ShareMessage
from blo_desk.i18n import set_language
from blo_desk.ui.dialogs.share_requests import RequestsPanel
from blo_desk.ui.widgets.whole_text import NO_BREAK_HYPHEN, MessageLabel, ResultNote, unbroken

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screen_checks import cut_lines  # noqa: E402


@pytest.fixture
def uzbek():
    set_language("uz")
    yield
    set_language("en")


def test_the_requests_pane_never_breaks_the_asking_posts_code_and_copies_it_as_written(qtbot, uzbek):
    # GIVEN a request Fotehobod (TJ-FOT) sent this post, not answered yet, shown in Uzbek in the Requests pane
    request = ShareMessage(id="r1", kind=MessageKind.REQUEST, outgoing=False, peer="TJ-FOT",
                           created_at=datetime.now() - timedelta(hours=1), about="UZ-OYB-2024-00001",
                           text="Who sent the load?", status=RequestStatus.RECEIVED)
    panel = RequestsPanel()
    qtbot.addWidget(panel)
    panel.set_requests([request], {"TJ-FOT": {"uz": "Fotehobod", "ru": "Фотехобод", "en": "Fotehobod"}},
                       wanted="r1")
    panel.show()
    painted = QPlainTextEdit.toPlainText(panel.details)  # as painted: the Qt class's own text
    assert "TJ" in painted and "Fotehobod" in painted
    # WHEN the pane is any width a laptop gives it (the dialog's splitter moved)
    # THEN no line ends inside the post code or the case number
    cuts = [cut for width in range(180, 520, 4) for cut in cut_lines(painted, panel.details.font(), width)]
    assert cuts == []
    # AND what the officer reads and copies has plain hyphens
    assert "Fotehobod (TJ-FOT)" in panel.details.toPlainText()
    panel.details.selectAll()
    panel.details.copy()
    copied = QApplication.clipboard().text()
    assert "UZ-OYB-2024-00001" in copied and "(TJ-FOT)" in copied and NO_BREAK_HYPHEN not in copied


def test_codes_stay_whole_and_paths_are_left_as_written():
    # GIVEN a sentence with a post code, a case number, a recovery-code-like group, a path and a file name
    text = "Case UZ-OYB-2024-00001 of post Oybek (UZ-OYB) went to /media/stick/TJ-FOT-UZ-OYB-1a.share; 2024-yil."
    shown = unbroken(text)
    # THEN the codes get non-breaking hyphens, the path and the Uzbek date are untouched
    assert f"UZ{NO_BREAK_HYPHEN}OYB{NO_BREAK_HYPHEN}2024{NO_BREAK_HYPHEN}00001" in shown
    assert f"(UZ{NO_BREAK_HYPHEN}OYB)" in shown
    assert "/media/stick/TJ-FOT-UZ-OYB-1a.share" in shown and "2024-yil" in shown


def test_a_selectable_message_copies_its_codes_with_plain_hyphens(qtbot):
    # GIVEN a selectable message naming a post
    label = MessageLabel("Paired with post Fotehobod (TJ-FOT).", selectable=True)
    qtbot.addWidget(label)
    label.show()
    # THEN it is painted with a non-breaking hyphen but read and copied as written
    assert NO_BREAK_HYPHEN in QLabel.text(label) and label.text() == "Paired with post Fotehobod (TJ-FOT)."
    label.setSelection(0, len(QLabel.text(label)))
    label.copy()
    assert QApplication.clipboard().text() == "Paired with post Fotehobod (TJ-FOT)."


def test_a_result_names_the_files_and_shows_their_folder_apart(qtbot, tmp_path):
    # GIVEN a result line at a narrow width
    note = ResultNote("note")
    qtbot.addWidget(note)
    note.resize(260, 120)
    note.show()
    share = tmp_path / "stick" / "TJ-FOT-UZ-OYB-8bed75bac0e5.share"
    letter = share.with_suffix(".letter.pdf")
    # WHEN it says where a share and its letter were written
    note.say(f"Shared with post Oybek (UZ-OYB): {share}. Cover letter: {letter}.", files=(share, letter))
    # THEN the sentence names the files, never cut, and the one folder is shown once, exactly
    assert note.sentence.text() == f"Shared with post Oybek (UZ-OYB): {share.name}. Cover letter: {letter.name}."
    assert cut_lines(QLabel.text(note.sentence), note.sentence.font(), note.sentence.contentsRect().width()) == []
    assert [f.text() for f in note.folder_fields()] == [str(share.parent)]
    # WHEN the next message names no file THEN no folder is left from the last one
    note.say("Sharing…")
    assert note.folder_fields() == [] and note.text() == "Sharing…"
