"""Queries and writes that take a Session and speak in domain dataclasses, never ORM rows."""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ARRAY,
    ColumnElement,
    CursorResult,
    Float,
    Select,
    SQLColumnExpression,
    String,
    and_,
    any_,
    bindparam,
    cast,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, selectinload

from blo_desk.domain.cancel import Cancellation, CancelledError
from blo_desk.domain.canonical import case_from_content, parse_ts
from blo_desk.domain.entities import (
    DEFAULT_TIMEZONE,
    EXACT_COUNT_LIMIT,
    Case,
    CaseQuery,
    CaseSummary,
    Page,
    Post,
    ReferenceItem,
    Revision,
)
from blo_desk.domain.enums import CaseStatus, ReferenceKind
from blo_desk.domain.errors import NotFoundError
from blo_desk.domain.rules import ReferenceCodes
from blo_desk.domain.search_text import tokens
from blo_desk.storage.case_rows import (
    attachment_rows,
    case_columns,
    case_from_row,
    item_rows,
    person_rows,
    revision_row,
    search_body,
)
from blo_desk.storage.immutability import amendment_window
from blo_desk.storage.models import (
    AttachmentRow,
    CaseCounterRow,
    CaseRow,
    ItemRow,
    PersonRow,
    PostRow,
    ReferenceRow,
    RevisionRow,
    SettingRow,
)
from blo_desk.storage.models_security import UserAccountRow
from blo_desk.storage.search_query import fts_query, ts_query, write_vectors

SORT_COLUMNS: dict[str, SQLColumnExpression] = {
    "occurred_at": CaseRow.occurred_at,
    "case_number": CaseRow.case_number,
    "post_code": CaseRow.post_code,
    "status": CaseRow.status,
    # kept as exact text, sorted as a number; a case without a value sorts below every value on both engines
    # (a keyset compares it like any other: no NULL)
    "total_value": func.coalesce(cast(CaseRow.total_value, Float), -1.0),
}
#: One statement that counts a post's year up and returns the new number (built once: a save runs it every time).
_COUNT_UP = (
    update(CaseCounterRow)
    .where(CaseCounterRow.post_code == bindparam("counter_post"), CaseCounterRow.year == bindparam("counter_year"))
    .values(last_number=CaseCounterRow.last_number + 1)
    .returning(CaseCounterRow.last_number)
)


#: PostgreSQL: a search its planner estimates above this many matches shows that estimate without counting. Five
#: times the exact-count limit: on the 1,000,000-case benchmark store the planner's estimates of searches were
#: within 0.5-2.7x of the truth, so a total under the limit is still counted exactly (and a search that fills less
#: than a page is always counted exactly).
TRUSTED_ESTIMATE = 5 * EXACT_COUNT_LIMIT
#: PostgreSQL: a search the planner estimates at this many matches or more (up to TRUSTED_ESTIMATE) counts its
#: typed words as whole words first (search_query.ts_query(whole_words=True): part of its matches, cheap for the GIN
#: index); over the exact-count limit, that settles it without counting the prefixes. The planner's estimates were
#: at least half the truth on the benchmark store: a quarter of the limit leaves room.
WHOLE_WORDS_FROM = EXACT_COUNT_LIMIT // 4


def _case_from_record(text_record: str, *, created_at: datetime | None) -> Case:
    """The case a stored revision record holds (content and the revision's own metadata)."""
    record = json.loads(text_record)
    return case_from_content(record["case"], revision=record["revision"], created_at=created_at,
                             updated_at=parse_ts(record["updated_at"]),
                             finalized_at=parse_ts(record["finalized_at"]))


class CaseRepository:
    """Cases, their children, revisions and the search index, inside the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.is_sqlite = session.get_bind().dialect.name == "sqlite"

    # --- reads -------------------------------------------------------------------------------
    def get(self, case_id: str) -> Case:
        row = self.session.scalars(
            select(CaseRow)
            .where(CaseRow.id == case_id)
            .options(selectinload(CaseRow.items), selectinload(CaseRow.persons), selectinload(CaseRow.attachments))
        ).one_or_none()
        if row is None:
            raise NotFoundError(case_id=case_id)
        return case_from_row(row)

    def id_for(self, reference: str) -> str | None:
        """The case id for an id or a human case number."""
        return self.session.scalar(
            select(CaseRow.id).where((CaseRow.id == reference) | (CaseRow.case_number == reference.upper()))
        )

    def stored_state(self, case_id: str) -> tuple[int, str, str] | None:
        """(revision, status, content_hash) of the stored case, or None."""
        found = self.session.execute(
            select(CaseRow.revision, CaseRow.status, CaseRow.content_hash).where(CaseRow.id == case_id)
        ).one_or_none()
        return None if found is None else (found[0], found[1], found[2])

    def _filtered(self, stmt: Select, query: CaseQuery, *, any_status: bool = False,
                  whole_words: bool = False) -> Select:
        conditions: list[ColumnElement[bool]] = []
        if any_status:
            pass
        elif query.statuses:
            conditions.append(CaseRow.status.in_([str(s) for s in query.statuses]))
        else:  # voided drafts are kept, but listed only when asked for by their status
            conditions.append(CaseRow.status != str(CaseStatus.VOIDED))
        zone = ZoneInfo(DEFAULT_TIMEZONE)
        if query.date_from:
            conditions.append(CaseRow.occurred_at >= datetime.combine(query.date_from, time.min, zone))
        if query.date_to:
            conditions.append(CaseRow.occurred_at < datetime.combine(query.date_to + timedelta(days=1), time.min, zone))
        if query.post_code:
            conditions.append(CaseRow.post_code == query.post_code)
        if query.category:
            conditions.append(
                exists().where(and_(ItemRow.case_id == CaseRow.id, ItemRow.category == query.category))
            )
        if query.text.strip():
            conditions.append(self._text_condition(query.text, whole_words=whole_words))
        return stmt.where(*conditions) if conditions else stmt

    def _text_condition(self, text_query: str, *, whole_words: bool = False):
        words = tokens(text_query)
        if not words:
            return text("1=1")
        if self.is_sqlite:
            return text(
                "seizure_case.search_rowid IN (SELECT rowid FROM case_fts WHERE case_fts MATCH :fts)"
            ).bindparams(fts=fts_query(text_query))
        # PostgreSQL: the same rules through the GIN index of migration 0011. One tsquery holds every word and every
        # spelling of it, so the plan has one index condition whatever was typed, and a parameter keeps it on the
        # index under a generic plan as well (tests/storage/test_search_pg.py). `whole_words`: a part of the
        # matches, for a lower bound of their count (_page).
        expression = ts_query(text_query, whole_words=whole_words)
        if expression is None:
            return text("1=0")
        return text("seizure_case.search_vector @@ CAST(:tsq AS tsquery)").bindparams(tsq=expression)

    def page(self, query: CaseQuery, *, cancel: Cancellation | None = None) -> Page:
        """One page of the list: rows after `query.after` (keyset), sorted, filtered. A first page also counts its
        matches up to EXACT_COUNT_LIMIT, and above that gives PostgreSQL's estimate (Page.estimated), never a full
        count. `cancel` interrupts the statement running on the server (a search superseded by newer typing)."""
        if cancel is None:
            return self._page(query)
        raw = self.session.connection().connection.driver_connection
        assert raw is not None  # the session's connection is open
        interrupt = raw.interrupt if self.is_sqlite else raw.cancel_safe
        try:
            with cancel.interrupting(interrupt):
                return self._page(query)
        except DBAPIError as exc:
            if cancel.cancelled:
                raise CancelledError() from exc
            raise

    def _sort_key(self, query: CaseQuery) -> SQLColumnExpression:
        return SORT_COLUMNS.get(query.sort_by, SORT_COLUMNS["occurred_at"])

    def _substances_of(self, case_ids: list[str]) -> dict[str, tuple[str, ...]]:
        """The substance codes of each listed case's items, in item order (the list names them in the UI language):
        read for the page's rows only, never for every match of a search."""
        found: dict[str, dict[str, None]] = {}
        if case_ids:
            # PostgreSQL: one array parameter, not 500 placeholders to build and parse on every page
            listed = (ItemRow.case_id.in_(case_ids) if self.is_sqlite
                      else ItemRow.case_id == any_(bindparam("case_ids", case_ids, type_=ARRAY(String))))
            rows = self.session.connection().execute(
                select(ItemRow.case_id, ItemRow.position, ItemRow.substance).where(listed, ItemRow.substance != "")
            ).all()
            for case_id, _position, substance in sorted(rows, key=lambda r: (r[0], r[1])):  # in item order
                found.setdefault(case_id, {})[substance] = None
        return {case_id: tuple(codes) for case_id, codes in found.items()}

    def _page(self, query: CaseQuery) -> Page:
        columns = (
            CaseRow.id,
            CaseRow.case_number,
            CaseRow.post_code,
            CaseRow.occurred_at,
            CaseRow.timezone,
            CaseRow.status,
            CaseRow.revision,
            CaseRow.categories,
            CaseRow.items_summary,
            CaseRow.persons_summary,
            CaseRow.total_value,
            CaseRow.currency,
        )
        key = self._sort_key(query)
        order = (key.desc(), CaseRow.id.desc()) if query.descending else (key.asc(), CaseRow.id.asc())
        stmt = self._filtered(select(*columns, key.label("sort_key")), query).order_by(*order)
        capped: int | None = None
        estimate: int | None = None
        listed: int | None = None  # PostgreSQL's estimate of a list without a search, when it was asked
        dense = False
        if not self.is_sqlite and tokens(query.text):
            # PostgreSQL searching: the plan's shape is chosen here from what the index says, not left to a
            # planner that cannot see the words under a generic plan. Up to EXACT_COUNT_LIMIT matches, read them
            # all through the GIN index and sort (cost by matches); above it (1 % of the store or more), walk
            # the date index and test each case until the page is full (cost by the page). A further page keeps
            # the first page's choice (its keyset carries it): it is never recounted. When the planner's own
            # statistics put the matches far above the limit (TRUSTED_ESTIMATE), the capped count is skipped:
            # building the index's bitmap of 100,000 matches to count 10,001 of them was most of such a search.
            # Between WHOLE_WORDS_FROM and that, the typed words are looked up first as whole words (a part of the
            # matches, cheap for the index; _whole_words_over_limit): over the limit, the prefixes are not counted.
            if query.after is None:
                estimate = self._planner_estimate(query)
                if estimate <= TRUSTED_ESTIMATE:
                    self._steer(walk_dates=False)
                    if estimate >= WHOLE_WORDS_FROM:
                        at_least = self._whole_words_over_limit(query)
                        if at_least is not None:
                            capped, estimate = EXACT_COUNT_LIMIT + 1, max(estimate, at_least)
                    if capped is None:
                        capped = self._capped_count(query, steered=True)
                    dense = capped > EXACT_COUNT_LIMIT
                else:  # far above the limit: counting the matches costs more than the page, and shows no more
                    dense = True
            else:
                dense = len(query.after) > 2 and bool(query.after[2])
            self._steer(walk_dates=dense)
        elif not self.is_sqlite and query.after is None:
            # PostgreSQL listing without a search: the same rule, an estimate far above the limit is shown as it is
            # (the whole list, a common commodity: no count of 10,001 cases through the filter's semi-join)
            listed = self._planner_estimate(query)
            if listed > TRUSTED_ESTIMATE:
                estimate = listed
        if query.after is not None:
            value, last_id = query.after[0], query.after[1]
            # `key <= value` first: an index condition that starts the walk at the last row held, not at the top
            if query.descending:
                stmt = stmt.where(key <= value, or_(key < value, CaseRow.id < last_id))
            else:
                stmt = stmt.where(key >= value, or_(key > value, CaseRow.id > last_id))
        elif query.offset:
            stmt = stmt.offset(query.offset)
        # Core rows (no ORM layer: the statement asks for columns, not entities), made into summaries with the
        # repeated statuses and category lists looked up once per page
        found = self.session.connection().execute(stmt.limit(query.limit + 1)).all()  # one fetchall
        more = len(found) > query.limit
        found = found[: query.limit]
        substances = self._substances_of([r.id for r in found])
        statuses = {str(s): s for s in CaseStatus}
        categories: dict[str, tuple[str, ...]] = {}
        rows = tuple(
            CaseSummary(
                id=case_id,
                case_number=number,
                post_code=post,
                occurred_at=occurred,
                timezone=zone,
                status=statuses[status],
                revision=revision,
                categories=categories.get(listed_categories)
                or categories.setdefault(listed_categories, tuple(c for c in listed_categories.split(",") if c)),
                items_summary=items,
                persons_summary=persons,
                total_value=value,
                currency=currency,
                substances=substances.get(case_id, ()),
            )
            for (case_id, number, post, occurred, zone, status, revision, listed_categories, items, persons, value,
                 currency, _key) in found
        )
        after = (found[-1].sort_key, found[-1].id, dense) if found else None
        if query.after is not None:
            return Page(rows=rows, total=0, offset=query.offset, counted=False, more=more, after=after)
        if not more and not query.offset:
            return Page(rows=rows, total=len(rows), offset=0, more=False, after=after)
        if estimate is not None and (capped is None or capped > EXACT_COUNT_LIMIT):  # the estimate, said to be one
            return Page(rows=rows, total=max(estimate, EXACT_COUNT_LIMIT + 1), offset=query.offset, estimated=True,
                        more=more, after=after)
        total, estimated = self._count(query, capped, estimate=listed)
        return Page(rows=rows, total=total, offset=query.offset, estimated=estimated, more=more, after=after)

    def _steer(self, *, walk_dates: bool) -> None:
        """PostgreSQL, for the rest of this transaction (SET LOCAL, as set_config, in one round trip): walk the date
        index (no bitmap), or read the matches through the search index (no index-ordered walk, no sequential
        scan)."""
        switches = {"enable_bitmapscan": not walk_dates, "enable_indexscan": walk_dates, "enable_seqscan": walk_dates}
        calls = ", ".join(f"set_config('{name}', '{'on' if on else 'off'}', true)" for name, on in switches.items())
        self.session.execute(text(f"SELECT {calls}"))

    def _whole_words_over_limit(self, query: CaseQuery) -> int | None:
        """PostgreSQL, planner switched to the search index (_steer): how many cases at least match the search's
        typed words as whole words (search_query.ts_query(whole_words=True), a part of the search's matches), when
        that is surely over EXACT_COUNT_LIMIT; otherwise None.

        A search with no other filter asks the GIN index alone: the row versions its bitmap holds are the "Actual
        Rows" of the Bitmap Index Scan in EXPLAIN ANALYZE of the search with LIMIT 1 (the bitmap is built whole, one
        row of the table is read). Those may include a few versions no longer or not yet visible (an import in
        progress, an amended case not yet vacuumed) and voided drafts, so only twice the limit is taken as proof:
        ~15 ms where counting 10,001 rows read 10,000 table pages (~40 ms) on the 1,000,000-case store. With other
        filters (post, dates, status, commodity), which the index does not hold, the whole words' matches are
        counted up to the limit instead (a typed word that is a prefix only: nothing to gain, None)."""
        whole = ts_query(query.text, whole_words=True)
        unfiltered = not (query.post_code or query.date_from or query.date_to or query.category or query.statuses)
        if unfiltered and whole is not None:
            matching = self._filtered(select(literal(1)).select_from(CaseRow), query, whole_words=True).limit(1)
            sql = matching.compile(dialect=self.session.get_bind().dialect, compile_kwargs={"literal_binds": True})
            plan = self.session.connection().exec_driver_sql(
                f"EXPLAIN (ANALYZE, TIMING OFF, SUMMARY OFF, FORMAT JSON) {sql}").scalar()
            nodes = [plan[0]["Plan"]] if plan else []
            while nodes:
                node = nodes.pop()
                if node["Node Type"] == "Bitmap Index Scan" and node.get("Index Name") == "ix_case_search_vector":
                    found = int(node["Actual Rows"])
                    return found if found >= 2 * EXACT_COUNT_LIMIT else None
                nodes += node.get("Plans", [])
            return None  # another plan than the index's bitmap (never seen): the counts decide
        if whole is None or whole == ts_query(query.text):
            return None
        found = self._capped_count(query, whole_words=True, steered=True)
        return found if found > EXACT_COUNT_LIMIT else None

    def _capped_count(self, query: CaseQuery, *, whole_words: bool = False, steered: bool = False) -> int:
        """How many cases match, counted up to EXACT_COUNT_LIMIT + 1 (on PostgreSQL through the indexes: the
        subquery asks for no column, so a bitmap scan may skip the table's all-visible pages). `whole_words`: a
        lower bound, the typed words matched as whole words only (search_query.ts_query). `steered`: the planner
        switches of a count are set already (_steer)."""
        matching = self._filtered(select(literal(1)).select_from(CaseRow), query, whole_words=whole_words)
        if not self.is_sqlite and tokens(query.text) and not steered:
            self._steer(walk_dates=False)  # the page steers again (_page), whichever way it goes
        return int(self.session.scalar(select(func.count()).select_from(
            matching.limit(EXACT_COUNT_LIMIT + 1).subquery())) or 0)

    def _sqlite_count(self, query: CaseQuery) -> int:
        """The exact count at a post. Without a status filter (voided drafts left out), every match is counted
        without the status, so that SQLite answers from an index alone (the search index's rowids, the dates), less
        the voided matches, which are few and found through the status index."""
        def count(stmt: Select) -> int:
            return int(self.session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)

        if query.statuses:
            return count(self._filtered(select(CaseRow.id), query))
        voided = replace(query, statuses=(CaseStatus.VOIDED,))
        return count(self._filtered(select(CaseRow.id), query, any_status=True)) - count(
            self._filtered(select(CaseRow.id), voided))

    def _count(self, query: CaseQuery, capped: int | None = None, *, estimate: int | None = None) -> tuple[int, bool]:
        """(matches, estimated): exact up to EXACT_COUNT_LIMIT; above it PostgreSQL's estimate of the same
        statement (at least the limit; `estimate` when it was asked already), or on SQLite (a post's store) the
        exact count."""
        if capped is None:
            if self.is_sqlite:  # a post's store counts exactly (no capped count first)
                return self._sqlite_count(query), False
            capped = self._capped_count(query)
        if capped <= EXACT_COUNT_LIMIT:
            return capped, False
        if self.is_sqlite:
            matching = self._filtered(select(CaseRow.id), query)
            return int(self.session.scalar(select(func.count()).select_from(matching.subquery())) or 0), False
        return max(self._planner_estimate(query) if estimate is None else estimate, EXACT_COUNT_LIMIT + 1), True

    def _planner_estimate(self, query: CaseQuery) -> int:
        """PostgreSQL's estimate of how many cases match (its plan's row count; no statement is run)."""
        matching = self._filtered(select(CaseRow.id), query)
        sql = matching.compile(dialect=self.session.get_bind().dialect, compile_kwargs={"literal_binds": True})
        plan = self.session.connection().exec_driver_sql(f"EXPLAIN (FORMAT JSON) {sql}").scalar()
        assert plan is not None  # EXPLAIN gives one row
        return int(plan[0]["Plan"]["Plan Rows"])

    def history(self, case_id: str) -> list[Revision]:
        """The revisions of a case, oldest first, with the name and rank of who saved each (when the store holds
        that account)."""
        rows = self.session.execute(
            select(RevisionRow, UserAccountRow.full_name, UserAccountRow.rank)
            .outerjoin(UserAccountRow, UserAccountRow.username == RevisionRow.actor)
            .where(RevisionRow.case_id == case_id).order_by(RevisionRow.revision)
        )
        return [
            Revision(
                case_id=r.case_id,
                revision=r.revision,
                content_hash=r.content_hash,
                parent_hash=r.parent_hash,
                status=CaseStatus(r.status),
                saved_at=r.saved_at,
                reason=r.reason,
                actor=r.actor,
                actor_name=name or "",
                actor_rank=rank or "",
            )
            for r, name, rank in rows
        ]

    def revision_hash(self, case_id: str, revision: int) -> str | None:
        return self.session.scalar(
            select(RevisionRow.content_hash).where(RevisionRow.case_id == case_id, RevisionRow.revision == revision)
        )

    def count(self, query: CaseQuery) -> int:
        """How many cases the list's filters select (for an export's progress)."""
        return int(self.session.scalar(self._filtered(select(func.count()).select_from(CaseRow), query)) or 0)

    def batches(self, query: CaseQuery, *, size: int = 500) -> Iterator[list[Case]]:
        """Every case the list's filters select, whole, oldest first, `size` at a time: keyset paging on (time, id).
        Each case is read from its current revision record (its canonical content, one JSON text per case) instead
        of ORM rows of the case and its children: no row objects, so memory stays flat and the read is quick."""
        after: tuple[datetime, str] | None = None
        current = and_(RevisionRow.case_id == CaseRow.id, RevisionRow.revision == CaseRow.revision)
        while True:
            stmt = self._filtered(
                select(CaseRow.id, CaseRow.occurred_at, CaseRow.created_at, RevisionRow.record).join(RevisionRow,
                                                                                                    current),
                query)
            if after is not None:  # `>=` first: an index range that starts where the last batch ended (as in _page)
                stmt = stmt.where(CaseRow.occurred_at >= after[0],
                                  or_(CaseRow.occurred_at > after[0], CaseRow.id > after[1]))
            rows = self.session.execute(stmt.order_by(CaseRow.occurred_at, CaseRow.id).limit(size)).all()
            if not rows:
                return
            yield [_case_from_record(row.record, created_at=row.created_at) for row in rows]
            after = (rows[-1].occurred_at, rows[-1].id)

    # --- writes ------------------------------------------------------------------------------
    def next_case_number(self, post_code: str, year: int) -> str:
        """The next number of the post's year, counted up in one statement (the first of a year starts at 1)."""
        connection = self.session.connection()  # Core statements: no ORM object to load and flush
        number = connection.execute(_COUNT_UP, {"counter_post": post_code, "counter_year": year}).scalar()
        if number is None:
            number = 1
            connection.execute(insert(CaseCounterRow), {"post_code": post_code, "year": year, "last_number": number})
        return f"{post_code}-{year}-{number:05d}"

    def counters(self) -> dict[tuple[str, int], int]:
        return {(r.post_code, r.year): r.last_number for r in self.session.scalars(select(CaseCounterRow))}

    def bump_counters(self, cases: list[Case]) -> None:
        """Raise each (post, year) counter to the highest number among the given cases."""
        highest: dict[tuple[str, int], int] = {}
        for case in cases:
            post, year_text, number_text = case.case_number.rsplit("-", 2)
            key = (post, int(year_text))
            highest[key] = max(highest.get(key, 0), int(number_text))
        for (post, year), number in highest.items():
            counter = self.session.get(CaseCounterRow, (post, year))
            if counter is None:
                self.session.add(CaseCounterRow(post_code=post, year=year, last_number=number))
            elif counter.last_number < number:
                counter.last_number = number
        self.session.flush()

    def insert(self, case: Case, *, parent_hash: str = "", reason: str = "", actor: str = "") -> str:
        """Write a new case with its first revision row; returns its content hash (computed once, here)."""
        body = search_body(case)
        rowid = None
        if self.is_sqlite:  # the index entry first, so the case row is written once, with its rowid
            result = typing.cast(CursorResult[typing.Any],
                                 self.session.execute(text("INSERT INTO case_fts(body) VALUES (:b)"), {"b": body}))
            rowid = result.lastrowid
        revision = revision_row(case, parent_hash=parent_hash, reason=reason, actor=actor)
        columns = case_columns(case, content_hash=revision["content_hash"])  # hashed once, for both rows
        connection = self.session.connection()  # Core inserts: the ORM's bulk bookkeeping cost more than SQLite
        connection.execute(insert(CaseRow), [{"id": case.id, **columns, "search_text": body, "search_rowid": rowid}])
        self._write_vectors([(case.id, body)])
        self._insert_children(case)
        connection.execute(insert(RevisionRow), [revision])
        return str(revision["content_hash"])

    def replace(self, case: Case, *, parent_hash: str, reason: str = "", actor: str = "") -> str:
        """Overwrite the stored case (a finalized one, at finalize or amend, through an amendment window); returns
        its new content hash."""
        assert case.id is not None  # a stored case has its id
        window = {case.id: case.revision} if case.status == CaseStatus.FINALIZED else {}
        body = search_body(case)
        revision = revision_row(case, parent_hash=parent_hash, reason=reason, actor=actor)
        with amendment_window(self.session, window):
            self._replace(case, body, content_hash=revision["content_hash"])
        rowid = self.session.scalar(select(CaseRow.search_rowid).where(CaseRow.id == case.id))
        self._index(case, rowid=rowid, body=body)
        self.session.connection().execute(insert(RevisionRow), [revision])
        return str(revision["content_hash"])

    def _replace(self, case: Case, body: str, *, content_hash: str) -> None:
        self.session.execute(
            update(CaseRow).where(CaseRow.id == case.id).values(**case_columns(case, content_hash=content_hash),
                                                                 search_text=body)
        )
        for table in (ItemRow, PersonRow, AttachmentRow):
            self.session.execute(delete(table).where(table.case_id == case.id))
        self._insert_children(case)

    def _insert_children(self, case: Case) -> None:
        assert case.id is not None  # a stored case has its id
        for table, rows in (
            (ItemRow, item_rows(case)),
            (PersonRow, person_rows(case)),
            (AttachmentRow, attachment_rows(case)),
        ):
            if rows:
                self.session.connection().execute(insert(table), rows)

    def _write_vectors(self, bodies: list[tuple[str | None, str]]) -> None:
        """PostgreSQL: each case's search_vector (migration 0011) from its body, (case id, body)."""
        if not self.is_sqlite and bodies:
            write_vectors(self.session, bodies)

    def _index(self, case: Case, *, rowid: int | None, body: str) -> None:
        if not self.is_sqlite:
            self._write_vectors([(case.id, body)])
            return
        if rowid is not None:
            self.session.execute(text("DELETE FROM case_fts WHERE rowid = :r"), {"r": rowid})
            self.session.execute(text("INSERT INTO case_fts(rowid, body) VALUES (:r, :b)"), {"r": rowid, "b": body})
            return
        # a DML statement: its result is a CursorResult (Session.execute is typed with the base class)
        result = typing.cast(CursorResult[typing.Any],
                             self.session.execute(text("INSERT INTO case_fts(body) VALUES (:b)"), {"b": body}))
        self.session.execute(update(CaseRow).where(CaseRow.id == case.id).values(search_rowid=result.lastrowid))

    def bulk_insert(self, cases: list[Case]) -> list[tuple[str, str, int, str]]:
        """Many new cases at once (generator, import): Core executemany, one revision each. Returns
        (case id, case number, revision, content hash) per case, for the audit event that records them."""
        if not cases:
            return []
        bodies = [search_body(c) for c in cases]
        revisions = [revision_row(c, parent_hash="", reason="", actor="") for c in cases]
        base = self.session.scalar(text("SELECT coalesce(max(rowid), 0) FROM case_fts")) if self.is_sqlite else None
        self.session.execute(
            insert(CaseRow),
            [
                {
                    "id": c.id,
                    **case_columns(c, content_hash=revision["content_hash"]),  # hashed once, for both rows
                    "search_text": body,
                    "search_rowid": None if base is None else base + n + 1,
                }
                for n, (c, body, revision) in enumerate(zip(cases, bodies, revisions, strict=True))
            ],
        )
        self._write_vectors([(c.id, body) for c, body in zip(cases, bodies, strict=True)])
        if base is not None:
            self.session.execute(
                text("INSERT INTO case_fts(rowid, body) VALUES (:r, :b)"),
                [{"r": base + n + 1, "b": body} for n, body in enumerate(bodies)],
            )
        items, persons, attachments = [], [], []
        for c in cases:
            items += item_rows(c)
            persons += person_rows(c)
            attachments += attachment_rows(c)
        for table, rows in ((ItemRow, items), (PersonRow, persons), (AttachmentRow, attachments), (RevisionRow, revisions)):
            if rows:
                self.session.execute(insert(table), rows)
        return [(c.id or "", c.case_number, c.revision, r["content_hash"]) for c, r in zip(cases, revisions, strict=True)]


class ReferenceRepository:
    """Posts and reference lists."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def posts(self, *, include_inactive: bool = False) -> list[Post]:
        stmt = select(PostRow).order_by(PostRow.country, PostRow.code)
        if not include_inactive:
            stmt = stmt.where(PostRow.active.is_(True))
        return [
            Post(
                code=r.code,
                country=r.country,
                name_uz=r.name_uz,
                name_ru=r.name_ru,
                name_en=r.name_en,
                region=r.region,
                kind=r.kind,
                counterpart=r.counterpart,
                publicly_named_blo=r.publicly_named_blo,
                active=r.active,
            )
            for r in self.session.scalars(stmt)
        ]

    def items(self, kind: str, *, include_inactive: bool = False) -> list[ReferenceItem]:
        stmt = select(ReferenceRow).where(ReferenceRow.kind == kind).order_by(ReferenceRow.sort_order, ReferenceRow.code)
        if not include_inactive:
            stmt = stmt.where(ReferenceRow.active.is_(True))
        return [
            ReferenceItem(
                kind=r.kind,
                code=r.code,
                label_uz=r.label_uz,
                label_ru=r.label_ru,
                label_en=r.label_en,
                sort_order=r.sort_order,
                active=r.active,
            )
            for r in self.session.scalars(stmt)
        ]

    def by_kind(self) -> dict[str, dict[str, ReferenceItem]]:
        """Every entry, inactive ones too (old cases use them), by kind and code: what labels a printout or table.
        One query for all kinds, plain rows (every protocol printed reads it)."""
        found: dict[str, dict[str, ReferenceItem]] = {str(kind): {} for kind in ReferenceKind}
        columns = (ReferenceRow.kind, ReferenceRow.code, ReferenceRow.label_uz, ReferenceRow.label_ru,
                   ReferenceRow.label_en, ReferenceRow.sort_order, ReferenceRow.active)
        rows = self.session.execute(select(*columns).where(ReferenceRow.kind.in_(list(found)))
                                    .order_by(ReferenceRow.kind, ReferenceRow.sort_order, ReferenceRow.code))
        for kind, code, label_uz, label_ru, label_en, sort_order, active in rows:
            found[kind][code] = ReferenceItem(kind=kind, code=code, label_uz=label_uz, label_ru=label_ru,
                                              label_en=label_en, sort_order=sort_order, active=active)
        return found

    def codes(self) -> ReferenceCodes:
        """Every code a case may use, per kind (read on every save: the driver's own cursor in the session's
        transaction, no row objects)."""
        raw = self.session.connection().connection.driver_connection
        assert raw is not None  # the session's connection is open
        cursor = raw.cursor()
        try:
            cursor.execute("SELECT kind, code FROM reference_item")
            by_kind: dict[str, set[str]] = {}
            for kind, code in cursor.fetchall():
                by_kind.setdefault(kind, set()).add(code)
            cursor.execute("SELECT code FROM post")
            posts = frozenset(code for (code,) in cursor.fetchall())
        finally:
            cursor.close()
        return ReferenceCodes(codes={k: frozenset(v) for k, v in by_kind.items()}, posts=posts)

    def seed(self, posts: list[dict], lists: dict[str, list[list[str]]]) -> int:
        """Add the posts and entries that are missing; never overwrite what an admin renamed."""
        added = 0
        known_posts = set(self.session.scalars(select(PostRow.code)))
        for post in posts:
            if post["code"] not in known_posts:
                self.session.add(PostRow(**post))
                added += 1
        known = {(kind, code) for kind, code in self.session.execute(select(ReferenceRow.kind, ReferenceRow.code))}
        for kind, entries in lists.items():
            for order, (code, uz, ru, en) in enumerate(entries):
                if (kind, code) not in known:
                    self.session.add(
                        ReferenceRow(kind=kind, code=code, label_uz=uz, label_ru=ru, label_en=en, sort_order=order)
                    )
                    added += 1
        self.session.flush()
        return added

    def upsert_item(self, item: ReferenceItem) -> ReferenceItem:
        """Add an entry at the end of its list, or give a known one new labels (active again); its order is kept."""
        row = self.session.get(ReferenceRow, (item.kind, item.code))
        if row is None:
            last = self.session.scalar(select(func.max(ReferenceRow.sort_order)).where(ReferenceRow.kind == item.kind))
            row = ReferenceRow(kind=item.kind, code=item.code, sort_order=(last if last is not None else -1) + 1)
            self.session.add(row)
        row.label_uz, row.label_ru, row.label_en, row.active = item.label_uz, item.label_ru, item.label_en, True
        self.session.flush()
        return ReferenceItem(kind=row.kind, code=row.code, label_uz=row.label_uz, label_ru=row.label_ru,
                             label_en=row.label_en, sort_order=row.sort_order, active=row.active)

    def upsert_post(self, post: Post) -> None:
        row = self.session.get(PostRow, post.code)
        values = {
            "country": post.country,
            "name_uz": post.name_uz,
            "name_ru": post.name_ru,
            "name_en": post.name_en,
            "region": post.region,
            "kind": post.kind,
            "counterpart": post.counterpart,
            "publicly_named_blo": post.publicly_named_blo,
            "active": post.active,
        }
        if row is None:
            self.session.add(PostRow(code=post.code, **values))
        else:
            for key, value in values.items():
                setattr(row, key, value)
        self.session.flush()


class SettingsRepository:
    """Small key/value settings kept in the store (this install's post, last bundle sequence, ...)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, key: str, default: str | None = None) -> str | None:
        row = self.session.get(SettingRow, key)
        return default if row is None else row.value

    def set(self, key: str, value: str) -> None:
        row = self.session.get(SettingRow, key)
        if row is None:
            self.session.add(SettingRow(key=key, value=value))
        else:
            row.value = value
        self.session.flush()

