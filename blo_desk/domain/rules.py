"""Validation rules for a case, as pure functions returning field errors."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from blo_desk.domain.entities import Case
from blo_desk.domain.enums import TimePrecision
from blo_desk.domain.errors import FieldError, ValidationError
from blo_desk.i18n import N_

MAX_SHORT_TEXT = 500
MAX_LONG_TEXT = 20_000
MAX_ITEMS = 5_000
MAX_PERSONS = 500
MAX_AMOUNT = Decimal("1e15")
MAX_COPIES = 99  # copies of one protocol
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}$")  # ISO 639-1 or -3
CLOCK_SKEW = timedelta(minutes=10)
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

SHORT_FIELDS = (
    "agency",
    "procedure",
    "detection_method",
    "conveyance_type",
    "conveyance_registration",
    "concealment_method",
    "concealment_details",
    "legal_basis",
    "vehicle_make",
    "trailer_plate",
    "vin",
    "container_number",
    "train_number",
    "wagon_number",
    "flight_number",
    "declared_cargo",
)
MAX_LIST = 50  # codes in one list field (agencies, detection methods, transit countries...)
MAX_GROUP_TEXT = 64  # a package group ("A", "container 1"): its column's width


@dataclass(frozen=True, slots=True)
class ReferenceCodes:
    """The codes a case may use, per reference kind; an empty set means 'not checked'."""

    codes: dict[str, frozenset[str]] = field(default_factory=dict)
    posts: frozenset[str] = frozenset()

    def allows(self, kind: str, code: str) -> bool:
        known = self.codes.get(kind)
        return not known or code in known


def _text_errors(path: str, value: str, limit: int) -> list[FieldError]:
    if _CONTROL_RE.search(value or ""):
        return [FieldError(path, N_("This text contains control characters."))]
    if len(value or "") > limit:
        return [FieldError(path, N_("This text is too long (at most {limit} characters)."), {"limit": limit})]
    return []


def _list_errors(path: str, values: tuple[str, ...]) -> list[FieldError]:
    """A list of codes holds each code once, and no more than MAX_LIST of them."""
    errors = []
    if len(values) > MAX_LIST:
        errors.append(FieldError(path, N_("Too many entries (at most {limit})."), {"limit": MAX_LIST}))
    for index, value in enumerate(values):
        if value in values[:index]:
            errors.append(FieldError(f"{path}.{index}", N_("{code} is listed twice."), {"code": value}))
    return errors


def _amount_errors(path: str, value: Decimal | None, *, allow_zero: bool) -> list[FieldError]:
    if value is None:
        return []
    if not value.is_finite():
        return [FieldError(path, N_("Enter a number."))]
    if value < 0:
        return [FieldError(path, N_("The amount cannot be negative."))]
    if value == 0 and not allow_zero:
        return [FieldError(path, N_("The quantity must be greater than zero."))]
    if value >= MAX_AMOUNT:
        return [FieldError(path, N_("The amount is too large."))]
    return []


def case_errors(case: Case, *, now: datetime, reference: ReferenceCodes | None = None) -> list[FieldError]:
    """Every problem that prevents saving the case (a draft may still be incomplete)."""
    ref = reference or ReferenceCodes()
    errors: list[FieldError] = []
    if not case.post_code:
        errors.append(FieldError("post_code", N_("Choose the crossing point.")))
    elif ref.posts and case.post_code not in ref.posts:
        errors.append(FieldError("post_code", N_("Unknown crossing point {code}."), {"code": case.post_code}))
    if case.occurred_at is None:
        errors.append(FieldError("occurred_at", N_("Enter the date and time of the seizure.")))
    elif case.occurred_at.tzinfo is None:
        errors.append(FieldError("occurred_at", N_("The date and time need a time zone.")))
    else:
        if case.occurred_at > now + CLOCK_SKEW:
            errors.append(FieldError("occurred_at", N_("The seizure cannot be in the future.")))
        if case.occurred_at.year < 1990:
            errors.append(FieldError("occurred_at", N_("The date is too far in the past.")))
    for name in SHORT_FIELDS:
        errors += _text_errors(name, getattr(case, name), MAX_SHORT_TEXT)
    errors += _text_errors("narrative", case.narrative, MAX_LONG_TEXT)
    for name in ("origin_country", "destination_country"):
        value = getattr(case, name)
        if value and not COUNTRY_RE.match(value):
            errors.append(FieldError(name, N_("Use a two-letter country code (for example UZ).")))
    for index, value in enumerate(case.transit_countries):
        if not COUNTRY_RE.match(value):
            errors.append(FieldError(f"transit_countries.{index}",
                                     N_("Use a two-letter country code (for example UZ).")))
    errors += _list_errors("transit_countries", case.transit_countries)
    for name, kind in (("joint_agencies", "agency"), ("other_detection_methods", "detection_method"),
                       ("technical_means", "technical_means"), ("offence_articles", "offence_article")):
        values = getattr(case, name)
        errors += _list_errors(name, values)
        for index, code in enumerate(values):
            if not code or not ref.allows(kind, code):
                errors.append(FieldError(f"{name}.{index}", N_("Unknown value {code}."), {"code": code}))
    errors += _amount_errors("declared_weight", case.declared_weight, allow_zero=True)
    if case.copies is not None and not 1 <= case.copies <= MAX_COPIES:
        errors.append(FieldError("copies", N_("Enter a number from 1 to {limit}."), {"limit": MAX_COPIES}))
    if case.interpreter_language and not LANGUAGE_RE.match(case.interpreter_language):
        errors.append(FieldError("interpreter_language", N_("Use a language code (for example tg).")))
    if case.ended_at is not None and case.ended_at.tzinfo is None:
        errors.append(FieldError("ended_at", N_("The date and time need a time zone.")))
    elif case.ended_at is not None and case.occurred_at is not None and case.occurred_at.tzinfo is not None \
            and case.time_precision == TimePrecision.EXACT and case.ended_at < case.occurred_at:
        errors.append(FieldError("ended_at", N_("The drawing up cannot end before the seizure.")))
    if len(case.documents) > MAX_LIST:
        errors.append(FieldError("documents", N_("Too many entries (at most {limit})."), {"limit": MAX_LIST}))
    for index, document in enumerate(case.documents):
        path = f"documents.{index}"
        if document.kind and not ref.allows("transport_document", document.kind):
            errors.append(FieldError(f"{path}.kind", N_("Unknown value {code}."), {"code": document.kind}))
        if not document.kind and not document.number.strip():
            errors.append(FieldError(f"{path}.kind", N_("Choose the kind of document or enter its number.")))
        errors += _text_errors(f"{path}.number", document.number, MAX_SHORT_TEXT)
        if document.issued_on is not None and document.issued_on > now.date():
            errors.append(FieldError(f"{path}.issued_on", N_("The date cannot be in the future.")))
    if len(case.officers) > MAX_LIST:
        errors.append(FieldError("officers", N_("Too many entries (at most {limit})."), {"limit": MAX_LIST}))
    for index, officer in enumerate(case.officers):
        path = f"officers.{index}"
        if not officer.full_name.strip():
            errors.append(FieldError(f"{path}.full_name", N_("Enter the officer's full name.")))
        for name in ("full_name", "rank", "username"):
            errors += _text_errors(f"{path}.{name}", getattr(officer, name), MAX_SHORT_TEXT)
        if officer.agency and not ref.allows("agency", officer.agency):
            errors.append(FieldError(f"{path}.agency", N_("Unknown value {code}."), {"code": officer.agency}))
    for name, kind in (
        ("agency", "agency"),
        ("detection_method", "detection_method"),
        ("conveyance_type", "conveyance_type"),
        ("concealment_method", "concealment_method"),
    ):
        code = getattr(case, name)
        if code and not ref.allows(kind, code):
            errors.append(FieldError(name, N_("Unknown value {code}."), {"code": code}))

    if len(case.items) > MAX_ITEMS:
        errors.append(FieldError("items", N_("Too many items (at most {limit}).") , {"limit": MAX_ITEMS}))
    for index, item in enumerate(case.items):
        path = f"items.{index}"
        if not item.description.strip() and not item.substance:  # a substance from the list names the item
            errors.append(FieldError(f"{path}.description", N_("Describe the item.")))
        errors += _text_errors(f"{path}.description", item.description, MAX_SHORT_TEXT)
        errors += _text_errors(f"{path}.brand", item.brand, MAX_SHORT_TEXT)
        errors += _text_errors(f"{path}.seals", item.seals, MAX_SHORT_TEXT)
        if item.category and not ref.allows("commodity_category", item.category):
            errors.append(FieldError(f"{path}.category", N_("Unknown value {code}."), {"code": item.category}))
        if item.unit and not ref.allows("unit", item.unit):
            errors.append(FieldError(f"{path}.unit", N_("Unknown value {code}."), {"code": item.unit}))
        errors += _amount_errors(f"{path}.quantity", item.quantity, allow_zero=False)
        errors += _amount_errors(f"{path}.value", item.value, allow_zero=True)
        if item.packages is not None and item.packages < 0:
            errors.append(FieldError(f"{path}.packages", N_("The number of packages cannot be negative.")))
        if item.packages is not None and item.packages > 10_000_000:
            errors.append(FieldError(f"{path}.packages", N_("The amount is too large.")))
        if not CURRENCY_RE.match(item.currency or ""):
            errors.append(FieldError(f"{path}.currency", N_("Use a three-letter currency code (for example UZS).")))
        errors += _amount_errors(f"{path}.net_weight", item.net_weight, allow_zero=False)
        errors += _amount_errors(f"{path}.gross_weight", item.gross_weight, allow_zero=False)
        if (item.net_weight is not None and item.gross_weight is not None
                and item.net_weight.is_finite() and item.gross_weight.is_finite()
                and item.net_weight > item.gross_weight):
            errors.append(FieldError(f"{path}.net_weight",
                                     N_("The net weight cannot be more than the gross weight.")))
        if item.packaging and not ref.allows("packaging_kind", item.packaging):
            errors.append(FieldError(f"{path}.packaging", N_("Unknown value {code}."), {"code": item.packaging}))
        if item.substance and not ref.allows("substance", item.substance):
            errors.append(FieldError(f"{path}.substance", N_("Unknown value {code}."), {"code": item.substance}))
        errors += _text_errors(f"{path}.substance", item.substance, MAX_SHORT_TEXT)
        errors += _text_errors(f"{path}.package_group", item.package_group, MAX_GROUP_TEXT)

    if len(case.persons) > MAX_PERSONS:
        errors.append(FieldError("persons", N_("Too many persons (at most {limit}).") , {"limit": MAX_PERSONS}))
    today = now.date()
    for index, person in enumerate(case.persons):
        path = f"persons.{index}"
        if not person.full_name.strip():
            errors.append(FieldError(f"{path}.full_name", N_("Enter the person's full name.")))
        errors += _list_errors(f"{path}.other_roles", tuple(str(role) for role in person.other_roles))
        for name in ("full_name", "document_number", "address", "document_issuer", "birth_place"):
            errors += _text_errors(f"{path}.{name}", getattr(person, name), MAX_SHORT_TEXT)
        if person.document_issued_on is not None:
            if person.document_issued_on > today:
                errors.append(FieldError(f"{path}.document_issued_on", N_("The date cannot be in the future.")))
            elif person.birth_date is not None and person.document_issued_on < person.birth_date:
                errors.append(FieldError(f"{path}.document_issued_on",
                                         N_("The document cannot be issued before the person was born.")))
        if person.birth_date is not None:
            if person.birth_date > today:
                errors.append(FieldError(f"{path}.birth_date", N_("The date of birth cannot be in the future.")))
            elif person.birth_date < date(1900, 1, 1):
                errors.append(FieldError(f"{path}.birth_date", N_("The date is too far in the past.")))
        if person.nationality and not COUNTRY_RE.match(person.nationality):
            errors.append(FieldError(f"{path}.nationality", N_("Use a two-letter country code (for example UZ).")))
        if person.document_type and not ref.allows("document_type", person.document_type):
            errors.append(FieldError(f"{path}.document_type", N_("Unknown value {code}."), {"code": person.document_type}))
    return errors


def finalize_errors(case: Case) -> list[FieldError]:
    """What a case needs before it is finalized, on top of what saving needs."""
    errors: list[FieldError] = []
    if not case.items:
        errors.append(FieldError("items", N_("Add at least one seized item before finalizing.")))
    for index, item in enumerate(case.items):
        if not item.category:
            errors.append(FieldError(f"items.{index}.category", N_("Choose the commodity category.")))
        if item.quantity is None:
            errors.append(FieldError(f"items.{index}.quantity", N_("Enter the quantity.")))
        if not item.unit:
            errors.append(FieldError(f"items.{index}.unit", N_("Choose the unit.")))
    if not case.detection_method:
        errors.append(FieldError("detection_method", N_("Choose how the goods were detected.")))
    return errors


def validate_case(case: Case, *, now: datetime | None = None, reference: ReferenceCodes | None = None,
                  finalizing: bool = False) -> None:
    """Raise ValidationError listing every problem; return quietly when the case may be saved."""
    moment = now or datetime.now(timezone.utc)
    errors = case_errors(case, now=moment, reference=reference)
    if finalizing:
        errors += finalize_errors(case)
    if errors:
        raise ValidationError(errors)


def validate_amendment_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise ValidationError([FieldError("reason", N_("Give the reason for the amendment."))])
    errs = _text_errors("reason", reason, MAX_SHORT_TEXT)
    if errs:
        raise ValidationError(errs)


def validate_void_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise ValidationError([FieldError("reason", N_("Give the reason for voiding the draft."))])
    errs = _text_errors("reason", reason, MAX_SHORT_TEXT)
    if errs:
        raise ValidationError(errs)


def incident_year(case: Case) -> int:
    """The year a case number carries: the year of the incident in the post's time zone (not the year of saving)."""
    from zoneinfo import ZoneInfo

    assert case.occurred_at is not None
    return case.occurred_at.astimezone(ZoneInfo(case.timezone)).year


def case_number_year(case_number: str) -> int | None:
    """The year written in a case number such as UZ-DUS-2024-00017 (None when it has no year)."""
    parts = case_number.rsplit("-", 2)
    return int(parts[1]) if len(parts) == 3 and parts[1].isdigit() else None
