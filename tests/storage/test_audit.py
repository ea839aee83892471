"""The audit trail and finalized cases in the database: a hash chain that reveals edits and cuts, triggers that refuse."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import replace

import pytest

from blo_desk.domain.entities import CaseQuery
from blo_desk.domain.errors import ValidationError
from blo_desk.services.demo import dustlik_case


def _db(settings):
    conn = sqlite3.connect(settings.data_dir / "blo_desk.sqlite3")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


@pytest.fixture
def finalized(services):
    saved = services.cases.save(case=dustlik_case())
    return services.cases.finalize(case_id=saved.id, expected_revision=saved.revision)


def test_every_write_appends_one_event_in_the_same_transaction(services):
    # GIVEN a store WHEN a case is saved, then a save fails validation
    start = services.audit.head().length
    saved = services.cases.save(case=dustlik_case())
    with pytest.raises(ValidationError):
        services.cases.save(case=replace(saved, occurred_at=None))
    # THEN exactly one event was written, for the save that happened, with the content hash after it
    events = services.audit.events(limit=10)
    assert services.audit.head().length == start + 1
    assert (events[0].action, events[0].target, events[0].outcome) == ("case.create", f"case:{saved.id}", "ok")
    assert events[0].after_hash == services.cases.history(case_id=saved.id)[0].content_hash
    report = services.audit.verify()
    assert report.ok and report.length == start + 1 and report.head == services.audit.head().head


def test_an_edited_audit_row_is_reported(services, settings, finalized):
    # GIVEN an intact chain WHEN someone drops the trigger and edits an event in the database
    assert services.audit.verify().ok
    conn = _db(settings)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute("UPDATE audit_event SET actor = 'nobody' WHERE seq = 2")
    conn.execute("DROP TRIGGER trg_audit_no_update")
    conn.execute("UPDATE audit_event SET actor = 'nobody' WHERE seq = 2")
    conn.commit()
    conn.close()
    # THEN verify names the edited event
    report = services.audit.verify()
    assert not report.ok
    assert any("event 2 was changed" in p.translated() for p in report.problems)


def test_deleting_the_last_events_is_reported(services, settings, finalized):
    # GIVEN a chain of several events WHEN the last two are deleted (trigger dropped first)
    length = services.audit.head().length
    assert length >= 3
    conn = _db(settings)
    conn.execute("DROP TRIGGER trg_audit_no_delete")
    conn.execute("DELETE FROM audit_event WHERE seq > ?", (length - 2,))
    conn.commit()
    conn.close()
    # THEN the chain itself still links, but the sealed head kept elsewhere tells the cut
    report = services.audit.verify()
    assert not report.ok
    assert any("the last ones were deleted" in p.translated() for p in report.problems)


def test_audit_verify_command_reports_tampering(tmp_path):
    env = {**os.environ, "BLO_DESK_DATA_DIR": str(tmp_path / "data"), "BLO_DESK_PLAINTEXT_STORE": "1"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "blo_desk", "--lang", "en", *args], capture_output=True,
                              text=True, env=env, timeout=120)

    # GIVEN demo data WHEN the chain is checked THEN it is intact
    assert run("demo").returncode == 0
    ok = run("audit", "verify")
    assert ok.returncode == 0 and "intact" in ok.stdout
    # WHEN an event is edited directly THEN the command fails and says which
    conn = sqlite3.connect(tmp_path / "data" / "blo_desk.sqlite3")
    conn.execute("DROP TRIGGER trg_audit_no_update")
    conn.execute("UPDATE audit_event SET details = '{}' WHERE seq = 1")
    conn.commit()
    conn.close()
    bad = run("audit", "verify")
    assert bad.returncode == 1 and "event 1 was changed" in bad.stderr


def test_plain_sql_cannot_change_a_finalized_case(services, settings, finalized):
    conn = _db(settings)
    # WHEN its row, an item, a person, its history or the row itself is changed or deleted through plain SQL
    refused = [
        "UPDATE seizure_case SET narrative = 'rewritten' WHERE id = ?",
        "UPDATE seizure_case SET narrative = 'x', revision = revision + 1 WHERE id = ?",
        "DELETE FROM seizure_case WHERE id = ?",
        "UPDATE seized_item SET quantity = '1' WHERE case_id = ?",
        "DELETE FROM person WHERE case_id = ?",
        "INSERT INTO person(case_id, position, role, full_name, nationality, document_type, document_number, address)"
        " VALUES (?, 9, 'witness', 'Extra', 'UZ', '', '', '')",
        "UPDATE case_revision SET reason = 'x' WHERE case_id = ?",
        "DELETE FROM case_revision WHERE case_id = ?",
    ]
    for sql in refused:
        with pytest.raises(sqlite3.DatabaseError, match="immutable|append-only"):
            conn.execute(sql, (finalized.id,))
    conn.rollback()
    conn.close()
    # THEN the case is as finalized, and an amendment through the service still works
    assert services.cases.get(case_id=finalized.id) == finalized
    amended = services.cases.amend(case=replace(finalized, narrative="Corrected narrative"), reason="Typo")
    assert amended.revision == finalized.revision + 1
    assert services.cases.get(case_id=finalized.id).narrative == "Corrected narrative"
    assert services.audit.verify().ok


def test_drafts_stay_editable_in_sql_and_a_forged_finalized_row_is_reported(services, settings, finalized):
    draft = services.cases.save(case=dustlik_case())
    conn = _db(settings)
    conn.execute("UPDATE seizure_case SET narrative = 'draft edit' WHERE id = ?", (draft.id,))
    # WHEN someone drops the guard and rewrites a finalized case
    conn.execute("DROP TRIGGER trg_case_final_update")
    conn.execute("UPDATE seizure_case SET content_hash = 'f00d' WHERE id = ?", (finalized.id,))
    conn.commit()
    conn.close()
    # THEN verify reports the case that no longer matches its history
    report = services.audit.verify()
    assert any(finalized.case_number in p.translated() for p in report.problems)
    assert services.cases.list_cases(query=CaseQuery()).total == 2
