"""The case editor: incident, persons, conveyance and route, seized items, photos, narrative, history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, replace
from datetime import datetime, time, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.entities import Attachment, Case, Officer, Revision
from blo_desk.domain.enums import Direction, TimePrecision
from blo_desk.domain.errors import DomainError, FieldError, ValidationError
from blo_desk.domain.permissions import Action, allowed
from blo_desk.domain.rules import case_errors, finalize_errors
from blo_desk.domain.zones import zone_for_post
from blo_desk.i18n import N_, _, ngettext, translator
from blo_desk.ui.amounts import ItemNumbers
from blo_desk.ui.dialogs.common import AmendDialog, VoidDialog, confirm, inform
from blo_desk.ui.editor_state import SaveState
from blo_desk.ui.forms import (
    CodeCombo,
    Field,
    NumberField,
    ParseError,
    format_date,
    format_time,
    parse_date,
    parse_int,
    parse_time,
    plain_decimal,
)
from blo_desk.ui.pages.editor.documents import collect_documents, document_to_raw, documents_editor
from blo_desk.ui.pages.editor.field_widgets import field_widget, offence_choices, post_choices, post_country
from blo_desk.ui.pages.editor.form_sections import (
    CASE_FIELDS,
    FIELD_SECTION,
    FORM_SECTIONS,
    RECORD_SECTIONS,
    SECTION_CONVEYANCE,
    SECTION_HISTORY,
    SECTION_INCIDENT,
    SECTION_ITEMS,
    SECTION_NARRATIVE,
    SECTION_PERSONS,
    SECTION_PHOTOS,
    SECTION_SPLIT,
    SECTION_TITLES,
    VEHICLE_FIELDS,
    conveyance_fields,
    field_key,
)
from blo_desk.ui.pages.editor.history import fill_history, history_table
from blo_desk.ui.pages.editor.items import collect_items, item_to_raw, items_editor
from blo_desk.ui.pages.editor.officers import (
    PostOfficersButton,
    collect_officers,
    officer_record,
    officer_to_raw,
    officers_editor,
)
from blo_desk.ui.pages.editor.persons import collect_persons, person_to_raw, persons_editor
from blo_desk.ui.pages.editor.shared_links import SharedLinksPanel
from blo_desk.ui.recovery import RecoveryFile
from blo_desk.ui.reference import ReferenceData
from blo_desk.ui.tasks import TaskRunner
from blo_desk.ui.widgets.choices import CheckList, join_codes, split_codes
from blo_desk.ui.widgets.dates import DateLineEdit, respell_date
from blo_desk.ui.widgets.photos import PhotosPanel
from blo_desk.ui.widgets.records import RecordsEditor, respell_dates
from blo_desk.ui.widgets.whole_text import MessageLabel

if TYPE_CHECKING:
    from blo_desk.ports import ServicesPort
# What is typed is kept in the recovery copy (never saved as a revision by itself) this long after the last change.
RECOVERY_MS = 800
# Case fields collected by name in `collect`; every other field of CASE_FIELDS is taken as typed (text stripped).
SPECIAL_FIELDS = ("post_code", "occurred_date", "occurred_time", "direction", "time_precision", "ended_time")
OFFICERS_TITLE = N_("Seizing officers")
DOCUMENTS_TITLE = N_("Documents presented")
ADD_ME = N_("Add me")


class CaseEditorPage(QWidget):
    """Edits one case; saves on a worker when a person asks, and keeps a recovery copy of what is typed meanwhile."""

    saved = Signal(object)  # Case
    status_message = Signal(object)  # a str, or a function giving it in the active language (main_window.Message)
    notice = Signal(object)  # the same, for what the officer must read whole: a refusal (main_window.notice)
    notice_cleared = Signal()  # the refusal no longer holds (the marked fields were completed)
    state_changed = Signal()  # mode, dirty or case changed: the actions refresh
    save_failed = Signal(object)  # the exception; the form keeps what was typed
    open_shared = Signal(str)  # a linked record a counterpart shared: shown in Shared with us

    def __init__(self, runner: TaskRunner, *, recovery: RecoveryFile | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("caseEditor")
        self._runner = runner
        self.state = SaveState(content=self._content, raw_state=self.raw_state, recovery=recovery)
        self.services: ServicesPort | None = None
        self.reference = ReferenceData()
        self.case: Case | None = None  # the case as last loaded or saved
        self.mode = "draft"  # draft | final | amend | voided
        self.amend_reason = ""
        self._loading = False
        self.closing = False  # set by the window while it closes: no dialogs then
        self.errors: list[FieldError] = []
        self.history: list[Revision] = []
        self.may_amend = False  # whether the user may amend the finalized case on screen (set by the desk)
        self.me: Officer | None = None  # the logged-in user, for "Add me" among the seizing officers (set by the desk)
        self._officers_post: str | None = None  # the post whose users the "Officers of the post" menu lists

        header = self._make_header()
        self._make_sections(runner)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.tabs, 1)

        self._recovery_timer = QTimer(self)
        self._recovery_timer.setSingleShot(True)
        self._recovery_timer.setInterval(RECOVERY_MS)
        self._recovery_timer.timeout.connect(self.write_recovery)
        self.retranslate()
        self._apply_mode()

    # --- widgets -----------------------------------------------------------------------------------------
    def _make_header(self) -> QHBoxLayout:
        """The banner (draft, final or amending) and the Save, Finalize and Amend buttons."""
        self.banner = MessageLabel()
        self.banner.setObjectName("banner")
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
        return header

    def _make_sections(self, runner: TaskRunner) -> None:
        """One tab per section: the form sections (ui/pages/editor/form_sections.py), persons, items, photos, history."""
        self.tabs = QTabWidget()
        self.tabs.setObjectName("sections")
        self.tabs.setDocumentMode(True)
        self.fields: dict[str, Field] = {}
        self._form_of: dict[str, QFormLayout] = {}
        self.numbers = ItemNumbers(lambda: self.reference)
        forms: dict[int, list[QFormLayout]] = {}
        outers: dict[int, QVBoxLayout] = {}
        pages = []
        for section in range(len(SECTION_TITLES)):
            page = QWidget()
            pages.append(page)
            if section in FORM_SECTIONS:
                host = QWidget()
                split = section in SECTION_SPLIT
                host.setMaximumWidth(1300 if split else 900)
                outer = QVBoxLayout(page)
                row = QHBoxLayout()
                row.addWidget(host, 1)
                row.addStretch(0)
                outer.addLayout(row)
                columns = QHBoxLayout(host)
                columns.setContentsMargins(0, 0, 0, 0)
                columns.setSpacing(24)
                forms[section] = [QFormLayout() for _column in range(2 if split else 1)]
                for form in forms[section]:
                    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
                    form.setVerticalSpacing(4)  # each field keeps a line for its message below it already
                    form.setHorizontalSpacing(12)
                    column = QVBoxLayout()  # each column's rows at the top, however tall the other column is
                    column.addLayout(form)
                    if split:
                        column.addStretch(1)
                    columns.addLayout(column, 1)
                outers[section] = outer
        self.summary_label = MessageLabel()
        self.summary_label.setObjectName("caseSummary")
        outers[SECTION_INCIDENT].insertWidget(0, self.summary_label)
        for section, section_fields in FORM_SECTIONS.items():
            second = [f.key for f in section_fields].index(SECTION_SPLIT[section]) if section in SECTION_SPLIT \
                else len(section_fields)
            for position, case_field in enumerate(section_fields):
                widget = field_widget(case_field, lambda: self.reference)
                if case_field.kind == "weight":
                    field: Field = NumberField(case_field.key, case_field.label, cast(QLineEdit, widget),
                                               describe=self.numbers.weight_echo)
                else:
                    field = Field(case_field.key, case_field.label, widget)
                self.fields[case_field.key] = field
                form = forms[section][1 if position >= second else 0]
                self._form_of[case_field.key] = form
                form.addRow(field.label, field)
                form.setAlignment(field.label, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                self._watch(widget)
                if isinstance(field, NumberField):
                    cast(QLineEdit, widget).textChanged.connect(lambda _t, f=field: f.typed())
        combo = lambda key: cast(CodeCombo, self.fields[key].widget)  # noqa: E731
        combo("post_code").set_choices(self._post_choices)
        self._offences().set_choices(self._offence_choices)
        combo("post_code").code_changed.connect(self._post_changed)
        combo("conveyance_type").code_changed.connect(lambda _c: self._show_conveyance_fields())
        combo("time_precision").code_changed.connect(lambda _c: self._precision_changed())
        combo("agency").code_changed.connect(cast(CheckList, self.fields["joint_agencies"].widget).exclude)
        combo("detection_method").code_changed.connect(
            cast(CheckList, self.fields["other_detection_methods"].widget).exclude)

        self.items = items_editor(lambda: self.reference, self.numbers)
        self.persons = persons_editor(lambda: self.reference)
        self.officers = officers_editor(lambda: self.reference, lambda: self.fields["agency"].value())
        self.documents = documents_editor(lambda: self.reference)
        self.add_me_button = QPushButton()
        self.add_me_button.setObjectName("officersAddMe")
        self.add_me_button.clicked.connect(self.add_me)
        self.officers.button_row.insertWidget(1, self.add_me_button)
        self.post_officers_button = PostOfficersButton()
        self.post_officers_button.picked.connect(self.pick_officer)
        self.officers.button_row.insertWidget(2, self.post_officers_button)
        QWidget.setTabOrder(self.officers.add_button, self.add_me_button)
        QWidget.setTabOrder(self.add_me_button, self.post_officers_button)
        QWidget.setTabOrder(self.post_officers_button, self.officers.remove_button)
        self.records: dict[str, RecordsEditor] = {"items": self.items, "persons": self.persons,
                                                  "officers": self.officers, "documents": self.documents}
        for records in self.records.values():
            records.changed.connect(self._changed)
        self.record_titles = {}
        for prefix, title in (("officers", OFFICERS_TITLE), ("documents", DOCUMENTS_TITLE)):
            heading = QLabel()
            heading.setObjectName("sectionHeading")
            heading.setStyleSheet("font-weight: bold; margin-top: 6px;")
            self.record_titles[prefix] = (heading, title)
            outer = outers[RECORD_SECTIONS[prefix]]
            outer.addWidget(heading)
            outer.addWidget(self.records[prefix])
        for section in set(RECORD_SECTIONS.values()) & set(outers):
            outers[section].addStretch(1)  # the long texts of the narrative fill their page; the others sit on top
        self.items_scroll = _scrolled(self.items)
        self.persons_scroll = _scrolled(self.persons)
        QVBoxLayout(pages[SECTION_PERSONS]).addWidget(self.persons_scroll)
        QVBoxLayout(pages[SECTION_ITEMS]).addWidget(self.items_scroll)
        for section in (SECTION_PERSONS, SECTION_ITEMS):
            cast(QVBoxLayout, pages[section].layout()).setContentsMargins(0, 0, 0, 0)
        self.photos = PhotosPanel(runner)
        self.photos.changed.connect(self._changed)
        QVBoxLayout(pages[SECTION_PHOTOS]).addWidget(self.photos)
        self.history_table = history_table()
        history_page = QVBoxLayout(pages[SECTION_HISTORY])
        history_page.addWidget(self.history_table, 1)
        # what counterpart posts shared that was linked to this case (issue 16), under its history; hidden when none
        self.shared_links = SharedLinksPanel(runner)
        self.shared_links.open_record.connect(self.open_shared)
        self.shared_links.changed.connect(self._retitle)
        history_page.addWidget(self.shared_links)
        for section, page in enumerate(pages):
            if section in FORM_SECTIONS:
                self.tabs.addTab(_scrolled(page), "")
            else:
                self.tabs.addTab(page, "")
        self.tabs.currentChanged.connect(self._section_changed)
        self._label_forms = [form for section_forms in forms.values() for form in section_forms]
        self._steady_label_columns()

    def _steady_label_columns(self) -> None:
        """Each form's label column is as wide as its widest label, shown or not, so the fields do not slide
        sideways when the conveyance type hides the longest label ("Plate or registration number")."""
        for form in self._label_forms:
            items = [form.itemAt(row, QFormLayout.ItemRole.LabelRole) for row in range(form.rowCount())]
            labels = [w for w in (item.widget() for item in items if item is not None) if w is not None]
            width = max((label.sizeHint().width() for label in labels), default=0)
            for label in labels:
                label.setMinimumWidth(width)

    # --- fields that follow other fields ---------------------------------------------------------------------------
    def _show_conveyance_fields(self) -> None:
        """Only the fields that fit the conveyance type (a field with an error stays shown); the others keep
        their values."""
        shown = set(conveyance_fields(self.fields["conveyance_type"].value()))
        for key in VEHICLE_FIELDS:
            field = self.fields[key]
            visible = key in shown or bool(field.errors)
            if field.isHidden() == visible:
                self._form_of[key].setRowVisible(field, visible)

    def _post_choices(self) -> list[tuple[str, str]]:
        """The crossing points this user may save a case at (their own post), and the case's own post."""
        principal = self.services.principal if self.services is not None else None
        current = self.case.post_code if self.case is not None else ""
        return [(code, label) for code, label in post_choices(self.reference)
                if code == current or principal is None or allowed(principal, Action.CASE_CREATE, post_code=code)]

    def _offences(self) -> CheckList:
        return cast(CheckList, self.fields["offence_articles"].widget)

    def _offence_choices(self) -> list[tuple[str, str]]:
        """The articles of the chosen post's country, and those the case holds or the officer has ticked."""
        post = self.fields["post_code"].value() or (self.case.post_code if self.case is not None else "")
        held = (*(self.case.offence_articles if self.case is not None else ()), *self._offences().codes())
        return offence_choices(self.reference, country=post_country(self.reference, post), held=held)

    def _time_unknown(self) -> bool:
        return self.fields["time_precision"].value() == TimePrecision.UNKNOWN

    def _precision_changed(self) -> None:
        """An unknown time is not asked for: the time field is disabled (what was typed stays, unused), and its
        example ("10:40") is not shown there, where a greyed time reads like a time on record."""
        unknown = self._time_unknown()
        widget = cast(QLineEdit, self.fields["occurred_time"].widget)
        widget.setEnabled(not unknown)
        example = next(f.placeholder for f in CASE_FIELDS if f.key == "occurred_time")
        widget.setPlaceholderText("—" if unknown else example)

    def add_me(self) -> None:
        """Add the logged-in user to the seizing officers (or select them when they are there already)."""
        if self.me is not None:
            self.pick_officer(self.me)

    def pick_officer(self, officer: Officer) -> None:
        """Add a user of the post to the seizing officers with the name, rank and agency of their account (or
        select them when they are there already); focus goes to what the account did not know."""
        if self.read_only:
            return
        for row, record in enumerate(self.officers.records):
            if officer.username and record.get("username") == officer.username:
                self.officers.select(row)
                return
        self.officers.add_record(officer_record(officer, lead_agency=self.fields["agency"].value()))
        empty = "full_name" if not officer.full_name else "rank"
        self.officers.fields[empty].widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def load_post_officers(self, post_code: str) -> None:
        """Read the users of the case's post off the GUI thread, for the "Officers of the post" menu."""
        if self.services is None or post_code == self._officers_post:
            return
        self._officers_post = post_code
        self.post_officers_button.set_officers([])
        services = self.services
        if not post_code or not allowed(services.principal, Action.OFFICERS_LIST, post_code=post_code):
            return
        self._runner.run(lambda: services.users.post_officers(post_code=post_code),
                         on_done=lambda officers: self._post_officers_loaded(post_code, officers),
                         on_error=lambda _exc: None)  # the list stays empty; officers can still be typed in

    def _post_officers_loaded(self, post_code: str, officers: list[Officer]) -> None:
        if post_code == self._officers_post:
            self.post_officers_button.set_officers(officers)

    def _watch(self, widget: QWidget) -> None:
        changed = getattr(widget, "value_changed", None)  # a multi-choice (ui/widgets/choices.py)
        if changed is not None:
            changed.connect(self._changed)
        elif isinstance(widget, CodeCombo):
            widget.code_changed.connect(lambda _v: self._changed())
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(self._changed)
        elif isinstance(widget, QLineEdit):
            widget.textChanged.connect(lambda _v: self._changed())

    # --- wiring ----------------------------------------------------------------------------------------------
    def set_services(self, services: ServicesPort, reference: ReferenceData) -> None:
        self.services = services
        self.reference = reference
        self._officers_post = None
        self.photos.add_file = lambda path: services.attachments.add_file(path=path)
        self.photos.read_bytes = lambda sha: services.attachments.read_bytes(sha256=sha)
        principal = getattr(services, "principal", None)
        reads_shared = principal is not None and allowed(principal, Action.SHARE_READ)
        self.shared_links.set_sharing(services.sharing if reads_shared else None)
        self.retranslate()

    # --- loading ---------------------------------------------------------------------------------------------
    def new_case(self, template: Case) -> None:
        """Show an unsaved case (post, time and agency already filled in)."""
        self.load_case(template)

    def load_case(self, case: Case) -> None:
        self._loading = True
        try:
            self.case = case
            self.mode = _mode_of(case)
            self.amend_reason = ""
            cast(CodeCombo, self.fields["post_code"].widget).reload()  # the case's own post is offered
            for key, value in case_values(case).items():
                self.fields[key].set_value(value)
            self._offences().reload()  # the articles of the case's post, and those it holds, with their titles
            self.items.set_records([item_to_raw(i) for i in case.items])
            self.persons.set_records([person_to_raw(p) for p in case.persons])
            self.officers.set_records([officer_to_raw(o) for o in case.officers])
            self.documents.set_records([document_to_raw(d) for d in case.documents])
            self.photos.set_attachments(case.attachments)
            self.show_errors([])
            self.history = []
            self._fill_history()
            self.state.reset()
            self.tabs.setCurrentIndex(SECTION_INCIDENT)
            self.scroll_to_top()
        finally:
            self._loading = False
        self._apply_mode()
        self.load_post_officers(case.post_code)
        self.shared_links.load(case.id or None)
        if case.id:
            self.load_history()
        self.state_changed.emit()

    def reload_shared_links(self) -> None:
        """Read again which shared records are linked to the case on screen (one was linked in Shared with us)."""
        self.shared_links.load(self.case.id if self.case is not None and self.case.id else None)

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
        fill_history(self.history_table, self.history, self.case.timezone if self.case else None)

    # --- raw state (what was typed, exactly) ---------------------------------------------------------------------
    def _content(self) -> dict:
        return {
            "fields": {key: field.value() for key, field in self.fields.items()},
            "items": [dict(r) for r in self.items.records],
            "persons": [dict(r) for r in self.persons.records],
            "officers": [dict(r) for r in self.officers.records],
            "documents": [dict(r) for r in self.documents.records],
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
            for prefix, records in self.records.items():
                records.set_records([{k: str(v) for k, v in r.items()} for r in state.get(prefix) or []])
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
        return self.case is not None and self.state.dirty

    @property
    def recovery(self) -> RecoveryFile | None:
        return self.state.recovery  # type: ignore[return-value]

    @recovery.setter
    def recovery(self, recovery: RecoveryFile | None) -> None:
        self.state.recovery = recovery

    @property
    def is_new(self) -> bool:
        return self.case is not None and not self.case.id

    def _changed(self) -> None:
        if self._loading:
            return
        if self.dirty:
            self._recovery_timer.start()  # the autosave: the recovery copy only, never a revision
        self.state_changed.emit()

    def write_recovery(self) -> None:
        self.state.write_recovery()

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
                errors.append(FieldError(path, exc.message, exc.params))
                return None

        post_code = values["post_code"]
        zone_name = zone_for_post(post_code, self.case.timezone) if post_code else self.case.timezone
        precision = TimePrecision(values["time_precision"]) if values["time_precision"] in set(TimePrecision) \
            else TimePrecision.EXACT
        day = parse("occurred_date", parse_date, values["occurred_date"])
        # An unknown time is saved as the day's start in the post's zone, flagged as unknown (not a typed 00:00).
        moment = None if precision == TimePrecision.UNKNOWN else parse("occurred_time", parse_time,
                                                                        values["occurred_time"])
        occurred_at = None
        if day is not None:
            occurred_at = datetime.combine(day, moment or time(0, 0), ZoneInfo(zone_name))
        elif not any(e.field == "occurred_date" for e in errors):
            errors.append(FieldError("occurred_date", N_("Enter the date and time of the seizure.")))
        if (day is not None and moment is None and precision != TimePrecision.UNKNOWN
                and not any(e.field == "occurred_time" for e in errors)):
            errors.append(FieldError("occurred_time", N_("Enter the time as HH:MM.")))

        ended = parse("ended_time", parse_time, values["ended_time"])
        ended_at = None
        if ended is not None and occurred_at is not None:  # on the day of the seizure, or the next past midnight
            ended_at = datetime.combine(occurred_at.date(), ended, occurred_at.tzinfo)
            if moment is not None and ended < moment:
                ended_at += timedelta(days=1)
        items = collect_items(self.items.records, parse, self.numbers)
        persons = collect_persons(self.persons.records, parse)
        documents = collect_documents(self.documents.records, parse)
        # Every other case field as typed: text without surrounding spaces, a combo's code as it is, the codes of
        # a multi-choice as a tuple, a weight in kg.
        plain: dict[str, Any] = {}  # Case field names known only at run time
        for f in CASE_FIELDS:
            if f.key in SPECIAL_FIELDS:
                continue
            text = values[f.key]
            if f.kind == "combo":
                plain[f.key] = text
            elif f.kind in ("checks", "sequence"):
                plain[f.key] = split_codes(text)
            elif f.kind == "weight":
                plain[f.key] = parse(f.key, self.numbers.weight, text)
            elif f.kind == "count":
                plain[f.key] = parse(f.key, parse_int, text)
            else:
                plain[f.key] = text.strip()
        # The lead agency and the first detection method are not repeated among the others.
        plain["joint_agencies"] = tuple(a for a in plain["joint_agencies"] if a != plain["agency"])
        plain["other_detection_methods"] = tuple(m for m in plain["other_detection_methods"]
                                                 if m != plain["detection_method"])
        case = replace(
            self.case,
            post_code=post_code,
            timezone=zone_name,
            occurred_at=occurred_at,
            time_precision=precision,
            ended_at=ended_at,
            direction=Direction(values["direction"]) if values["direction"] in set(Direction) else Direction.ENTRY,
            **plain,
            items=tuple(items),
            persons=tuple(persons),
            documents=tuple(documents),
            officers=tuple(collect_officers(self.officers.records)),
            attachments=tuple(self.photos.attachments),
        )
        return case, errors

    def _all_errors(self, case: Case, parse_errors: list[FieldError]) -> list[FieldError]:
        """Parse errors plus what the domain rules say about the rest, so every problem is marked at once."""
        taken = {field_key(e.field) for e in parse_errors}
        if "occurred_time" in taken:
            taken.add("occurred_date")
        rules = [e for e in case_errors(case, now=datetime.now(timezone.utc)) if field_key(e.field) not in taken]
        return parse_errors + rules

    # --- errors next to their fields -------------------------------------------------------------------------------
    def show_errors(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        by_field: dict[str, list[FieldError]] = {}
        for error in errors:
            by_field.setdefault(field_key(error.field), []).append(error)
        for key, field in self.fields.items():
            field.set_errors(by_field.get(key, []))
        for records in self.records.values():
            records.set_errors(errors)
        self._show_conveyance_fields()  # a conveyance field with an error is shown whatever the type
        self._retitle_tabs()

    def _error_sections(self) -> set[int]:
        sections = set()
        for error in self.errors:
            key = field_key(error.field)
            root = key.split(".")[0]
            if root in RECORD_SECTIONS:
                sections.add(RECORD_SECTIONS[root])
            elif key in FIELD_SECTION:
                sections.add(FIELD_SECTION[key])
        return sections

    def focus_first_error(self) -> None:
        if not self.errors:
            return
        # The fields in the order of the tabs: a section's form, then its list (the officers after the incident).
        order = [key for section in range(len(SECTION_TITLES)) for key in (
            [f.key for f in FORM_SECTIONS.get(section, ())]
            + [prefix for prefix, home in RECORD_SECTIONS.items() if home == section])]
        keyed = sorted(self.errors, key=lambda e: (
            order.index(field_key(e.field).split(".")[0]) if field_key(e.field).split(".")[0] in order
            else len(order)))
        first = field_key(keyed[0].field)
        if first in self.fields:
            self.tabs.setCurrentIndex(FIELD_SECTION[first])
            self.fields[first].widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        prefix = first.split(".")[0]
        records = self.records.get(prefix)
        if records is None:
            return
        self.tabs.setCurrentIndex(RECORD_SECTIONS[prefix])
        row = records.first_error_row()
        if row is not None:
            records.select(row)
            key = next((e.field.split(".")[2] for e in self.errors
                        if e.field.startswith(f"{records.prefix}.{row}.") and e.field.count(".") >= 2), None)
            if key in records.fields:
                records.fields[key].widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- saving -------------------------------------------------------------------------------------------------------
    def save(self, *, then: Callable[[Case], None] | None = None) -> bool:
        """Save the draft (or the amendment) on a worker, as a person asked; False when the form has errors or
        nothing to save to. Nothing saves unasked: what is typed meanwhile is kept in the recovery copy."""
        if self.services is None or self.case is None or self.read_only:
            return False
        if not self.state.request(then):
            return True  # a save runs: one more follows it
        if self.photos.busy:
            # A photo is still being copied into the store; save right after it arrives.
            QTimer.singleShot(200, lambda: self.save())
            return True
        case, errors = self.collect()
        if errors:
            self.show_errors(self._all_errors(case, errors))
            self.focus_first_error()
            self.notice.emit(lambda: _("Not saved: correct the marked fields."))
            self.state.drop_callbacks()
            return False
        if not self.dirty and not self.is_new and self.mode == "draft":
            self.show_errors([])
            self.state.run_callbacks(self.case)
            return True
        content = self.state.start()
        cases = self.services.cases
        if self.mode == "amend":
            reason = self.amend_reason
            work = lambda: cases.amend(case=case, reason=reason)  # noqa: E731
        else:
            work = lambda: cases.save(case=case)  # noqa: E731
        self.status_message.emit(lambda: _("Saving…"))
        self._runner.run(work, on_done=lambda saved: self._saved(saved, content),
                         on_error=self._save_failed)
        self.state_changed.emit()
        return True

    def _saved(self, saved: Case, content: dict) -> None:
        self.state.finished(content)
        self.case = saved
        self.mode = _mode_of(saved)
        self.amend_reason = ""
        self.show_errors([])
        self._apply_mode()
        self.write_recovery()
        self.status_message.emit(lambda: _("Saved {case_number}, revision {revision}, at {time}.").format(
            case_number=saved.case_number, revision=saved.revision,
            time=translator().format_time(saved.updated_at, tz=saved.timezone)))
        self.load_history()
        self.saved.emit(saved)
        self.state_changed.emit()
        self.state.settle(saved, save=self.save)

    def _save_failed(self, exc: BaseException) -> None:
        self.state.failed()
        self.save_failed.emit(exc)
        if self.closing:
            return
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors)
            self.focus_first_error()
            self.notice.emit(lambda exc=exc: exc.translated().splitlines()[0])
        else:
            if isinstance(exc, DomainError):
                text = exc.translated()
            else:
                text = _("The case could not be saved: {reason}").format(reason=str(exc))
            inform(self, title=_("Not saved"), text=text, error=True,
                   details="" if isinstance(exc, DomainError) else getattr(exc, "traceback_text", ""))
        self.write_recovery()
        self.state_changed.emit()

    @property
    def saving(self) -> bool:
        return self.state.saving

    # --- lifecycle ---------------------------------------------------------------------------------------------------
    def ask_finalize(self) -> None:
        """Check that the case is complete first (every missing field marked); only a complete case is confirmed."""
        if self.case is None or self.mode != "draft" or self.services is None:
            return
        case, parse_errors = self.collect()
        errors = self._all_errors(case, parse_errors)
        taken = {e.field for e in errors}
        errors += [e for e in finalize_errors(case) if e.field not in taken]
        if errors:
            self.show_errors(errors)
            self.focus_first_error()
            self.notice.emit(lambda: _("Not finalized: complete the marked fields first."))
            return
        self.show_errors([])
        self.notice_cleared.emit()  # "Not finalized: complete the marked fields" no longer holds under the question
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
                         on_done=lambda final: self._finalized(final), on_error=self._save_failed)

    def _finalized(self, final: Case) -> None:
        self.load_case(final)
        self.write_recovery()
        self.status_message.emit(lambda: _("Case {case_number} is finalized.").format(case_number=final.case_number))
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

    def ask_void(self) -> None:
        """Void the saved draft on screen, with a reason (what is typed since the last save goes with it)."""
        if self.case is None or not self.case.id or self.mode != "draft" or self.services is None:
            return
        self.void_dialog = VoidDialog(self, case_number=self.case.case_number, on_reason=self.void)
        self.void_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.void_dialog.open()

    def void(self, reason: str) -> None:
        if self.case is None or not self.case.id or self.mode != "draft" or self.services is None:
            return
        cases, case_id, revision = self.services.cases, self.case.id, self.case.revision
        self._runner.run(lambda: cases.void(case_id=case_id, expected_revision=revision, reason=reason),
                         on_done=self._voided, on_error=self._save_failed)

    def _voided(self, voided: Case) -> None:
        self.load_case(voided)
        self.write_recovery()
        self.status_message.emit(_("Draft {case_number} is voided; it is kept with its history.").format(
            case_number=voided.case_number))
        self.saved.emit(voided)

    def set_may_amend(self, may: bool) -> None:
        if may != self.may_amend:
            self.may_amend = may
            self.amend_button.setVisible(self.mode == "final" and may)
            self._retitle()

    @property
    def read_only(self) -> bool:
        """A finalized case (until an amendment starts) and a voided one cannot be edited."""
        return self.mode in ("final", "voided")

    def discard_changes(self) -> None:
        if self.case is not None:
            self.load_case(self.case)
            self.write_recovery()

    def _apply_mode(self) -> None:
        read_only = self.read_only
        for field in self.fields.values():
            field.set_read_only(read_only)
        for records in self.records.values():
            records.set_read_only(read_only)
        self.add_me_button.setEnabled(not read_only and self.me is not None)
        self.post_officers_button.setEnabled(not read_only)
        self._precision_changed()
        self.photos.set_read_only(read_only)
        self.save_button.setVisible(not read_only)
        self.finalize_button.setVisible(self.mode == "draft")
        self.amend_button.setVisible(self.mode == "final" and self.may_amend)
        self.banner.setObjectName("bannerFinal" if read_only else "banner")
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self._retitle()

    # --- navigation ------------------------------------------------------------------------------------------------------
    def next_section(self, step: int = 1) -> None:
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def _section_changed(self, section: int) -> None:
        self.focus_section(section)

    def _scroll_areas(self) -> list[QScrollArea]:
        return [*self.tabs.findChildren(QScrollArea)]

    def scroll_to_top(self) -> None:
        """Every section back at its top-left: another case opens at its beginning, not where the last one was left."""
        for area in self._scroll_areas():
            area.verticalScrollBar().setValue(0)
            area.horizontalScrollBar().setValue(0)

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
        area = self.tabs.widget(section)
        if isinstance(area, QScrollArea):
            area.ensureWidgetVisible(first)  # the first field in sight (at the top of a section opened anew)

    def _post_changed(self, code: str) -> None:
        self._retitle()
        self._offences().reload()  # another country's articles
        self.load_post_officers(code)

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
        elif self.mode == "voided":
            text = _("Case {case_number} was voided (revision {revision}); it is kept read-only with its history.") \
                .format(case_number=case.case_number, revision=case.revision)
        elif self.mode == "final" and self.may_amend:
            text = _("Case {case_number} is finalized (revision {revision}) and read-only. Use Amend to change it.") \
                .format(case_number=case.case_number, revision=case.revision)
        elif self.mode == "final":
            text = _("Case {case_number} is finalized (revision {revision}) and read-only.") \
                .format(case_number=case.case_number, revision=case.revision)
        else:
            text = _("Draft {case_number}, revision {revision}").format(case_number=case.case_number,
                                                                        revision=case.revision)
        self.banner.setText(text)
        if case is not None and case.id:
            summary = _("{case_number} · {status} · created {created}").format(
                case_number=case.case_number, status=case.status.label,
                created=translator().format_datetime(case.created_at, tz=case.timezone))
        else:
            summary = _("The case number is given when the case is first saved.")
        linked = len(self.shared_links.links)
        if linked:  # told on the first page: the links themselves are under the history
            summary += "\n" + ngettext(
                "{count} record shared by a counterpart post is linked to this case (see 7 History).",
                "{count} records shared by counterpart posts are linked to this case (see 7 History).",
                linked).format(count=linked)
        self.summary_label.setText(summary)

    def _retitle_tabs(self) -> None:
        bad = self._error_sections()
        for section, title in enumerate(SECTION_TITLES):
            text = _(title)
            self.tabs.setTabText(section, f"{text} ⚠" if section in bad else text)

    def _respell_baseline(self, baseline: dict) -> None:
        fields = baseline.get("fields") or {}
        for key, field in self.fields.items():
            if isinstance(field.widget, DateLineEdit) and isinstance(fields.get(key), str):
                fields[key] = respell_date(fields[key])
        for prefix, records in self.records.items():
            respell_dates(baseline.get(prefix) or [], records.date_keys())

    def retranslate(self) -> None:
        clean = not self.dirty  # typed numbers may be rewritten for the new language: that is not an edit
        self._loading = True
        try:
            for field in self.fields.values():
                if isinstance(field.widget, CodeCombo) or hasattr(field.widget, "reload"):
                    field.widget.blockSignals(True)
                    field.widget.reload()
                    field.widget.blockSignals(False)
                field.retranslate()
            for records in self.records.values():
                records.retranslate()
            if clean and self.state.baseline is not None:
                self.state.reset()
            elif self.state.baseline is not None:  # the dates of the last save, as they read now, are not edits
                self._respell_baseline(self.state.baseline)
        finally:
            self._loading = False
        self.photos.retranslate()
        self.shared_links.retranslate()
        self.save_button.setText(_("Save"))
        self.finalize_button.setText(_("Finalize…"))
        self.amend_button.setText(_("Amend…"))
        self.add_me_button.setText(_(ADD_ME))
        self.post_officers_button.retranslate()
        for heading, title in self.record_titles.values():
            heading.setText(_(title))
        self._steady_label_columns()
        self._retitle_tabs()
        self._retitle()
        self._fill_history()
        for dialog in self.findChildren(AmendDialog):
            dialog.retranslate()


def _mode_of(case: Case) -> str:
    return "final" if case.is_finalized else "voided" if case.is_voided else "draft"


def _scrolled(widget: QWidget) -> QScrollArea:
    """`widget` in a frameless scroll area: a section taller than the window scrolls inside its tab."""
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(widget)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    return scroll


def case_values(case: Case) -> dict[str, str]:
    """The form's fields for `case`, as the officer would have typed them."""
    local = case.occurred_at.astimezone(ZoneInfo(case.timezone)) if case.occurred_at else None
    values = {}
    for f in CASE_FIELDS:
        value = getattr(case, f.key, "")
        if f.kind in ("checks", "sequence"):
            values[f.key] = join_codes(value)
        elif f.kind == "weight":
            values[f.key] = plain_decimal(cast(Decimal | None, value))
        elif f.kind == "count":
            values[f.key] = "" if value is None else str(value)
        else:
            values[f.key] = str(value or "")
    values["occurred_date"] = format_date(local.date()) if local else ""
    unknown = case.time_precision == TimePrecision.UNKNOWN
    values["occurred_time"] = format_time(local) if local and not unknown else ""
    values["ended_time"] = format_time(case.ended_at.astimezone(ZoneInfo(case.timezone))) if case.ended_at else ""
    return values
