"""HQ receives a voided draft (bundle format 3) on SQLite and PostgreSQL; a format-2 bundle may not carry one."""

from __future__ import annotations

import json
from pathlib import Path

from blo_desk.domain.entities import CaseQuery
from blo_desk.domain.enums import CaseStatus
from blo_desk.exchange import errors as E

import bundle_kit as kit


def _post_with_a_voided_draft(tmp_path):
    post = kit.make_post(tmp_path / "UZ-DUS", "UZ-DUS", cases=4, seed=7, photos=0)
    drafts = post.cases.list_cases(query=CaseQuery(statuses=(CaseStatus.DRAFT,))).rows
    draft = post.cases.get(case_id=drafts[0].id)
    post.cases.void(case_id=draft.id, expected_revision=draft.revision, reason="Entered twice")
    return post, draft


def test_hq_receives_the_voiding_with_its_reason_and_hides_the_case_from_lists(hq, tmp_path):
    # GIVEN a post that voided one of its drafts, and exported
    post, draft = _post_with_a_voided_draft(tmp_path)
    try:
        bundle = Path(post.sync.export(folder=tmp_path / "out").path)
        hq.hq.trust_key(post_code="UZ-DUS", public_key=post.sync.public_key_text())
    finally:
        post.close()
    members = kit.read_members(bundle)
    assert json.loads(members["manifest.json"])["format_version"] == 3
    # WHEN HQ imports the bundle
    report = hq.hq.import_bundle(path=bundle)
    assert report.outcome == "imported", report.reason()
    # THEN HQ holds the case as voided, with the reason in its history, and lists it only when asked for
    held = hq.cases.get(case_id=draft.id)
    assert held.status == CaseStatus.VOIDED
    history = hq.cases.history(case_id=draft.id)
    assert history[-1].status == CaseStatus.VOIDED and history[-1].reason == "Entered twice"
    listed = [r.id for r in hq.cases.list_cases(query=CaseQuery()).rows]
    assert draft.id not in listed and len(listed) == 3
    voided = [r.id for r in hq.cases.list_cases(query=CaseQuery(statuses=(CaseStatus.VOIDED,))).rows]
    assert voided == [draft.id]


def test_a_bundle_of_format_2_may_not_carry_a_voided_case(hq, tmp_path):
    # GIVEN the same bundle relabelled as format 2 (which knows only draft and finalized)
    post, _draft = _post_with_a_voided_draft(tmp_path)
    try:
        bundle = Path(post.sync.export(folder=tmp_path / "out").path)
        hq.hq.trust_key(post_code="UZ-DUS", public_key=post.sync.public_key_text())
        key = kit.secret_key(post)
    finally:
        post.close()
    members = kit.resign(kit.read_members(bundle), key, edit=lambda manifest: manifest.update(format_version=2))
    (tmp_path / "again").mkdir()
    relabelled = kit.write_members(tmp_path / "again" / bundle.name, members)
    # WHEN HQ imports it THEN it is refused whole and nothing is stored
    report = hq.hq.import_bundle(path=relabelled)
    assert report.outcome == "rejected" and isinstance(report.error, E.RecordError), report.reason()
    assert hq.cases.list_cases(query=CaseQuery()).total == 0


def test_a_voided_draft_is_no_sighting_at_several_posts(hq, tmp_path):
    # GIVEN two posts that each entered the same plate, one of them in a draft
    bundles, voiding = [], None
    for seed, code in ((1, "UZ-DUS"), (7, "KZ-KON")):
        post = kit.make_post(tmp_path / code, code, cases=4, seed=seed, photos=0)
        try:
            hq.hq.trust_key(post_code=code, public_key=post.sync.public_key_text())
            statuses = (CaseStatus.DRAFT,) if code == "KZ-KON" else ()
            row = post.cases.list_cases(query=CaseQuery(statuses=statuses)).rows[0]
            changed = kit.change(post, row.id, conveyance_registration="01 A 777 AA")
            bundles.append(Path(post.sync.export(folder=tmp_path / "out").path))
            if code == "KZ-KON":
                post.cases.void(case_id=changed.id, expected_revision=changed.revision, reason="Wrong plate")
                voiding = Path(post.sync.export(folder=tmp_path / "out").path)
        finally:
            post.close()
    for bundle in bundles:
        assert hq.hq.import_bundle(path=bundle).outcome == "imported"
    # THEN HQ sees the plate at both posts
    plates = [s for s in hq.hq.seen_at_several_posts() if s.kind == "plate"]
    assert [s.posts for s in plates] == [("KZ-KON", "UZ-DUS")]
    # WHEN the voiding arrives THEN the plate is no longer seen at several posts
    assert hq.hq.import_bundle(path=voiding).outcome == "imported"
    assert [s for s in hq.hq.seen_at_several_posts() if s.kind == "plate"] == []
