"""HQ's desk shows the counterpart traffic between posts (issue 16): which post shared what with whom, when, under
which profile, the requests and their answers, from the share events the posts' bundles reported; filtered by post
and by date; in uz, ru and en."""

from __future__ import annotations

import os
import sys
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "exchange"))
from test_counterpart_share import _pair  # noqa: E402

from blo_desk.domain.entities import CaseQuery  # noqa: E402
from blo_desk.domain.permissions import Principal, Role  # noqa: E402
from blo_desk.i18n import set_language  # noqa: E402
from blo_desk.ui.pages.hq_page import HqWindow  # noqa: E402
from blo_desk.ui.tasks import TaskRunner  # noqa: E402

import bundle_kit as kit  # noqa: E402

SHOTS = os.environ.get("BLO_DESK_HQ_SHOTS")  # a folder: save screenshots of the page there


def _cell(model, row: int, column: int) -> str:
    return model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)


def _first_case(post) -> str:
    return post.cases.list_cases(query=CaseQuery()).rows[0].case_number


def test_hq_sees_who_shared_what_with_whom_filtered_by_post_and_date(qtbot, tmp_path):
    # GIVEN Oybek paired with Fotehobod and with Dostuk; Oybek shared a case with each, Fotehobod asked a question
    # that Oybek answered, and asked another, overdue; every post exported its bundle and HQ imported them
    oybek = kit.make_post(tmp_path / "oyb", "UZ-OYB", cases=2, seed=3, photos=1)
    fotehobod = kit.make_post(tmp_path / "fot", "TJ-FOT", cases=1, seed=4, photos=0)
    dostuk = kit.make_post(tmp_path / "dos", "KG-DOS", cases=1, seed=5, photos=0)
    hq = kit.open_store(tmp_path / "hq")
    stick = tmp_path / "stick"
    try:
        _pair(oybek, fotehobod, tmp_path)
        _pair(oybek, dostuk, tmp_path)
        number = _first_case(oybek)
        fotehobod.sharing.import_share(path=Path(oybek.sharing.share(references=[number], to="TJ-FOT",
                                                                     out=stick).path))
        dostuk.sharing.import_share(path=Path(oybek.sharing.share(references=[number], to="KG-DOS",
                                                                  out=stick).path))
        asked = [fotehobod.sharing.request(to="UZ-OYB", about=number, text=f"Question {n}", out=stick,
                                           due=date.today() - timedelta(days=n)) for n in (0, 2)]
        for request in asked:
            oybek.sharing.import_share(path=Path(request.path))
        fotehobod.sharing.import_share(path=Path(oybek.sharing.answer(request_id=asked[0].id, text="Yes.",
                                                                      out=stick).path))
        for post in (oybek, fotehobod, dostuk):
            identity = post.sync.identity()
            hq.hq.trust_key(post_code=identity.post_code, public_key=identity.public_key)
        reports = hq.hq.import_bundles(paths=[Path(p.sync.export(folder=tmp_path / "out").path)
                                              for p in (oybek, fotehobod, dostuk)])
        assert all(not r.rejected for r in reports), [r.error for r in reports]
        set_language("en")
        runner = TaskRunner()
        # WHEN an analyst opens HQ's window on the counterpart traffic
        analyst = Principal(username="lola", role=Role.ANALYST, post_code="")
        window = HqWindow(None, runner=runner, services=hq, principal=analyst)
        qtbot.addWidget(window)
        window.show()
        page = window.page
        tab = page.traffic
        page.tabs.setCurrentWidget(tab)
        page.refresh()
        qtbot.waitUntil(lambda: tab.event_model.rowCount() == 5, timeout=20_000)
        # THEN both pairs are listed, with the shares each way, the requests answered, open and overdue
        pairs = {_cell(tab.pair_model, r, 0): r for r in range(tab.pair_model.rowCount())}
        # named in the reader's language with their countries (CLDR names, not codes), the codes in the tooltip
        assert set(pairs) == {"Dostuk (Kyrgyzstan) \u2194 Oybek (Uzbekistan)",
                              "Fotehobod (Tajikistan) \u2194 Oybek (Uzbekistan)"}
        row = pairs["Fotehobod (Tajikistan) \u2194 Oybek (Uzbekistan)"]
        tip = tab.pair_model.data(tab.pair_model.index(row, 0), Qt.ItemDataRole.ToolTipRole)
        assert tip == "Fotehobod (TJ-FOT) \u2194 Oybek (UZ-OYB)"
        assert "Oybek\u2192Fotehobod: 1" in _cell(tab.pair_model, row, 1)
        assert [_cell(tab.pair_model, row, c) for c in (2, 3, 4, 5, 6)] == ["1", "2", "1", "1", "1"]
        # AND every message with who sent it, to whom, what, under which profile and the request's status
        rows = [[_cell(tab.event_model, r, c) for c in range(10)] for r in range(5)]
        shares = [r for r in rows if r[3] == "shared cases"]
        assert sorted((r[1], r[2], r[4], r[5]) for r in shares) == [("Oybek", "Dostuk", "Non-nominal", "1"),
                                                                   ("Oybek", "Fotehobod", "Non-nominal", "1")]
        requests = [r for r in rows if r[3] == "request for information"]
        assert sorted((r[1], r[2], r[8]) for r in requests) == [("Fotehobod", "Oybek", "answered"),
                                                               ("Fotehobod", "Oybek", "overdue")]
        tips = {tab.event_model.data(tab.event_model.index(r, 0), Qt.ItemDataRole.ToolTipRole) for r in range(5)}
        assert "Oybek (UZ-OYB) \u2192 Dostuk (KG-DOS)" in tips
        assert all(r[9] for r in rows), "each message says which posts' bundles reported it"
        assert "requests: 2, of them open: 1, overdue: 1" in tab.summary.text()
        # WHEN filtered to Dostuk THEN only its pair and its share remain
        tab.post_filter.setCurrentIndex(tab.post_filter.findData("KG-DOS"))
        qtbot.waitUntil(lambda: tab.event_model.rowCount() == 1, timeout=10_000)
        assert tab.pair_model.rowCount() == 1 and _cell(tab.event_model, 0, 2) == "Dostuk"
        assert tab.post_filter.currentText() == "Dostuk (KG-DOS)"
        # WHEN the dates end before today THEN nothing is listed, and the page says so
        tab.post_filter.setCurrentIndex(0)
        yesterday = date.today() - timedelta(days=1)
        tab.date_to.setDate(QDate(yesterday.year, yesterday.month, yesterday.day))
        qtbot.waitUntil(lambda: tab.event_model.rowCount() == 0 and tab._task is None, timeout=10_000)
        assert "No bundle has reported" in tab.summary.text()
        tab.date_to.setDate(tab.date_to.minimumDate())
        qtbot.waitUntil(lambda: tab.event_model.rowCount() == 5 and tab._task is None, timeout=10_000)
        # AND the window needs less than a 1366x768 screen (tests/ui/screens checks it on one) and follows the language
        hint = window.minimumSizeHint()
        assert hint.width() <= 1300 and hint.height() <= 700, hint
        window.resize(1360, 730)
        for language in ("uz", "ru", "en"):
            set_language(language)
            assert tab.labels["post"].text() and page.tabs.tabText(page.tabs.indexOf(tab))
            # the post names follow the language too (Russian readers see them in Cyrillic)
            name = {"uz": "Doʻstuk", "ru": "Достук", "en": "Dostuk"}[language]
            assert name in {_cell(tab.event_model, r, 2) for r in range(5)}
            assert tab.post_filter.findText(f"{name} (KG-DOS)") > 0
            qtbot.wait(100)
            if SHOTS:
                Path(SHOTS).mkdir(parents=True, exist_ok=True)
                window.grab().save(str(Path(SHOTS) / f"hq-traffic-{language}.png"))
        qtbot.waitUntil(lambda: runner.active == 0, timeout=10_000)
    finally:
        set_language("en")
        for services in (oybek, fotehobod, dostuk, hq):
            services.close()
