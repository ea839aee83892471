"""Tables of the case store (typed SQLAlchemy 2.0 ORM)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from blo_desk.storage.base import Base, DecimalText, UtcDateTime


class PostRow(Base):
    __tablename__ = "post"

    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    country: Mapped[str] = mapped_column(String(2))
    name_uz: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    region: Mapped[str] = mapped_column(String(200), default="")
    kind: Mapped[str] = mapped_column(String(16), default="road")
    counterpart: Mapped[str] = mapped_column(String(16), default="")
    publicly_named_blo: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class ReferenceRow(Base):
    __tablename__ = "reference_item"

    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    label_uz: Mapped[str] = mapped_column(String(200))
    label_ru: Mapped[str] = mapped_column(String(200))
    label_en: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CaseRow(Base):
    __tablename__ = "seizure_case"
    __table_args__ = (
        Index("ix_case_occurred", "occurred_at"),
        Index("ix_case_post_occurred", "post_code", "occurred_at"),
        Index("ix_case_status_occurred", "status", "occurred_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    case_number: Mapped[str] = mapped_column(String(40), unique=True)
    post_code: Mapped[str] = mapped_column(ForeignKey("post.code"))
    occurred_at: Mapped[datetime] = mapped_column(UtcDateTime)
    timezone: Mapped[str] = mapped_column(String(64))
    direction: Mapped[str] = mapped_column(String(16))
    agency: Mapped[str] = mapped_column(String(64), default="")
    procedure: Mapped[str] = mapped_column(String(500), default="")
    detection_method: Mapped[str] = mapped_column(String(64), default="")
    conveyance_type: Mapped[str] = mapped_column(String(64), default="")
    conveyance_registration: Mapped[str] = mapped_column(String(500), default="")
    origin_country: Mapped[str] = mapped_column(String(2), default="")
    destination_country: Mapped[str] = mapped_column(String(2), default="")
    concealment_method: Mapped[str] = mapped_column(String(64), default="")
    concealment_details: Mapped[str] = mapped_column(String(500), default="")
    narrative: Mapped[str] = mapped_column(Text, default="")
    legal_basis: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[str] = mapped_column(String(16))
    revision: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finalized_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # Denormalized for the list: kept in step by the repository on every write.
    categories: Mapped[str] = mapped_column(String(500), default="")
    items_summary: Mapped[str] = mapped_column(String(500), default="")
    persons_summary: Mapped[str] = mapped_column(String(500), default="")
    total_value: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="UZS")
    search_text: Mapped[str] = mapped_column(Text, default="")
    search_rowid: Mapped[int | None] = mapped_column(Integer, nullable=True, unique=True)  # rowid in case_fts
    # Format-2 fields (migration 0005). Lists of codes are comma-joined; documents and officers canonical JSON.
    time_precision: Mapped[str] = mapped_column(String(16), default="exact")
    joint_agencies: Mapped[str] = mapped_column(String(500), default="")
    other_detection_methods: Mapped[str] = mapped_column(String(500), default="")
    technical_means: Mapped[str] = mapped_column(String(500), default="")
    transit_countries: Mapped[str] = mapped_column(String(500), default="")
    vehicle_make: Mapped[str] = mapped_column(String(500), default="")
    trailer_plate: Mapped[str] = mapped_column(String(500), default="")
    vin: Mapped[str] = mapped_column(String(500), default="")
    container_number: Mapped[str] = mapped_column(String(500), default="")
    train_number: Mapped[str] = mapped_column(String(500), default="")
    wagon_number: Mapped[str] = mapped_column(String(500), default="")
    flight_number: Mapped[str] = mapped_column(String(500), default="")
    declared_cargo: Mapped[str] = mapped_column(String(500), default="")
    declared_weight: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    documents: Mapped[str] = mapped_column(Text, default="")
    officers: Mapped[str] = mapped_column(Text, default="")
    # Issue 13 (migration 0008): the protocol's offence articles, interpreter's language, copies and end time.
    offence_articles: Mapped[str] = mapped_column(String(500), default="")
    interpreter_language: Mapped[str] = mapped_column(String(500), default="")
    copies: Mapped[int | None] = mapped_column(Integer, nullable=True)
    ended_at: Mapped[str | None] = mapped_column(String(32), nullable=True)  # canonical UTC timestamp text

    items: Mapped[list[ItemRow]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="ItemRow.position"
    )
    persons: Mapped[list[PersonRow]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="PersonRow.position"
    )
    attachments: Mapped[list[AttachmentRow]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="AttachmentRow.position"
    )


class ItemRow(Base):
    __tablename__ = "seized_item"
    __table_args__ = (Index("ix_item_category_case", "category", "case_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("seizure_case.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    category: Mapped[str] = mapped_column(String(64), default="")
    description: Mapped[str] = mapped_column(String(500), default="")
    brand: Mapped[str] = mapped_column(String(500), default="")
    quantity: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    unit: Mapped[str] = mapped_column(String(32), default="")
    packages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    value: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    currency: Mapped[str] = mapped_column(String(3), default="UZS")
    seals: Mapped[str] = mapped_column(String(500), default="")
    substance: Mapped[str] = mapped_column(String(64), default="")
    net_weight: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    gross_weight: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    packaging: Mapped[str] = mapped_column(String(64), default="")
    package_group: Mapped[str] = mapped_column(String(64), default="")

    case: Mapped[CaseRow] = relationship(back_populates="items")


class PersonRow(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("seizure_case.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(16))
    full_name: Mapped[str] = mapped_column(String(500))
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    sex: Mapped[str | None] = mapped_column(String(1), nullable=True)
    nationality: Mapped[str] = mapped_column(String(2), default="")
    document_type: Mapped[str] = mapped_column(String(64), default="")
    document_number: Mapped[str] = mapped_column(String(500), default="", index=True)
    address: Mapped[str] = mapped_column(String(500), default="")
    other_roles: Mapped[str] = mapped_column(String(200), default="")
    document_issued_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    document_issuer: Mapped[str] = mapped_column(String(500), default="")
    birth_place: Mapped[str] = mapped_column(String(500), default="")

    case: Mapped[CaseRow] = relationship(back_populates="persons")


class AttachmentRow(Base):
    __tablename__ = "case_attachment"

    case_id: Mapped[str] = mapped_column(ForeignKey("seizure_case.id", ondelete="CASCADE"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(500))
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    caption: Mapped[str] = mapped_column(String(500), default="")

    case: Mapped[CaseRow] = relationship(back_populates="attachments")


class RevisionRow(Base):
    """Every saved state of a case, as canonical JSON: the history, the sync payload and the print check."""

    __tablename__ = "case_revision"

    case_id: Mapped[str] = mapped_column(ForeignKey("seizure_case.id", ondelete="CASCADE"), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    parent_hash: Mapped[str] = mapped_column(String(64), default="")
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(500), default="")
    actor: Mapped[str] = mapped_column(String(100), default="")
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    record: Mapped[str] = mapped_column(Text)  # canonical JSON of exchange.revision_record


class CaseCounterRow(Base):
    """Last case number given per post and year, so a number is never reused."""

    __tablename__ = "case_counter"

    post_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class SettingRow(Base):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
