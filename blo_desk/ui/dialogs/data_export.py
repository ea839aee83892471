"""Export what a list shows as a spreadsheet (XLSX), CSV files or an international table, with progress."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.errors import DomainError
from blo_desk.i18n import N_, _, active_language, add_language_listener, ngettext, remove_language_listener
from blo_desk.ui.file_dialogs import choose_folder, choose_save_file, start_folder
from blo_desk.ui.tasks import Progress, Task, TaskRunner
from blo_desk.ui.widgets.whole_text import ResultNote

if TYPE_CHECKING:
    from blo_desk.domain.case_tables import TableExport
    from blo_desk.domain.entities import CaseQuery
    from blo_desk.ports import DataExportPort

#: (format, its name in the list, the file name offered; '' for a folder)
CHOICES = (
    ("xlsx", N_("Spreadsheet (XLSX): cases, items and persons"), "cases.xlsx"),
    ("csv", N_("CSV files in a folder: cases, items and persons"), ""),
    ("cen", N_("Seizure table shaped like WCO CEN (no persons)"), "cen.xlsx"),
    ("ids", N_("Individual drug seizures table (no persons)"), "drug-seizures.xlsx"),
)


class DataExportDialog(QDialog):
    """The cases of `query` written out on a worker thread; the dialog says where, and how many."""

    def __init__(self, parent: QWidget | None, *, runner: TaskRunner, exports: DataExportPort, query: CaseQuery,
                 folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataExportDialog")
        self.runner = runner
        self.exports = exports
        self.query = query
        self.folder = folder or start_folder("data_export")  # a stick, else the documents (not the program's)
        self.task: Task | None = None
        self.exported: TableExport | None = None
        self.scope = QLabel()
        self.scope.setWordWrap(True)
        self.format = QComboBox()
        self.format.setObjectName("dataExportFormat")
        self.format.currentIndexChanged.connect(self._format_changed)
        self.target = QLineEdit()
        self.target.setObjectName("dataExportTarget")
        self.browse = QPushButton()
        self.browse.clicked.connect(self.choose_target)
        self.progress = QProgressBar()
        self.progress.setObjectName("dataExportProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = ResultNote("dataExportStatus")
        self.start = QPushButton()
        self.start.setObjectName("dataExportStart")
        self.start.setDefault(True)
        self.start.clicked.connect(self.run_export)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)

        self.form = QFormLayout()
        target_row = QHBoxLayout()
        target_row.addWidget(self.target, 1)
        target_row.addWidget(self.browse)
        self.format_label, self.target_label = QLabel(), QLabel()
        self.form.addRow(self.format_label, self.format)
        self.form.addRow(self.target_label, target_row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.start)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.scope)
        layout.addLayout(self.form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        add_language_listener(self._language_changed)
        self.destroyed.connect(lambda *_a, cb=self._language_changed: remove_language_listener(cb))
        self.retranslate()
        self.resize(640, self.sizeHint().height())

    def _language_changed(self, _language: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Export cases"))
        index = self.format.currentIndex()
        self.format.blockSignals(True)
        self.format.clear()
        for fmt, name, _file in CHOICES:
            if fmt in self.exports.formats:
                self.format.addItem(_(name), fmt)
        self.format.setCurrentIndex(max(index, 0))
        self.format.blockSignals(False)
        if not self.target.text():
            self._format_changed()
        text = self.query.text.strip()
        self.scope.setText(_("The cases that the search “{text}” finds, every page of them.").format(text=text)
                           if text else _("Every case you may see."))
        self.format_label.setText(_("Format:"))
        self.target_label.setText(_("Save to:"))
        self.browse.setText(_("Choose…"))
        self.start.setText(_("Export"))
        self.close_button.setText(_("Close"))

    def _format_changed(self, *_args) -> None:
        fmt = self.format.currentData()
        name = next((file for f, _n, file in CHOICES if f == fmt), "")
        self.target.setText(str(self.folder / (name or "cases-csv")))

    def choose_target(self) -> None:
        current = self.target.text() or str(self.folder)
        if self.format.currentData() == "csv":
            chosen = choose_folder(self, purpose="data_export", title=_("Export cases"), start=current)
        else:
            chosen = choose_save_file(self, purpose="data_export", title=_("Export cases"), start=current,
                                      filters=_("Spreadsheets (*.xlsx);;CSV (*.csv)").split(";;"))
        if chosen:
            self.target.setText(chosen)

    def run_export(self) -> Task | None:
        """Export on a worker thread with progress; the buttons wait until it ends."""
        target = self.target.text().strip()
        if self.task is not None or not target:
            return None
        exports, query, fmt, language = self.exports, self.query, str(self.format.currentData()), active_language()

        def work(progress: Progress) -> TableExport:
            return exports.export(query=query, fmt=fmt, out=Path(target), language=language,
                                  progress=lambda done, total: progress.report(done, total))

        self.progress.setRange(0, 0)
        self.status.setText(_("Exporting…"))
        self.start.setEnabled(False)
        self.task = self.runner.run(work, with_progress=True, on_done=self._done, on_error=self._failed,
                                    on_progress=self._progressed)
        self.task.ended.connect(self._ended)
        return self.task

    def _progressed(self, done: int, total: int, _text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _ended(self) -> None:
        self.task = None
        self.start.setEnabled(True)

    def _done(self, result: TableExport) -> None:
        self.exported = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.say(ngettext("{count} case exported to {path}", "{count} cases exported to {path}",
                                 result.cases).format(count=result.cases, path=", ".join(str(p) for p in result.files)),
                        files=result.files)

    def _failed(self, exc: BaseException) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status.setText(exc.translated() if isinstance(exc, DomainError) else _(
            "Something went wrong: {reason}").format(reason=str(exc)))
