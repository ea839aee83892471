"""The period report's shares of cases (each case once) come out the same on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from blo_desk.config import load_settings
from blo_desk.domain.permissions import SYSTEM
from blo_desk.domain.statistics import SEVERAL_CATEGORIES, PeriodFilter
from blo_desk.services.demo import load_demo
from blo_desk.services.registry import open_services


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_each_case_is_counted_once_in_the_shares_of_cases(request, tmp_path, backend):
    # GIVEN the demo cases on the backend (one of them, at Pakhtaobod, has a pistol and cartridges)
    url = None
    if backend == "postgresql":
        server = request.getfixturevalue("pg_server")
        server.admin("CREATE DATABASE report_shares")
        url = server.url("report_shares")
    services = open_services(load_settings(data_dir=tmp_path / "store", db_url=url, language="en",
                                           plaintext_store=True), principal=SYSTEM)
    try:
        load_demo(cases=services.cases)
        # WHEN the figures of 2021-2024 are aggregated
        with services.uow() as uow:
            stats = uow.reports.period_statistics(PeriodFilter(date(2021, 1, 1), date(2024, 12, 31)))
    finally:
        services.close()
    # THEN the shares add up to the number of cases; the case of two categories is under "several categories"
    shares = {c.code: c.cases for c in stats.case_shares}
    assert sum(shares.values()) == stats.cases == 12
    assert shares[SEVERAL_CATEGORIES] == 1 and shares["narcotics"] == 2
    # AND the categories' own counts still count that case once in each of its categories
    assert sum(c.cases for c in stats.by_category) == stats.cases + 1
