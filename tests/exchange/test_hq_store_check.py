"""HQ checks its own store against its audit chain: a case rewritten at HQ after import is named, and is an alert."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

from blo_desk.domain.entities import CaseQuery
from blo_desk.domain.sync import ALERT_STORE_CHANGED
from blo_desk.services.demo import dustlik_case

import bundle_kit as kit


def test_a_case_rewritten_at_hq_after_import_is_named_and_raises_an_alert(tmp_path, sqlite_template):
    # GIVEN a post's bundle imported at HQ, whose import event lists every revision it brought
    post = kit.make_post(tmp_path / "post", "UZ-DUS", cases=4, seed=3, photos=0)
    try:
        bundle = Path(post.sync.export(folder=tmp_path / "out").path)
        key = post.sync.public_key_text()
    finally:
        post.close()
    (tmp_path / "hq").mkdir()
    shutil.copyfile(sqlite_template, tmp_path / "hq" / "blo_desk.sqlite3")
    hq = kit.open_store(tmp_path / "hq")
    try:
        hq.hq.trust_key(post_code="UZ-DUS", public_key=key)
        assert hq.hq.import_bundle(path=bundle).outcome == "imported"
        imported = next(e for e in hq.audit.events(limit=20) if e.action == "bundle.import")
        assert len(json.loads(imported.details)["revisions"]) == 4
        assert hq.audit.verify().ok
        victim = hq.cases.list_cases(query=CaseQuery(sort_by="case_number")).rows[0]
        # WHEN someone at HQ drops the triggers, rewrites the case's narrative, and recreates them
        conn = sqlite3.connect(tmp_path / "hq" / "blo_desk.sqlite3")
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'").fetchall()
        for name, _sql in triggers:
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("UPDATE seizure_case SET narrative = 'Rewritten at HQ' WHERE id = ?", (victim.id,))
        for _name, sql in triggers:
            conn.execute(sql)
        conn.commit()
        conn.close()
        # THEN HQ's check names the case, and the post's cases that differ from what it delivered are an alert
        report = hq.audit.verify()
        assert not report.ok
        assert any(f"Case {victim.case_number} differs" in p.translated() for p in report.problems)
        alerts = [a for a in hq.hq.alerts() if a.kind == ALERT_STORE_CHANGED]
        assert [(a.post_code, a.params["case_number"]) for a in alerts] == [("UZ-DUS", victim.case_number)]
        assert "differ from what its bundles delivered" in alerts[0].translated()
        # AND a second check raises no second alert for the same finding
        hq.audit.verify()
        assert len([a for a in hq.hq.alerts() if a.kind == ALERT_STORE_CHANGED]) == 1
    finally:
        hq.close()


def test_a_case_saved_while_the_store_is_checked_is_no_finding(hq):
    # GIVEN a store with a case, checked clean
    hq.cases.save(case=dustlik_case())
    assert hq.audit.verify().ok
    saved_meanwhile = []

    def save_another(done: int, _total: int) -> None:
        # the chain and what it recorded are read by now; an officer saves a case on another connection
        if done == 1 and not saved_meanwhile:
            saved_meanwhile.append(hq.cases.save(case=replace(dustlik_case(), case_number="")))

    # WHEN the full check runs while a case is saved and committed in the middle of it
    report = hq.audit.verify(progress=save_another)
    # THEN the check reads the store as it was when it began: the new case is no "added outside the program"
    assert saved_meanwhile
    assert report.ok, [p.translated() for p in report.problems]
    # AND the next check sees the new case, recorded in the chain as the program wrote it
    again = hq.audit.verify()
    assert again.ok and again.length > report.length
