"""The case list's search also finds the records counterparts shared (issue 16): shown apart, below the post's own
cases, marked as shared with us, and opened read-only in Shared with us."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "exchange"))
from test_counterpart_share import _pair  # noqa: E402
from test_shared_search import _share_operational  # noqa: E402

from blo_desk.i18n import set_language  # noqa: E402
from blo_desk.ui.dialogs.shared_with_us import SharedWithUsDialog  # noqa: E402
from blo_desk.ui.pages.case_list import CaseListPage  # noqa: E402
from blo_desk.ui.tasks import TaskRunner  # noqa: E402

import bundle_kit as kit  # noqa: E402


def test_the_search_box_finds_a_shared_record_and_opens_it_read_only(qtbot, tmp_path):
    # GIVEN Fotehobod received Oybek's heroin case (driver Toʻxtayev) and holds cases of its own
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=1, seed=3, photos=0)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=3, seed=4, photos=0)
    set_language("en")
    try:
        _pair(oybek, fotehobod, tmp_path)
        case = _share_operational(oybek, fotehobod, tmp_path)
        runner = TaskRunner()
        page = CaseListPage(runner)
        qtbot.addWidget(page)
        page.resize(1300, 700)
        page.show()
        from blo_desk.ui.reference import load_reference

        page.set_source(lambda query, cancel: fotehobod.cases.list_cases(query=query, cancel=cancel),
                        load_reference(fotehobod))
        page.set_shared_source(lambda typed: fotehobod.sharing.shared_records(text=typed, limit=51))
        qtbot.waitUntil(lambda: page.model.total == 3 and not page.model.loading, timeout=10_000)
        # THEN with nothing typed the list is the post's cases only
        assert page.shared_panel.isHidden()
        # WHEN the officer types the driver's name in Cyrillic
        page.search.setText("Тўхтаев")
        page.apply_filters()
        qtbot.waitUntil(lambda: page.shared_panel.isVisible(), timeout=10_000)
        qtbot.waitUntil(lambda: not page.model.loading, timeout=10_000)
        # THEN the shared record is not one of the post's cases: it is listed apart, marked as shared with us
        assert case.case_number not in [r.case_number for r in page.model.rows]
        assert "Shared with us" in page.shared_label.text() and "Тўхтаев" in page.shared_label.text()
        model = page.shared_model
        assert model.rowCount() == 1
        sender, reference, _when, seized = model.rows[0]
        assert "UZ-OYB" in sender and reference == case.case_number and "Heroin" in seized
        # WHEN the officer opens it
        opened: list[str] = []
        page.open_shared.connect(opened.append)
        index = page.shared_table.model().index(0, 0)
        page.shared_table.doubleClicked.emit(index)
        assert opened == [page.shared_records[0].id]
        dialog = SharedWithUsDialog(None, runner=runner, sharing=fotehobod.sharing, record_id=opened[0])
        qtbot.addWidget(dialog)
        dialog.show()
        # THEN Shared with us shows that record, read-only, with the driver's name as the sender wrote it
        qtbot.waitUntil(lambda: "Toʻxtayev" in dialog.details.toPlainText(), timeout=10_000)
        assert dialog.details.isReadOnly() and dialog.selected_record().id == opened[0]
        # WHEN the search is cleared THEN the panel goes
        page.search.setText("")
        page.apply_filters()
        qtbot.waitUntil(lambda: page.shared_panel.isHidden(), timeout=10_000)
        # AND in Uzbek and Russian the marker follows the language
        page.search.setText("heroin")
        page.apply_filters()
        qtbot.waitUntil(lambda: page.shared_panel.isVisible(), timeout=10_000)
        for language in ("uz", "ru"):
            set_language(language)
            page.retranslate()
            assert page.shared_label.text() and "heroin" in page.shared_label.text()
        qtbot.waitUntil(lambda: runner.active == 0, timeout=10_000)
        runner.wait()
    finally:
        set_language("en")
        oybek.close()
        fotehobod.close()


def test_the_desk_search_shows_a_shared_record_and_opens_it_in_shared_with_us(make_desk, settings, qtbot, services):
    # GIVEN the store of Dustlik holds a record a counterpart shared: a driver Toʻxtayev and heroin
    from blo_desk.domain.canonical import canonical_json, parse_ts
    from blo_desk.domain.sharing import MessageKind, SharedRecord, ShareMessage

    at = parse_ts("2024-05-01T08:00:00Z")
    content = {"case_number": "TJ-PAK-2024-000777", "occurred_at": "2024-04-30T10:00:00Z", "timezone": "Asia/Dushanbe",
               "items": [{"category": "narcotics", "substance": "heroin", "description": "Kukun"}],
               "persons": [{"role": "driver", "full_name": "Toʻxtayev Bahodir"}], "photos": []}
    with services.uow() as uow:
        uow.shares.add_message(ShareMessage(id="a" * 32, kind=MessageKind.SHARE, outgoing=False, peer="TJ-PAK",
                                            created_at=at, profile="operational",
                                            references=("TJ-PAK-2024-000777",)), received_at=at, actor="t")
        uow.shares.add_record(SharedRecord(id="aaaaaaaaaaaa-1", message_id="a" * 32, sender="TJ-PAK",
                                           profile="operational", reference="TJ-PAK-2024-000777", shared_at=at,
                                           received_at=at, content=content),
                              content_json=canonical_json(content).decode("utf-8"))
        uow.commit()
    # WHEN a supervisor of the post types the driver's name in Cyrillic in the desk's search box
    desk = make_desk(settings)
    page = desk.list_page
    qtbot.waitUntil(lambda: not page.model.loading, timeout=20_000)
    page.search.setText("Тўхтаев")
    page.apply_filters()
    # THEN the record shows below the cases, marked as shared with us
    qtbot.waitUntil(lambda: page.shared_panel.isVisible(), timeout=10_000)
    assert page.shared_model.rows[0][1] == "TJ-PAK-2024-000777" and "Shared with us" in page.shared_label.text()
    # WHEN the supervisor opens it THEN Shared with us shows it, read-only
    page.shared_table.doubleClicked.emit(page.shared_table.model().index(0, 0))
    dialog = desk._shared_dialog
    qtbot.waitUntil(lambda: "Toʻxtayev Bahodir" in dialog.details.toPlainText(), timeout=10_000)
    assert dialog.selected_record().id == "aaaaaaaaaaaa-1"
    dialog.close()
    qtbot.waitUntil(lambda: desk.runner.active == 0, timeout=10_000)
