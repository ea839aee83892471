"""Rows of the counterpart channel to and from domain values: pairings, messages, shared records."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import and_, false, or_, select, text
from sqlalchemy.orm import Session

from blo_desk.domain.canonical import timestamp_text
from blo_desk.domain.search_text import tokens
from blo_desk.domain.sharing import (
    Counterpart,
    CounterpartCard,
    LinkRelation,
    MessageKind,
    SharedLink,
    SharedRecord,
    ShareMessage,
)
from blo_desk.storage.case_rows import shared_search_body
from blo_desk.storage.models import CaseRow
from blo_desk.storage.models_share import (
    CounterpartRow,
    HqShareEventRow,
    SharedLinkRow,
    SharedRecordRow,
    ShareMessageRow,
)
from blo_desk.storage.search_query import fts_query, word_options


def _card_json(card: CounterpartCard) -> str:
    return json.dumps({"post": card.post_code, "names": card.names, "public_key": card.public_key,
                       "key_id": card.key_id, "age_recipient": card.age_recipient,
                       "languages": list(card.languages)}, sort_keys=True, ensure_ascii=False)


def _card(text: str) -> CounterpartCard:
    data = json.loads(text)
    return CounterpartCard(post_code=data["post"], names=data["names"], public_key=data["public_key"],
                           key_id=data["key_id"], age_recipient=data["age_recipient"],
                           languages=tuple(data["languages"]))


def _counterpart(row: CounterpartRow) -> Counterpart:
    return Counterpart(card=_card(row.card_json), fingerprint=row.fingerprint, added_at=row.added_at,
                       added_by=row.added_by, revoked_at=row.revoked_at)


def _message(row: ShareMessageRow) -> ShareMessage:
    return ShareMessage(id=row.id, kind=MessageKind(row.kind), outgoing=row.outgoing, peer=row.peer,
                        created_at=row.created_at, profile=row.profile, reason=row.reason,
                        legal_basis=row.legal_basis, about=row.about, text=row.text, due=row.due, sha256=row.sha256,
                        references=tuple(json.loads(row.refs or "[]")), answered_at=row.answered_at,
                        photos=row.photos or 0)


def _record(row: SharedRecordRow, legal_basis: str | None = "", reason: str | None = "") -> SharedRecord:
    return SharedRecord(id=row.id, message_id=row.message_id, sender=row.sender, profile=row.profile,
                        reference=row.reference, shared_at=row.shared_at, received_at=row.received_at,
                        content=json.loads(row.content), legal_basis=legal_basis or "", reason=reason or "")


#: A shared record with what its share message stated: the legal basis and the reason of an operational share.
_RECORD_WITH_GROUNDS = (select(SharedRecordRow, ShareMessageRow.legal_basis, ShareMessageRow.reason)
                        .outerjoin(ShareMessageRow, ShareMessageRow.id == SharedRecordRow.message_id))


class ShareRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    # --- pairings ---------------------------------------------------------------------------------------
    def counterpart(self, post_code: str) -> Counterpart | None:
        row = self.session.get(CounterpartRow, post_code)
        return None if row is None else _counterpart(row)

    def counterparts(self) -> list[Counterpart]:
        rows = self.session.scalars(select(CounterpartRow).order_by(CounterpartRow.post_code))
        return [_counterpart(row) for row in rows]

    def pair(self, card: CounterpartCard, *, fingerprint: str, at: datetime, by: str) -> None:
        """Pair with the post of `card` (a pairing revoked before is replaced by this one)."""
        row = self.session.get(CounterpartRow, card.post_code)
        if row is None:
            row = CounterpartRow(post_code=card.post_code)
            self.session.add(row)
        row.card_json, row.fingerprint, row.added_at, row.added_by = _card_json(card), fingerprint, at, by
        row.revoked_at, row.revoked_by = None, ""
        self.session.flush()

    def revoke(self, post_code: str, *, at: datetime, by: str) -> bool:
        row = self.session.get(CounterpartRow, post_code)
        if row is None or row.revoked_at is not None:
            return False
        row.revoked_at, row.revoked_by = at, by
        self.session.flush()
        return True

    # --- messages ---------------------------------------------------------------------------------------
    def message(self, message_id: str) -> ShareMessage | None:
        row = self.session.get(ShareMessageRow, message_id)
        return None if row is None else _message(row)

    def message_row(self, message_id: str) -> ShareMessageRow | None:
        return self.session.get(ShareMessageRow, message_id)

    def find_message(self, prefix: str) -> ShareMessage | None:
        """A message by its id or a unique prefix of it (8 characters are usually enough to type)."""
        rows = list(self.session.scalars(select(ShareMessageRow).where(ShareMessageRow.id.startswith(prefix))
                                         .limit(2)))
        return _message(rows[0]) if len(rows) == 1 else None

    def add_message(self, message: ShareMessage, *, received_at: datetime | None, actor: str) -> None:
        self.session.add(ShareMessageRow(
            id=message.id, kind=str(message.kind), outgoing=message.outgoing, peer=message.peer,
            created_at=message.created_at, received_at=received_at, actor=actor, profile=message.profile,
            reason=message.reason, legal_basis=message.legal_basis, about=message.about, text=message.text,
            due=message.due, sha256=message.sha256, refs=json.dumps(list(message.references)), photos=message.photos,
            answered_at=None, answer_id=""))
        self.session.flush()

    def mark_answered(self, request_id: str, *, answer_id: str, at: datetime) -> bool:
        row = self.session.get(ShareMessageRow, request_id)
        if row is None or row.kind != MessageKind.REQUEST:
            return False
        row.answered_at, row.answer_id = at, answer_id
        self.session.flush()
        return True

    def messages(self, *, kind: MessageKind | None = None, peer: str | None = None) -> list[ShareMessage]:
        query = select(ShareMessageRow).order_by(ShareMessageRow.created_at, ShareMessageRow.id)
        if kind is not None:
            query = query.where(ShareMessageRow.kind == str(kind))
        if peer is not None:
            query = query.where(ShareMessageRow.peer == peer)
        return [_message(row) for row in self.session.scalars(query)]

    def answer_of(self, request_id: str) -> ShareMessage | None:
        row = self.session.get(ShareMessageRow, request_id)
        if row is None or not row.answer_id:
            return None
        return self.message(row.answer_id)

    # --- shared records ---------------------------------------------------------------------------------
    def add_record(self, record: SharedRecord, *, content_json: str) -> None:
        """Keep a received record and index it for search (the same body recipe as a case's)."""
        body = shared_search_body(record.content, sender=record.sender, reference=record.reference)
        self.session.add(SharedRecordRow(
            id=record.id, message_id=record.message_id, sender=record.sender, profile=record.profile,
            reference=record.reference, shared_at=record.shared_at, received_at=record.received_at,
            content=content_json, search_text=body))
        self.session.flush()
        if self._sqlite:
            self.session.execute(text("INSERT INTO shared_fts(body, record_id) VALUES (:b, :i)"),
                                 {"b": body, "i": record.id})

    @property
    def _sqlite(self) -> bool:
        return self.session.get_bind().dialect.name == "sqlite"

    def record(self, record_id: str) -> SharedRecord | None:
        """A shared record by its id, or by the start of its id when only one record's id starts so."""
        found = self.session.execute(_RECORD_WITH_GROUNDS.where(SharedRecordRow.id == record_id)).first()
        if found is None:
            rows = list(self.session.execute(_RECORD_WITH_GROUNDS.where(SharedRecordRow.id.startswith(record_id))
                                             .limit(2)))
            found = rows[0] if len(rows) == 1 else None
        return None if found is None else _record(*found)

    def _matching(self, typed: str):
        """The condition finding records by what was typed, by the rules of the case search (search_query): each
        word a prefix, in its own script or its Latin key, or the substance it names. SQLite asks the FTS5 index
        (migration 0017); elsewhere (no share is ever held at HQ) the stored body is scanned."""
        if not tokens(typed):
            return None
        if self._sqlite:
            return text("shared_record.id IN (SELECT record_id FROM shared_fts WHERE shared_fts MATCH :fts)"
                        ).bindparams(fts=fts_query(typed))
        words = []
        for word in tokens(typed):
            options = [o for o in word_options(word) if o]
            words.append(or_(*(or_(SharedRecordRow.search_text.like(f"{o}%"), SharedRecordRow.search_text.like(
                f"% {o}%")) for o in options)) if options else false())
        return and_(*words)

    def records(self, *, text: str = "", limit: int | None = None) -> list[SharedRecord]:
        """The records shared with this post, newest first; those matching `text` when given (at most `limit`)."""
        query = _RECORD_WITH_GROUNDS.order_by(SharedRecordRow.received_at.desc(), SharedRecordRow.id)
        condition = self._matching(text)
        if condition is not None:
            query = query.where(condition)
        if limit is not None:
            query = query.limit(limit)
        return [_record(*found) for found in self.session.execute(query)]

    # --- links to local cases ---------------------------------------------------------------------------
    def link(self, *, record_id: str, case_id: str, relation: LinkRelation, at: datetime, by: str) -> bool:
        """Link (or re-label the link of) a local case to a shared record; False when it was already so."""
        row = self.session.get(SharedLinkRow, (record_id, case_id))
        if row is not None and row.relation == str(relation):
            return False
        if row is None:
            row = SharedLinkRow(record_id=record_id, case_id=case_id)
            self.session.add(row)
        row.relation, row.linked_at, row.linked_by = str(relation), at, by
        self.session.flush()
        return True

    def unlink(self, *, record_id: str, case_id: str) -> SharedLink | None:
        """Remove the link of a local case to a shared record; the link as it was, None when there was none."""
        found = next(iter(self.links(record_id=record_id, case_id=case_id)), None)
        row = self.session.get(SharedLinkRow, (record_id, case_id))
        if row is not None:
            self.session.delete(row)
            self.session.flush()
        return found

    def links(self, *, record_id: str | None = None, case_id: str | None = None) -> list[SharedLink]:
        query = (select(SharedLinkRow, CaseRow.case_number).join(CaseRow, CaseRow.id == SharedLinkRow.case_id)
                 .order_by(SharedLinkRow.linked_at))
        if record_id is not None:
            query = query.where(SharedLinkRow.record_id == record_id)
        if case_id is not None:
            query = query.where(SharedLinkRow.case_id == case_id)
        return [SharedLink(record_id=row.record_id, case_id=row.case_id, case_number=number,
                           relation=LinkRelation(row.relation), linked_at=row.linked_at, linked_by=row.linked_by)
                for row, number in self.session.execute(query)]

    # --- what the bundles tell HQ -----------------------------------------------------------------------
    def unreported_events(self, *, limit: int = 1000) -> list[dict]:
        """The messages no bundle told HQ of yet, as manifest share events (oldest first, at most `limit`)."""
        rows = self.session.scalars(select(ShareMessageRow).where(ShareMessageRow.reported_in.is_(None))
                                    .order_by(ShareMessageRow.created_at, ShareMessageRow.id).limit(limit))
        events = []
        for row in rows:
            references = json.loads(row.refs or "[]")
            events.append({"id": row.id, "kind": row.kind, "direction": "sent" if row.outgoing else "received",
                           "peer": row.peer, "profile": row.profile, "at": timestamp_text(row.created_at),
                           "sha256": row.sha256, "cases": len(references), "photos": row.photos or 0,
                           "about": row.about if row.kind == MessageKind.ANSWER else "",
                           "due": row.due.isoformat() if row.due else "",
                           # which cases, so that HQ counts a case shared twice once (numbers HQ holds already)
                           **({"references": references} if references else {})})
        return events

    def mark_reported(self, ids: list[str], *, sequence: int) -> None:
        for message_id in ids:
            row = self.session.get(ShareMessageRow, message_id)
            if row is not None and row.reported_in is None:
                row.reported_in = sequence
        self.session.flush()

    def add_hq_events(self, *, reporter: str, sequence: int, events: tuple[dict, ...]) -> None:
        """At HQ: what a post's bundle reported (a bundle is imported once; a repeated event is kept once)."""
        for event in events:
            if self.session.get(HqShareEventRow, (reporter, event["id"])) is None:
                fields = {k: v for k, v in event.items() if k != "references"}
                refs = json.dumps(list(event["references"])) if "references" in event else None
                self.session.add(HqShareEventRow(reporter=reporter, sequence=sequence, refs=refs, **fields))
        self.session.flush()

    def hq_events(self) -> list[dict]:
        columns = [c for c in HqShareEventRow.__table__.columns]
        found = [dict(zip([c.name for c in columns], row, strict=True))
                 for row in self.session.execute(select(*columns).order_by(HqShareEventRow.at, HqShareEventRow.id))]
        for event in found:
            refs = event.pop("refs")
            event["references"] = tuple(json.loads(refs)) if refs else None  # None: the bundle did not say
        return found
