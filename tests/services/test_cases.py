"""Case service: saving bumps revisions, finalize locks, amend needs a reason, nothing written on bad input."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal

import pytest

from blo_desk.domain.entities import CaseQuery, Person, SeizedItem
from blo_desk.domain.enums import CaseStatus
from blo_desk.domain.errors import CaseFinalizedError, ConflictError, NotFinalizedError, ValidationError
from blo_desk.services.demo import dustlik_case


def _count(services) -> int:
    return services.cases.list_cases(query=CaseQuery(limit=1)).total


def test_new_case_gets_a_number_per_post_and_year(services):
    # GIVEN the Dustlik case of 20 April 2024, not yet saved
    case = dustlik_case()
    # WHEN it is saved twice as two separate cases
    first = services.cases.save(case=case)
    second = services.cases.save(case=case)
    # THEN each has a UUID, revision 1 and the next number of that post and year
    assert first.case_number == "UZ-DUS-2024-00001"
    assert second.case_number == "UZ-DUS-2024-00002"
    assert first.revision == 1 and first.status == CaseStatus.DRAFT
    assert len(first.id) == 36 and first.id != second.id


def test_save_round_trips_every_field(services):
    # GIVEN a saved case
    saved = services.cases.save(case=dustlik_case())
    # WHEN it is read back
    loaded = services.cases.get(case_id=saved.id)
    # THEN what the officer typed is all there, exactly
    assert loaded == saved
    assert loaded.items[0].value == Decimal(9_100_000)
    assert loaded.items[0].brand == "Oztay Diabolo"
    assert loaded.occurred_at == datetime(2024, 4, 20, 5, 40, tzinfo=timezone.utc)
    assert [p.full_name for p in loaded.persons][1] == "Toʻxtayev Baxtiyor"


def test_each_change_bumps_the_revision_and_unchanged_save_does_not(services):
    # GIVEN a saved draft
    saved = services.cases.save(case=dustlik_case())
    # WHEN it is saved again unchanged, then with a new narrative
    same = services.cases.save(case=saved)
    changed = services.cases.save(case=replace(saved, narrative="Corrected narrative"))
    # THEN the unchanged save is a no-op and the change is revision 2, linked to revision 1
    assert same.revision == 1
    assert changed.revision == 2
    history = services.cases.history(case_id=saved.id)
    assert [h.revision for h in history] == [1, 2]
    assert history[1].parent_hash == history[0].content_hash


def test_stale_revision_is_refused(services):
    # GIVEN a case changed since this copy was read
    saved = services.cases.save(case=dustlik_case())
    services.cases.save(case=replace(saved, narrative="changed elsewhere"))
    # WHEN the stale copy is saved
    # THEN it is refused and the newer text stays
    with pytest.raises(ConflictError):
        services.cases.save(case=replace(saved, narrative="stale"))
    assert services.cases.get(case_id=saved.id).narrative == "changed elsewhere"


def test_invalid_case_is_refused_with_field_errors_and_nothing_is_written(services):
    # GIVEN a case with a negative quantity, a future date and a person with no name
    bad = replace(
        dustlik_case(),
        occurred_at=datetime.now(timezone.utc) + timedelta(days=2),
        items=(SeizedItem(category="ammunition", description="Pellets", quantity=Decimal(-5), unit="box"),),
        persons=(Person(full_name="  "),),
    )
    # WHEN it is saved
    with pytest.raises(ValidationError) as caught:
        services.cases.save(case=bad)
    # THEN each problem names its field, and the store holds no case and no used number
    fields = {e.field for e in caught.value.errors}
    assert {"occurred_at", "items.0.quantity", "persons.0.full_name"} <= fields
    assert _count(services) == 0
    assert services.cases.save(case=dustlik_case()).case_number == "UZ-DUS-2024-00001"


def test_unknown_reference_codes_are_refused(services):
    # GIVEN a case whose item uses a category and a post that do not exist
    bad = replace(dustlik_case(), post_code="XX-NOPE",
                  items=(SeizedItem(category="spaceships", description="x", quantity=Decimal(1), unit="pcs"),))
    # WHEN saved THEN both fields are refused
    with pytest.raises(ValidationError) as caught:
        services.cases.save(case=bad)
    assert {"post_code", "items.0.category"} <= {e.field for e in caught.value.errors}


def test_finalized_case_is_read_only_and_amend_needs_a_reason(services):
    # GIVEN a finalized case
    saved = services.cases.save(case=dustlik_case())
    final = services.cases.finalize(case_id=saved.id, expected_revision=saved.revision)
    assert final.status == CaseStatus.FINALIZED and final.finalized_at is not None
    # WHEN it is edited like a draft THEN it is refused
    with pytest.raises(CaseFinalizedError):
        services.cases.save(case=replace(final, narrative="edited"))
    # WHEN it is amended without a reason THEN it is refused, naming the reason field
    with pytest.raises(ValidationError) as caught:
        services.cases.amend(case=replace(final, narrative="edited"), reason=" ")
    assert caught.value.errors[0].field == "reason"
    # WHEN amended with a reason THEN a new finalized revision records the reason
    amended = services.cases.amend(case=replace(final, narrative="edited"), reason="Typo in narrative")
    assert amended.revision == final.revision + 1 and amended.status == CaseStatus.FINALIZED
    history = services.cases.history(case_id=saved.id)
    assert history[-1].reason == "Typo in narrative"
    assert history[-1].parent_hash == history[-2].content_hash
    assert services.cases.get(case_id=saved.id).narrative == "edited"


def test_draft_cannot_be_amended_and_incomplete_case_cannot_be_finalized(services):
    # GIVEN a draft with no items
    draft = services.cases.save(case=replace(dustlik_case(), items=()))
    # WHEN amended THEN refused as not finalized
    with pytest.raises(NotFinalizedError):
        services.cases.amend(case=draft, reason="why")
    # WHEN finalized THEN refused: at least one item is needed
    with pytest.raises(ValidationError) as caught:
        services.cases.finalize(case_id=draft.id, expected_revision=draft.revision)
    assert "items" in {e.field for e in caught.value.errors}
    assert services.cases.get(case_id=draft.id).status == CaseStatus.DRAFT


def test_list_is_paged_sorted_and_filtered(services):
    # GIVEN the demo cases
    from blo_desk.services.demo import load_demo

    load_demo(cases=services.cases)
    # WHEN listing drafts only, then by post, then by category, then a page of 5 by case number
    drafts = services.cases.list_cases(query=CaseQuery(statuses=(CaseStatus.DRAFT,)))
    dustlik = services.cases.list_cases(query=CaseQuery(post_code="UZ-DUS"))
    ammo = services.cases.list_cases(query=CaseQuery(category="ammunition"))
    page = services.cases.list_cases(query=CaseQuery(sort_by="case_number", descending=False, limit=5, offset=5))
    # THEN each answer holds exactly the matching cases
    assert drafts.total == 2 and all(r.status == CaseStatus.DRAFT for r in drafts.rows)
    assert dustlik.total == 2 and {r.post_code for r in dustlik.rows} == {"UZ-DUS"}
    assert ammo.total == 2
    numbers = [r.case_number for r in services.cases.list_cases(query=CaseQuery(sort_by="case_number", descending=False)).rows]
    assert [r.case_number for r in page.rows] == numbers[5:10] and page.total == 12


def test_date_range_filter_uses_the_posts_calendar(services):
    # GIVEN the demo cases
    from datetime import date

    from blo_desk.services.demo import load_demo

    load_demo(cases=services.cases)
    # WHEN filtering on 20 April 2024 only
    page = services.cases.list_cases(query=CaseQuery(date_from=date(2024, 4, 20), date_to=date(2024, 4, 20)))
    # THEN only the Dustlik case is listed
    assert [r.items_summary for r in page.rows] == ["Pellets for pneumatic weapons, 4.5 mm"]


def test_a_draft_takes_the_number_of_its_incidents_year_when_the_date_is_corrected(services):
    # GIVEN a draft first saved on today's date in 2026 (as the editor's template has it)
    today = datetime(2026, 11, 3, 9, 0, tzinfo=timezone.utc)
    draft = services.cases.save(case=replace(dustlik_case(), id=None, case_number="", occurred_at=today))
    assert draft.case_number == "UZ-DUS-2026-00001"
    # WHEN the officer enters the real date of the seizure, 25 August 2024, and saves again
    corrected = services.cases.save(case=replace(draft, occurred_at=datetime(2024, 8, 25, 10, 0, tzinfo=timezone.utc)))
    # THEN the case is numbered in 2024, and the 2026 number is never given again
    assert corrected.case_number == "UZ-DUS-2024-00001"
    again = services.cases.save(case=replace(dustlik_case(), id=None, case_number="", occurred_at=today))
    assert again.case_number == "UZ-DUS-2026-00002"
    # AND a finalized case keeps the number that was printed
    final = services.cases.finalize(case_id=corrected.id, expected_revision=corrected.revision)
    amended = services.cases.amend(case=replace(final, occurred_at=today), reason="Date typed wrongly")
    assert amended.case_number == "UZ-DUS-2024-00001"
