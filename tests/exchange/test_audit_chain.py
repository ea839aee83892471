"""The post's audit chain in each manifest: HQ keeps it per bundle and raises an alert when a history was cut or
rewritten, whatever order the bundles arrive in."""

from __future__ import annotations

import json
import zipfile

import pytest

from blo_desk.domain.entities import CaseQuery
from blo_desk.domain.sync import ALERT_AUDIT_CUT, ALERT_AUDIT_REWRITTEN

from bundle_kit import change, make_post


def _manifest(path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("manifest.json"))


def _cut_history(post, *, keep: int) -> None:
    """What someone with a SQL tool does to hide events: drop the guard, delete the tail, forget the head copy."""
    with post.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER trg_audit_no_delete")
        conn.exec_driver_sql(f"DELETE FROM audit_event WHERE seq > {keep}")
        conn.exec_driver_sql("DELETE FROM setting WHERE key = 'audit.head'")


@pytest.fixture
def post(tmp_path):
    """A post with three cases, two of them saved again (so its trail holds a few events before any export)."""
    services = make_post(tmp_path / "post", "UZ-DUS", cases=3, photos=0)
    for row in services.cases.list_cases(query=CaseQuery()).rows[:2]:
        change(services, row.id)
    yield services
    services.close()


def _trust(hq, post):
    hq.hq.trust_key(post_code="UZ-DUS", public_key=post.sync.public_key_text())


def test_the_manifest_carries_the_chain_and_an_honest_history_raises_nothing(post, hq, tmp_path):
    # GIVEN a post that exports, works on, and exports again
    first = post.sync.export(folder=tmp_path / "stick")
    chain_after_first = post.audit.head()
    change(post, post.cases.list_cases(query=CaseQuery()).rows[0].id)
    second = post.sync.export(folder=tmp_path / "stick")
    # THEN each manifest reports the chain as it stood when the bundle was numbered, the second with a
    # checkpoint at the first one's length
    one, two = _manifest(first.path)["audit"], _manifest(second.path)["audit"]
    assert (one["length"], one["head"]) == (chain_after_first.length, chain_after_first.head)
    assert one["checkpoints"] == []
    assert two["length"] > one["length"]
    assert two["checkpoints"] == [{"length": one["length"], "hash": one["head"]}]
    # WHEN HQ imports them in reverse order THEN both apply and no alert is raised
    _trust(hq, post)
    reports = hq.hq.import_bundles(paths=[second.path, first.path])
    assert [r.outcome for r in reports] == ["imported", "imported"], [r.reason() for r in reports]
    assert [r.alerts for r in reports] == [(), ()]
    assert hq.hq.alerts() == []


@pytest.mark.parametrize("order", ["in order", "reversed"])
def test_a_history_cut_short_raises_an_alert(post, hq, tmp_path, order):
    # GIVEN bundle 1 reported a chain of n events, then the post's trail was cut to 1 event
    first = post.sync.export(folder=tmp_path / "stick")
    seen = _manifest(first.path)["audit"]["length"]
    _cut_history(post, keep=1)
    change(post, post.cases.list_cases(query=CaseQuery()).rows[0].id)
    second = post.sync.export(folder=tmp_path / "stick")
    assert _manifest(second.path)["audit"]["length"] < seen
    # WHEN HQ imports both (in either order)
    _trust(hq, post)
    paths = [first.path, second.path] if order == "in order" else [second.path, first.path]
    reports = hq.hq.import_bundles(paths=paths)
    # THEN both are applied (they are genuinely signed) and one alert says the history was cut
    assert all(r.outcome == "imported" for r in reports), [r.reason() for r in reports]
    alerts = hq.hq.alerts()
    assert [(a.kind, a.sequence) for a in alerts] == [(ALERT_AUDIT_CUT, 2)]
    text = alerts[0].translated()
    assert "UZ-DUS" in text and f"{seen} events" in text and "cut" in text
    assert hq.hq.status()[0].alerts == 1
    assert any("cut" in t for r in reports for t in r.alert_texts())


def test_a_history_rewritten_to_a_longer_one_raises_an_alert(post, hq, tmp_path):
    # GIVEN bundle 1 reported n events; the trail was then cut and refilled past n with other events
    first = post.sync.export(folder=tmp_path / "stick")
    seen = _manifest(first.path)["audit"]["length"]
    _cut_history(post, keep=1)
    case_id = post.cases.list_cases(query=CaseQuery()).rows[0].id
    while post.audit.head().length <= seen + 1:
        change(post, case_id)
    second = post.sync.export(folder=tmp_path / "stick")
    audit = _manifest(second.path)["audit"]
    assert audit["length"] > seen and audit["checkpoints"][0]["length"] == seen
    # WHEN HQ imports both THEN the checkpoint at n does not match what bundle 1 said: an alert
    _trust(hq, post)
    reports = hq.hq.import_bundles(paths=[first.path, second.path])
    assert all(r.outcome == "imported" for r in reports)
    assert [(a.kind, a.sequence) for a in hq.hq.alerts()] == [(ALERT_AUDIT_REWRITTEN, 2)]
    assert "rewritten" in hq.hq.alerts()[0].translated()


def test_a_manifest_without_its_audit_chain_is_rejected(post, hq, tmp_path):
    from bundle_kit import read_members, resign, secret_key, write_members

    first = post.sync.export(folder=tmp_path / "stick")
    members = resign(read_members(first.path), secret_key(post), edit=lambda m: m.pop("audit"))
    bad = write_members(tmp_path / "UZ-DUS-000001.blo", members)
    _trust(hq, post)
    report = hq.hq.import_bundle(path=bad)
    assert report.rejected and "audit" in report.reason()
