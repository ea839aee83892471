"""HQ checks its own store against its audit chain: a case rewritten at HQ after import is named, and is an alert."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from blo_desk.domain.entities import CaseQuery
from blo_desk.domain.sync import ALERT_STORE_CHANGED

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
