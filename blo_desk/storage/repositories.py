"""Queries and writes that take a Session and speak in domain dataclasses, never ORM rows."""

from __future__ import annotations

import re
import typing
from datetime import datetime, time, timedelta
from operator import itemgetter
from decimal import Decimal
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

from blo_desk.domain.canonical import canonical_json, revision_record
from blo_desk.domain.canonical import content_hash as content_hash_of
from blo_desk.domain.entities import (
    DEFAULT_TIMEZONE,
    Attachment,
    Case,
    CaseQuery,
    CaseSummary,
    Page,
    Person,
    Post,
    ReferenceItem,
    Revision,
    SeizedItem,
)
from blo_desk.domain.enums import CaseStatus, Direction, PersonRole, Sex
from blo_desk.domain.errors import NotFoundError
from blo_desk.domain.rules import ReferenceCodes
from blo_desk.domain.search_text import index_text, latin_key, tokens
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

SORT_COLUMNS = {
    "occurred_at": CaseRow.occurred_at,
    "case_number": CaseRow.case_number,
    "post_code": CaseRow.post_code,
    "status": CaseRow.status,
    "total_value": cast(CaseRow.total_value, Float),  # kept as exact text; sorted as a number
}
_COMPACT_RE = re.compile(r"[\W_]+", re.UNICODE)


def _search_parts(parts: list[str], items, persons) -> str:
    """The one recipe of the search text: `parts` holds the case's number, plate, concealment details,
    narrative, legal basis and procedure; then (description, brand, seals) per item and (full name, document
    number, address) per person follow. Plates and document numbers also go in without spaces."""
    parts.insert(2, _COMPACT_RE.sub("", parts[1]))
    for item in items:
        parts += item
    for full_name, document_number, address in persons:
        parts += (full_name, document_number, _COMPACT_RE.sub("", document_number), address)
    return index_text(" ".join([p for p in parts if p]))


def search_body(case: Case) -> str:
    """Everything searchable in a case, normalized; plates and document numbers also without spaces."""
    return _search_parts(
        [case.case_number, case.conveyance_registration, case.concealment_details, case.narrative,
         case.legal_basis, case.procedure],
        [(i.description, i.brand, i.seals) for i in case.items],
        [(p.full_name, p.document_number, p.address) for p in case.persons],
    )


_CONTENT_PARTS = itemgetter("case_number", "conveyance_registration", "concealment_details", "narrative",
                            "legal_basis", "procedure")
_ITEM_PARTS = itemgetter("description", "brand", "seals")
_PERSON_PARTS = itemgetter("full_name", "document_number", "address")


def content_search_body(content: dict) -> str:
    """search_body of the case whose content (canonical.content_dict form) is given, without building it."""
    return _search_parts(list(_CONTENT_PARTS(content)), map(_ITEM_PARTS, content["items"]),
                         map(_PERSON_PARTS, content["persons"]))


def fts_query(text_query: str) -> str:
    """A safe FTS5 MATCH expression: every typed word must appear as a prefix, in either script."""
    terms = []
    for tok in tokens(text_query):
        key = latin_key(tok)
        terms.append(f'"{tok}"*' if key == tok else f'("{tok}"* OR "{key}"*)')
    return " AND ".join(terms)


_LISTED_ROLES = (str(PersonRole.SUSPECT), str(PersonRole.OWNER))


def _summary(items: list[tuple[str, str, Decimal | None, str]], persons: list[tuple[str, str]]) -> dict:
    """The list's denormalized columns from (category, description, value, currency) per item and
    (role, full name) per person."""
    categories = sorted({category for category, _d, _v, _c in items if category})
    descriptions = [description for _c, description, _v, _cur in items if description]
    names = [name for role, name in persons if role in _LISTED_ROLES and name]
    currency = next((cur for _c, _d, value, cur in items if value is not None), "UZS")
    values = [value for _c, _d, value, cur in items if value is not None and cur == currency]
    return {
        "categories": ",".join(categories),
        "items_summary": "; ".join(descriptions[:3])[:500],
        "persons_summary": "; ".join(names[:3])[:500],
        "total_value": sum(values, Decimal(0)) if values else None,
        "currency": currency,
    }


def summary_fields(case: Case) -> dict:
    return _summary([(i.category, i.description, i.value, i.currency) for i in case.items],
                    [(str(p.role), p.full_name) for p in case.persons])


def content_summary_fields(content: dict) -> dict:
    """summary_fields of the case whose content (canonical.content_dict form) is given."""
    return _summary([(i["category"], i["description"], None if i["value"] is None else Decimal(i["value"]),
                      i["currency"]) for i in content["items"]],
                    [(p["role"], p["full_name"]) for p in content["persons"]])


def case_columns(case: Case, *, content_hash: str | None = None) -> dict:
    """The stored columns of a case (all but id and the search text); its content hash is computed unless the
    caller already checked it."""
    return {
        "case_number": case.case_number,
        "post_code": case.post_code,
        "occurred_at": case.occurred_at,
        "timezone": case.timezone,
        "direction": str(case.direction),
        "agency": case.agency,
        "procedure": case.procedure,
        "detection_method": case.detection_method,
        "conveyance_type": case.conveyance_type,
        "conveyance_registration": case.conveyance_registration,
        "origin_country": case.origin_country,
        "destination_country": case.destination_country,
        "concealment_method": case.concealment_method,
        "concealment_details": case.concealment_details,
        "narrative": case.narrative,
        "legal_basis": case.legal_basis,
        "status": str(case.status),
        "revision": case.revision,
        "content_hash": content_hash if content_hash is not None else content_hash_of(case),
        "created_at": case.created_at,
        "updated_at": case.updated_at,
        "finalized_at": case.finalized_at,
        **summary_fields(case),
    }


def _item_dicts(case_id: str, case: Case) -> list[dict]:
    return [
        {
            "case_id": case_id,
            "position": n,
            "category": i.category,
            "description": i.description,
            "brand": i.brand,
            "quantity": i.quantity,
            "unit": i.unit,
            "packages": i.packages,
            "value": i.value,
            "currency": i.currency,
            "seals": i.seals,
        }
        for n, i in enumerate(case.items)
    ]


def _person_dicts(case_id: str, case: Case) -> list[dict]:
    return [
        {
            "case_id": case_id,
            "position": n,
            "role": str(p.role),
            "full_name": p.full_name,
            "birth_date": p.birth_date,
            "sex": str(p.sex) if p.sex else None,
            "nationality": p.nationality,
            "document_type": p.document_type,
            "document_number": p.document_number,
            "address": p.address,
        }
        for n, p in enumerate(case.persons)
    ]


def _attachment_dicts(case_id: str, case: Case) -> list[dict]:
    return [
        {
            "case_id": case_id,
            "position": n,
            "sha256": a.sha256,
            "filename": a.filename,
            "media_type": a.media_type,
            "size": a.size,
            "caption": a.caption,
        }
        for n, a in enumerate(case.attachments)
    ]


def _revision_dict(case: Case, *, parent_hash: str, reason: str, actor: str) -> dict:
    record = revision_record(case, parent_hash=parent_hash, reason=reason, actor=actor)
    return {
        "case_id": case.id,
        "revision": case.revision,
        "content_hash": record["content_hash"],
        "parent_hash": parent_hash,
        "status": str(case.status),
        "reason": reason,
        "actor": actor,
        "saved_at": case.updated_at,
        "record": canonical_json(record).decode("utf-8"),
    }


def case_from_row(row: CaseRow) -> Case:
    return Case(
        id=row.id,
        case_number=row.case_number,
        post_code=row.post_code,
        occurred_at=row.occurred_at,
        timezone=row.timezone,
        direction=Direction(row.direction),
        agency=row.agency,
        procedure=row.procedure,
        detection_method=row.detection_method,
        conveyance_type=row.conveyance_type,
        conveyance_registration=row.conveyance_registration,
        origin_country=row.origin_country,
        destination_country=row.destination_country,
        concealment_method=row.concealment_method,
        concealment_details=row.concealment_details,
        narrative=row.narrative,
        legal_basis=row.legal_basis,
        status=CaseStatus(row.status),
        revision=row.revision,
        created_at=row.created_at,
        updated_at=row.updated_at,
        finalized_at=row.finalized_at,
        items=tuple(
            SeizedItem(
                category=i.category,
                description=i.description,
                brand=i.brand,
                quantity=i.quantity,
                unit=i.unit,
                packages=i.packages,
                value=i.value,
                currency=i.currency,
                seals=i.seals,
            )
            for i in row.items
        ),
        persons=tuple(
            Person(
                role=PersonRole(p.role),
                full_name=p.full_name,
                birth_date=p.birth_date,
                sex=Sex(p.sex) if p.sex else None,
                nationality=p.nationality,
                document_type=p.document_type,
                document_number=p.document_number,
                address=p.address,
            )
            for p in row.persons
        ),
        attachments=tuple(
            Attachment(sha256=a.sha256, filename=a.filename, media_type=a.media_type, size=a.size, caption=a.caption)
            for a in row.attachments
        ),
    )


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
        return and_(
            *[
                or_(CaseRow.search_text.contains(word, autoescape=True),
                    CaseRow.search_text.contains(latin_key(word), autoescape=True))
                for word in words
            ]
        )

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
        self.session.execute(insert(CaseRow), [{"id": case.id, **case_columns(case), "search_text": search_body(case)}])
        self._insert_children(case)
        self._index(case, rowid=None)
        self._add_revision(case, parent_hash=parent_hash, reason=reason, actor=actor)

    def replace(self, case: Case, *, parent_hash: str, reason: str = "", actor: str = "") -> None:
        """Overwrite the stored case; a finalized one (finalize, amend) goes through an amendment window."""
        assert case.id is not None  # a stored case has its id
        window = {case.id: case.revision} if case.status == CaseStatus.FINALIZED else {}
        body = search_body(case)
        with amendment_window(self.session, window):
            self._replace(case, body)
        rowid = self.session.scalar(select(CaseRow.search_rowid).where(CaseRow.id == case.id))
        self._index(case, rowid=rowid, body=body)
        self._add_revision(case, parent_hash=parent_hash, reason=reason, actor=actor)

    def _replace(self, case: Case, body: str) -> None:
        self.session.execute(
            update(CaseRow).where(CaseRow.id == case.id).values(**case_columns(case), search_text=body)
        )
        for table in (ItemRow, PersonRow, AttachmentRow):
            self.session.execute(delete(table).where(table.case_id == case.id))
        self._insert_children(case)

    def _insert_children(self, case: Case) -> None:
        assert case.id is not None  # a stored case has its id
        for table, rows in (
            (ItemRow, _item_dicts(case.id, case)),
            (PersonRow, _person_dicts(case.id, case)),
            (AttachmentRow, _attachment_dicts(case.id, case)),
        ):
            if rows:
                self.session.execute(insert(table), rows)

    def _index(self, case: Case, *, rowid: int | None, body: str | None = None) -> None:
        if not self.is_sqlite:
            return
        body = body if body is not None else search_body(case)
        if rowid is not None:
            self.session.execute(text("DELETE FROM case_fts WHERE rowid = :r"), {"r": rowid})
            self.session.execute(text("INSERT INTO case_fts(rowid, body) VALUES (:r, :b)"), {"r": rowid, "b": body})
            return
        # a DML statement: its result is a CursorResult (Session.execute is typed with the base class)
        result = typing.cast(CursorResult[typing.Any],
                             self.session.execute(text("INSERT INTO case_fts(body) VALUES (:b)"), {"b": body}))
        self.session.execute(update(CaseRow).where(CaseRow.id == case.id).values(search_rowid=result.lastrowid))

    def _add_revision(self, case: Case, *, parent_hash: str, reason: str, actor: str) -> None:
        self.session.execute(insert(RevisionRow), [_revision_dict(case, parent_hash=parent_hash, reason=reason, actor=actor)])

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
                for n, (c, body) in enumerate(zip(cases, bodies))
            ],
        )
        if base is not None:
            self.session.execute(
                text("INSERT INTO case_fts(rowid, body) VALUES (:r, :b)"),
                [{"r": base + n + 1, "b": body} for n, body in enumerate(bodies)],
            )
        items, persons, attachments = [], [], []
        for c in cases:
            assert c.id is not None  # new cases come with their ids
            items += _item_dicts(c.id, c)
            persons += _person_dicts(c.id, c)
            attachments += _attachment_dicts(c.id, c)
        revisions = [_revision_dict(c, parent_hash="", reason="", actor="") for c in cases]
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
        by_kind: dict[str, set[str]] = {}
        for kind, code in self.session.execute(select(ReferenceRow.kind, ReferenceRow.code)):
            by_kind.setdefault(kind, set()).add(code)
        posts = frozenset(self.session.scalars(select(PostRow.code)))
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

