"""Plain data the layers pass to each other: a seizure case with its items, persons and attachments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from blo_desk.domain.enums import CaseStatus, Direction, PersonRole, Sex, TimePrecision

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
    seals: str = ""  # the seals put on this item's packages
    substance: str = ""  # code in resources/reference/substances.json (names and synonyms in uz/ru/en)
    net_weight: Decimal | None = None  # kg, without packaging
    gross_weight: Decimal | None = None  # kg, with packaging
    packaging: str = ""  # reference code, ReferenceKind.PACKAGING (parcel in polyethylene, box, canister...)
    package_group: str = ""  # items with the same non-empty group were found in the same packages


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
    other_roles: tuple[PersonRole, ...] = ()  # the driver who is also the suspect
    document_issued_on: date | None = None
    document_issuer: str = ""  # the authority that issued the document
    birth_place: str = ""

    @property
    def roles(self) -> tuple[PersonRole, ...]:
        """Every role of the person, the main one first."""
        return (self.role, *[r for r in self.other_roles if r != self.role])


@dataclass(frozen=True, slots=True)
class Attachment:
    """A photo or scan, stored beside the database under its SHA-256."""

    sha256: str
    filename: str
    media_type: str
    size: int
    caption: str = ""


@dataclass(frozen=True, slots=True)
class TransportDocument:
    """A document presented with the goods: CMR, railway waybill (SMGS), customs declaration, invoice..."""

    kind: str = ""  # reference code, ReferenceKind.TRANSPORT_DOCUMENT
    number: str = ""
    issued_on: date | None = None


@dataclass(frozen=True, slots=True)
class Officer:
    """An officer who took part in the seizure: a user of the post (username set) or someone typed in."""

    full_name: str = ""
    rank: str = ""
    agency: str = ""  # reference code, ReferenceKind.AGENCY
    username: str = ""


@dataclass(frozen=True, slots=True)
class Case:
    """A seizure case as the officer sees it; `id` is None until first saved."""

    id: str | None = None
    case_number: str = ""
    post_code: str = ""
    occurred_at: datetime | None = None  # aware
    timezone: str = DEFAULT_TIMEZONE  # IANA name of the post's zone, for display
    direction: Direction = Direction.ENTRY
    agency: str = ""  # the lead agency
    procedure: str = ""
    detection_method: str = ""  # the first way the goods were found
    conveyance_type: str = ""
    conveyance_registration: str = ""  # the plate, or the conveyance's own registration
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
    # Added with bundle format 2; empty values are left out of the canonical content (so older cases keep their hash).
    time_precision: TimePrecision = TimePrecision.EXACT
    joint_agencies: tuple[str, ...] = ()  # the other agencies of a joint operation
    other_detection_methods: tuple[str, ...] = ()  # e.g. a service dog after risk profiling
    technical_means: tuple[str, ...] = ()  # reference codes, ReferenceKind.TECHNICAL_MEANS
    vehicle_make: str = ""  # make and model
    trailer_plate: str = ""
    vin: str = ""
    container_number: str = ""
    train_number: str = ""
    wagon_number: str = ""
    flight_number: str = ""
    transit_countries: tuple[str, ...] = ()  # ISO alpha-2, in route order
    declared_cargo: str = ""  # what the documents declare
    declared_weight: Decimal | None = None  # kg, as declared
    documents: tuple[TransportDocument, ...] = ()
    officers: tuple[Officer, ...] = ()
    # Added with issue 13 (format 2, optional like the fields above): what the protocol states beyond the seizure.
    offence_articles: tuple[str, ...] = ()  # reference codes, ReferenceKind.OFFENCE_ARTICLE (e.g. "UZ-CC-246-1")
    interpreter_language: str = ""  # ISO 639 code of the language the interpreter translated to and from
    copies: int | None = None  # how many copies of the protocol were made
    ended_at: datetime | None = None  # aware; when the drawing up of the protocol ended

    @property
    def agencies(self) -> tuple[str, ...]:
        """Every agency of the case, the lead first."""
        lead = (self.agency,) if self.agency else ()
        return (*lead, *[a for a in self.joint_agencies if a != self.agency])

    @property
    def detection_methods(self) -> tuple[str, ...]:
        first = (self.detection_method,) if self.detection_method else ()
        return (*first, *[m for m in self.other_detection_methods if m != self.detection_method])

    @property
    def is_finalized(self) -> bool:
        return self.status == CaseStatus.FINALIZED

    @property
    def is_voided(self) -> bool:
        return self.status == CaseStatus.VOIDED

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
    substances: tuple[str, ...] = ()  # the items' substance codes: the list names them in the UI language


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
    actor: str = ""  # the username of who saved it
    #: who that is, from the store's accounts ("" when the store holds no such account: another post's user at HQ)
    actor_name: str = ""
    actor_rank: str = ""


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
    # The keyset of the last row already held (Page.after: its sort key and id, then what the store noted for the
    # next page): the next page starts after it (`offset` is then only how many rows are held, never skipped).
    after: tuple[object, ...] | None = None


#: Up to this many matches the list's total is an exact count; above it, the store's estimate (Page.estimated).
EXACT_COUNT_LIMIT = 10_000


@dataclass(frozen=True, slots=True)
class Page:
    """One page of the case list. Only a first page (no CaseQuery.after) counts its total; a further one has
    counted=False and its total means nothing."""

    rows: tuple[CaseSummary, ...]
    total: int
    offset: int
    estimated: bool = False  # total is an estimate: more than EXACT_COUNT_LIMIT matched
    counted: bool = True
    more: bool = False  # there are rows after this page
    after: tuple[object, ...] | None = None  # the keyset of the last row (pass it as CaseQuery.after)


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
