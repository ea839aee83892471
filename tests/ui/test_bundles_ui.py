"""Bundles in the desk: the post exports with progress and sees its outbox; HQ imports, sees the report, the posts'
gaps and a rejected bundle's reason in the user's language; the actions follow the role."""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path

from PySide6.QtCore import Qt

from blo_desk.config import load_settings
from blo_desk.i18n import _, set_language
from blo_desk.services.demo import dustlik_case

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import ADMIN, login_as  # noqa: E402  (the ui tests' own helpers)

SHOTS = os.environ.get("BLO_DESK_BUNDLE_SHOTS")  # a folder: save screenshots of the views there


def _shot(widget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def _as_admin(settings, work):
    accounts = login_as(settings, username=ADMIN)
    services = accounts.open_services()
    try:
        return work(services)
    finally:
        services.close()


def _cell(model, row: int, column: int) -> str:
    return model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)


def _tampered(bundle: Path, target: Path) -> Path:
    """A copy whose records were altered after signing (one character of a narrative), laid out as the original
    (same members, order and compression), so that only the signed hash can tell."""
    with zipfile.ZipFile(bundle) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(target, "w") as zf:
        for info, data in members:
            if info.filename == "records.jsonl":
                data = data.replace(b"Diabolo", b"Diabolx", 1)
            zf.writestr(info.filename, data, compress_type=info.compress_type)
    return target


def test_export_with_progress_then_import_at_hq_with_the_report(make_desk, qtbot, settings, tmp_path):
    # GIVEN a post set up by its admin, and a supervisor's desk with two cases
    public_key = _as_admin(settings, lambda s: (s.sync.set_up_post(post_code="UZ-DUS"),
                                                s.sync.public_key_text())[1])
    post = make_desk(settings)
    for _n in range(2):
        post.services.cases.save(case=dustlik_case())
    actions = post.window.actions
    assert actions["bundle_export"].isEnabled()
    assert not actions["bundle_import"].isEnabled()  # a supervisor exports, HQ analysts import
    # WHEN the supervisor exports to a stick
    actions["bundle_export"].trigger()
    dialog = post._bundle_windows["export"]
    qtbot.waitUntil(lambda: dialog.identity is not None, timeout=10_000)
    assert "UZ-DUS" in dialog.identity_label.text()
    stick = tmp_path / "stick"
    dialog.folder.setText(str(stick))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.last_result is not None or dialog.last_error is not None, timeout=30_000)
    # THEN the bundle is written, the progress bar is full, and the outbox lists it
    assert dialog.last_error is None, dialog.status.text()
    bundle = Path(dialog.last_result.path)
    assert bundle.parent == stick and bundle.exists()
    assert dialog.progress.value() == dialog.progress.maximum() == 1
    assert "UZ-DUS-000001.blo" in dialog.status.text()
    assert dialog.outbox_model.rowCount() == 1 and _cell(dialog.outbox_model, 0, 1) == "UZ-DUS-000001.blo"
    _shot(dialog, "export-en")

    # GIVEN HQ, whose admin trusted the post's key, and an analyst's desk
    hq_settings = load_settings(data_dir=tmp_path / "hq", language="en", plaintext_store=True)
    _as_admin(hq_settings, lambda s: s.hq.trust_key(post_code="UZ-DUS", public_key=public_key))
    hq = make_desk(hq_settings, username="lola", role="analyst", post_code="")
    hq_actions = hq.window.actions
    assert hq_actions["bundle_import"].isEnabled() and hq_actions["hq_overview"].isEnabled()
    assert not hq_actions["bundle_export"].isEnabled()
    # WHEN the analyst imports a tampered copy (a stick altered on the way) and the bundle itself
    hq_actions["hq_overview"].trigger()
    page = hq._bundle_windows["hq"].page
    tampered = _tampered(bundle, tmp_path / "UZ-DUS-000002.blo")
    task = page.import_paths([tampered, bundle])
    assert task is not None
    qtbot.waitUntil(lambda: page.task is None and len(page.reports) == 2, timeout=30_000)
    # THEN the report shows the new cases and the rejection with its reason
    model = page.report_model
    assert [_cell(model, r, 3) for r in range(2)] == ["rejected", "imported"]
    assert (_cell(model, 1, 4), _cell(model, 1, 5)) == ("2", "0")
    reason_en = _cell(model, 0, 7)
    assert reason_en == page.reports[0].error.translated()
    assert "does not match its manifest" in reason_en
    assert "1 imported" in page.summary.text() and "1 rejected" in page.summary.text()
    # AND the reason under the table names the file, never cut at a hyphen ("UZ-" | "DUS-000002.blo": painted with
    # non-breaking hyphens), and reads as written
    from PySide6.QtWidgets import QLabel

    assert page.details.text().startswith("UZ-DUS-000002.blo: ")
    assert QLabel.text(page.details).startswith("UZ\u2011DUS\u2011000002.blo: ")
    # AND the posts tab shows the post's last bundle and gaps
    qtbot.waitUntil(lambda: page.status_model.rowCount() == 1, timeout=10_000)
    assert (_cell(page.status_model, 0, 0), _cell(page.status_model, 0, 2)) == ("UZ-DUS", "have 1; none missing")
    _shot(hq._bundle_windows["hq"], "hq-report-en")
    # WHEN the analyst switches to Russian THEN the rejection reason is shown in Russian
    set_language("ru")
    reason_ru = _cell(model, 0, 7)
    assert reason_ru == _(page.reports[0].error.message).format(**page.reports[0].error.params)
    assert reason_ru != reason_en
    _shot(hq._bundle_windows["hq"], "hq-report-ru")
    page.tabs.setCurrentIndex(1)
    _shot(hq._bundle_windows["hq"], "hq-posts-ru")
    dialog.retranslate()
    _shot(dialog, "export-ru")
    set_language("en")


def test_hq_search_and_seen_at_several_posts(make_desk, qtbot, settings, tmp_path):
    # GIVEN HQ holding the Dustlik case from two posts (the same passports)
    import dataclasses

    from blo_desk.domain.permissions import SYSTEM
    from blo_desk.services.registry import open_services

    bundles, keys = [], {}
    for code in ("UZ-DUS", "UZ-GSK"):
        post = open_services(load_settings(data_dir=tmp_path / code, language="en", plaintext_store=True),
                             principal=SYSTEM)
        post.sync.set_up_post(post_code=code)
        post.cases.save(case=dataclasses.replace(dustlik_case(), post_code=code))
        bundles.append(Path(post.sync.export(folder=tmp_path / "stick").path))
        keys[code] = post.sync.public_key_text()
        post.close()
    _as_admin(settings, lambda s: [s.hq.trust_key(post_code=c, public_key=k) for c, k in keys.items()])
    hq = make_desk(settings, username="lola", role="analyst", post_code="")
    hq.window.actions["hq_overview"].trigger()
    window = hq._bundle_windows["hq"]
    page = window.page
    page.import_paths([tmp_path / "stick"])  # a folder: every bundle in it
    qtbot.waitUntil(lambda: page.task is None and len(page.reports) == 2, timeout=30_000)
    # THEN the documents seen at both posts are listed, and a search finds the case at both posts
    qtbot.waitUntil(lambda: page.seen_model.rowCount() > 0, timeout=10_000)
    assert _cell(page.seen_model, 0, 2) == "UZ-DUS, UZ-GSK"
    page.search.setText("Diabolo")
    page.run_search()
    qtbot.waitUntil(lambda: page.search_model.rowCount() == 2, timeout=10_000)
    assert {_cell(page.search_model, r, 1) for r in range(2)} == {"UZ-DUS", "UZ-GSK"}
    page.tabs.setCurrentIndex(3)
    _shot(window, "hq-seen-en")
    # WHEN the analyst exports what the search finds as a spreadsheet, from the same tab
    dialog = page.open_export()
    assert dialog is not None and "Diabolo" in dialog.scope.text()
    dialog.format.setCurrentIndex(dialog.format.findData("xlsx"))
    dialog.target.setText(str(tmp_path / "found.xlsx"))
    dialog.start.click()
    qtbot.waitUntil(lambda: dialog.exported is not None, timeout=30_000)
    # THEN the dialog says how many cases went where, and the workbook holds both posts' cases
    assert "2 cases exported to" in dialog.status.text()
    import openpyxl

    rows = list(openpyxl.load_workbook(tmp_path / "found.xlsx")["Cases"].iter_rows(values_only=True))
    assert sorted(r[1] for r in rows[1:]) == ["UZ-DUS", "UZ-GSK"]
    _shot(dialog, "hq-data-export-en")
