"""Plain data the layers pass to each other: a seizure case with its items, persons and attachments."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from blo_desk.domain.enums import CaseStatus, Direction, PersonRole, Sex

DEFAULT_CURRENCY = "UZS"
DEFAULT_TIMEZONE = "Asia/Tashkent"


@dataclass(frozen=True, slots=True)
class SeizedItem:
    """One line of the seizure: what, how much, what it is worth."""

    category: str = ""  # reference code, ReferenceKind.COMMODITY_CATEGORY
    description: str = ""
    brand: str = ""  # brand, markings, distinguishing features
    quantity: Decimal | None = None
    unit: str = ""  # reference code, ReferenceKind.UNIT
    packages: int | None = None
    value: Decimal | None = None
    currency: str = DEFAULT_CURRENCY
    seals: str = ""


@dataclass(frozen=True, slots=True)
class Person:
    """A person involved: suspect, owner, driver, passenger, witness or interpreter."""

    role: PersonRole = PersonRole.SUSPECT
    full_name: str = ""
    birth_date: date | None = None
    sex: Sex | None = None
    nationality: str = ""  # ISO 3166 alpha-2
    document_type: str = ""  # reference code, ReferenceKind.DOCUMENT_TYPE
    document_number: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class Attachment:
    """A photo or scan, stored beside the database under its SHA-256."""

    sha256: str
    filename: str
    media_type: str
    size: int
    caption: str = ""


@dataclass(frozen=True, slots=True)
class Case:
    """A seizure case as the officer sees it; `id` is None until first saved."""

    id: str | None = None
    case_number: str = ""
    post_code: str = ""
    occurred_at: datetime | None = None  # aware
    timezone: str = DEFAULT_TIMEZONE  # IANA name of the post's zone, for display
    direction: Direction = Direction.ENTRY
    agency: str = ""
    procedure: str = ""
    detection_method: str = ""
    conveyance_type: str = ""
    conveyance_registration: str = ""
    origin_country: str = ""
    destination_country: str = ""
    concealment_method: str = ""
    concealment_details: str = ""
    narrative: str = ""
    legal_basis: str = ""
    status: CaseStatus = CaseStatus.DRAFT
    revision: int = 0
    created_at: datetime | None = None
    updated_at: datetime | None = None
    finalized_at: datetime | None = None
    items: tuple[SeizedItem, ...] = ()
    persons: tuple[Person, ...] = ()
    attachments: tuple[Attachment, ...] = ()

    @property
    def is_finalized(self) -> bool:
        return self.status == CaseStatus.FINALIZED

    def total_value(self) -> dict[str, Decimal]:
        """Estimated value per currency."""
        totals: dict[str, Decimal] = {}
        for item in self.items:
            if item.value is not None:
                totals[item.currency] = totals.get(item.currency, Decimal(0)) + item.value
        return totals


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One row of the case list."""

    id: str
    case_number: str
    post_code: str
    occurred_at: datetime
    timezone: str
    status: CaseStatus
    revision: int
    categories: tuple[str, ...]
    items_summary: str
    persons_summary: str
    total_value: Decimal | None
    currency: str


@dataclass(frozen=True, slots=True)
class Revision:
    """One entry of a case's history."""

    case_id: str
    revision: int
    content_hash: str
    parent_hash: str
    status: CaseStatus
    saved_at: datetime
    reason: str = ""
    actor: str = ""


@dataclass(frozen=True, slots=True)
class CaseQuery:
    """What the case list asks for: filters, sort and one page."""

    text: str = ""
    statuses: tuple[CaseStatus, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    category: str = ""
    post_code: str = ""
    sort_by: str = "occurred_at"  # occurred_at | case_number | post_code | status | total_value
    descending: bool = True
    offset: int = 0
    limit: int = 200


@dataclass(frozen=True, slots=True)
class Page:
    rows: tuple[CaseSummary, ...]
    total: int
    offset: int


@dataclass(frozen=True, slots=True)
class ReferenceItem:
    """An entry of a reference list with its labels in the three languages."""

    kind: str
    code: str
    label_uz: str
    label_ru: str
    label_en: str
    sort_order: int = 0
    active: bool = True

    def label(self, language: str) -> str:
        return getattr(self, f"label_{language}", "") or self.label_en


@dataclass(frozen=True, slots=True)
class Post:
    """A border crossing point that hosts (or may host) a Border Liaison Office."""

    code: str  # e.g. UZ-DUS
    country: str  # ISO alpha-2
    name_uz: str
    name_ru: str
    name_en: str
    region: str = ""
    kind: str = "road"  # road | rail
    counterpart: str = ""
    publicly_named_blo: bool = False
    active: bool = True

    def name(self, language: str) -> str:
        return getattr(self, f"name_{language}", "") or self.name_en
