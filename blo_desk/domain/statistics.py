"""Plain figures of a period report (totals by commodity, post, month and concealment), as queried from the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from blo_desk.domain.enums import CaseStatus


@dataclass(frozen=True, slots=True)
class PeriodFilter:
    """Which cases a report covers: local dates of the seizure (inclusive), posts (empty = all), drafts or not."""

    date_from: date
    date_to: date
    post_codes: tuple[str, ...] = ()
    finalized_only: bool = False


@dataclass(frozen=True, slots=True)
class CategoryTotal:
    """One commodity category: cases and items, quantities per unit, values per currency."""

    category: str
    cases: int
    items: int
    quantities: tuple[tuple[str, Decimal], ...] = ()  # (unit code, total)
    values: tuple[tuple[str, Decimal], ...] = ()  # (currency, total)


@dataclass(frozen=True, slots=True)
class PostTotal:
    post_code: str
    cases: int
    items: int
    values: tuple[tuple[str, Decimal], ...] = ()


@dataclass(frozen=True, slots=True)
class MonthTotal:
    year: int
    month: int
    cases: int
    values: tuple[tuple[str, Decimal], ...] = ()


#: The code of the cases whose goods fall into several commodity categories (a share of cases counts each case once).
SEVERAL_CATEGORIES = "*several*"
#: The code of the cases with no item recorded.
NO_ITEMS = ""


@dataclass(frozen=True, slots=True)
class CodeCount:
    """How many cases carry a reference code (e.g. a concealment method)."""

    code: str
    cases: int


@dataclass(frozen=True, slots=True)
class ReportCaseRow:
    """One line of a report's list of cases."""

    case_number: str
    post_code: str
    occurred_at: datetime
    timezone: str
    status: CaseStatus
    categories: tuple[str, ...]
    items_summary: str
    total_value: Decimal | None
    currency: str


@dataclass(frozen=True, slots=True)
class PeriodStatistics:
    """Everything a period report shows, already aggregated."""

    period: PeriodFilter
    cases: int
    drafts: int
    items: int
    values: tuple[tuple[str, Decimal], ...] = ()
    by_category: tuple[CategoryTotal, ...] = ()
    by_post: tuple[PostTotal, ...] = ()
    by_month: tuple[MonthTotal, ...] = ()
    concealment: tuple[CodeCount, ...] = ()
    #: every case once: its one commodity category, SEVERAL_CATEGORIES or NO_ITEMS (most cases first)
    case_shares: tuple[CodeCount, ...] = ()
    case_rows: tuple[ReportCaseRow, ...] = ()  # at most the listing limit, oldest first
    listed_limit: int = 0
