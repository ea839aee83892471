"""The case list: search box (full-text), filters, and a lazily paged, sortable table of cases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.canonical import parse_ts
from blo_desk.domain.entities import CaseQuery, CaseSummary
from blo_desk.domain.enums import CaseStatus
from blo_desk.i18n import N_, _, ngettext, translator
from blo_desk.ui.forms import CodeCombo
from blo_desk.ui.models.case_table import (
    COL_DATE,
    COL_ITEMS,
    COL_NUMBER,
    COL_PERSONS,
    COL_POST,
    COL_STATUS,
    COL_VALUE,
    CaseTableModel,
)
from blo_desk.ui.models.rows import RowsModel, rows_view
from blo_desk.ui.reference import ReferenceData
from blo_desk.ui.tasks import Task, TaskRunner
from blo_desk.ui.widgets.dates import CalendarDateEdit

if TYPE_CHECKING:
    from blo_desk.domain.sharing import SharedRecord

SEARCH_DELAY_MS = 150  # a pause in typing this long starts the search (results within 300 ms of the last key)
NO_DATE = QDate(2000, 1, 1)
PERSONS_WIDTH = 200  # names are long and many: cut with a tooltip (the items column takes what is left)
CELL_SLACK = 6  # a few pixels more than the text, so that no font rounding cuts the last letter
SHARED_LIMIT = 50  # shared records listed under the cases for one search (the count says when there are more)
SHARED_HEADERS = (N_("Shared by post"), N_("Sender's case"), N_("Date and time"), N_("Seized items"))
#: The records counterparts shared that match a search text (SharingPort.shared_records), at most SHARED_LIMIT + 1.
SharedFetch = Callable[[str], "list[SharedRecord]"]


def shared_row(record: SharedRecord, reference: ReferenceData) -> tuple[str, str, str, str]:
    """One shared record as the list shows it: the sender post, its case number, when, and what was seized (the
    substances or categories by the reference lists, in the user's language; a description as written)."""
    content = record.content
    items = [i for i in content.get("items", []) if isinstance(i, dict)]
    seized = []
    for item in items:
        if item.get("substance"):
            seized.append(reference.label("substance", str(item["substance"])))
        elif item.get("category") or item.get("description"):
            label = reference.label("commodity_category", str(item.get("category", ""))) if item.get("category") \
                else ""
            seized.append(": ".join(x for x in (label, str(item.get("description", ""))) if x))
    when = record.shared_at
    zone = str(content.get("timezone") or "UTC")
    occurred = content.get("occurred_at")
    if isinstance(occurred, str) and occurred:
        try:
            when = parse_ts(occurred) or when
        except ValueError:
            pass
    name = reference.post_name(record.sender)
    return (f"{name} ({record.sender})" if name != record.sender else name, record.reference,
            translator().format_datetime(when, tz=zone), ", ".join(dict.fromkeys(seized)))


class DateFilter(CalendarDateEdit):
    """A date edit whose lowest value means 'no limit'; its calendar speaks the UI language and opens at today's
    month while there is no limit."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, floor=NO_DATE)
        self.setMinimumDate(NO_DATE)
        self.setDate(NO_DATE)
        self.setDisplayFormat(translator().date_pattern)
        # back to "any date": the ✕ in the field, or Delete (a date edit cannot be emptied by typing)
        self.clear_action = self.lineEdit().addAction(
            self.style().standardIcon(QStyle.StandardPixmap.SP_LineEditClearButton),
            QLineEdit.ActionPosition.TrailingPosition)
        self.clear_action.setObjectName("anyDate")
        self.clear_action.triggered.connect(self.clear)
        self.dateChanged.connect(lambda day: self.clear_action.setVisible(day != NO_DATE))
        self.clear_action.setVisible(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.clear_action.setToolTip(_("Any date (Delete)"))

    def clear(self) -> None:
        """No limit on this side: "any date"."""
        self.setDate(NO_DATE)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Delete and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            self.clear()
            return
        super().keyPressEvent(event)

    def value(self) -> date | None:
        current = self.date()
        return None if current == NO_DATE else date(current.year(), current.month(), current.day())


class CaseListPage(QWidget):
    """Finds cases; Enter or a double click opens one in the editor."""

    open_case = Signal(str)  # case id
    new_case = Signal()
    open_shared = Signal(str)  # id of a record a counterpart shared (opened read-only)

    def __init__(self, runner: TaskRunner, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("caseList")
        self.reference = ReferenceData()
        self.model = CaseTableModel(runner, parent=self)
        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setClearButtonEnabled(True)
        self.status_filter = CodeCombo(lambda: [(str(s), s.label) for s in CaseStatus], blank=True)
        self.status_filter.setObjectName("statusFilter")
        # three short words: as wide as the longest, leaving the room to the search box and its hint
        self.status_filter.setMinimumContentsLength(0)
        self.status_filter.setSizeAdjustPolicy(CodeCombo.SizeAdjustPolicy.AdjustToContents)
        self.category_filter = CodeCombo(self._categories, blank=True)
        self.category_filter.setObjectName("categoryFilter")
        self.post_filter = CodeCombo(self._posts, blank=True)
        self.post_filter.setObjectName("postFilter")
        self.date_from = DateFilter()
        self.date_from.setObjectName("dateFrom")
        self.date_to = DateFilter()
        self.date_to.setObjectName("dateTo")
        self.new_button = QPushButton()
        self.new_button.setObjectName("newCaseButton")
        self.new_button.clicked.connect(self.new_case)
        self.labels = {name: QLabel() for name in ("search", "status", "category", "post", "from", "to")}
        for name, widget in (("search", self.search), ("status", self.status_filter),
                             ("category", self.category_filter), ("post", self.post_filter),
                             ("from", self.date_from), ("to", self.date_to)):
            self.labels[name].setBuddy(widget)

        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(COL_DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Several cases may be chosen (Ctrl/Shift+click) for Finalize, Share with counterpart; Enter opens one.
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.table.setColumnWidth(COL_PERSONS, PERSONS_WIDTH)  # the others follow their words (fit_columns)
        header.setSectionResizeMode(COL_ITEMS, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(self._activated)
        self.table.doubleClicked.connect(self._activated)
        self.count_label = QLabel()
        self.count_label.setObjectName("caseCount")
        # Records counterparts shared that the search also finds: below the cases, marked as theirs, read-only
        self.runner = runner
        self._fetch_shared: SharedFetch | None = None
        self._shared_task: Task | None = None
        self._shared_generation = 0
        self.shared_records: list[SharedRecord] = []
        self._shared_more = False
        self._shared_text = ""
        self._shared_asked: str | None = None  # the text the shared records were last asked for
        self.shared_model = RowsModel(SHARED_HEADERS, self)
        self.shared_table = rows_view(self.shared_model, "sharedMatchesTable", stretch=3)
        self.shared_table.activated.connect(self._shared_activated)
        self.shared_table.doubleClicked.connect(self._shared_activated)
        self.shared_label = QLabel()
        self.shared_label.setObjectName("sharedMatchesLabel")
        self.shared_label.setStyleSheet("font-weight: bold")
        self.shared_panel = QWidget()
        self.shared_panel.setObjectName("sharedMatches")
        shared_layout = QVBoxLayout(self.shared_panel)
        shared_layout.setContentsMargins(0, 4, 0, 0)
        shared_layout.addWidget(self.shared_label)
        shared_layout.addWidget(self.shared_table)
        self.shared_panel.hide()

        filters = QHBoxLayout()
        filters.addWidget(self.labels["search"])
        filters.addWidget(self.search, 3)
        for name, widget in (("status", self.status_filter), ("category", self.category_filter),
                             ("post", self.post_filter), ("from", self.date_from), ("to", self.date_to)):
            filters.addWidget(self.labels[name])
            filters.addWidget(widget, 1)
        top = QHBoxLayout()
        top.addWidget(self.count_label, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.shared_panel)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.search.returnPressed.connect(self._search_now)
        for combo in (self.status_filter, self.category_filter, self.post_filter):
            combo.code_changed.connect(lambda _c: self.apply_filters())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self.apply_filters())
        self.model.total_changed.connect(lambda _n: self._update_count())
        self.model.loading_changed.connect(lambda _b: self._update_count())
        self.setTabOrder(self.search, self.status_filter)
        self.setTabOrder(self.status_filter, self.category_filter)
        self.setTabOrder(self.category_filter, self.post_filter)
        self.setTabOrder(self.post_filter, self.date_from)
        self.setTabOrder(self.date_from, self.date_to)
        self.setTabOrder(self.date_to, self.new_button)
        self.setTabOrder(self.new_button, self.table)
        self.retranslate()

    def _categories(self) -> list[tuple[str, str]]:
        return [(i.code, self.reference.label("commodity_category", i.code))
                for i in self.reference.items("commodity_category")]

    def _posts(self) -> list[tuple[str, str]]:
        return [(p.code, f"{self.reference.post_name(p.code)} ({p.code})") for p in self.reference.posts]

    def set_source(self, fetch, reference: ReferenceData) -> None:
        """Connect to the store (a function CaseQuery -> Page) and load the first page."""
        self.reference = reference
        self.model.reference = reference
        self.model.set_fetch(fetch)
        self.retranslate()
        self.apply_filters()

    def set_shared_source(self, fetch: SharedFetch) -> None:
        """Also search the records counterparts shared (a role that reads them): `fetch(text)` on a worker."""
        self._fetch_shared = fetch
        self._search_shared(self.search.text().strip())

    def _search_shared(self, typed: str) -> None:
        """The shared records matching the search text, below the cases; no text, no panel (the list is the post's
        cases). A newer search supersedes one still on its way."""
        self._shared_generation += 1
        if self._shared_task is not None:
            self._shared_task.cancel()
            self._shared_task = None
        self._shared_asked = typed
        fetch = self._fetch_shared
        if fetch is None or not typed:
            self._shared_listed(self._shared_generation, typed, [])
            return
        generation = self._shared_generation
        self._shared_task = self.runner.run(lambda: fetch(typed), on_done=lambda found: self._shared_listed(
            generation, typed, found), on_error=lambda _exc: self._shared_listed(generation, typed, []))

    def _shared_listed(self, generation: int, typed: str, records: list[SharedRecord]) -> None:
        if generation != self._shared_generation:
            return
        self._shared_task = None
        self.shared_records = list(records[:SHARED_LIMIT])
        self._shared_more = len(records) > SHARED_LIMIT
        self._shared_text = typed
        self.shared_model.set_rows([shared_row(r, self.reference) for r in self.shared_records])
        table = self.shared_table
        shown = min(len(self.shared_records), 4)  # up to four rows without scrolling; the cases keep the room
        table.setFixedHeight(table.horizontalHeader().sizeHint().height() + shown * table.verticalHeader()
                             .defaultSectionSize() + 2 * table.frameWidth() + 2)
        self.shared_panel.setVisible(bool(self.shared_records))
        self._update_shared_label()

    def _update_shared_label(self) -> None:
        count = len(self.shared_records)
        if not count:
            self.shared_label.setText("")
            return
        text = ngettext("Shared with us: {count} record a counterpart post shared also matches “{text}” (read-only)",
                        "Shared with us: {count} records counterpart posts shared also match “{text}” (read-only)",
                        count).format(count=translator().format_number(count), text=self._shared_text)
        if self._shared_more:
            text = _("Shared with us: more than {count} records counterpart posts shared also match “{text}”; type "
                     "more to narrow them (read-only)").format(count=translator().format_number(count),
                                                                text=self._shared_text)
        self.shared_label.setText(text)

    def _shared_activated(self, index) -> None:
        row = self.shared_table.model().mapToSource(index).row()  # type: ignore[attr-defined]
        if 0 <= row < len(self.shared_records):
            self.open_shared.emit(self.shared_records[row].id)

    def set_unavailable(self, reference: ReferenceData, text_of) -> None:
        """The logged-in role reads no cases (an administrator): say so instead of a list that cannot load.

        `text_of()` gives the explanation in the active language (called again after a language switch)."""
        self.reference = reference
        self.unavailable_text = text_of
        for widget in (self.search, self.status_filter, self.category_filter, self.post_filter, self.date_from,
                       self.date_to, self.table):
            widget.setEnabled(False)
        self.count_label.setText(text_of())

    def query(self) -> CaseQuery:
        status = self.status_filter.code()
        return replace(
            self.model.query,
            text=self.search.text().strip(),
            statuses=(CaseStatus(status),) if status else (),
            category=self.category_filter.code(),
            post_code=self.post_filter.code(),
            date_from=self.date_from.value(),
            date_to=self.date_to.value(),
        )

    def apply_filters(self) -> None:
        self._search_timer.stop()
        query = self.query()
        if query.text != self._shared_asked:
            self._search_shared(query.text)
        if query != self.model.query or not self.model.rows:
            self.model.set_query(query)

    def _search_now(self) -> None:
        self.apply_filters()
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def refresh(self) -> None:
        self.model.refresh()

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def _activated(self, index) -> None:
        summary = self.model.summary(index.row())
        if summary is not None:
            self.open_case.emit(summary.id)

    def selected_case_id(self) -> str | None:
        """The case Enter or Ctrl+O opens: the current row when it is selected, else the first selected."""
        current = self.table.currentIndex()
        rows = self.table.selectionModel().selectedRows()
        if current.isValid() and any(r.row() == current.row() for r in rows):
            summary = self.model.summary(current.row())
        else:
            summary = self.model.summary(min(r.row() for r in rows)) if rows else None
        return summary.id if summary else None

    def selected_summaries(self) -> list[CaseSummary]:
        """The cases selected in the list, top to bottom."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        return [s for s in (self.model.summary(row) for row in rows) if s is not None]

    def _update_count(self) -> None:
        model = self.model
        if getattr(self, "unavailable_text", None):
            self.count_label.setText(self.unavailable_text())
            return
        if model.loading and not model.rows:
            self.count_label.setText(_("Loading…"))
            return
        count = translator().format_number(model.total)
        if model.estimated:  # a large store: the store's estimate, never a full count (storage: EXACT_COUNT_LIMIT)
            text = ngettext("about {count} case", "about {count} cases", model.total).format(count=count)
            if model.query.text:
                text = ngettext("about {count} case found for “{text}”", "about {count} cases found for “{text}”",
                                model.total).format(count=count, text=model.query.text)
        else:
            text = ngettext("{count} case", "{count} cases", model.total).format(count=count)
            if model.query.text:
                text = ngettext("{count} case found for “{text}”", "{count} cases found for “{text}”",
                                model.total).format(count=count, text=model.query.text)
        self.count_label.setText(text)

    def retranslate(self) -> None:
        texts = {"search": _("&Find:"), "status": _("Status:"), "category": _("Commodity:"), "post": _("Crossing point:"),
                 "from": _("From:"), "to": _("To:")}
        for name, text in texts.items():
            self.labels[name].setText(text)
        hint = _("Name, passport, plate, item, place… (Ctrl+F)")
        self.search.setPlaceholderText(hint)
        self.search.setToolTip(hint)  # whole, where a narrow screen cuts the hint in the box
        for combo in (self.status_filter, self.category_filter, self.post_filter):
            combo.blockSignals(True)
            combo.set_blank_label(lambda: _("All"))
            combo.reload()
            combo.blockSignals(False)
        for edit in (self.date_from, self.date_to):
            edit.setSpecialValueText(_("any date"))
            edit.setDisplayFormat(translator().date_pattern)
            edit.retranslate()
        self.new_button.setText(_("New case"))
        self.model.retranslate()
        self.shared_model.retranslate()
        if self.shared_records:
            self.shared_model.set_rows([shared_row(r, self.reference) for r in self.shared_records])
            self._update_shared_label()
        self._update_count()
        self.fit_columns()

    # --- columns as wide as their words -------------------------------------------------------------------------
    def _column_words(self) -> dict[int, list[str]]:
        """The longest things each narrow column can show in the active language: every status, every post's name,
        a late moment of a late date, a large value, a long case number."""
        t = translator()
        late = datetime(2026, 12, 28, 23, 59, tzinfo=UTC)
        return {
            COL_NUMBER: ["UZ-DUS-2026-00000", "UZ-SAR-2026-88888"],
            COL_DATE: [t.format_datetime(late, tz=zone) for zone in ("Asia/Tashkent", "UTC")],
            COL_POST: [self.reference.post_name(p.code) for p in self.reference.posts],
            COL_STATUS: [status.label for status in CaseStatus],
            COL_VALUE: [t.format_money(Decimal("999999999"), currency) for currency in ("UZS", "USD", "TJS")],
        }

    def fit_columns(self) -> None:
        """Size the number, date, post, status and value columns to their heading and their longest words in the
        active language (no "Yaroqs…" for a voided case); the seized items take the rest. Called on each language
        switch and when the reference lists arrive."""
        header, metrics = self.table.horizontalHeader(), self.table.fontMetrics()
        padding = 2 * (self.table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self.table) + 1)
        for column, words in self._column_words().items():
            widest = max((metrics.horizontalAdvance(w) for w in words if w), default=0) + padding + CELL_SLACK
            header.resizeSection(column, max(widest, header.sectionSizeHint(column)))
