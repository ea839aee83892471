"""Sync bundles in the desk: the actions' entry points (export at the post, import and overview at HQ) and a small
table model of plain rows shared by their views."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from blo_desk.domain.permissions import Action, Principal, allowed
from blo_desk.i18n import _

if TYPE_CHECKING:
    from blo_desk.ui.controller import DeskController
    from blo_desk.ui.pages.hq_page import HqWindow


class RowsModel(QAbstractTableModel):
    """Rows of plain values under translatable headers (msgids); `set_rows` replaces them all."""

    def __init__(self, headers: Sequence[str], parent=None) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.rows: list[tuple] = []
        self.tips: list[str] = []

    def set_rows(self, rows: list[tuple], tips: list[str] | None = None) -> None:
        self.beginResetModel()
        self.rows = [tuple(r) for r in rows]
        self.tips = list(tips or [])
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.headers)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self.rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.UserRole:  # sort key: numbers as numbers
            return value
        if role == Qt.ItemDataRole.ToolTipRole and index.row() < len(self.tips):
            return self.tips[index.row()] or None
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(self, section: int, orientation, role: int = Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _(self.headers[section])
        return None

    def retranslate(self) -> None:
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self.headers) - 1))


def rows_view(model: RowsModel, name: str, *, stretch: int | None = None) -> QTableView:
    """A read-only, sortable table over `model` (through a QSortFilterProxyModel)."""
    proxy = QSortFilterProxyModel(model)
    proxy.setSourceModel(model)
    proxy.setSortRole(Qt.ItemDataRole.UserRole)
    view = QTableView()
    view.setObjectName(name)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # rows as given until clicked
    proxy.sort(-1)
    view.setAlternatingRowColors(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.source_model = model  # type: ignore[attr-defined]
    return view


# --- the actions (registered in ui/actions.py as "blo_desk.ui.bundles:<function>") -------------------------
def may_export(principal: Principal) -> bool:
    return allowed(principal, Action.BUNDLE_EXPORT)


def may_see_hq(principal: Principal) -> bool:
    return allowed(principal, Action.BUNDLE_IMPORT) or allowed(principal, Action.AUDIT_VIEW)


def _ready(controller: DeskController) -> bool:
    if not getattr(controller, "ready", False) or controller.services is None:
        controller.window.message(_("The case store is still opening; try again in a moment."))
        return False
    return True


def _keep(controller, name: str, make: Callable):
    """One window of each kind per desk: reuse it while it exists."""
    held = getattr(controller, "_bundle_windows", None)
    if held is None:
        held = controller._bundle_windows = {}
    window = held.get(name)
    if window is None:
        window = held[name] = make()
        window.destroyed.connect(lambda *_a: held.pop(name, None))
    return window


def export_bundle(controller: DeskController) -> None:
    """At the post: export to a folder or a stick, with progress; the outbox below."""
    if not may_export(controller.principal) or not _ready(controller):
        return
    from blo_desk.ui.export_dialog import ExportDialog

    services = controller.services
    assert services is not None  # _ready
    dialog = _keep(controller, "export", lambda: ExportDialog(controller.window, runner=controller.runner,
                                                               sync=services.sync,
                                                               principal=controller.principal))
    dialog.show()
    dialog.raise_()
    dialog.refresh()


def show_hq(controller: DeskController) -> HqWindow | None:
    """At HQ: each post's bundles, gaps and alerts, the last import report, and what was seen at several posts."""
    if not may_see_hq(controller.principal) or not _ready(controller):
        return None
    from blo_desk.ui.pages.hq_page import HqWindow

    services = controller.services
    assert services is not None  # _ready
    window = _keep(controller, "hq", lambda: HqWindow(controller.window, runner=controller.runner,
                                                      services=services, principal=controller.principal))
    window.show()
    window.raise_()
    window.page.refresh()
    return window


def import_bundles(controller: DeskController) -> None:
    """At HQ: choose several bundle files (or a folder) and import them, then show the report."""
    if not allowed(controller.principal, Action.BUNDLE_IMPORT):
        return
    window = show_hq(controller)
    if window is not None:
        window.page.choose_files()
