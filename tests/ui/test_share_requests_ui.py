"""Requests, answers and links in the desk (issue 16): from a record in Shared with us an officer asks the sender,
the other post answers from its own Requests tab, each side sees the status move; a shared record is linked to a
local case, and the case page lists it."""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "exchange"))
from blo_desk.domain.entities import CaseQuery  # noqa: E402
from blo_desk.i18n import set_language, translator  # noqa: E402
from blo_desk.ui.dialogs.share_link import LinkDialog  # noqa: E402
from blo_desk.ui.dialogs.share_messages import AnswerDialog, AskDialog  # noqa: E402
from blo_desk.ui.dialogs.shared_with_us import TAB_REQUESTS, SharedWithUsDialog  # noqa: E402
from blo_desk.ui.tasks import TaskRunner  # noqa: E402

import bundle_kit as kit  # noqa: E402

STATUS = 5  # the Requests table's status column


def _shared(oybek, fotehobod, tmp_path: Path) -> str:
    """Oybek shares its first case with Fotehobod, which imports it; the case number."""
    number = oybek.cases.list_cases(query=CaseQuery()).rows[0].case_number
    sent = oybek.sharing.share(references=[number], to="TJ-FOT", out=tmp_path / "stick")
    fotehobod.sharing.import_share(path=Path(sent.path))
    return number


def _window(qtbot, runner, services) -> SharedWithUsDialog:
    dialog = SharedWithUsDialog(None, runner=runner, sharing=services.sharing, cases=services.cases)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _statuses(dialog: SharedWithUsDialog) -> list[str]:
    return [row[STATUS] for row in dialog.requests_panel.model.rows]


def test_a_request_asked_and_answered_from_the_desk_turns_answered_on_both_sides(qtbot, tmp_path):
    # GIVEN Oybek shared a case with Fotehobod, and Fotehobod's officer has it in Shared with us
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=1, seed=3, photos=0)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=1, seed=4, photos=0)
    set_language("en")
    runner = TaskRunner()
    try:
        kit.pair_posts(oybek, fotehobod, tmp_path)
        number = _shared(oybek, fotehobod, tmp_path)
        fot = _window(qtbot, runner, fotehobod)
        qtbot.waitUntil(lambda: fot.model.rowCount() == 1, timeout=10_000)
        # THEN with nothing asked yet the Requests tab says how to ask
        assert "Ask the sender" in fot.requests_panel.details.toPlainText()
        assert not fot.ask_button.isEnabled()
        fot.table.selectRow(0)
        assert fot.ask_button.isEnabled() and fot.ask_button.text() == "&Ask the sender…"
        # WHEN the officer asks the sender, in Uzbek (typed text, not keyClicks: non-ASCII aborts those)
        ask = fot.ask()
        assert isinstance(ask, AskDialog)
        # the questions are where the keys go first, as in the answer
        assert ask.focusWidget() is ask.text
        # the answer is due a week from today by default, written as the user writes dates
        assert ask.due.text() == translator().format_date(date.today() + timedelta(days=7))
        assert "Oybek (UZ-OYB)" in ask.heading.text() and number in ask.heading.text()
        qtbot.waitUntil(ask.send.isEnabled, timeout=10_000)
        assert not ask.send_hq.isEnabled()  # HQ's address is not set: only the file
        ask.target_row.line.setText(str(tmp_path / "to-oybek"))
        ask.text.setPlainText("Yukni kim joʻnatgan? Haydovchining telefoni?")
        # WHEN the due date typed is already past (a slip of the month) THEN nothing is written and it says why
        ask.due.setText(translator().format_date(date.today() - timedelta(days=29)))
        assert ask.write() is None and ask.written is None
        assert "cannot be due before today" in ask.status.text() and ask.focusWidget() is ask.due
        assert not (tmp_path / "to-oybek").exists()
        ask.due.setText(translator().format_date(date.today() + timedelta(days=7)))
        ask.write()
        qtbot.waitUntil(lambda: ask.written is not None or "wrong" in ask.status.text(), timeout=10_000)
        assert ask.written is not None, ask.status.text()
        request_file = Path(ask.written.path)
        assert request_file.exists() and request_file.parent == tmp_path / "to-oybek"
        assert not ask.send.isEnabled()  # written once: no second request by a second click
        # THEN Fotehobod's Requests tab lists it as sent, to Oybek, about the shared case
        qtbot.waitUntil(lambda: _statuses(fot) == ["sent"], timeout=10_000)
        row = fot.requests_panel.model.rows[0]
        assert row[:3] == ("this post", "Oybek (UZ-OYB)", number)
        assert row[4] == translator().format_date(date.today() + timedelta(days=7))

        # WHEN Oybek imports the request file in its own Shared with us window
        oyb = _window(qtbot, runner, oybek)
        qtbot.waitUntil(lambda: not oyb._tasks or all(t.done for t in oyb._tasks), timeout=10_000)
        oyb.import_file(request_file)
        # THEN the window turns to the Requests tab with the request received, its question in the pane
        qtbot.waitUntil(lambda: _statuses(oyb) == ["received"], timeout=10_000)
        assert oyb.tabs.currentIndex() == TAB_REQUESTS
        qtbot.waitUntil(lambda: "Yukni kim joʻnatgan?" in oyb.requests_panel.details.toPlainText(), timeout=10_000)
        assert oyb.requests_panel.model.rows[0][:2] == ("Fotehobod (TJ-FOT)", "this post")
        assert "The answer is due in 7 days." in oyb.requests_panel.details.toPlainText()
        assert oyb.requests_panel.answer_button.isEnabled()
        # WHEN Oybek's officer answers it
        oyb.requests_panel.answer()
        answer = oyb.message_dialog
        assert isinstance(answer, AnswerDialog)
        assert answer.focusWidget() is answer.text
        assert answer.question.toPlainText() == "Yukni kim joʻnatgan? Haydovchining telefoni?"
        qtbot.waitUntil(answer.send.isEnabled, timeout=10_000)
        answer.target_row.line.setText(str(tmp_path / "to-fotehobod"))
        answer.text.setPlainText("Yuk Termizdan joʻnatilgan.")
        answer.write()
        qtbot.waitUntil(lambda: answer.written is not None or "wrong" in answer.status.text(), timeout=10_000)
        assert answer.written is not None, answer.status.text()
        # THEN on Oybek's side the request is answered, the answer shown after the question
        qtbot.waitUntil(lambda: _statuses(oyb) == ["answered"], timeout=10_000)
        qtbot.waitUntil(lambda: "Yuk Termizdan" in oyb.requests_panel.details.toPlainText(), timeout=10_000)
        assert not oyb.requests_panel.answer_button.isEnabled()

        # WHEN Fotehobod imports the answer file
        fot.import_file(Path(answer.written.path))
        # THEN its request turns answered, and the answer is read in the pane
        qtbot.waitUntil(lambda: _statuses(fot) == ["answered"], timeout=10_000)
        assert fot.tabs.currentIndex() == TAB_REQUESTS
        qtbot.waitUntil(lambda: "Yuk Termizdan joʻnatilgan." in fot.requests_panel.details.toPlainText(),
                        timeout=10_000)
        # AND in Russian the statuses and headers follow the language
        set_language("ru")
        assert _statuses(fot) == ["отвечен"]
        runner.wait()
    finally:
        set_language("en")
        oybek.close()
        fotehobod.close()


def test_a_request_past_its_due_date_shows_overdue_and_a_refusal_changes_nothing(qtbot, tmp_path):
    # GIVEN Fotehobod holds a case Oybek shared
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=1, seed=3, photos=0)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=1, seed=4, photos=0)
    set_language("en")
    runner = TaskRunner()
    try:
        kit.pair_posts(oybek, fotehobod, tmp_path)
        _shared(oybek, fotehobod, tmp_path)
        fot = _window(qtbot, runner, fotehobod)
        qtbot.waitUntil(lambda: fot.model.rowCount() == 1, timeout=10_000)
        fot.table.selectRow(0)
        ask = fot.ask()
        qtbot.waitUntil(ask.send.isEnabled, timeout=10_000)
        ask.target_row.line.setText(str(tmp_path / "out"))
        # WHEN the questions are left empty THEN the service's refusal shows in the window and nothing is written
        ask.write()
        qtbot.waitUntil(lambda: "cannot be empty" in ask.status.text(), timeout=10_000)
        assert ask.written is None and not (tmp_path / "out").exists()
        assert fotehobod.sharing.requests() == []
        qtbot.waitUntil(ask.send.isEnabled, timeout=10_000)
        # WHEN a due date that is not a date is typed THEN the window says how to write one, nothing is written
        ask.text.setPlainText("Who loaded the truck?")
        ask.due.setText("31.02.2026")
        assert ask.write() is None
        assert "does not exist" in ask.status.text() and fotehobod.sharing.requests() == []
        # WHEN the due date typed is already past THEN the window refuses it: it would be overdue when read
        yesterday = date.today() - timedelta(days=1)
        ask.due.setText(translator().format_date(yesterday))
        assert ask.write() is None and "cannot be due before today" in ask.status.text()
        assert fotehobod.sharing.requests() == []
        # WHEN a request asked a week ago was due yesterday (written here as the service keeps it)
        fotehobod.sharing.request(to="UZ-OYB", about=fot.records[0].id, text="Who loaded the truck?", due=yesterday,
                                  out=tmp_path / "out")
        fot.refresh()
        # THEN it is overdue on this side, the pane counting the day late in words
        qtbot.waitUntil(lambda: _statuses(fot) == ["overdue"], timeout=10_000)
        fot.requests_panel.table.selectRow(0)
        qtbot.waitUntil(lambda: "The answer is 1 day late." in fot.requests_panel.details.toPlainText(),
                        timeout=10_000)
        runner.wait()
    finally:
        oybek.close()
        fotehobod.close()


def test_a_shared_record_linked_from_the_desk_shows_on_the_case_page(make_desk, settings, services, qtbot,
                                                                     tmp_path):
    from blo_desk.domain.sharing import LinkRelation
    from blo_desk.services.demo import load_demo
    from blo_desk.ui.pages.editor.form_sections import SECTION_HISTORY

    # GIVEN Dustlik (UZ-DUS) holds a case Dostuk (KG-DOS) shared, and cases of its own
    load_demo(cases=services.cases)
    services.sync.set_up_post(post_code="UZ-DUS")
    dostuk = kit.make_post(tmp_path / "dos", "KG-DOS", cases=1, seed=5, photos=0)
    set_language("en")
    try:
        kit.pair_posts(services, dostuk, tmp_path)
        theirs = dostuk.cases.list_cases(query=CaseQuery()).rows[0].case_number
        sent = dostuk.sharing.share(references=[theirs], to="UZ-DUS", out=tmp_path / "stick")
        services.sharing.import_share(path=Path(sent.path))
        desk = make_desk(settings)  # a supervisor of Dustlik
        # WHEN the supervisor opens Shared with us, chooses the record and Link to a case…
        desk.window.actions["shared_with_us"].trigger()
        window = desk._shared_dialog
        qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=10_000)
        window.table.selectRow(0)
        assert window.link_button.isEnabled()
        link = window.link_case()
        assert isinstance(link, LinkDialog)
        # the search over the post's cases by case number
        qtbot.waitUntil(lambda: len(link.found) > 1, timeout=10_000)
        assert not link.link_button.isEnabled()  # no case chosen yet
        link.search.setText("UZ-DUS-2024-00001")
        link.search_cases()
        qtbot.waitUntil(lambda: [c.case_number for c in link.found] == ["UZ-DUS-2024-00001"], timeout=10_000)
        assert link.choose("UZ-DUS-2024-00001")
        link.relation.setCurrentIndex(link.relation.findData(str(LinkRelation.SAME_VEHICLE)))
        link.link()
        qtbot.waitUntil(lambda: link.link_made is not None or "wrong" in link.status.text(), timeout=10_000)
        # THEN the link is kept, and the record's pane in Shared with us shows it
        assert link.link_made is not None, link.status.text()
        assert [(x.case_number, x.relation) for x in services.sharing.links(record_id=window.records[0].id)] == \
            [("UZ-DUS-2024-00001", LinkRelation.SAME_VEHICLE)]
        qtbot.waitUntil(lambda: "Linked case: UZ-DUS-2024-00001 (same vehicle)" in window.details.toPlainText(),
                        timeout=10_000)
        link.close()
        window.close()
        # WHEN the case is opened on the desk
        case = services.cases.find(reference="UZ-DUS-2024-00001")
        desk.open_case(case.id)
        qtbot.waitUntil(lambda: desk.editor.case is not None and desk.editor.case.id == case.id, timeout=10_000)
        panel = desk.editor.shared_links
        desk.editor.tabs.setCurrentIndex(SECTION_HISTORY)
        # THEN its History tab lists the linked record: the sender by name, their case, the relation, when shared
        qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
        assert panel.isVisible()
        sender, reference, relation, _shared_on = panel.model.rows[0]
        assert (sender, reference, relation) == ("Dostuk (KG-DOS)", theirs, "same vehicle")
        # WHEN the record is opened from there THEN Shared with us shows that record
        panel.table.selectRow(0)
        panel.open_chosen()
        shown = desk._shared_dialog
        assert shown is not window
        qtbot.waitUntil(lambda: shown.selected_record() is not None, timeout=10_000)
        assert shown.selected_record().reference == theirs
        shown.close()
        # WHEN the link is removed (and the question asked first is answered Unlink) THEN the case page no longer
        # lists it, and the record stays
        panel.unlink_chosen().accept_button.click()
        qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=10_000)
        # AND the page says so (the panel used to vanish without a word), until another case is opened
        assert panel.isVisible() and panel.status.text() == "The link was removed."
        panel.load(None)
        assert not panel.isVisible() and panel.status.text() == ""
        assert services.sharing.links(case_reference=case.id) == []
        assert [r.reference for r in services.sharing.shared_records()] == [theirs]
    finally:
        dostuk.close()


def test_an_analyst_is_not_offered_to_ask_or_answer(qtbot, tmp_path):
    from blo_desk.domain.permissions import Principal, Role

    # GIVEN the window opened for a role that may not send to the counterpart
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=1, seed=3, photos=0)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=1, seed=4, photos=0)
    runner = TaskRunner()
    try:
        kit.pair_posts(oybek, fotehobod, tmp_path)
        _shared(oybek, fotehobod, tmp_path)
        dialog = SharedWithUsDialog(None, runner=runner, sharing=fotehobod.sharing, cases=fotehobod.cases,
                                    principal=Principal(username="ali", role=Role.ANALYST, post_code="TJ-FOT"))
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10_000)
        dialog.table.selectRow(0)
        # THEN Ask the sender… and Answer… are not offered (the CLI refuses them to this role too)
        assert not dialog.ask_button.isEnabled()
        assert not dialog.requests_panel.may_answer
        runner.wait()
    finally:
        oybek.close()
        fotehobod.close()


def _unlink_asked(qtbot, panel):
    """Unlink pressed on the case page: the question it asks, once shown."""
    from PySide6.QtWidgets import QMessageBox

    box = panel.unlink_chosen()
    assert isinstance(box, QMessageBox)
    qtbot.waitUntil(box.isVisible, timeout=5_000)
    return box


def _link_ops(services, record_id: str) -> list[tuple[str, str]]:
    import json

    ops = [json.loads(e.details) for e in services.audit.events(limit=50, target=f"shared:{record_id}")]
    return sorted((o["op"], o["case"]) for o in ops if o.get("op") in ("link", "unlink"))


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_unlinking_from_the_case_page_asks_first_and_cancel_keeps_the_link(qtbot, tmp_path, language):
    from PySide6.QtCore import Qt

    from blo_desk.domain.sharing import LinkRelation
    from blo_desk.ui.pages.editor.shared_links import SharedLinksPanel

    # GIVEN Fotehobod linked one of its cases to a record Oybek shared, and the case page lists the link
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=1, seed=3, photos=0)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=1, seed=4, photos=0)
    set_language(language)
    t = translator(language)
    runner = TaskRunner()
    try:
        kit.pair_posts(oybek, fotehobod, tmp_path)
        theirs = _shared(oybek, fotehobod, tmp_path)
        [record] = fotehobod.sharing.shared_records()
        own = fotehobod.cases.list_cases(query=CaseQuery()).rows[0].case_number
        fotehobod.sharing.link(record_id=record.id, case_reference=own, relation=LinkRelation.SAME_VEHICLE)
        case = fotehobod.cases.find(reference=own)
        panel = SharedLinksPanel(runner)
        qtbot.addWidget(panel)
        panel.set_sharing(fotehobod.sharing)
        panel.load(case.id)
        panel.show()
        qtbot.waitUntil(lambda: panel.model.rowCount() == 1, timeout=10_000)
        # WHEN the officer presses Unlink
        box = _unlink_asked(qtbot, panel)
        # THEN a question in the user's language names the shared record, its post and the case, with our buttons
        shown = box.text().replace("\u2011", "-")  # the case numbers and post code do not break: U+2011
        assert shown == t.gettext("Unlink the shared record {reference} of post {post} from case "
                                  "{case_number}?").format(reference=theirs, post=panel.model.rows[0][0],
                                                           case_number=own)
        assert theirs in shown and own in shown and "UZ-OYB" in shown
        # AND the case numbers are never broken at a hyphen across two lines (Qt broke "UZ-" | "DUS-2024-00001")
        from PySide6.QtWidgets import QMessageBox

        painted = QMessageBox.text(box)  # as painted; box.text() reads as written
        assert all(n.replace("-", "\u2011") in painted for n in (theirs, own))
        assert box.accept_button.text() == t.gettext("&Unlink") and box.reject_button.text() == t.gettext("Cancel")
        # AND a second press while it is asked does not ask twice
        assert panel.unlink_chosen() is None
        # WHEN the officer presses Escape THEN nothing changes: the link stays, listed, and no removal is audited
        qtbot.keyClick(box, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: panel.unlink_box is None, timeout=5_000)
        # WHEN asked again, Enter (Cancel is the default: a removal is not made by a stray Enter) THEN the same
        box = _unlink_asked(qtbot, panel)
        qtbot.keyClick(box, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: panel.unlink_box is None, timeout=5_000)
        # AND a click on Cancel THEN the same
        _unlink_asked(qtbot, panel).reject_button.click()
        qtbot.waitUntil(lambda: panel.unlink_box is None, timeout=5_000)
        runner.wait()
        assert panel.unlink_task is None
        assert [x.case_number for x in fotehobod.sharing.links(record_id=record.id)] == [own]
        assert panel.model.rowCount() == 1 and panel.status.text() == ""
        assert _link_ops(fotehobod, record.id) == [("link", own)]
        # WHEN the officer confirms with Unlink
        _unlink_asked(qtbot, panel).accept_button.click()
        # THEN the link is gone from the store and the page, which says so, and the audit trail holds the removal
        qtbot.waitUntil(lambda: panel.model.rowCount() == 0, timeout=10_000)
        assert fotehobod.sharing.links(record_id=record.id) == []
        assert panel.status.text() == t.gettext("The link was removed.")
        assert _link_ops(fotehobod, record.id) == [("link", own), ("unlink", own)]
        assert [r.reference for r in fotehobod.sharing.shared_records()] == [theirs]
        runner.wait()
    finally:
        set_language("en")
        oybek.close()
        fotehobod.close()
