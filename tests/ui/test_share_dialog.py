"""Share with counterpart… (issue 16): the officer picks the paired post and the profile, sees exactly what will be
sent in their language, and shares; the file and its cover letter are written, and the counterpart can import it."""

from __future__ import annotations

import sys
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "exchange"))
from blo_desk.ui.dialogs.share import ShareDialog  # noqa: E402
from blo_desk.ui.tasks import TaskRunner  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bundle_kit as kit  # noqa: E402
from screen_checks import broken_words  # noqa: E402


def test_the_share_dialog_previews_the_redacted_case_and_shares_it(qtbot, tmp_path):
    # GIVEN Oybek and Fotehobod paired, and a case of Oybek with a driver
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=2, seed=3, photos=1)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=1, seed=4, photos=0)
    try:
        kit.pair_posts(oybek, fotehobod, tmp_path)
        case = next(c for c in (oybek.cases.find(reference=r.case_number)
                                for r in oybek.cases.list_cases(query=kit_query()).rows) if c.persons)
        runner = TaskRunner()
        # WHEN the dialog opens for that case
        dialog = ShareDialog(None, runner=runner, sharing=oybek.sharing, references=[case.id],
                             folder=tmp_path / "stick")
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.send.isEnabled(), timeout=10_000)
        # THEN the counterpart and the non-nominal profile are chosen, and the preview shows the goods, not people
        assert dialog.counterpart.currentData() == "TJ-FOT"
        assert dialog.profile.currentData() == "non-nominal"
        shown = dialog.preview.toPlainText()
        assert case.case_number in shown and "Category" in shown
        assert all(p.full_name not in shown for p in case.persons)
        if case.conveyance_registration:
            assert case.conveyance_registration not in shown
        # AND the keys go to the first choice; every label's Alt letter reaches its field
        assert dialog.focusWidget() is dialog.counterpart
        assert all("&" in label.text() and label.buddy() is not None for label in dialog.labels.values())
        # WHEN the officer shares with Enter, typed in the reason field (it opened the folder chooser)
        from PySide6.QtCore import Qt

        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: dialog.shared is not None or "wrong" in dialog.status.text(), timeout=10_000)
        # THEN the share and its cover letter are on the stick, and Fotehobod imports the share
        assert dialog.shared is not None, dialog.status.text()
        share = Path(dialog.shared.path)
        assert share.exists() and share.with_suffix(".letter.pdf").exists()
        # AND the dialog names the post and gives the whole check code, grouped as on the cover letter
        sha = dialog.shared.sha256
        assert "Shared with post Fotehobod (TJ-FOT)" in dialog.status.text()
        assert f"Check code: {' '.join(sha[i:i + 8] for i in range(0, 64, 8))}" in dialog.status.text()
        # AND at the dialog's width no line of it ends inside a post code or a path ("(TJ-" | "FOT)", ".../TJ-" |
        # "FOT-UZ-OYB-….share"): the files are named by their names, and their folder is shown apart, on one line,
        # exactly as written (no look-alike hyphen in it: a copy gives the real path)
        assert broken_words(dialog) == []
        [folder] = dialog.status.folder_fields()
        assert folder.text() == str(share.parent) and folder.isReadOnly() and share.name in dialog.status.text()
        folder.selectAll()
        folder.copy()
        from PySide6.QtWidgets import QApplication

        assert QApplication.clipboard().text() == str(share.parent)
        fotehobod.sharing.import_share(path=share)
        assert [r.reference for r in fotehobod.sharing.shared_records()] == [case.case_number]
    finally:
        oybek.close()
        fotehobod.close()


def test_the_share_and_message_windows_offer_the_folder_last_written_to_until_it_is_gone(qtbot, tmp_path):
    import shutil

    from blo_desk.ui.dialogs.share_messages import AskDialog
    from blo_desk.ui.file_dialogs import remember_folders_in
    from blo_desk.ui.prefs import Preferences

    # GIVEN Oybek's desk (its preferences in its data folder), paired with Fotehobod, which shared a case with it
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=1, seed=3, photos=0)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=1, seed=4, photos=0)
    desk_data = tmp_path / "desk"
    desk_data.mkdir()
    remember_folders_in(Preferences(desk_data))
    runner = TaskRunner()
    try:
        kit.pair_posts(oybek, fotehobod, tmp_path)
        number = oybek.cases.list_cases(query=kit_query()).rows[0].case_number
        theirs = fotehobod.cases.list_cases(query=kit_query()).rows[0].case_number
        oybek.sharing.import_share(path=Path(fotehobod.sharing.share(references=[theirs], to="UZ-OYB",
                                                                     out=tmp_path / "from-fot").path))
        [record] = oybek.sharing.shared_records()
        shares = oybek.sharing.default_folder()

        def share_dialog() -> ShareDialog:
            dialog = ShareDialog(None, runner=runner, sharing=oybek.sharing, references=[number])
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitUntil(dialog.send.isEnabled, timeout=10_000)
            return dialog

        # WHEN the officer shares for the first time THEN the post's shares folder is offered
        first = share_dialog()
        assert Path(first.target.text()) == shares
        # WHEN they write the share to a USB stick instead (the folder typed)
        stick = tmp_path / "stick"
        first.target.setText(str(stick))
        first.run_share()
        qtbot.waitUntil(lambda: first.shared is not None or "wrong" in first.status.text(), timeout=10_000)
        assert first.shared is not None, first.status.text()
        first.close()
        # THEN the next Share window offers the stick
        again = share_dialog()
        assert Path(again.target.text()) == stick
        again.close()
        # AND so does Ask the sender…, which writes to another folder of the stick
        ask = AskDialog(None, runner=runner, sharing=oybek.sharing, record=record, sender="Fotehobod (TJ-FOT)")
        qtbot.addWidget(ask)
        ask.show()
        qtbot.waitUntil(ask.send.isEnabled, timeout=10_000)
        assert Path(ask.target_row.folder()) == stick
        requests = stick / "requests"
        ask.target_row.line.setText(str(requests))
        ask.text.setPlainText("Who loaded the truck?")
        ask.write()
        qtbot.waitUntil(lambda: ask.written is not None or "wrong" in ask.status.text(), timeout=10_000)
        assert ask.written is not None, ask.status.text()
        ask.close()
        # WHEN the desk is started again (its preferences read anew) THEN the Share window offers that folder
        remember_folders_in(Preferences(desk_data))
        restarted = share_dialog()
        assert Path(restarted.target.text()) == requests
        restarted.close()
        # WHEN the stick is taken out THEN the post's shares folder is offered again
        shutil.rmtree(stick)
        unplugged = share_dialog()
        assert Path(unplugged.target.text()) == shares
        unplugged.close()
        runner.wait()
    finally:
        oybek.close()
        fotehobod.close()


def kit_query():
    from blo_desk.domain.entities import CaseQuery

    return CaseQuery()


def test_the_desk_shares_the_open_case_with_the_paired_post(make_desk, settings, services, qtbot, tmp_path):
    from blo_desk.services.demo import load_demo

    # GIVEN Dustlik (UZ-DUS) paired with Dostuk (KG-DOS), and a Dustlik case open on the desk
    load_demo(cases=services.cases)
    services.sync.set_up_post(post_code="UZ-DUS")
    dostuk = kit.make_post(tmp_path / "dos", "KG-DOS", cases=1, seed=5, photos=0)
    try:
        kit.pair_posts(services, dostuk, tmp_path)
        desk = make_desk(settings)
        case = services.cases.find(reference="UZ-DUS-2024-00001")
        desk.open_case(case.id)
        qtbot.waitUntil(lambda: desk.editor.case is not None and desk.editor.case.id == case.id, timeout=10_000)
        action = desk.window.actions["share_case"]
        assert action in desk.window.actions.menus["case"].actions() and action.isEnabled()
        # WHEN the supervisor chooses Share with counterpart…
        action.trigger()
        dialog = desk._share_dialog
        qtbot.waitUntil(lambda: dialog.send.isEnabled(), timeout=10_000)
        # THEN the dialog offers Dostuk and previews that case
        assert dialog.counterpart.currentData() == "KG-DOS" and case.case_number in dialog.preview.toPlainText()
        dialog.target.setText(str(tmp_path / "stick"))
        dialog.run_share()
        qtbot.waitUntil(lambda: dialog.shared is not None or "wrong" in dialog.status.text(), timeout=10_000)
        assert dialog.shared is not None, dialog.status.text()
        dostuk.sharing.import_share(path=Path(dialog.shared.path))
        assert [r.reference for r in dostuk.sharing.shared_records()] == [case.case_number]
        dialog.close()
    finally:
        dostuk.close()


def test_shared_with_us_imports_a_share_lists_it_and_shows_it_in_the_users_language(qtbot, tmp_path):
    from blo_desk.ui.dialogs.shared_with_us import SharedWithUsDialog

    # GIVEN Oybek shared a case with Fotehobod, and a copy of the file that was altered on the way
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=1, seed=3, photos=0)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=1, seed=4, photos=0)
    try:
        kit.pair_posts(oybek, fotehobod, tmp_path)
        number = oybek.cases.list_cases(query=kit_query()).rows[0].case_number
        sent = oybek.sharing.share(references=[number], to="TJ-FOT", out=tmp_path / "stick")
        share = Path(sent.path)
        altered = tmp_path / "altered.share"
        data = bytearray(share.read_bytes())
        data[len(data) // 3] ^= 1
        altered.write_bytes(bytes(data))
        runner = TaskRunner()
        dialog = SharedWithUsDialog(None, runner=runner, sharing=fotehobod.sharing)
        qtbot.addWidget(dialog)
        dialog.show()
        # WHEN the altered file is imported THEN it is refused with a reason and nothing is listed
        dialog.import_file(altered)
        qtbot.waitUntil(lambda: "nothing of it was kept" in dialog.status.text(), timeout=10_000)
        assert dialog.model.rowCount() == 0
        # WHEN the genuine file is imported THEN it is listed, and choosing it shows its fields
        dialog.import_file(share)
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=10_000)
        # named by the sender's card, the kind in words, and the check code the cover letter asks to compare
        status = dialog.status.text()
        assert "Received from post Oybek (UZ-OYB): shared cases" in status
        assert " ".join(sent.sha256[i:i + 8] for i in range(0, 64, 8)) in status
        # AND the list names the sender and the profile in the user's language, and the record is shown at once
        assert dialog.model.rows[0][:3] == ("Oybek (UZ-OYB)", "Non-nominal", number)
        qtbot.waitUntil(lambda: "Redaction profile: Non-nominal" in dialog.details.toPlainText(), timeout=10_000)
        # AND at its opening size every column of the list shows whole (the sender's case number was cut to "UZ-…")
        header = dialog.table.horizontalHeader()
        assert all(header.sectionSize(c) >= dialog.table.sizeHintForColumn(c) for c in range(4))
        assert dialog.table.viewport().width() >= header.length(), (dialog.table.viewport().width(), header.length())
        # AND when it was shared is written as every moment on the desk, in the post's time (Fotehobod: Dushanbe)
        from blo_desk.i18n import set_language, set_local_zone, translator

        set_local_zone("Asia/Dushanbe")
        shared_at = dialog.records[0].shared_at
        set_language("ru")
        assert dialog.model.rows[0][:2] == ("Айбек (UZ-OYB)", "Обезличенный")
        assert dialog.model.rows[0][3] == translator("ru").format_datetime(shared_at, tz="Asia/Dushanbe")
        assert dialog.model.rows[0][3] == shared_at.astimezone(ZoneInfo("Asia/Dushanbe")).strftime("%d.%m.%Y, %H:%M")
        # AND in Russian too the four columns show whole at the opening size (the date was cut to "30.11.2026, 19:4")
        qtbot.waitUntil(lambda: dialog.table.viewport().width() >= dialog.table.horizontalHeader().length(),
                        timeout=2_000)
        set_language("en")
        dialog.table.selectRow(0)
        qtbot.waitUntil(lambda: "Shared by post: Oybek (UZ-OYB)" in dialog.details.toPlainText(), timeout=10_000)
        assert f"Sender's case: {number}" in dialog.details.toPlainText()
        assert "Crossing point: Oybek (UZ-OYB)" in dialog.details.toPlainText()
        runner.wait()  # no work of this window left running into the next test
    finally:
        oybek.close()
        fotehobod.close()


def test_a_legal_basis_left_greyed_out_is_not_sent_with_a_non_nominal_share(qtbot, tmp_path):
    # GIVEN Oybek paired with Fotehobod, and the share dialog open on a case of Oybek
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=1, seed=3, photos=0)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=1, seed=4, photos=0)
    try:
        kit.pair_posts(oybek, fotehobod, tmp_path)
        number = oybek.cases.list_cases(query=kit_query()).rows[0].case_number
        dialog = ShareDialog(None, runner=TaskRunner(), sharing=oybek.sharing, references=[number],
                             folder=tmp_path / "stick")
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.send.isEnabled(), timeout=10_000)
        # WHEN the officer picks the operational profile, types a reason and a legal basis, changes their mind and
        # goes back to non-nominal (the legal basis field greys out, its text still in it), and shares
        dialog.profile.setCurrentIndex(dialog.profile.findData("operational"))
        qtbot.waitUntil(lambda: dialog.legal_basis.isEnabled() and dialog.send.isEnabled(), timeout=10_000)
        dialog.reason.setText("Who loaded the truck")
        dialog.legal_basis.setText("Agreement of 2019")
        dialog.profile.setCurrentIndex(dialog.profile.findData("non-nominal"))
        qtbot.waitUntil(lambda: not dialog.legal_basis.isEnabled() and dialog.send.isEnabled(), timeout=10_000)
        dialog.run_share()
        qtbot.waitUntil(lambda: dialog.shared is not None or "wrong" in dialog.status.text(), timeout=10_000)
        # THEN the share went under non-nominal with the reason, and no legal basis was sent or recorded
        assert dialog.shared is not None, dialog.status.text()
        fotehobod.sharing.import_share(path=Path(dialog.shared.path))
        for store in (oybek, fotehobod):
            [message] = store.sharing.messages()
            assert (message.profile, message.reason, message.legal_basis) == ("non-nominal", "Who loaded the truck",
                                                                             "")
    finally:
        oybek.close()
        fotehobod.close()


def _case_with_typed_names(services):
    """A new case of Oybek whose driver's name and plate were also typed into the concealment details and into an
    item's description (stored through the bulk path, as the exchange tests store theirs)."""
    from dataclasses import replace
    from datetime import date

    from blo_desk.domain.entities import Person
    from blo_desk.domain.enums import PersonRole

    base = kit.post_cases("UZ-OYB", 1, seed=11)[0]
    driver = Person(role=PersonRole.DRIVER, full_name="Toʻxtayev Rahim", birth_date=date(1971, 3, 4),
                    nationality="UZ", document_type="passport", document_number="AB7654321")
    case = replace(base, id="0" * 31 + "7", case_number="UZ-OYB-2024-990007", persons=(driver,),
                   conveyance_registration="01 A 457 BC",
                   concealment_details="Behind the fuel tank of truck 01A457BC; driver Тўхтаев Рахим said he "
                                       "loaded it himself; his passport AB 7654321.",
                   items=tuple(replace(item, description="Packed by Toxtayev in 20 blocks")
                               for item in base.items[:1]))
    with services.uow() as uow:
        uow.cases.bulk_insert([case])
        uow.commit()
    return case


def test_the_preview_shows_the_masked_free_text_and_says_where(qtbot, tmp_path):
    # GIVEN Oybek paired with Fotehobod, and a case whose concealment details name the driver and the plate
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=1, seed=3, photos=0)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=1, seed=4, photos=0)
    try:
        kit.pair_posts(oybek, fotehobod, tmp_path)
        case = _case_with_typed_names(oybek)
        # WHEN the share dialog opens on it (non-nominal)
        dialog = ShareDialog(None, runner=TaskRunner(), sharing=oybek.sharing, references=[case.case_number],
                             folder=tmp_path / "stick")
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitUntil(lambda: dialog.send.isEnabled(), timeout=10_000)
        # THEN the preview shows the text with the name, plate and passport masked, and says how many spots where
        shown = dialog.preview.toPlainText()
        assert ("Concealment details: Behind the fuel tank of truck \u2587\u2587\u2587; driver \u2587\u2587\u2587 "
                "said he loaded it himself; his passport \u2587\u2587\u2587.") in shown, shown
        assert "Item 1: Description: Packed by \u2587\u2587\u2587 in 20 blocks" in shown
        assert "Тўхтаев" not in shown and "01A457BC" not in shown and "Toxtayev" not in shown
        notice = dialog.mask_notice.text()
        assert dialog.mask_notice.isVisible() and notice.startswith("4 spots of free text are masked"), notice
        assert "Concealment details: 3" in notice and "Item 1: Description: 1" in notice
        # AND in Russian the notice names the fields in Russian (what the dialog shows once the language changes)
        from blo_desk.domain.sharing import mask_notice

        russian = mask_notice(oybek.sharing.share_preview(references=[case.case_number], language="ru"), "ru")
        assert "Подробности сокрытия: 3" in russian and "Предмет 1: Описание: 1" in russian, russian
        # WHEN the profile is operational THEN nothing is masked and the notice goes
        dialog.profile.setCurrentIndex(dialog.profile.findData("operational"))
        qtbot.waitUntil(lambda: "Тўхтаев" in dialog.preview.toPlainText(), timeout=10_000)
        assert dialog.mask_notice.isHidden()
        dialog.runner.wait()
    finally:
        oybek.close()
        fotehobod.close()
