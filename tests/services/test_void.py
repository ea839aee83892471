"""Voiding a draft: a last revision with a reason, kept with its history and audited, hidden from lists by default."""

from __future__ import annotations

from dataclasses import replace

import pytest

from blo_desk.domain.entities import CaseQuery
from blo_desk.domain.enums import CaseStatus
from blo_desk.domain.errors import CaseVoidedError, NotADraftError, ValidationError
from blo_desk.services.demo import dustlik_case


def test_a_voided_draft_is_kept_with_its_history_and_audited_and_hidden_from_lists(services):
    # GIVEN two drafts, one of them saved twice
    keep = services.cases.save(case=dustlik_case())
    draft = services.cases.save(case=dustlik_case())
    draft = services.cases.save(case=replace(draft, narrative="Entered twice by mistake"))
    # WHEN the second is voided with a reason
    voided = services.cases.void(case_id=draft.id, expected_revision=draft.revision, reason="Duplicate of 00001")
    # THEN it is a new revision with the status voided; every earlier revision is still there, and the reason
    assert voided.status == CaseStatus.VOIDED and voided.revision == 3
    history = services.cases.history(case_id=draft.id)
    assert [(h.revision, h.status) for h in history] == [(1, "draft"), (2, "draft"), (3, "voided")]
    assert history[-1].reason == "Duplicate of 00001" and history[-1].parent_hash == history[1].content_hash
    # AND the audit trail has the voiding, with its reason
    events = services.audit.events(limit=10, target=f"case:{draft.id}")
    assert any(e.action == "case.void" and "Duplicate of 00001" in e.details for e in events)
    assert services.audit.verify().ok
    # AND the list shows only the other case, unless voided cases are asked for
    assert [r.id for r in services.cases.list_cases(query=CaseQuery()).rows] == [keep.id]
    shown = services.cases.list_cases(query=CaseQuery(statuses=(CaseStatus.VOIDED,))).rows
    assert [(r.id, r.status) for r in shown] == [(draft.id, CaseStatus.VOIDED)]
    # AND it can still be read whole
    assert services.cases.get(case_id=draft.id).narrative == "Entered twice by mistake"


def test_a_voided_case_cannot_be_saved_finalized_or_voided_again(services):
    # GIVEN a voided draft
    draft = services.cases.save(case=dustlik_case())
    voided = services.cases.void(case_id=draft.id, expected_revision=1, reason="Test entry")
    # WHEN anyone tries to change it THEN it is refused, and nothing is written
    with pytest.raises(CaseVoidedError):
        services.cases.save(case=replace(voided, narrative="Back again"))
    with pytest.raises(CaseVoidedError):
        services.cases.finalize(case_id=draft.id, expected_revision=voided.revision)
    with pytest.raises(CaseVoidedError):
        services.cases.void(case_id=draft.id, expected_revision=voided.revision, reason="Again")
    assert len(services.cases.history(case_id=draft.id)) == 2


def test_only_a_draft_is_voided_and_only_with_a_reason(services):
    # GIVEN a draft and a finalized case
    draft = services.cases.save(case=dustlik_case())
    final = services.cases.finalize(case_id=services.cases.save(case=dustlik_case()).id, expected_revision=1)
    # WHEN the draft is voided without a reason THEN the reason is asked for
    with pytest.raises(ValidationError) as refused:
        services.cases.void(case_id=draft.id, expected_revision=1, reason="   ")
    assert refused.value.errors[0].field == "reason"
    # WHEN the finalized case is voided THEN it is refused: a finalized case is amended
    with pytest.raises(NotADraftError):
        services.cases.void(case_id=final.id, expected_revision=final.revision, reason="Wrong")
    assert services.cases.get(case_id=draft.id).status == CaseStatus.DRAFT
