"""Queries and writes that take a Session and speak in domain dataclasses, never ORM rows."""

from __future__ import annotations

import typing
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Float,
    Select,
    and_,
    cast,
    delete,
    exists,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session, selectinload

from blo_desk.domain.entities import (
    DEFAULT_TIMEZONE,
    Case,
    CaseQuery,
    CaseSummary,
    Page,
    Post,
    ReferenceItem,
    Revision,
)
from blo_desk.domain.enums import CaseStatus
from blo_desk.domain.errors import NotFoundError
from blo_desk.domain.rules import ReferenceCodes
from blo_desk.domain.search_text import latin_key, tokens
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
from blo_desk.storage.substances import substance_index

SORT_COLUMNS = {
    "occurred_at": CaseRow.occurred_at,
    "case_number": CaseRow.case_number,
    "post_code": CaseRow.post_code,
    "status": CaseRow.status,
    "total_value": cast(CaseRow.total_value, Float),  # kept as exact text; sorted as a number
}
def word_options(word: str) -> list[str]:
    """What a typed (normalized) word may match: itself, its Latin key, and, when it names a substance in any
    inflection or synonym ("героина", "nasha"), the substance's English name, which every case with it holds."""
    substances = substance_index()
    options = dict.fromkeys([word, latin_key(word)])
    for code in substances.codes_in(word):
        found = substances.get(code)
        if found is not None:
            options.setdefault(" ".join(tokens(found.name_en)), None)
    return [option for option in options if option]


def fts_query(text_query: str) -> str:
    """A safe FTS5 MATCH expression: every typed word must appear as a prefix, in either script, or as the
    substance it names (word_options)."""
    terms = []
    for tok in tokens(text_query):
        quoted = [f'"{option}"*' for option in word_options(tok)]
        terms.append(quoted[0] if len(quoted) == 1 else f"({' OR '.join(quoted)})")
    return " AND ".join(terms)


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

    def _filtered(self, stmt: Select, query: CaseQuery) -> Select:
        conditions: list[ColumnElement[bool]] = []
        if query.statuses:
            conditions.append(CaseRow.status.in_([str(s) for s in query.statuses]))
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
            conditions.append(self._text_condition(query.text))
        return stmt.where(*conditions) if conditions else stmt

    def _text_condition(self, text_query: str):
        words = tokens(text_query)
        if not words:
            return text("1=1")
        if self.is_sqlite:
            return text(
                "seizure_case.search_rowid IN (SELECT rowid FROM case_fts WHERE case_fts MATCH :fts)"
            ).bindparams(fts=fts_query(text_query))
        return and_(*[or_(*[CaseRow.search_text.contains(option, autoescape=True) for option in word_options(word)])
                      for word in words])

    def _substances_of_case(self):
        """The substance codes of a case's items, comma-joined (the list names them in the UI language)."""
        joined = (func.group_concat(ItemRow.substance, ",") if self.is_sqlite
                  else func.string_agg(ItemRow.substance, ","))
        return (select(joined).where(ItemRow.case_id == CaseRow.id, ItemRow.substance != "")
                .correlate(CaseRow).scalar_subquery().label("substances"))

    def page(self, query: CaseQuery) -> Page:
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
            self._substances_of_case(),
        )
        sort_column = SORT_COLUMNS.get(query.sort_by, CaseRow.occurred_at)
        order = (sort_column.desc(), CaseRow.id.desc()) if query.descending else (sort_column.asc(), CaseRow.id.asc())
        stmt = self._filtered(select(*columns), query).order_by(*order).offset(query.offset).limit(query.limit)
        rows = tuple(
            CaseSummary(
                id=r.id,
                case_number=r.case_number,
                post_code=r.post_code,
                occurred_at=r.occurred_at,
                timezone=r.timezone,
                status=CaseStatus(r.status),
                revision=r.revision,
                categories=tuple(c for c in r.categories.split(",") if c),
                items_summary=r.items_summary,
                persons_summary=r.persons_summary,
                total_value=r.total_value,
                currency=r.currency,
                substances=tuple(dict.fromkeys(c for c in (r.substances or "").split(",") if c)),
            )
            for r in self.session.execute(stmt)
        )
        total = self.session.scalar(self._filtered(select(func.count()).select_from(CaseRow), query))
        return Page(rows=rows, total=int(total or 0), offset=query.offset)

    def history(self, case_id: str) -> list[Revision]:
        rows = self.session.scalars(
            select(RevisionRow).where(RevisionRow.case_id == case_id).order_by(RevisionRow.revision)
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
            )
            for r in rows
        ]

    def revision_hash(self, case_id: str, revision: int) -> str | None:
        return self.session.scalar(
            select(RevisionRow.content_hash).where(RevisionRow.case_id == case_id, RevisionRow.revision == revision)
        )

    # --- writes ------------------------------------------------------------------------------
    def next_case_number(self, post_code: str, year: int) -> str:
        counter = self.session.get(CaseCounterRow, (post_code, year))
        if counter is None:
            counter = CaseCounterRow(post_code=post_code, year=year, last_number=0)
            self.session.add(counter)
        counter.last_number += 1
        self.session.flush()
        return f"{post_code}-{year}-{counter.last_number:05d}"

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

    def insert(self, case: Case, *, parent_hash: str = "", reason: str = "", actor: str = "") -> None:
        body = search_body(case)
        rowid = None
        if self.is_sqlite:  # the index entry first, so the case row is written once, with its rowid
            result = typing.cast(CursorResult[typing.Any],
                                 self.session.execute(text("INSERT INTO case_fts(body) VALUES (:b)"), {"b": body}))
            rowid = result.lastrowid
        revision = revision_row(case, parent_hash=parent_hash, reason=reason, actor=actor)
        columns = case_columns(case, content_hash=revision["content_hash"])  # hashed once, for both rows
        self.session.execute(insert(CaseRow), [{"id": case.id, **columns, "search_text": body, "search_rowid": rowid}])
        self._insert_children(case)
        self.session.execute(insert(RevisionRow), [revision])

    def replace(self, case: Case, *, parent_hash: str, reason: str = "", actor: str = "") -> None:
        """Overwrite the stored case; a finalized one (finalize, amend) goes through an amendment window."""
        assert case.id is not None  # a stored case has its id
        window = {case.id: case.revision} if case.status == CaseStatus.FINALIZED else {}
        body = search_body(case)
        revision = revision_row(case, parent_hash=parent_hash, reason=reason, actor=actor)
        with amendment_window(self.session, window):
            self._replace(case, body, content_hash=revision["content_hash"])
        rowid = self.session.scalar(select(CaseRow.search_rowid).where(CaseRow.id == case.id))
        self._index(case, rowid=rowid, body=body)
        self.session.execute(insert(RevisionRow), [revision])

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
                self.session.execute(insert(table), rows)

    def _index(self, case: Case, *, rowid: int | None, body: str) -> None:
        if not self.is_sqlite:
            return
        if rowid is not None:
            self.session.execute(text("DELETE FROM case_fts WHERE rowid = :r"), {"r": rowid})
            self.session.execute(text("INSERT INTO case_fts(rowid, body) VALUES (:r, :b)"), {"r": rowid, "b": body})
            return
        # a DML statement: its result is a CursorResult (Session.execute is typed with the base class)
        result = typing.cast(CursorResult[typing.Any],
                             self.session.execute(text("INSERT INTO case_fts(body) VALUES (:b)"), {"b": body}))
        self.session.execute(update(CaseRow).where(CaseRow.id == case.id).values(search_rowid=result.lastrowid))

    def bulk_insert(self, cases: list[Case]) -> None:
        """Many new cases at once (generator, import): Core executemany, one revision each."""
        if not cases:
            return
        bodies = [search_body(c) for c in cases]
        base = self.session.scalar(text("SELECT coalesce(max(rowid), 0) FROM case_fts")) if self.is_sqlite else None
        self.session.execute(
            insert(CaseRow),
            [
                {
                    "id": c.id,
                    **case_columns(c),
                    "search_text": body,
                    "search_rowid": None if base is None else base + n + 1,
                }
                for n, (c, body) in enumerate(zip(cases, bodies, strict=True))
            ],
        )
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
        revisions = [revision_row(c, parent_hash="", reason="", actor="") for c in cases]
        for table, rows in ((ItemRow, items), (PersonRow, persons), (AttachmentRow, attachments), (RevisionRow, revisions)):
            if rows:
                self.session.execute(insert(table), rows)


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

    def codes(self) -> ReferenceCodes:
        """Every code a case may use, per kind (read on every save: plain driver rows, no ORM row handling)."""
        connection = self.session.connection()
        by_kind: dict[str, set[str]] = {}
        for kind, code in connection.exec_driver_sql("SELECT kind, code FROM reference_item"):
            by_kind.setdefault(kind, set()).add(code)
        posts = frozenset(code for (code,) in connection.exec_driver_sql("SELECT code FROM post"))
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

