"""Demo data and the synthetic generator: the Dustlik case as reported, a realistic spread, audited inserts."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from decimal import Decimal

from blo_desk.domain.entities import CaseQuery
from blo_desk.domain.enums import CaseStatus
from blo_desk.services.demo import generate, load_demo


def test_the_demo_holds_the_dustlik_case_as_reported(services):
    # GIVEN an empty store WHEN the demo is loaded
    saved = load_demo(cases=services.cases)
    # THEN the Dustlik case is there as the report of 20 April 2024 tells it
    case = services.cases.find(reference=saved[0].case_number)
    assert case.post_code == "UZ-DUS" and case.status == CaseStatus.FINALIZED
    assert case.occurred_at.astimezone(timezone.utc).date() == datetime(2024, 4, 20).date()
    assert (case.detection_method, case.concealment_method) == ("customs_inspection", "baby_carriage")
    item = case.items[0]
    assert (item.category, item.brand, item.quantity, item.unit) == ("ammunition", "Oztay Diabolo", Decimal(130), "box")
    assert "4.5 mm" in item.description and item.value == Decimal(9_100_000) and item.currency == "UZS"
    assert "not declared" in case.legal_basis.lower() or "not been declared" in case.narrative
    assert len(saved) == 12


def test_generated_cases_spread_over_posts_years_and_commodities_and_are_audited(services):
    # GIVEN the audit trail's length before
    before = services.audit.head().length
    # WHEN 3,000 synthetic cases are generated in batches of 1,000
    made = generate(uow=services.uow, count=3000, seed=5, batch=1000, guard=services.guard)
    # THEN all are listed, numbering continues per post and year, and the spread looks like real traffic
    page = services.cases.list_cases(query=CaseQuery(limit=3000))
    assert made == 3000 and page.total == 3000
    assert len({r.case_number for r in page.rows}) == 3000
    posts = Counter(r.post_code for r in page.rows)
    years = Counter(r.occurred_at.year for r in page.rows)
    categories = Counter(c for r in page.rows for c in r.categories)
    assert len(posts) >= 20 and len(years) >= 4 and len(categories) >= 12
    assert posts.most_common(1)[0][1] < 600  # no post takes a fifth of all cases
    # AND each batch is one audit event, and the chain still verifies
    assert services.audit.head().length == before + 3
    assert services.audit.verify().ok
    # AND the search index covers the generated cases
    some = page.rows[0]
    assert services.cases.search(text=some.case_number).total >= 1
