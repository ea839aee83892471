"""Qt table model exposing CaseSummary rows to the case list, fetched page by page off the GUI thread."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal

from blo_desk.domain.cancel import Cancellation
from blo_desk.domain.entities import CaseQuery, CaseSummary, Page
from blo_desk.domain.enums import CaseStatus
from blo_desk.i18n import N_, _, translator
from blo_desk.ui.reference import ReferenceData
from blo_desk.ui.tasks import Task, TaskRunner

COL_NUMBER, COL_DATE, COL_POST, COL_STATUS, COL_ITEMS, COL_PERSONS, COL_VALUE = range(7)
HEADERS = (N_("Case number"), N_("Date and time"), N_("Crossing point"), N_("Status"), N_("Seized items"),
           N_("Persons"), N_("Value"))
SORT_KEYS = {COL_NUMBER: "case_number", COL_DATE: "occurred_at", COL_POST: "post_code", COL_STATUS: "status",
             COL_VALUE: "total_value"}
SummaryRole = Qt.ItemDataRole.UserRole
PAGE_SIZE = 500
# Rows dropped by a new search are freed this many per turn of the event loop: freeing 100,000 rows at once (after
# scrolling to the end) held the GUI thread for ~70 ms, while the officer types in the search box.
RELEASE_CHUNK = 5_000


_SHARED: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per distinct list of codes, for every row


def _shared(codes: tuple[str, ...]) -> tuple[str, ...]:
    if not codes:
        return ()
    return _SHARED.setdefault(codes, tuple(sys.intern(c) for c in codes))


def _compact(row: CaseSummary) -> CaseSummary:
    """Share the repeated strings and code lists between rows (posts, zones, currencies, categories, substances) to
    keep 100,000 rows small."""
    intern = sys.intern
    return replace(row, post_code=intern(row.post_code), timezone=intern(row.timezone), currency=intern(row.currency),
                   categories=_shared(row.categories), substances=_shared(row.substances),
                   # the list names the substances when there are some (_display): their descriptions are not kept
                   items_summary="" if row.substances else row.items_summary)


def _compacted(page: Page) -> tuple[Page, list[CaseSummary]]:
    """Worker-thread side of a page: its rows compacted there, so that the GUI thread only inserts them."""
    return page, [_compact(r) for r in page.rows]


def _release_later(rows: list) -> None:
    """Let go of a long list of rows a slice per turn of the event loop (see RELEASE_CHUNK)."""
    if len(rows) <= RELEASE_CHUNK:
        return

    def step() -> None:
        del rows[-RELEASE_CHUNK:]
        if rows:
            QTimer.singleShot(0, step)

    QTimer.singleShot(0, step)


#: One page of the store for a query; the Cancellation stops it on the server when a newer query supersedes it.
Fetch = Callable[[CaseQuery, Cancellation], Page]


class CaseTableModel(QAbstractTableModel):
    """Rows arrive in pages of PAGE_SIZE as the view scrolls (canFetchMore / fetchMore): the first page brings the
    total (exact, or an estimate on a large store: `estimated`), each further page starts after the last row held
    (keyset), and a page still loading for an older query is cancelled where it runs."""

    loading_changed = Signal(bool)
    total_changed = Signal(int)
    failed = Signal(object)

    def __init__(self, runner: TaskRunner, *, fetch: Fetch | None = None,
                 reference: ReferenceData | None = None, parent=None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._fetch = fetch
        self.reference = reference or ReferenceData()
        self.query = CaseQuery(limit=PAGE_SIZE)
        self.rows: list[CaseSummary] = []
        self.total = 0
        self.estimated = False
        self._generation = 0
        self._task: Task | None = None  # the page on its way: cancelled when a newer query supersedes it
        self._loading = False
        self._known_total = False
        self._more = False
        self._after: tuple[object, ...] | None = None
        self._cancel: Cancellation | None = None

    # --- loading ------------------------------------------------------------------------------------
    def set_fetch(self, fetch: Fetch) -> None:
        self._fetch = fetch

    def set_query(self, query: CaseQuery) -> None:
        """Start over with new filters, search text or sort; earlier pages still on their way are dropped."""
        self.query = replace(query, offset=0, limit=PAGE_SIZE, after=None)
        self._generation += 1
        if self._cancel is not None:  # the older search stops on the server, not only here
            self._cancel.cancel()
            self._cancel = None
        if self._task is not None:  # a search superseded by newer typing is cancelled, not left in the queue
            self._task.cancel()
            self._task = None
        self.beginResetModel()
        dropped, self.rows = self.rows, []
        self.total = 0
        self.estimated = False
        self._known_total = False
        self._more = False
        self._after = None
        self.endResetModel()
        _release_later(dropped)
        self._loading = False
        self._load(0)

    def refresh(self) -> None:
        self.set_query(self.query)

    def _load(self, offset: int) -> None:
        if self._fetch is None:
            return
        generation = self._generation
        query = replace(self.query, offset=offset, after=self._after if offset else None)
        fetch = self._fetch
        cancel = self._cancel = Cancellation()
        self._set_loading(True)
        self._task = self._runner.run(
            lambda: _compacted(fetch(query, cancel)),
            on_done=lambda result: self._loaded(generation, *result),
            on_error=lambda exc: self._load_failed(generation, exc),
        )

    def _loaded(self, generation: int, page: Page, rows: list[CaseSummary]) -> None:
        if generation != self._generation:
            return
        self._task = None
        self._set_loading(False)
        self._cancel = None
        if page.counted:
            self.total, self.estimated = page.total, page.estimated
        self._known_total = True
        self._more, self._after = page.more, page.after
        if rows:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self.rows.extend(rows)
            self.endInsertRows()
        self.total_changed.emit(self.total)

    def _load_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self._set_loading(False)
            self._cancel = None
            self._known_total = True
            self._more = False
            self.total, self.estimated = len(self.rows), False
            self.failed.emit(exc)

    def _set_loading(self, value: bool) -> None:
        if self._loading != value:
            self._loading = value
            self.loading_changed.emit(value)

    @property
    def loading(self) -> bool:
        return self._loading

    def canFetchMore(self, parent=QModelIndex()) -> bool:  # noqa: N802, B008 - Qt API; the root index, never changed
        if parent.isValid() or self._loading or not self._known_total:
            return False
        return self._more

    def fetchMore(self, parent=QModelIndex()) -> None:  # noqa: N802, B008 - Qt API; the root index, never changed
        if self.canFetchMore(parent):
            self._load(len(self.rows))

    # --- Qt model -------------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt API; the root index, never changed
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802, B008 - Qt API; the root index, never changed
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802 - Qt API
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _(HEADERS[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (COL_ITEMS, COL_PERSONS, COL_POST):
            return self._display(row, column)
        if role == SummaryRole:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_STATUS and row.status == CaseStatus.DRAFT:
            from PySide6.QtGui import QColor

            return QColor("#8a5a00")
        return None

    def _display(self, row: CaseSummary, column: int) -> str:
        if column == COL_NUMBER:
            return row.case_number
        if column == COL_DATE:
            return translator().format_datetime(row.occurred_at, tz=row.timezone)
        if column == COL_POST:
            return self.reference.post_name(row.post_code)
        if column == COL_STATUS:
            return row.status.label
        if column == COL_ITEMS:
            if row.substances:  # what was seized, named in the UI language (not the description as typed)
                return ", ".join(self.reference.label("substance", c) for c in row.substances)
            labels = ", ".join(self.reference.label("commodity_category", c) for c in row.categories)
            return f"{labels}: {row.items_summary}" if labels and row.items_summary else labels or row.items_summary
        if column == COL_PERSONS:
            return row.persons_summary
        if column == COL_VALUE:
            return translator().format_money(row.total_value, row.currency) if row.total_value is not None else ""
        return ""

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        key = SORT_KEYS.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self.query.sort_by and descending == self.query.descending and self.rows:
            return
        self.set_query(replace(self.query, sort_by=key, descending=descending))

    def summary(self, row: int) -> CaseSummary | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(HEADERS) - 1)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(HEADERS) - 1))
