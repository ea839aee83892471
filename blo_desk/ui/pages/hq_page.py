"""At HQ: import bundles (several files or a folder) with progress, the import report, each post's bundles, gaps
and alerts, a search across all posts and what was seen at more than one post."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.errors import DomainError
from blo_desk.domain.permissions import Action, allowed
from blo_desk.i18n import N_, _, active_language, add_language_listener, ngettext, remove_language_listener, translator
from blo_desk.ui.file_dialogs import choose_folder, choose_open_files
from blo_desk.ui.models.rows import RowsModel, rows_view
from blo_desk.ui.pages.hq_lost import LostCasesTab
from blo_desk.ui.pages.hq_traffic import CounterpartTrafficTab
from blo_desk.ui.screen_fit import fit_to_screen
from blo_desk.ui.tasks import Progress, Task, TaskRunner
from blo_desk.ui.widgets.whole_text import MessageLabel

if TYPE_CHECKING:
    from blo_desk.domain.entities import CaseSummary
    from blo_desk.domain.permissions import Principal
    from blo_desk.domain.sync import Alert, ImportReport, PostSyncStatus, SeenAtPosts
    from blo_desk.ports import ServicesPort
    from blo_desk.ui.dialogs.data_export import DataExportDialog

REPORT_HEADERS = (N_("File"), N_("Post"), N_("Bundle"), N_("Result"), N_("New"), N_("Updated"), N_("Unchanged"),
                  N_("Why / alerts"))
STATUS_HEADERS = (N_("Post"), N_("Last bundle"), N_("Bundles held"), N_("Alerts"), N_("Keys"), N_("Last import"))
ALERT_HEADERS = (N_("Raised"), N_("Post"), N_("Bundle"), N_("Alert"))
SEEN_HEADERS = (N_("Kind"), N_("Number"), N_("Posts"), N_("Cases"))
SEARCH_HEADERS = (N_("Case number"), N_("Post"), N_("Date"), N_("Status"), N_("Items"), N_("Persons"))
OUTCOMES = {
    "imported": N_("imported"),
    "already_imported": N_("already imported"),
    "rejected": N_("rejected"),
    "verified": N_("valid"),
}
SEEN_KINDS = {"document": N_("document"), "plate": N_("plate")}


class HqPage(QWidget):
    """The analyst's view of bundles; the buttons follow the role (import only for analysts)."""

    def __init__(self, *, runner: TaskRunner, services: ServicesPort, principal: Principal,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hqPage")
        self.runner = runner
        self.hq = services.hq
        self.cases = services.cases
        self.principal = principal
        self.may_import = allowed(principal, Action.BUNDLE_IMPORT)
        self.may_search = allowed(principal, Action.CASE_READ_ALL_POSTS)
        self.task: Task | None = None
        self.reports: list[ImportReport] = []
        self.statuses: list[PostSyncStatus] = []
        self.alert_rows: list[Alert] = []
        self.seen: list[SeenAtPosts] = []
        self.hits: Sequence[CaseSummary] = []

        self.import_files = QPushButton()
        self.import_files.setObjectName("importFiles")
        self.import_files.clicked.connect(self.choose_files)
        self.import_folder = QPushButton()
        self.import_folder.setObjectName("importFolder")
        self.import_folder.clicked.connect(self.choose_folder)
        self.refresh_button = QPushButton()
        self.refresh_button.setObjectName("hqRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        for button in (self.import_files, self.import_folder):
            button.setEnabled(self.may_import)
        self.progress = QProgressBar()
        self.progress.setObjectName("importProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.summary = MessageLabel()
        self.summary.setObjectName("importSummary")

        self.report_model = RowsModel(REPORT_HEADERS, self)
        self.report_view = rows_view(self.report_model, "importReport", stretch=7)
        self.status_model = RowsModel(STATUS_HEADERS, self)
        self.status_view = rows_view(self.status_model, "postStatus", stretch=2)
        self.alert_model = RowsModel(ALERT_HEADERS, self)
        self.alert_view = rows_view(self.alert_model, "alertTable", stretch=3)
        self.alert_view.setWordWrap(True)
        self.seen_model = RowsModel(SEEN_HEADERS, self)
        self.seen_view = rows_view(self.seen_model, "seenTable", stretch=3)
        self.search = QLineEdit()
        self.search.setObjectName("hqSearch")
        self.search.returnPressed.connect(self.run_search)
        self.search_button = QPushButton()
        self.search_button.clicked.connect(self.run_search)
        self.search_model = RowsModel(SEARCH_HEADERS, self)
        self.search_view = rows_view(self.search_model, "hqSearchResults", stretch=4)
        for widget in (self.search, self.search_button):
            widget.setEnabled(self.may_search)
        self.exports = services.exports
        self.export_button = QPushButton()  # what the search finds (or every case) as a spreadsheet or table
        self.export_button.setObjectName("hqExport")
        self.export_button.clicked.connect(self.open_export)
        self.export_button.setEnabled(self.exports is not None and allowed(principal, Action.DATA_EXPORT))

        search_tab = QWidget()
        search_layout = QVBoxLayout(search_tab)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.search_button)
        search_row.addWidget(self.export_button)
        self.search_hint = QLabel()
        self.search_hint.setWordWrap(True)
        search_layout.addWidget(self.search_hint)
        search_layout.addLayout(search_row)
        search_layout.addWidget(self.search_view, 1)
        self.seen_label = QLabel()
        self.seen_label.setWordWrap(True)
        search_layout.addWidget(self.seen_label)
        search_layout.addWidget(self.seen_view, 1)

        # the counterpart traffic between posts (issue 16), for a role that reads every post
        self.traffic = CounterpartTrafficTab(runner=runner, sharing=services.sharing if self.may_search else None,
                                             reference=services.reference)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("hqTabs")
        self.tabs.addTab(self.report_view, "")
        self.tabs.addTab(self.status_view, "")
        self.tabs.addTab(self.alert_view, "")
        self.tabs.addTab(search_tab, "")
        self.tabs.addTab(self.traffic, "")
        # a restored post's cases lost with its old laptop, to re-enter or re-print (issue 18)
        self.lost = LostCasesTab(runner=runner, hq=self.hq if self.may_search else None)
        self.tabs.addTab(self.lost, "")

        top = QHBoxLayout()
        top.addWidget(self.import_files)
        top.addWidget(self.import_folder)
        top.addWidget(self.progress, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        self.details = MessageLabel(selectable=True)  # the full reasons of rejected bundles and the alerts
        self.details.setObjectName("importDetails")
        layout.addWidget(self.details)
        add_language_listener(self._language_changed)
        self.destroyed.connect(lambda *_a, cb=self._language_changed: remove_language_listener(cb))
        self.retranslate()

    # --- language ------------------------------------------------------------------------------------------
    def _language_changed(self, _language: str) -> None:
        self.retranslate()
        self._show_reports()
        self._show_status()
        self.traffic.retranslate()
        self.lost.retranslate()

    def retranslate(self) -> None:
        self.import_files.setText(_("Import bundles…"))
        self.import_folder.setText(_("Import a folder…"))
        self.refresh_button.setText(_("Refresh"))
        self.search.setPlaceholderText(_("Name, document number, plate… (Latin or Cyrillic)"))
        self.search_button.setText(_("Search all posts"))
        self.export_button.setText(_("Export…"))
        self.search_hint.setText(_("Search the cases of every post; a name typed in Latin also finds it in "
                                   "Cyrillic."))
        self.seen_label.setText(_("Seen at more than one post: the same document number or plate in cases of "
                                  "several posts"))
        for n, title in enumerate((_("Import report"), _("Posts and gaps"), _("Alerts"),
                                   _("Search across posts"), _("Counterpart traffic"), _("Lost with a laptop"))):
            self.tabs.setTabText(n, title)
        for model in (self.report_model, self.status_model, self.alert_model, self.seen_model, self.search_model):
            model.retranslate()
        if not self.may_import:
            self.import_files.setToolTip(_("Your role ({role}) does not import bundles.").format(
                role=self.principal.role.label))

    # --- reading ---------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        hq, may_search = self.hq, self.may_search

        def read() -> tuple[list[PostSyncStatus], list[Alert], list[SeenAtPosts]]:
            return hq.status(), hq.alerts(), hq.seen_at_several_posts() if may_search else []

        self.runner.run(read, on_done=self._refreshed, on_error=self._failed)
        if self.may_search:
            self.traffic.refresh()
            self.lost.refresh()

    def _refreshed(self, result: tuple[list[PostSyncStatus], list[Alert], list[SeenAtPosts]]) -> None:
        self.statuses, self.alert_rows, self.seen = result
        self._show_status()

    def _show_status(self) -> None:
        tr = translator(active_language())
        self.status_model.set_rows([
            (s.post_code, s.last_sequence, s.summary(), s.alerts, s.keys,
             tr.format_datetime(s.last_imported_at) if s.last_imported_at else "")
            for s in self.statuses
        ])
        self.alert_model.set_rows(
            [(tr.format_datetime(a.raised_at), a.post_code, a.sequence, a.translated())
             for a in self.alert_rows],
            tips=[a.translated() for a in self.alert_rows])
        self.seen_model.set_rows([(_(SEEN_KINDS.get(s.kind, s.kind)), s.value, ", ".join(s.posts),
                                   ", ".join(s.cases)) for s in self.seen])
        if self.alert_rows:
            self.tabs.setTabText(2, _("Alerts ({count})").format(count=len(self.alert_rows)))

    # --- import ----------------------------------------------------------------------------------------------
    def choose_files(self) -> None:
        if not self.may_import:
            return
        paths = choose_open_files(self, purpose="bundle_import", title=_("Import bundles…"),
                                  filters=[_("BLO Desk bundles (*.blo)")])
        if paths:
            self.import_paths([Path(p) for p in paths])

    def choose_folder(self) -> None:
        if not self.may_import:
            return
        folder = choose_folder(self, purpose="bundle_import", title=_("Import a folder…"))
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> Task | None:
        """Import files and folders (every .blo in a folder) on a worker thread; the report when done."""
        if not self.may_import or self.task is not None:
            return None
        hq = self.hq

        def work(progress: Progress) -> tuple[list[ImportReport], list[PostSyncStatus], list[Alert]]:
            def step(done: int, total: int, report: ImportReport) -> None:
                progress.report(done, total, report.file_name)

            reports = hq.import_bundles(paths=paths, progress=step)
            return reports, hq.status(), hq.alerts()

        self.progress.setRange(0, 0)
        self.summary.setText(_("Importing…"))
        for button in (self.import_files, self.import_folder):
            button.setEnabled(False)
        self.task = self.runner.run(work, with_progress=True, on_done=self._imported, on_error=self._failed,
                                    on_progress=self._progressed)
        self.task.ended.connect(self._ended)
        return self.task

    def _progressed(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        if text:
            self.summary.set_message(_("Importing {file}…").format(file=text), whole=(text,))

    def _ended(self) -> None:
        self.task = None
        for button in (self.import_files, self.import_folder):
            button.setEnabled(self.may_import)

    def _imported(self, result: tuple[list[ImportReport], list[PostSyncStatus], list[Alert]]) -> None:
        self.reports, self.statuses, self.alert_rows = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self._show_reports()
        self._show_status()
        self.tabs.setCurrentIndex(0)
        self.refresh()  # and what is now seen at several posts

    def _show_reports(self) -> None:
        rows, tips = [], []
        for r in self.reports:
            why = r.reason() if r.rejected else "; ".join(r.alert_texts())
            rows.append((r.file_name, r.post_code, r.sequence, _(OUTCOMES.get(r.outcome, r.outcome)), r.new,
                         r.updated, r.unchanged, why))
            tips.append(why)
        self.report_model.set_rows(rows, tips)
        self.details.set_message("\n".join(f"{r.file_name}: {why}" for r, (*_cols, why)
                                           in zip(self.reports, rows, strict=True) if why),
                                 whole=[r.file_name for r in self.reports])  # "UZ-DUS-000001.blo" never cut
        if not self.reports:
            return
        counts = {key: sum(1 for r in self.reports if r.outcome == key) for key in OUTCOMES}
        self.summary.setText(ngettext(
            "{files} file: {imported} imported, {already} already imported, {rejected} rejected; "
            "cases: {new} new, {updated} updated",
            "{files} files: {imported} imported, {already} already imported, {rejected} rejected; "
            "cases: {new} new, {updated} updated", len(self.reports)).format(
            files=len(self.reports), imported=counts["imported"], already=counts["already_imported"],
            rejected=counts["rejected"], new=sum(r.new for r in self.reports),
            updated=sum(r.updated for r in self.reports)))

    def _failed(self, exc: BaseException) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.summary.setText(exc.translated() if isinstance(exc, DomainError) else _(
            "Something went wrong: {reason}").format(reason=str(exc)))

    # --- data out ----------------------------------------------------------------------------------------------------
    def open_export(self) -> DataExportDialog | None:
        """The export dialog for what the search box asks for (every case when it is empty)."""
        if self.exports is None or not self.export_button.isEnabled():
            return None
        from blo_desk.domain.entities import CaseQuery
        from blo_desk.ui.dialogs.data_export import DataExportDialog

        dialog = DataExportDialog(self, runner=self.runner, exports=self.exports,
                                  query=CaseQuery(text=self.search.text().strip()))
        dialog.open()
        return dialog

    # --- search across posts ---------------------------------------------------------------------------------------
    def run_search(self) -> None:
        text = self.search.text().strip()
        if not self.may_search or not text:
            return
        cases = self.cases
        self.runner.run(lambda: cases.search(text=text, limit=200).rows, on_done=self._found, on_error=self._failed)

    def _found(self, rows: Sequence[CaseSummary]) -> None:
        self.hits = rows
        tr = translator(active_language())
        # the time of the incident at its post (not the UTC date), as in the case list
        self.search_model.set_rows([(h.case_number, h.post_code,
                                     tr.format_datetime(h.occurred_at, tz=h.timezone),
                                     h.status.label,
                                     h.items_summary, h.persons_summary) for h in rows])


class HqWindow(QDialog):
    """The HQ page in its own window (non-modal), beside the case list."""

    def __init__(self, parent: QWidget | None, *, runner: TaskRunner, services: ServicesPort,
                 principal: Principal) -> None:
        super().__init__(parent)
        self.setObjectName("hqWindow")
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.page = HqPage(runner=runner, services=services, principal=principal, parent=self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.page)
        fit_to_screen(self, 1100, 620)
        add_language_listener(self._retitle)
        self.destroyed.connect(lambda *_a, cb=self._retitle: remove_language_listener(cb))
        self._retitle()

    def _retitle(self, *_args) -> None:
        self.setWindowTitle(_("HQ: bundles from the posts"))
