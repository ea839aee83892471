"""A post restored from a backup on a new laptop: no sequence number reused, HQ sees a restore (not a rewritten
history), while a second live copy of the same post still raises the equivocation alerts."""

from __future__ import annotations

import json
import zipfile

import pytest

from blo_desk.config import load_settings
from blo_desk.domain.entities import CaseQuery
from blo_desk.domain.sync import ALERT_RESTORED, EQUIVOCATION_ALERTS
from blo_desk.services.backup import UNKNOWN_SKIP, restore_backup
from blo_desk.services.registry import open_services

from bundle_kit import change, make_post


@pytest.fixture
def backend():
    """HQ on SQLite only: what is checked here is the post's numbering and HQ's reading of it, not the engine."""
    return "sqlite"


def _manifest(path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("manifest.json"))


def _kinds(hq) -> list[str]:
    return sorted(a.kind for a in hq.hq.alerts())


def _first_case(post) -> str:
    return post.cases.list_cases(query=CaseQuery()).rows[0].id


@pytest.fixture
def history(tmp_path, hq):
    """A post that sent bundle 1, was backed up, then sent bundles 2 and 3 (received by HQ) before its laptop
    died; HQ then wrote its status file for the post."""
    post = make_post(tmp_path / "old-laptop", "UZ-DUS", cases=4, photos=1)
    hq.hq.trust_key(post_code="UZ-DUS", public_key=post.sync.public_key_text())
    stick = tmp_path / "stick"
    first = post.sync.export(folder=stick)
    backup = post.backup.backup(folder=tmp_path / "backups")
    later = []
    for _ in range(2):
        change(post, _first_case(post))
        later.append(post.sync.export(folder=stick))
    reports = hq.hq.import_bundles(paths=[first.path, *[r.path for r in later]])
    assert [r.outcome for r in reports] == ["imported"] * 3, [r.reason() for r in reports]
    status = tmp_path / "UZ-DUS.status.json"
    status.write_text(json.dumps(hq.hq.post_status_file(post_code="UZ-DUS")))
    yield post, backup, status, stick
    post.close()


def test_a_restored_post_continues_above_hq_and_hq_sees_a_restore(history, hq, tmp_path):
    old, backup, status, stick = history
    # GIVEN the backup restored on a new laptop with HQ's status file (HQ holds bundles up to 3)
    settings = load_settings(data_dir=tmp_path / "new-laptop", language="en")
    info = restore_backup(settings, backup.path, hq_status=status)
    assert info.last_sequence == 1
    restored = open_services(settings)  # the first opening records the restore
    try:
        # THEN the restore is a signed event of the audit trail, and the trail is intact
        events = restored.audit.events(limit=5)
        assert any(e.action == "store.restore" for e in events)
        assert restored.audit.verify().ok
        # WHEN the post works on and exports
        change(restored, _first_case(restored))
        result = restored.sync.export(folder=stick)
    finally:
        restored.close()
    # THEN the bundle is numbered above what HQ received and tells HQ of the restore
    assert result.sequence == 4
    notice = _manifest(result.path)["restore"]
    assert (notice["lost_above"], notice["resumed_at"]) == (1, 4)
    assert notice["backup_created_at"][:10] == backup.created_at.date().isoformat()
    # AND HQ imports it, shows the restore, raises no equivocation alert, and counts nothing as missing
    report = hq.hq.import_bundle(path=result.path)
    assert report.outcome == "imported", report.reason()
    assert _kinds(hq) == [ALERT_RESTORED]
    shown = hq.hq.alerts()[0].translated()
    assert "restored from the backup of" in shown and "above 1" in shown
    row = next(s for s in hq.hq.status() if s.post_code == "UZ-DUS")
    assert row.sequences == (1, 2, 3, 4) and row.missing == ()


def test_a_second_live_copy_of_the_post_still_raises_the_alert(history, hq, tmp_path):
    old, backup, status, stick = history
    settings = load_settings(data_dir=tmp_path / "new-laptop", language="en")
    restore_backup(settings, backup.path, hq_status=status)
    restored = open_services(settings)
    try:
        change(restored, _first_case(restored))
        mine = restored.sync.export(folder=tmp_path / "restored-stick")
    finally:
        restored.close()
    assert hq.hq.import_bundle(path=mine.path).outcome == "imported"
    # WHEN the old laptop, still alive (two live copies with one key), exports bundles 4 and 5
    change(old, _first_case(old))
    other_four = old.sync.export(folder=tmp_path / "old-stick")
    change(old, _first_case(old))
    other_five = old.sync.export(folder=tmp_path / "old-stick")
    reports = hq.hq.import_bundles(paths=[other_four.path, other_five.path])
    # THEN HQ refuses the second bundle 4 and flags bundle 5's history: a fork is still a fork
    assert reports[0].outcome == "rejected"
    kinds = set(_kinds(hq))
    assert {"duplicate_sequence", "two_live_copies"} <= kinds, kinds
    assert next(a for a in hq.hq.alerts() if a.kind == "two_live_copies").params["seq"] == 5


def test_the_old_copy_seen_first_is_flagged_when_the_restore_arrives(history, hq, tmp_path):
    old, backup, status, stick = history
    settings = load_settings(data_dir=tmp_path / "new-laptop", language="en")
    restore_backup(settings, backup.path, hq_status=status)
    # GIVEN the old laptop's bundle 4 reaches HQ first
    change(old, _first_case(old))
    assert hq.hq.import_bundle(path=old.sync.export(folder=tmp_path / "old-stick").path).outcome == "imported"
    restored = open_services(settings)
    try:
        change(restored, _first_case(restored))
        change(restored, _first_case(restored))
        restored.sync.export(folder=tmp_path / "restored-stick")
        change(restored, _first_case(restored))
        five = restored.sync.export(folder=tmp_path / "restored-stick")
    finally:
        restored.close()
    # WHEN the restored post's bundle 5 arrives (its 4 collides and is refused)
    assert five.sequence == 5
    hq.hq.import_bundle(path=five.path)
    # THEN HQ says two copies are live
    assert "two_live_copies" in _kinds(hq)
    assert set(_kinds(hq)) & EQUIVOCATION_ALERTS


def test_without_word_from_hq_the_restored_post_skips_numbers(history, hq, tmp_path):
    old, backup, _status, stick = history
    settings = load_settings(data_dir=tmp_path / "new-laptop", language="en")
    restore_backup(settings, backup.path)
    restored = open_services(settings)
    try:
        change(restored, _first_case(restored))
        result = restored.sync.export(folder=stick)
    finally:
        restored.close()
    # THEN it never reuses a number a lost bundle may have had
    assert result.sequence == 1 + UNKNOWN_SKIP + 1
    assert hq.hq.import_bundle(path=result.path).outcome == "imported"
    assert _kinds(hq) == [ALERT_RESTORED]
    row = next(s for s in hq.hq.status() if s.post_code == "UZ-DUS")
    # AND HQ lists the skipped numbers as lost in the restore, not as missing
    assert row.missing == () and row.lost == tuple(range(4, 1 + UNKNOWN_SKIP + 1))


def test_hq_lists_the_lost_cases_and_takes_them_re_entered(history, hq, tmp_path):
    old, backup, status, stick = history
    settings = load_settings(data_dir=tmp_path / "new-laptop", language="en")
    restore_backup(settings, backup.path, hq_status=status)
    restored = open_services(settings)
    try:
        # GIVEN the restored post re-enters the case it lost, differently from the lost revisions
        case = restored.cases.get(case_id=_first_case(restored))
        lost_revision = case.revision
        again = change(restored, case.id, narrative="Re-entered after the restore from the paper protocol")
        result = restored.sync.export(folder=stick)
    finally:
        restored.close()
    # THEN the new revision is numbered beyond any the old laptop may have used
    assert again.revision > lost_revision + 2
    # AND HQ takes it as newer (no conflicting revision), and lists what the post lost
    report = hq.hq.import_bundle(path=result.path)
    assert report.outcome == "imported", report.reason()
    lost = hq.hq.lost_in_restore(post_code="UZ-DUS")
    assert [(c.case_id, c.revision) for c in lost] == [(case.id, lost_revision + 1), (case.id, lost_revision + 2)]
    assert hq.cases.get(case_id=case.id).narrative.startswith("Re-entered")


def test_a_stolen_laptop_new_key_continues_and_the_old_key_is_refused(history, hq, tmp_path):
    old, backup, status, stick = history
    old_key = old.sync.identity().key_id
    # GIVEN HQ revokes the stolen laptop's key from the bundle after the last it received (3)
    hq.hq.revoke_key(key_id=old_key, from_sequence=4)
    settings = load_settings(data_dir=tmp_path / "new-laptop", language="en")
    restore_backup(settings, backup.path, hq_status=status)
    restored = open_services(settings)
    try:
        # WHEN the restored post makes a new key, which HQ trusts after the read-out by telephone
        identity = restored.sync.new_key()
        assert identity.key_id != old_key and identity.post_code == "UZ-DUS"
        hq.hq.trust_key(post_code="UZ-DUS", public_key=restored.sync.public_key_text())
        change(restored, _first_case(restored))
        mine = restored.sync.export(folder=tmp_path / "restored-stick")
    finally:
        restored.close()
    # THEN its bundles go on above HQ's last under the new key
    assert mine.sequence == 4
    assert hq.hq.import_bundle(path=mine.path).outcome == "imported"
    # AND the thief's later bundles, signed with the old key, are refused
    change(old, _first_case(old))
    stolen = old.sync.export(folder=tmp_path / "old-stick")
    refused = hq.hq.import_bundle(path=stolen.path)
    assert refused.outcome == "rejected" and "revoked" in refused.reason()


def test_the_hq_window_lists_the_lost_cases_and_saves_the_list_for_the_post(history, hq, tmp_path, qtbot):
    import csv

    from pypdf import PdfReader

    from blo_desk.domain.permissions import Principal, Role
    from blo_desk.i18n import set_language
    from blo_desk.ui.pages.hq_page import HqWindow
    from blo_desk.ui.tasks import TaskRunner

    old, backup, status, stick = history
    number = old.cases.get(case_id=_first_case(old)).case_number
    # GIVEN the post restored from its backup, whose next bundle told HQ of the restore
    settings = load_settings(data_dir=tmp_path / "new-laptop", language="en")
    restore_backup(settings, backup.path, hq_status=status)
    restored = open_services(settings)
    try:
        change(restored, _first_case(restored))
        assert hq.hq.import_bundle(path=restored.sync.export(folder=stick).path).outcome == "imported"
    finally:
        restored.close()
    # WHEN an analyst opens HQ's window on "Lost with a laptop"
    set_language("en")
    runner = TaskRunner()
    window = HqWindow(None, runner=runner, services=hq, principal=Principal(username="lola", role=Role.ANALYST))
    qtbot.addWidget(window)
    window.show()
    tab = window.page.lost
    window.page.tabs.setCurrentWidget(tab)
    window.page.refresh()
    # THEN the restored post is chosen and its two lost revisions of the case are listed with what HQ holds of them
    qtbot.waitUntil(lambda: tab.model.rowCount() == 2, timeout=20_000)
    assert tab.post.currentData() == "UZ-DUS"
    lost = hq.hq.lost_in_restore(post_code="UZ-DUS")
    assert [row[:2] for row in tab.model.rows] == [(number, c.revision) for c in lost]
    assert all(row[4] and row[5] for row in tab.model.rows), "when it happened and what was seized"
    assert "2 case revisions to re-enter or re-print" in tab.summary.text()
    # WHEN the list is saved as PDF and as CSV for the post
    for suffix in (".pdf", ".csv"):
        tab.save(tmp_path / f"lost{suffix}")
        qtbot.waitUntil(lambda suffix=suffix: tab.saved == tmp_path / f"lost{suffix}" and tab._task is None,
                        timeout=20_000)
    # THEN the PDF names the post and the case, and the CSV holds one row per lost revision under its headings
    pdf = "".join(page.extract_text() for page in PdfReader(tmp_path / "lost.pdf").pages)
    assert "UZ-DUS" in pdf and number in pdf and "Cases lost with the laptop of post UZ-DUS" in pdf
    with open(tmp_path / "lost.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:3] == ["Case number", "Revision", "Status"] and [r[0] for r in rows[1:]] == [number, number]
    # AND in Uzbek and Russian the page and the list follow the language
    import os

    shots = os.environ.get("BLO_DESK_HQ_SHOTS")
    try:
        for language in ("uz", "ru", "en"):
            set_language(language)
            tab.save(tmp_path / f"lost-{language}.pdf")
            qtbot.waitUntil(lambda language=language: tab.saved == tmp_path / f"lost-{language}.pdf"
                            and tab._task is None, timeout=20_000)
            assert window.page.tabs.tabText(window.page.tabs.indexOf(tab)) and tab.summary.text()
            if shots:
                window.resize(1360, 730)
                qtbot.wait(100)
                window.grab().save(f"{shots}/hq-lost-{language}.png")
                import shutil

                shutil.copy(tmp_path / f"lost-{language}.pdf", f"{shots}/lost-{language}.pdf")
    finally:
        set_language("en")
    qtbot.waitUntil(lambda: runner.active == 0, timeout=10_000)
