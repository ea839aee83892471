"""Tables of the counterpart channel: paired posts, messages sent and received, and records shared with us."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from blo_desk.storage.base import Base, UtcDateTime


class CounterpartRow(Base):
    """A post paired with this one: its card (both public keys) as confirmed by telephone; revocable."""

    __tablename__ = "share_counterpart"

    post_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    card_json: Mapped[str] = mapped_column(Text)
    fingerprint: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    added_by: Mapped[str] = mapped_column(String(64))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    revoked_by: Mapped[str] = mapped_column(String(64), default="")


class ShareMessageRow(Base):
    """A share, request or answer this post sent (outgoing) or received; its id is what the sender signed."""

    __tablename__ = "share_message"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    outgoing: Mapped[bool] = mapped_column(Boolean)
    peer: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    actor: Mapped[str] = mapped_column(String(64), default="")
    profile: Mapped[str] = mapped_column(String(32), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(Text, default="")
    about: Mapped[str] = mapped_column(String(64), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    due: Mapped[date | None] = mapped_column(Date, nullable=True)
    sha256: Mapped[str] = mapped_column(String(64), default="")
    refs: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of the case numbers a share carried
    photos: Mapped[int] = mapped_column(Integer, default=0)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    answer_id: Mapped[str] = mapped_column(String(32), default="")
    reported_in: Mapped[int | None] = mapped_column(Integer, nullable=True)  # the bundle that told HQ of it


class SharedRecordRow(Base):
    """A case a counterpart shared with this post: the redacted content as received, read-only."""

    __tablename__ = "shared_record"
    __table_args__ = (Index("ix_shared_record_sender_ref", "sender", "reference"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    message_id: Mapped[str] = mapped_column(ForeignKey("share_message.id"), index=True)
    sender: Mapped[str] = mapped_column(String(16))
    profile: Mapped[str] = mapped_column(String(32))
    reference: Mapped[str] = mapped_column(String(64))
    shared_at: Mapped[datetime] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    content: Mapped[str] = mapped_column(Text)  # canonical JSON of the redacted content
    search_text: Mapped[str] = mapped_column(Text, default="")  # lower-cased words of the content, for search


class SharedLinkRow(Base):
    """A local case linked to a shared record ("same vehicle", "same consignment"): who linked them and when."""

    __tablename__ = "shared_link"

    record_id: Mapped[str] = mapped_column(ForeignKey("shared_record.id"), primary_key=True)
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    relation: Mapped[str] = mapped_column(String(32))
    linked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    linked_by: Mapped[str] = mapped_column(String(64))


class HqShareEventRow(Base):
    """At HQ: a share, request or answer a post reported in a bundle (ids, counts, hashes; never the content)."""

    __tablename__ = "hq_share_event"

    reporter: Mapped[str] = mapped_column(String(16), primary_key=True)  # the post whose bundle told it
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    direction: Mapped[str] = mapped_column(String(16))  # sent | received, as the reporter saw it
    peer: Mapped[str] = mapped_column(String(16))
    profile: Mapped[str] = mapped_column(String(32))
    at: Mapped[str] = mapped_column(String(40))
    sha256: Mapped[str] = mapped_column(String(64))
    cases: Mapped[int] = mapped_column(Integer)
    photos: Mapped[int] = mapped_column(Integer)
    about: Mapped[str] = mapped_column(String(32))
    due: Mapped[str] = mapped_column(String(10))
    sequence: Mapped[int] = mapped_column(Integer)  # the reporter's bundle
    # a share: JSON list of the case numbers it carried (migration 0019; NULL when the bundle did not say)
    refs: Mapped[str | None] = mapped_column(Text, nullable=True)
