"""A case from the documented JSON that `cases show` prints: every wrong field reported with its path."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from blo_desk.domain.canonical import (
    CASE_CODE_LISTS_2,
    CASE_TEXT_FIELDS_2,
    CONTENT_FIELDS,
    DOCUMENT_KEYS,
    ITEM_DECIMAL_FIELDS_2,
    ITEM_TEXT_FIELDS_2,
    OFFICER_KEYS,
    PERSON_TEXT_FIELDS_2,
    keyword_fields,
)
from blo_desk.domain.entities import (
    DEFAULT_CURRENCY,
    DEFAULT_TIMEZONE,
    Attachment,
    Case,
    Officer,
    Person,
    SeizedItem,
    TransportDocument,
)
from blo_desk.domain.enums import Direction, PersonRole, Sex, TimePrecision
from blo_desk.domain.errors import FieldError, ValidationError
from blo_desk.i18n import N_

MAX_DIGITS = 20  # significant digits a typed amount may have (more would be rounded when stored)
# Keys `cases show` prints that describe the stored revision rather than what was seized: read, never required.
STORED_KEYS = frozenset({"id", "case_number", "status", "revision"})
ITEM_KEYS = ("category", "description", "brand", "quantity", "unit", "packages", "value", "currency", "seals",
             *ITEM_TEXT_FIELDS_2, *ITEM_DECIMAL_FIELDS_2)
PERSON_KEYS = ("role", "full_name", "birth_date", "sex", "nationality", "document_type", "document_number",
               "address", "other_roles", "document_issued_on", *PERSON_TEXT_FIELDS_2)
ATTACHMENT_KEYS = ("sha256", "filename", "media_type", "size", "caption")
CASE_KEYS = frozenset({*CONTENT_FIELDS, *STORED_KEYS, "occurred_at", "direction", "items", "persons", "attachments",
                       *CASE_TEXT_FIELDS_2, *CASE_CODE_LISTS_2, "time_precision", "declared_weight", "documents",
                       "officers", "copies", "ended_at"})


def display_path(path: str) -> str:
    """`items.1.net_weight` as a person reads it in a file: `items[1].net_weight`."""
    parts = path.split(".")
    shown = parts[0]
    for part in parts[1:]:
        shown += f"[{part}]" if part.isdigit() else f".{part}"
    return shown


class _Reader:
    """Reads one JSON object field by field, collecting a FieldError for each wrong one instead of stopping."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def fail(self, path: str, message: str, **params: object) -> None:
        self.errors.append(FieldError(path, message, dict(params)))

    def obj(self, value: Any, path: str, allowed: frozenset[str] | tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path or "case", N_("Expected an object with named fields."))
            return {}
        for key in value:
            if key not in allowed:
                self.fail(f"{path}.{key}" if path else key, N_("Unknown field {name}."), name=key)
        return value

    def text(self, data: dict[str, Any], key: str, path: str, default: str = "") -> str:
        value = data.get(key, default)
        if value is None:
            return default
        if not isinstance(value, str):
            self.fail(path, N_("Expected text."))
            return default
        return value

    def choice(self, data: dict[str, Any], key: str, path: str, enum: Callable[[str], Any], default: Any) -> Any:
        value = self.text(data, key, path)
        if not value:
            return default
        try:
            return enum(value)
        except ValueError:
            self.fail(path, N_("Unknown value {code}."), code=value)
            return default

    def decimal(self, data: dict[str, Any], key: str, path: str) -> Decimal | None:
        value = data.get(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, Decimal)):
            self.fail(path, N_("Enter a number with a point as the decimal separator, e.g. \"85.505\"."))
            return None
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            number = Decimal("NaN")
        if not number.is_finite():
            self.fail(path, N_("Enter a number with a point as the decimal separator, e.g. \"85.505\"."))
            return None
        if len(number.as_tuple().digits) > MAX_DIGITS or (number != 0 and not -9 <= number.adjusted() < 15):
            self.fail(path, N_("This number cannot be kept exactly: use at most {digits} digits, "
                               "from 0.000000001 up to 10^15."), digits=MAX_DIGITS)
            return None
        return number

    def integer(self, data: dict[str, Any], key: str, path: str) -> int | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, N_("Enter a whole number."))
            return None
        return value

    def day(self, data: dict[str, Any], key: str, path: str) -> date | None:
        value = self.text(data, key, path)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(path, N_("Enter a date as YYYY-MM-DD."))
            return None

    def codes(self, data: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = data.get(key, [])
        if value is None:
            return ()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(path, N_("Expected a list of codes, e.g. [\"police\", \"border\"]."))
            return ()
        return tuple(value)

    def rows(self, data: dict[str, Any], key: str) -> list[tuple[str, Any]]:
        value = data.get(key, [])
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(key, N_("Expected a list [...]."))
            return []
        return [(f"{key}.{n}", row) for n, row in enumerate(value)]


def _moment(r: _Reader, top: dict[str, Any], key: str, tz: ZoneInfo) -> datetime | None:
    """An ISO 8601 date and time; without an offset it is read in the case's time zone."""
    raw = r.text(top, key, key)
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        r.fail(key, N_("Enter the date and time as YYYY-MM-DDTHH:MM, e.g. 2024-04-20T14:30."))
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=tz)


def case_from_json(data: Any, *, default_post: str = "", default_timezone: str = DEFAULT_TIMEZONE) -> Case:
    """The case a JSON document describes (the form `cases show` prints; every field but the date may be left out).

    `occurred_at` is ISO 8601; without an offset it is read in the case's time zone. Raises ValidationError with
    every problem found, each with its field path, so a file is corrected in one pass."""
    r = _Reader()
    top = r.obj(data, "", CASE_KEYS)
    zone = r.text(top, "timezone", "timezone", default_timezone) or default_timezone
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        r.fail("timezone", N_("Unknown time zone {code}."), code=zone)
        tz, zone = ZoneInfo(default_timezone), default_timezone
    occurred = _moment(r, top, "occurred_at", tz)
    ended = _moment(r, top, "ended_at", tz)
    items = []
    for path, row in r.rows(top, "items"):
        item = r.obj(row, path, ITEM_KEYS)
        items.append(SeizedItem(
            category=r.text(item, "category", f"{path}.category"),
            description=r.text(item, "description", f"{path}.description"),
            brand=r.text(item, "brand", f"{path}.brand"),
            quantity=r.decimal(item, "quantity", f"{path}.quantity"),
            unit=r.text(item, "unit", f"{path}.unit"),
            packages=r.integer(item, "packages", f"{path}.packages"),
            value=r.decimal(item, "value", f"{path}.value"),
            currency=r.text(item, "currency", f"{path}.currency", DEFAULT_CURRENCY) or DEFAULT_CURRENCY,
            seals=r.text(item, "seals", f"{path}.seals"),
            **keyword_fields({name: r.text(item, name, f"{path}.{name}") for name in ITEM_TEXT_FIELDS_2}),
            **keyword_fields({name: r.decimal(item, name, f"{path}.{name}") for name in ITEM_DECIMAL_FIELDS_2}),
        ))
    persons = []
    for path, row in r.rows(top, "persons"):
        person = r.obj(row, path, PERSON_KEYS)
        other_roles = []
        for n, code in enumerate(r.codes(person, "other_roles", f"{path}.other_roles")):
            try:
                other_roles.append(PersonRole(code))
            except ValueError:
                r.fail(f"{path}.other_roles.{n}", N_("Unknown value {code}."), code=code)
        persons.append(Person(
            role=r.choice(person, "role", f"{path}.role", PersonRole, PersonRole.SUSPECT),
            full_name=r.text(person, "full_name", f"{path}.full_name"),
            birth_date=r.day(person, "birth_date", f"{path}.birth_date"),
            sex=r.choice(person, "sex", f"{path}.sex", Sex, None),
            nationality=r.text(person, "nationality", f"{path}.nationality"),
            document_type=r.text(person, "document_type", f"{path}.document_type"),
            document_number=r.text(person, "document_number", f"{path}.document_number"),
            address=r.text(person, "address", f"{path}.address"),
            other_roles=tuple(other_roles),
            document_issued_on=r.day(person, "document_issued_on", f"{path}.document_issued_on"),
            **{name: r.text(person, name, f"{path}.{name}") for name in PERSON_TEXT_FIELDS_2},
        ))
    attachments = []
    for path, row in r.rows(top, "attachments"):
        attachment = r.obj(row, path, ATTACHMENT_KEYS)
        attachments.append(Attachment(
            sha256=r.text(attachment, "sha256", f"{path}.sha256"),
            filename=r.text(attachment, "filename", f"{path}.filename"),
            media_type=r.text(attachment, "media_type", f"{path}.media_type"),
            size=r.integer(attachment, "size", f"{path}.size") or 0,
            caption=r.text(attachment, "caption", f"{path}.caption"),
        ))
    documents = []
    for path, row in r.rows(top, "documents"):
        document = r.obj(row, path, DOCUMENT_KEYS)
        documents.append(TransportDocument(kind=r.text(document, "kind", f"{path}.kind"),
                                           number=r.text(document, "number", f"{path}.number"),
                                           issued_on=r.day(document, "issued_on", f"{path}.issued_on")))
    officers = []
    for path, row in r.rows(top, "officers"):
        officer = r.obj(row, path, OFFICER_KEYS)
        officers.append(Officer(**{key: r.text(officer, key, f"{path}.{key}") for key in OFFICER_KEYS}))
    case = Case(
        id=r.text(top, "id", "id") or None,
        case_number=r.text(top, "case_number", "case_number"),
        post_code=r.text(top, "post_code", "post_code", default_post) or default_post,
        occurred_at=occurred,
        timezone=zone,
        direction=r.choice(top, "direction", "direction", Direction, Direction.ENTRY),
        **keyword_fields({name: r.text(top, name, name) for name in CONTENT_FIELDS
                      if name not in ("case_number", "post_code", "timezone")}),
        items=tuple(items),
        persons=tuple(persons),
        attachments=tuple(attachments),
        time_precision=r.choice(top, "time_precision", "time_precision", TimePrecision, TimePrecision.EXACT),
        **keyword_fields({name: r.text(top, name, name) for name in CASE_TEXT_FIELDS_2}),
        **keyword_fields({name: r.codes(top, name, name) for name in CASE_CODE_LISTS_2}),
        declared_weight=r.decimal(top, "declared_weight", "declared_weight"),
        documents=tuple(documents),
        officers=tuple(officers),
        copies=r.integer(top, "copies", "copies"),
        ended_at=ended,
    )
    if case.occurred_at is None and not any(e.field == "occurred_at" for e in r.errors):
        r.fail("occurred_at", N_("Enter the date and time of the seizure."))
    if r.errors:
        raise ValidationError(r.errors)
    return case
