"""The case editor: incident, persons, conveyance and route, seized items, photos, narrative, history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import datetime, timezone
from typing import TYPE_CHECKING, cast
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.entities import DEFAULT_TIMEZONE, Attachment, Case, Person, Revision, SeizedItem
from blo_desk.domain.enums import CaseStatus, Direction, PersonRole, Sex
from blo_desk.domain.errors import DomainError, FieldError, ValidationError
from blo_desk.domain.rules import case_errors
from blo_desk.i18n import N_, _, translator
from blo_desk.ui.dialogs import AmendDialog, confirm, inform
from blo_desk.ui.forms import (
    CodeCombo,
    Field,
    ParseError,
    format_date,
    format_time,
    parse_date,
    parse_decimal,
    parse_int,
    parse_time,
    plain_decimal,
)

from blo_desk.ui.recovery import RecoveryFile
from blo_desk.ui.reference import ReferenceData
from blo_desk.ui.tasks import TaskRunner
from blo_desk.ui.widgets.photos import PhotosPanel
from blo_desk.ui.widgets.records import ColumnSpec, FieldSpec, RecordsEditor

if TYPE_CHECKING:
    from blo_desk.ports import ServicesPort

ZONES = {"UZ": "Asia/Tashkent", "TJ": "Asia/Dushanbe", "KZ": "Asia/Almaty", "KG": "Asia/Bishkek",
         "TM": "Asia/Ashgabat"}
CURRENCIES = ("UZS", "USD", "EUR", "RUB", "KZT", "KGS", "TJS", "TMT", "CNY")
AUTOSAVE_MS = 30_000
RECOVERY_MS = 800

SECTION_INCIDENT, SECTION_PERSONS, SECTION_CONVEYANCE, SECTION_ITEMS, SECTION_PHOTOS, SECTION_NARRATIVE, \
    SECTION_HISTORY = range(7)
SECTION_TITLES = (N_("&1 Incident"), N_("&2 Persons"), N_("&3 Conveyance and route"), N_("&4 Seized items"),
                  N_("&5 Photos"), N_("&6 Narrative and legal basis"), N_("&7 History"))

# Case fields: key, label, kind, section.  Keys are the field paths of ValidationError (occurred_at is split in two).
CASE_FIELDS = (
    ("post_code", N_("Crossing point"), "combo", SECTION_INCIDENT),
    ("occurred_date", N_("Date (DD.MM.YYYY)"), "text", SECTION_INCIDENT),
    ("occurred_time", N_("Time (HH:MM)"), "text", SECTION_INCIDENT),
    ("direction", N_("Direction"), "combo", SECTION_INCIDENT),
    ("agency", N_("Agency"), "combo", SECTION_INCIDENT),
    ("procedure", N_("Procedure"), "text", SECTION_INCIDENT),
    ("detection_method", N_("How detected"), "combo", SECTION_INCIDENT),
    ("conveyance_type", N_("Conveyance"), "combo", SECTION_CONVEYANCE),
    ("conveyance_registration", N_("Registration, wagon or flight"), "text", SECTION_CONVEYANCE),
    ("origin_country", N_("From country"), "combo", SECTION_CONVEYANCE),
    ("destination_country", N_("To country"), "combo", SECTION_CONVEYANCE),
    ("concealment_method", N_("Concealment"), "combo", SECTION_CONVEYANCE),
    ("concealment_details", N_("Concealment details"), "text", SECTION_CONVEYANCE),
    ("narrative", N_("Narrative"), "long", SECTION_NARRATIVE),
    ("legal_basis", N_("Legal basis"), "long", SECTION_NARRATIVE),
)
ERROR_ALIASES = {"occurred_at": "occurred_date"}
ITEM_KEYS = ("category", "description", "brand", "quantity", "unit", "packages", "value", "currency", "seals")
PERSON_KEYS = ("role", "full_name", "birth_date", "sex", "nationality", "document_type", "document_number", "address")
HISTORY_HEADERS = (N_("Revision"), N_("Saved at"), N_("Status"), N_("Reason"), N_("By"))


def zone_for_post(post_code: str, fallback: str = DEFAULT_TIMEZONE) -> str:
    return ZONES.get(post_code[:2], fallback)


def item_to_raw(item: SeizedItem) -> dict:
    return {"category": item.category, "description": item.description, "brand": item.brand,
            "quantity": plain_decimal(item.quantity), "unit": item.unit,
            "packages": "" if item.packages is None else str(item.packages), "value": plain_decimal(item.value),
            "currency": item.currency, "seals": item.seals}


def person_to_raw(person: Person) -> dict:
    return {"role": str(person.role), "full_name": person.full_name, "birth_date": format_date(person.birth_date),
            "sex": "" if person.sex is None else str(person.sex), "nationality": person.nationality,
            "document_type": person.document_type, "document_number": person.document_number,
            "address": person.address}


class CaseEditorPage(QWidget):
    """Edits one case; saves drafts on a worker (automatically, too) and keeps a recovery copy of typed text."""

    saved = Signal(object)  # Case
    status_message = Signal(str)
    state_changed = Signal()  # mode, dirty or case changed: the actions refresh
    save_failed = Signal(object)  # the exception; the form keeps what was typed

    def __init__(self, runner: TaskRunner, *, recovery: RecoveryFile | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("caseEditor")
        self._runner = runner
        self.recovery = recovery
        self.services: ServicesPort | None = None
        self.reference = ReferenceData()
        self.case: Case | None = None  # the case as last loaded or saved
        self.mode = "draft"  # draft | final | amend
        self.amend_reason = ""
        self._baseline: dict | None = None
        self._saving = False
        self._save_again = False
        self._after_save: list[Callable[[Case], None]] = []
        self._loading = False
        self.closing = False  # set by the window while it closes: no dialogs then
        self.errors: list[FieldError] = []
        self.history: list[Revision] = []

        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveButton")
        self.save_button.clicked.connect(lambda: self.save())
        self.finalize_button = QPushButton()
        self.finalize_button.setObjectName("finalizeButton")
        self.finalize_button.clicked.connect(self.ask_finalize)
        self.amend_button = QPushButton()
        self.amend_button.setObjectName("amendButton")
        self.amend_button.clicked.connect(self.ask_amend)
        for button in (self.save_button, self.finalize_button, self.amend_button):
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        header = QHBoxLayout()
        header.addWidget(self.banner, 1)
        header.addWidget(self.save_button)
        header.addWidget(self.finalize_button)
        header.addWidget(self.amend_button)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("sections")
        self.tabs.setDocumentMode(True)
        self.fields: dict[str, Field] = {}
        forms = {}
        pages = []
        for section in range(len(SECTION_TITLES)):
            page = QWidget()
            pages.append(page)
            if section in (SECTION_INCIDENT, SECTION_CONVEYANCE, SECTION_NARRATIVE):
                host = QWidget()
                host.setMaximumWidth(900)
                outer = QHBoxLayout(page)
                outer.addWidget(host, 1)
                outer.addStretch(0)
                form = QFormLayout(host)
                form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
                forms[section] = form
        self.summary_label = QLabel()
        self.summary_label.setObjectName("caseSummary")
        forms[SECTION_INCIDENT].addRow(self.summary_label)
        for key, label, kind, section in CASE_FIELDS:
            widget = self._make_field_widget(key, kind)
            field = Field(key, label, widget)
            self.fields[key] = field
            forms[section].addRow(field.label, field)
            self._watch(widget)
        cast(QLineEdit, self.fields["occurred_date"].widget).setPlaceholderText("20.04.2024")
        cast(QLineEdit, self.fields["occurred_time"].widget).setPlaceholderText("10:40")
        cast(CodeCombo, self.fields["post_code"].widget).code_changed.connect(self._post_changed)

        self.items = RecordsEditor(
            prefix="items",
            fields=[
                FieldSpec("category", N_("Commodity"), "combo", lambda: self._ref_choices("commodity_category")),
                FieldSpec("description", N_("Description")),
                FieldSpec("brand", N_("Brand or markings")),
                FieldSpec("quantity", N_("Quantity")),
                FieldSpec("unit", N_("Unit"), "combo", lambda: self._ref_choices("unit")),
                FieldSpec("packages", N_("Packages")),
                FieldSpec("value", N_("Estimated value")),
                FieldSpec("currency", N_("Currency"), "combo", lambda: [(c, c) for c in CURRENCIES],
                          editable_codes=True, blank=False),
                FieldSpec("seals", N_("Seals")),
            ],
            columns=[
                ColumnSpec(N_("No."), lambda r: ""),
                ColumnSpec(N_("Commodity"), lambda r: self.reference.label("commodity_category", r["category"])),
                ColumnSpec(N_("Description"), self._describe_item),
                ColumnSpec(N_("Quantity"), self._quantity_text),
                ColumnSpec(N_("Value"), self._value_text),
            ],
            defaults={k: "" for k in ITEM_KEYS} | {"currency": "UZS"},
            add_text=N_("Add item"), remove_text=N_("Remove item"), row_label=N_("Item {number}"),
            empty_text=N_("No seized items yet. Press Add item (Alt+Insert)."),
        )
        self.persons = RecordsEditor(
            prefix="persons",
            fields=[
                FieldSpec("role", N_("Role"), "combo", lambda: [(str(r), r.label) for r in PersonRole], blank=False),
                FieldSpec("full_name", N_("Full name")),
                FieldSpec("birth_date", N_("Date of birth (DD.MM.YYYY)")),
                FieldSpec("sex", N_("Sex"), "combo", lambda: [(str(s), s.label) for s in Sex]),
                FieldSpec("nationality", N_("Nationality"), "combo", self._country_choices),
                FieldSpec("document_type", N_("Document"), "combo", lambda: self._ref_choices("document_type")),
                FieldSpec("document_number", N_("Document number")),
                FieldSpec("address", N_("Address")),
            ],
            columns=[
                ColumnSpec(N_("No."), lambda r: ""),
                ColumnSpec(N_("Role"), lambda r: PersonRole(r["role"]).label if r["role"] in set(PersonRole) else ""),
                ColumnSpec(N_("Full name"), lambda r: r["full_name"]),
                ColumnSpec(N_("Document"), lambda r: " ".join(
                    x for x in (self.reference.label("document_type", r["document_type"]), r["document_number"]) if x)),
            ],
            defaults={k: "" for k in PERSON_KEYS} | {"role": str(PersonRole.SUSPECT)},
            add_text=N_("Add person"), remove_text=N_("Remove person"), row_label=N_("Person {number}"),
            empty_text=N_("No persons yet. Press Add person (Alt+Insert)."),
        )
        for records in (self.items, self.persons):
            records.changed.connect(self._changed)
        QVBoxLayout(pages[SECTION_PERSONS]).addWidget(self.persons)
        QVBoxLayout(pages[SECTION_ITEMS]).addWidget(self.items)
        self.photos = PhotosPanel(runner)
        self.photos.changed.connect(self._changed)
        QVBoxLayout(pages[SECTION_PHOTOS]).addWidget(self.photos)
        self.history_table = QTableWidget(0, len(HISTORY_HEADERS))
        self.history_table.setObjectName("historyTable")
        self.history_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history_table.verticalHeader().setVisible(False)
        self.history_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.history_table.horizontalHeader().setStretchLastSection(True)
        QVBoxLayout(pages[SECTION_HISTORY]).addWidget(self.history_table)
        for section, page in enumerate(pages):
            if section in (SECTION_INCIDENT, SECTION_CONVEYANCE, SECTION_NARRATIVE):
                scroll = QScrollArea()
                scroll.setWidgetResizable(True)
                scroll.setWidget(page)
                scroll.setFrameShape(QScrollArea.Shape.NoFrame)
                self.tabs.addTab(scroll, "")
            else:
                self.tabs.addTab(page, "")
        self.tabs.currentChanged.connect(self._section_changed)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self._autosave_now)
        self._recovery_timer = QTimer(self)
        self._recovery_timer.setSingleShot(True)
        self._recovery_timer.setInterval(RECOVERY_MS)
        self._recovery_timer.timeout.connect(self.write_recovery)
        self.retranslate()
        self._apply_mode()

    # --- widgets -----------------------------------------------------------------------------------------
    def _make_field_widget(self, key: str, kind: str) -> QWidget:
        if kind == "long":
            widget = QPlainTextEdit()
            widget.setTabChangesFocus(True)
            widget.setMinimumHeight(90 if key == "legal_basis" else 200)
            return widget
        if kind == "text":
            return QLineEdit()
        choices = {
            "post_code": self._post_choices,
            "direction": lambda: [(str(d), d.label) for d in Direction],
            "agency": lambda: self._ref_choices("agency"),
            "detection_method": lambda: self._ref_choices("detection_method"),
            "conveyance_type": lambda: self._ref_choices("conveyance_type"),
            "origin_country": self._country_choices,
            "destination_country": self._country_choices,
            "concealment_method": lambda: self._ref_choices("concealment_method"),
        }[key]
        return CodeCombo(choices, blank=key not in ("direction", "post_code"))

    def _watch(self, widget: QWidget) -> None:
        if isinstance(widget, CodeCombo):
            widget.code_changed.connect(lambda _v: self._changed())
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(self._changed)
        elif isinstance(widget, QLineEdit):
            widget.textChanged.connect(lambda _v: self._changed())

    def _ref_choices(self, kind: str) -> list[tuple[str, str]]:
        return [(i.code, self.reference.label(kind, i.code)) for i in self.reference.items(kind) if i.active]

    def _country_choices(self) -> list[tuple[str, str]]:
        return [(i.code, f"{self.reference.label('country', i.code)} ({i.code})")
                for i in self.reference.items("country")]

    def _post_choices(self) -> list[tuple[str, str]]:
        return [(p.code, f"{self.reference.post_name(p.code)} ({p.code})") for p in self.reference.posts if p.active]

    def _describe_item(self, r: dict) -> str:
        return " — ".join(x for x in (r["description"], r["brand"]) if x)

    def _quantity_text(self, r: dict) -> str:
        try:
            quantity = parse_decimal(r["quantity"])
        except ParseError:
            return r["quantity"]
        unit = self.reference.label("unit", r["unit"])
        number = translator().format_number(quantity) if quantity is not None else ""
        return " ".join(x for x in (number, unit) if x)

    def _value_text(self, r: dict) -> str:
        try:
            value = parse_decimal(r["value"])
        except ParseError:
            return r["value"]
        currency = (r["currency"] or "UZS").upper()
        try:
            return translator().format_money(value, currency) if value is not None else ""
        except Exception:  # noqa: BLE001 - an unknown currency code typed by hand is shown as typed
            return f"{r['value']} {currency}"

    # --- wiring ----------------------------------------------------------------------------------------------
    def set_services(self, services: ServicesPort, reference: ReferenceData) -> None:
        self.services = services
        self.reference = reference
        self.photos.add_file = lambda path: services.attachments.add_file(path=path)
        self.photos.read_bytes = lambda sha: services.attachments.read_bytes(sha256=sha)
        self.retranslate()

    # --- loading ---------------------------------------------------------------------------------------------
    def new_case(self, template: Case) -> None:
        """Show an unsaved case (post, time and agency already filled in)."""
        self.load_case(template)

    def load_case(self, case: Case) -> None:
        self._loading = True
        try:
            self.case = case
            self.mode = "final" if case.is_finalized else "draft"
            self.amend_reason = ""
            local = case.occurred_at.astimezone(ZoneInfo(case.timezone)) if case.occurred_at else None
            values = {key: str(getattr(case, key, "") or "") for key, *_rest in CASE_FIELDS
                      if key not in ("occurred_date", "occurred_time")}
            values["occurred_date"] = format_date(local.date()) if local else ""
            values["occurred_time"] = format_time(local) if local else ""
            for key, field in self.fields.items():
                field.set_value(values.get(key, ""))
            self.items.set_records([item_to_raw(i) for i in case.items])
            self.persons.set_records([person_to_raw(p) for p in case.persons])
            self.photos.set_attachments(case.attachments)
            self.show_errors([])
            self.history = []
            self._fill_history()
            self._baseline = self._content()
            self.tabs.setCurrentIndex(SECTION_INCIDENT)
        finally:
            self._loading = False
        self._apply_mode()
        if case.id:
            self.load_history()
        self.state_changed.emit()

    def load_history(self) -> None:
        if self.services is None or self.case is None or not self.case.id:
            return
        case_id = self.case.id
        cases = self.services.cases
        self._runner.run(lambda: cases.history(case_id=case_id), on_done=lambda h: self._history_loaded(case_id, h),
                         on_error=lambda _exc: None)

    def _history_loaded(self, case_id: str, history: list[Revision]) -> None:
        if self.case is not None and self.case.id == case_id:
            self.history = list(history)
            self._fill_history()
            self.state_changed.emit()  # who created the case is known now: the actions follow the role rules

    def _fill_history(self) -> None:
        table = self.history_table
        table.setRowCount(len(self.history))
        t = translator()
        for row, rev in enumerate(self.history):
            zone = self.case.timezone if self.case else None
            values = (str(rev.revision), t.format_datetime(rev.saved_at, "short", tz=zone), rev.status.label,
                      rev.reason, rev.actor)
            for column, text in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(text))
        table.setHorizontalHeaderLabels([_(h) for h in HISTORY_HEADERS])

    # --- raw state (what was typed, exactly) ---------------------------------------------------------------------
    def _content(self) -> dict:
        return {
            "fields": {key: field.value() for key, field in self.fields.items()},
            "items": [dict(r) for r in self.items.records],
            "persons": [dict(r) for r in self.persons.records],
            "attachments": [asdict(a) for a in self.photos.attachments],
        }

    def raw_state(self) -> dict:
        meta = {}
        if self.case is not None:
            meta = {"id": self.case.id, "case_number": self.case.case_number, "revision": self.case.revision,
                    "status": str(self.case.status), "timezone": self.case.timezone,
                    "created_at": self.case.created_at.isoformat() if self.case.created_at else None}
        return {"version": 1, "meta": meta, "mode": self.mode, "amend_reason": self.amend_reason,
                "saved_at": datetime.now().astimezone().isoformat(), **self._content()}

    def restore_raw_state(self, state: dict, base: Case) -> None:
        """Put a recovery copy back: `base` is the stored case (or a new template) it was typed over."""
        self.load_case(base)
        self._loading = True
        try:
            for key, value in (state.get("fields") or {}).items():
                if key in self.fields:
                    self.fields[key].set_value(str(value))
            self.items.set_records([{k: str(v) for k, v in r.items()} for r in state.get("items") or []])
            self.persons.set_records([{k: str(v) for k, v in r.items()} for r in state.get("persons") or []])
            self.photos.set_attachments([Attachment(**a) for a in state.get("attachments") or []])
            if state.get("mode") == "amend" and base.is_finalized:
                self.mode = "amend"
                self.amend_reason = state.get("amend_reason", "")
        finally:
            self._loading = False
        self._apply_mode()
        self.state_changed.emit()

    @property
    def dirty(self) -> bool:
        return self.case is not None and self._baseline is not None and self._content() != self._baseline

    @property
    def is_new(self) -> bool:
        return self.case is not None and not self.case.id

    def _changed(self) -> None:
        if self._loading:
            return
        if self.dirty:
            self._recovery_timer.start()
            if self.mode == "draft" and not self._autosave.isActive():
                self._autosave.start()
        self.state_changed.emit()

    def write_recovery(self) -> None:
        if self.recovery is None:
            return
        if self.dirty:
            self.recovery.write(self.raw_state())
        else:
            self.recovery.clear()

    # --- collecting the form into a Case ---------------------------------------------------------------------------
    def collect(self) -> tuple[Case, list[FieldError]]:
        """The Case the form describes, and the fields that cannot be understood (parse errors; left empty)."""
        assert self.case is not None
        errors: list[FieldError] = []
        values = {key: field.value() for key, field in self.fields.items()}

        def parse(path: str, parser, text: str):
            try:
                return parser(text)
            except ParseError as exc:
                errors.append(FieldError(path, exc.message))
                return None

        post_code = values["post_code"]
        zone_name = zone_for_post(post_code, self.case.timezone) if post_code else self.case.timezone
        day = parse("occurred_date", parse_date, values["occurred_date"])
        moment = parse("occurred_time", parse_time, values["occurred_time"])
        occurred_at = None
        if day is not None:
            occurred_at = datetime.combine(day, moment or datetime.min.time(), ZoneInfo(zone_name))
        elif not any(e.field == "occurred_date" for e in errors):
            errors.append(FieldError("occurred_date", N_("Enter the date and time of the seizure.")))
        if day is not None and moment is None and not any(e.field == "occurred_time" for e in errors):
            errors.append(FieldError("occurred_time", N_("Enter the time as HH:MM.")))

        items = []
        for index, raw in enumerate(self.items.records):
            path = f"items.{index}"
            items.append(SeizedItem(
                category=raw["category"], description=raw["description"].strip(), brand=raw["brand"].strip(),
                quantity=parse(f"{path}.quantity", parse_decimal, raw["quantity"]), unit=raw["unit"],
                packages=parse(f"{path}.packages", parse_int, raw["packages"]),
                value=parse(f"{path}.value", parse_decimal, raw["value"]),
                currency=(raw["currency"] or "").strip().upper(), seals=raw["seals"].strip()))
        persons = []
        for index, raw in enumerate(self.persons.records):
            path = f"persons.{index}"
            persons.append(Person(
                role=PersonRole(raw["role"]) if raw["role"] in set(PersonRole) else PersonRole.SUSPECT,
                full_name=raw["full_name"].strip(),
                birth_date=parse(f"{path}.birth_date", parse_date, raw["birth_date"]),
                sex=Sex(raw["sex"]) if raw["sex"] in set(Sex) else None, nationality=raw["nationality"],
                document_type=raw["document_type"], document_number=raw["document_number"].strip(),
                address=raw["address"].strip()))
        case = replace(
            self.case,
            post_code=post_code,
            timezone=zone_name,
            occurred_at=occurred_at,
            direction=Direction(values["direction"]) if values["direction"] in set(Direction) else Direction.ENTRY,
            agency=values["agency"],
            procedure=values["procedure"].strip(),
            detection_method=values["detection_method"],
            conveyance_type=values["conveyance_type"],
            conveyance_registration=values["conveyance_registration"].strip(),
            origin_country=values["origin_country"],
            destination_country=values["destination_country"],
            concealment_method=values["concealment_method"],
            concealment_details=values["concealment_details"].strip(),
            narrative=values["narrative"].strip(),
            legal_basis=values["legal_basis"].strip(),
            items=tuple(items),
            persons=tuple(persons),
            attachments=tuple(self.photos.attachments),
        )
        return case, errors

    def _all_errors(self, case: Case, parse_errors: list[FieldError]) -> list[FieldError]:
        """Parse errors plus what the domain rules say about the rest, so every problem is marked at once."""
        taken = {ERROR_ALIASES.get(e.field, e.field) for e in parse_errors}
        if "occurred_time" in taken:
            taken.add("occurred_date")
        rules = [e for e in case_errors(case, now=datetime.now(timezone.utc))
                 if ERROR_ALIASES.get(e.field, e.field) not in taken]
        return parse_errors + rules

    # --- errors next to their fields -------------------------------------------------------------------------------
    def show_errors(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        by_field: dict[str, list[FieldError]] = {}
        for error in errors:
            key = ERROR_ALIASES.get(error.field, error.field)
            by_field.setdefault(key, []).append(error)
        for key, field in self.fields.items():
            field.set_errors(by_field.get(key, []))
        self.items.set_errors(errors)
        self.persons.set_errors(errors)
        self._retitle_tabs()

    def _error_sections(self) -> set[int]:
        sections = set()
        for error in self.errors:
            root = ERROR_ALIASES.get(error.field, error.field).split(".")[0]
            if root == "items":
                sections.add(SECTION_ITEMS)
            elif root == "persons":
                sections.add(SECTION_PERSONS)
            else:
                sections.update(s for k, _l, _k, s in CASE_FIELDS if k == root)
        return sections

    def focus_first_error(self) -> None:
        if not self.errors:
            return
        order = [k for k, *_r in CASE_FIELDS]
        keyed = sorted(self.errors, key=lambda e: (
            order.index(ERROR_ALIASES.get(e.field, e.field)) if ERROR_ALIASES.get(e.field, e.field) in order
            else len(order)))
        first = ERROR_ALIASES.get(keyed[0].field, keyed[0].field)
        if first in self.fields:
            section = next(s for k, _l, _k, s in CASE_FIELDS if k == first)
            self.tabs.setCurrentIndex(section)
            self.fields[first].widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        records = self.items if first.startswith("items") else self.persons
        self.tabs.setCurrentIndex(SECTION_ITEMS if records is self.items else SECTION_PERSONS)
        row = records.first_error_row()
        if row is not None:
            records.select(row)
            key = next((e.field.split(".")[2] for e in self.errors
                        if e.field.startswith(f"{records.prefix}.{row}.") and e.field.count(".") == 2), None)
            if key in records.fields:
                records.fields[key].widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- saving -------------------------------------------------------------------------------------------------------
    def save(self, *, then: Callable[[Case], None] | None = None, quiet: bool = False) -> bool:
        """Save the draft (or the amendment) on a worker; False when the form has errors or nothing to save to."""
        if self.services is None or self.case is None or self.mode == "final":
            return False
        if then is not None:
            self._after_save.append(then)
        if self._saving:
            self._save_again = True
            return True
        if self.photos.busy:
            # A photo is still being copied into the store; save right after it arrives.
            QTimer.singleShot(200, lambda: self.save(quiet=quiet))
            return True
        case, errors = self.collect()
        if errors:
            self.show_errors(self._all_errors(case, errors))
            if not quiet:
                self.focus_first_error()
                self.status_message.emit(_("Not saved: correct the marked fields."))
            self._after_save.clear()
            return False
        if not self.dirty and not self.is_new and self.mode == "draft":
            self.show_errors([])
            callbacks, self._after_save = self._after_save, []
            for callback in callbacks:
                callback(self.case)
            return True
        self._autosave.stop()
        self._saving = True
        content = self._content()
        cases = self.services.cases
        if self.mode == "amend":
            reason = self.amend_reason
            work = lambda: cases.amend(case=case, reason=reason)  # noqa: E731
        else:
            work = lambda: cases.save(case=case)  # noqa: E731
        self.status_message.emit(_("Saving…"))
        self._runner.run(work, on_done=lambda saved: self._saved(saved, content),
                         on_error=lambda exc: self._save_failed(exc, quiet))
        self.state_changed.emit()
        return True

    def _saved(self, saved: Case, content: dict) -> None:
        self._saving = False
        self.case = saved
        self.mode = "final" if saved.is_finalized else "draft"
        self.amend_reason = ""
        self._baseline = content
        self.show_errors([])
        self._apply_mode()
        self.write_recovery()
        t = translator()
        self.status_message.emit(_("Saved {case_number}, revision {revision}, at {time}.").format(
            case_number=saved.case_number, revision=saved.revision, time=t.format_time(saved.updated_at, tz=saved.timezone)))
        self.load_history()
        self.saved.emit(saved)
        self.state_changed.emit()
        if self._save_again:
            self._save_again = False
            if self.dirty and self.save():
                # The queued callbacks (finalize, leave the editor) stay in _after_save: they run once this last
                # save is done, with its revision, not the one just superseded.
                return
        callbacks, self._after_save = self._after_save, []
        for callback in callbacks:
            callback(saved)

    def _save_failed(self, exc: BaseException, quiet: bool) -> None:
        self._saving = False
        self._save_again = False
        self._after_save.clear()
        self.save_failed.emit(exc)
        if self.closing:
            return
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors)
            if not quiet:
                self.focus_first_error()
                self.status_message.emit(exc.translated().splitlines()[0])
        else:
            if isinstance(exc, DomainError):
                text = exc.translated()
            else:
                text = _("The case could not be saved: {reason}").format(reason=str(exc))
            if quiet:
                # An autosave nobody asked for: no modal dialog in the middle of typing, a line in the status bar.
                self.status_message.emit(text)
            else:
                inform(self, title=_("Not saved"), text=text, error=True,
                       details="" if isinstance(exc, DomainError) else getattr(exc, "traceback_text", ""))
        self.write_recovery()
        self.state_changed.emit()

    def _autosave_now(self) -> None:
        if self.mode == "draft" and self.dirty:
            self.save(quiet=True)

    @property
    def saving(self) -> bool:
        return self._saving

    # --- lifecycle ---------------------------------------------------------------------------------------------------
    def ask_finalize(self) -> None:
        if self.case is None or self.mode != "draft" or self.services is None:
            return
        number = self.case.case_number or _("(new case)")
        self.finalize_dialog = confirm(
            self,
            title=_("Finalize case"),
            text=_("Finalize case {case_number}?").format(case_number=number),
            informative=_("A finalized case cannot be edited; later changes are amendments with a reason."),
            accept_text=_("Finalize"),
            on_accept=self.finalize,
        )

    def finalize(self) -> None:
        """Save what is typed, then finalize it on a worker; the editor becomes read-only."""
        if self.case is None or self.mode != "draft":
            return
        self.save(then=self._finalize_saved)

    def _finalize_saved(self, case: Case) -> None:
        assert self.services is not None and case.id is not None  # it saved
        cases, case_id = self.services.cases, case.id
        self._runner.run(lambda: cases.finalize(case_id=case_id, expected_revision=case.revision),
                         on_done=lambda final: self._finalized(final), on_error=lambda exc: self._save_failed(exc, False))

    def _finalized(self, final: Case) -> None:
        self.load_case(final)
        self.write_recovery()
        self.status_message.emit(_("Case {case_number} is finalized.").format(case_number=final.case_number))
        self.saved.emit(final)

    def ask_amend(self) -> None:
        if self.case is None or self.mode != "final":
            return
        self.amend_dialog = AmendDialog(self, case_number=self.case.case_number, on_reason=self.start_amendment)
        self.amend_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.amend_dialog.open()

    def start_amendment(self, reason: str) -> None:
        self.mode = "amend"
        self.amend_reason = reason
        self._apply_mode()
        self.state_changed.emit()

    def discard_changes(self) -> None:
        if self.case is not None:
            self.load_case(self.case)
            self.write_recovery()

    def _apply_mode(self) -> None:
        read_only = self.mode == "final"
        for field in self.fields.values():
            field.set_read_only(read_only)
        self.items.set_read_only(read_only)
        self.persons.set_read_only(read_only)
        self.photos.set_read_only(read_only)
        self.save_button.setVisible(self.mode != "final")
        self.finalize_button.setVisible(self.mode == "draft")
        self.amend_button.setVisible(self.mode == "final")
        self.banner.setObjectName("bannerFinal" if read_only else "banner")
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self._retitle()

    # --- navigation ------------------------------------------------------------------------------------------------------
    def next_section(self, step: int = 1) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def _section_changed(self, section: int) -> None:
        self.focus_section(section)

    def focus_section(self, section: int) -> None:
        first = {
            SECTION_INCIDENT: self.fields["post_code"].widget,
            SECTION_PERSONS: self.persons.table if self.persons.records else self.persons.add_button,
            SECTION_CONVEYANCE: self.fields["conveyance_type"].widget,
            SECTION_ITEMS: self.items.table if self.items.records else self.items.add_button,
            SECTION_PHOTOS: self.photos.add_button if self.photos.add_button.isEnabled() else self.photos.list,
            SECTION_NARRATIVE: self.fields["narrative"].widget,
            SECTION_HISTORY: self.history_table,
        }[section]
        first.setFocus(Qt.FocusReason.TabFocusReason)

    def _post_changed(self, code: str) -> None:
        self._retitle()

    # --- language -----------------------------------------------------------------------------------------------------------
    def _retitle(self) -> None:
        case = self.case
        if case is None:
            text = ""
        elif not case.id:
            text = _("New case, not saved yet")
        elif self.mode == "amend":
            text = _("Amending case {case_number} (revision {revision}). Reason: {reason}").format(
                case_number=case.case_number, revision=case.revision, reason=self.amend_reason)
        elif self.mode == "final":
            text = _("Case {case_number} is finalized (revision {revision}) and read-only. Use Amend to change it.") \
                .format(case_number=case.case_number, revision=case.revision)
        else:
            text = _("Draft {case_number}, revision {revision}").format(case_number=case.case_number,
                                                                        revision=case.revision)
        self.banner.setText(text)
        if case is not None and case.id:
            summary = _("{case_number} · {status} · created {created}").format(
                case_number=case.case_number, status=case.status.label,
                created=translator().format_datetime(case.created_at, "short", tz=case.timezone))
        else:
            summary = _("The case number is given when the case is first saved.")
        self.summary_label.setText(summary)

    def _retitle_tabs(self) -> None:
        bad = self._error_sections()
        for section, title in enumerate(SECTION_TITLES):
            text = _(title)
            self.tabs.setTabText(section, f"{text} ⚠" if section in bad else text)

    def retranslate(self) -> None:
        self._loading = True
        try:
            for field in self.fields.values():
                if isinstance(field.widget, CodeCombo):
                    field.widget.blockSignals(True)
                    field.widget.reload()
                    field.widget.blockSignals(False)
                field.retranslate()
            self.items.retranslate()
            self.persons.retranslate()
        finally:
            self._loading = False
        self.photos.retranslate()
        self.save_button.setText(_("Save"))
        self.finalize_button.setText(_("Finalize…"))
        self.amend_button.setText(_("Amend…"))
        self._retitle_tabs()
        self._retitle()
        self._fill_history()
        for dialog in self.findChildren(AmendDialog):
            dialog.retranslate()
