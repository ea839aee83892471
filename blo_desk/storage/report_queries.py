"""Aggregate queries for period reports: GROUP BY in SQL, answers as plain domain dataclasses."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Column, Float, MetaData, Numeric, String, Table, case, cast, func, insert, literal, select, text
from sqlalchemy.orm import Session

from blo_desk.domain.enums import CaseStatus
from blo_desk.domain.statistics import (
    NO_ITEMS,
    SEVERAL_CATEGORIES,
    CategoryTotal,
    CodeCount,
    MonthTotal,
    PeriodFilter,
    PeriodStatistics,
    PostTotal,
    ReportCaseRow,
)
from blo_desk.storage.models import CaseRow, ItemRow

DEFAULT_LISTED_CASES = 500
_CENT = Decimal("0.01")
_MILLI = Decimal("0.001")
# The cases a report covers, selected once per report (a temporary table lives only in this connection).
_SCOPE = Table(
    "blo_report_scope",
    MetaData(),
    Column("id", String(36), primary_key=True),
    Column("post_code", String(16)),
    Column("month", String(7)),
    Column("concealment", String(64)),
    Column("status", String(16)),
    prefixes=["TEMPORARY"],
)


def _decimal(value, step: Decimal) -> Decimal:
    """A summed number as a tidy Decimal: rounded to `step`, without trailing zeros."""
    if value is None:
        return Decimal(0)
    number = (value if isinstance(value, Decimal) else Decimal(repr(float(value)))).quantize(step)
    return number.quantize(Decimal(1)) if number == number.to_integral_value() else number.normalize()


def _pairs(totals: dict[str, Decimal]) -> tuple[tuple[str, Decimal], ...]:
    return tuple(sorted(totals.items()))


class ReportQueries:
    """Figures for a period report, computed by the database (one GROUP BY per figure, no ORM objects)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.is_sqlite = session.get_bind().dialect.name == "sqlite"

    # --- building blocks -------------------------------------------------------------------------
    def _number(self, column):
        """A decimal-as-text column as a number SQL can sum (exact NUMERIC on PostgreSQL, REAL on SQLite)."""
        return cast(column, Float if self.is_sqlite else Numeric(38, 6))

    def _local_time(self, period: PeriodFilter):
        """occurred_at in the post's own zone (the zone stored with each case)."""
        if not self.is_sqlite:
            return func.timezone(CaseRow.timezone, func.timezone("UTC", CaseRow.occurred_at))
        # SQLite has no time zones: shift by each zone's UTC offset at the end of the period. The region
        # keeps no daylight saving time, so this is exact except across a zone's rare change of offset.
        at = datetime.combine(period.date_to, time(12))
        zones = list(self.session.scalars(select(CaseRow.timezone).distinct()))
        if not zones:
            return CaseRow.occurred_at
        # an aware datetime always has its offset (the `or` is for the type checker)
        shifts = {zone: int((at.replace(tzinfo=ZoneInfo(zone)).utcoffset() or timedelta()).total_seconds())
                  for zone in zones}
        modifier = case(
            *[(CaseRow.timezone == zone, literal(f"{seconds:+d} seconds")) for zone, seconds in shifts.items()],
            else_=literal("+0 seconds"),
        )
        return func.datetime(CaseRow.occurred_at, modifier)

    def _month_key(self, local):
        if self.is_sqlite:
            return func.substr(local, 1, 7)
        return func.to_char(local, "YYYY-MM")

    def _conditions(self, period: PeriodFilter, local) -> list:
        start = datetime.combine(period.date_from, time.min)
        end = datetime.combine(period.date_to + timedelta(days=1), time.min)
        # A coarse UTC window first (uses the index), then the exact local dates.
        conditions = [
            CaseRow.occurred_at >= (start - timedelta(days=1)).replace(tzinfo=timezone.utc),
            CaseRow.occurred_at < (end + timedelta(days=1)).replace(tzinfo=timezone.utc),
        ]
        if self.is_sqlite:
            conditions += [local >= start.strftime("%Y-%m-%d %H:%M:%S"), local < end.strftime("%Y-%m-%d %H:%M:%S")]
        else:
            conditions += [local >= start, local < end]
        if period.post_codes:
            conditions.append(CaseRow.post_code.in_(period.post_codes))
        if period.finalized_only:
            conditions.append(CaseRow.status == str(CaseStatus.FINALIZED))
        else:  # a voided draft is no seizure: never counted
            conditions.append(CaseRow.status != str(CaseStatus.VOIDED))
        return conditions

    # --- the report --------------------------------------------------------------------------------
    def _select_scope(self, period: PeriodFilter) -> None:
        """One pass over the cases: those in the period, with their post, local month, concealment and status."""
        local = self._local_time(period)
        self.session.execute(text(f"DROP TABLE IF EXISTS {_SCOPE.name}"))
        _SCOPE.create(self.session.connection())
        self.session.execute(
            insert(_SCOPE).from_select(
                ["id", "post_code", "month", "concealment", "status"],
                select(
                    CaseRow.id, CaseRow.post_code, self._month_key(local), CaseRow.concealment_method, CaseRow.status
                ).where(*self._conditions(period, local)),
            )
        )

    def period_statistics(self, period: PeriodFilter, *, listed_cases: int = DEFAULT_LISTED_CASES) -> PeriodStatistics:
        """Every figure of a period report: one scan selects the cases, then one GROUP BY per figure."""
        self._select_scope(period)
        try:
            return self._statistics(period, listed_cases)
        finally:
            self.session.execute(text(f"DROP TABLE IF EXISTS {_SCOPE.name}"))

    def _statistics(self, period: PeriodFilter, listed_cases: int) -> PeriodStatistics:
        scope = _SCOPE.c
        item_join = ItemRow.__table__.join(_SCOPE, scope.id == ItemRow.case_id)

        cases, drafts = self.session.execute(
            select(func.count(), func.coalesce(func.sum(case((scope.status == str(CaseStatus.DRAFT), 1), else_=0)), 0))
        ).one()
        post_cases = {row[0]: int(row[1]) for row in self.session.execute(
            select(scope.post_code, func.count()).group_by(scope.post_code)
        )}
        month_cases = {row[0]: int(row[1]) for row in self.session.execute(
            select(scope.month, func.count()).group_by(scope.month)
        )}
        concealment = tuple(
            CodeCount(code=code or "", cases=int(count))
            for code, count in self.session.execute(
                select(scope.concealment, func.count()).group_by(scope.concealment).order_by(func.count().desc(), scope.concealment)
            )
        )
        # A case counts once per category, however many items of it were seized.
        distinct = select(ItemRow.category, ItemRow.case_id).select_from(item_join).distinct().subquery()
        category_cases = {row[0]: int(row[1]) for row in self.session.execute(
            select(distinct.c.category, func.count()).group_by(distinct.c.category)
        )}
        # Shares of cases: each case once, under its one category, or under "several categories".
        per_case = select(
            case((func.count(distinct.c.category.distinct()) == 1, func.min(distinct.c.category)),
                 else_=SEVERAL_CATEGORIES).label("share")
        ).group_by(distinct.c.case_id).subquery()
        shares = {row[0]: int(row[1]) for row in self.session.execute(
            select(per_case.c.share, func.count()).group_by(per_case.c.share)
        )}
        without_items = int(cases) - sum(shares.values())
        if without_items:
            shares[NO_ITEMS] = shares.get(NO_ITEMS, 0) + without_items
        case_shares = tuple(CodeCount(code=code, cases=count)
                            for code, count in sorted(shares.items(), key=lambda kv: (-kv[1], kv[0])))

        # Items: one GROUP BY gives every sum; categories, posts and months are folded from its rows.
        cat_items: dict[str, int] = defaultdict(int)
        cat_quantities: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        cat_values: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        post_items: dict[str, int] = defaultdict(int)
        post_values: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        month_values: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        all_values: dict[str, Decimal] = defaultdict(Decimal)
        for category, unit, currency, post, month, items, qty_sum, value_sum, valued in self.session.execute(
            select(
                ItemRow.category,
                ItemRow.unit,
                ItemRow.currency,
                scope.post_code,
                scope.month,
                func.count(),
                func.sum(self._number(ItemRow.quantity)),
                func.sum(self._number(ItemRow.value)),
                func.count(ItemRow.value),
            )
            .select_from(item_join)
            .group_by(ItemRow.category, ItemRow.unit, ItemRow.currency, scope.post_code, scope.month)
        ):
            cat_items[category] += items
            post_items[post] += items
            if qty_sum is not None:
                cat_quantities[category][unit] += _decimal(qty_sum, _MILLI)
            if valued:
                amount = _decimal(value_sum, _CENT)
                cat_values[category][currency] += amount
                post_values[post][currency] += amount
                month_values[month][currency] += amount
                all_values[currency] += amount

        by_category = sorted(
            (
                CategoryTotal(
                    category=code,
                    cases=count,
                    items=cat_items[code],
                    quantities=_pairs(cat_quantities[code]),
                    values=_pairs(cat_values[code]),
                )
                for code, count in category_cases.items()
            ),
            key=lambda row: (-row.cases, row.category),
        )
        by_post = sorted(
            (
                PostTotal(post_code=code, cases=count, items=post_items[code], values=_pairs(post_values[code]))
                for code, count in post_cases.items()
            ),
            key=lambda row: (-row.cases, row.post_code),
        )
        by_month = tuple(
            MonthTotal(year=int(key[:4]), month=int(key[5:7]), cases=count, values=_pairs(month_values[key]))
            for key, count in sorted(month_cases.items())
        )
        case_rows: tuple[ReportCaseRow, ...] = ()
        if listed_cases > 0:
            case_rows = tuple(
                ReportCaseRow(
                    case_number=r.case_number,
                    post_code=r.post_code,
                    occurred_at=r.occurred_at,
                    timezone=r.timezone,
                    status=CaseStatus(r.status),
                    categories=tuple(c for c in r.categories.split(",") if c),
                    items_summary=r.items_summary,
                    total_value=r.total_value,
                    currency=r.currency,
                )
                for r in self.session.execute(
                    select(
                        CaseRow.case_number,
                        CaseRow.post_code,
                        CaseRow.occurred_at,
                        CaseRow.timezone,
                        CaseRow.status,
                        CaseRow.categories,
                        CaseRow.items_summary,
                        CaseRow.total_value,
                        CaseRow.currency,
                    )
                    .join(_SCOPE, scope.id == CaseRow.id)
                    .order_by(CaseRow.occurred_at, CaseRow.case_number)
                    .limit(listed_cases)
                )
            )
        return PeriodStatistics(
            period=period,
            cases=int(cases),
            drafts=int(drafts),
            items=sum(post_items.values()),
            values=_pairs(all_values),
            by_category=tuple(by_category),
            by_post=tuple(by_post),
            by_month=by_month,
            concealment=concealment,
            case_shares=case_shares,
            case_rows=case_rows,
            listed_limit=listed_cases,
        )
