"""Shared with us: the records counterpart posts shared with this post, read-only, and the import of a share file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.errors import DomainError
from blo_desk.i18n import N_, _, active_language, add_language_listener, remove_language_listener, translator
from blo_desk.ui.file_dialogs import choose_open_file
from blo_desk.ui.models.rows import RowsModel, rows_view
from blo_desk.ui.tasks import Task, TaskRunner, cancel_tasks

if TYPE_CHECKING:
    from blo_desk.domain.sharing import SharedRecord, ShareMessage
    from blo_desk.ports import SharingPort

HEADERS = (N_("Shared by post"), N_("Redaction profile"), N_("Sender's case"), N_("Shared on"))


class SharedWithUsDialog(QDialog):
    """The list (searchable) and the chosen record's fields in the user's language; every read on a worker."""

    def __init__(self, parent: QWidget | None, *, runner: TaskRunner, sharing: SharingPort,
                 record_id: str | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sharedWithUsDialog")
        self.runner = runner
        self._tasks: list[Task] = []  # work still running for this window: cancelled when it goes
        self.destroyed.connect(lambda *_a, tasks=self._tasks: cancel_tasks(tasks))
        self.sharing = sharing
        self.wanted = record_id  # selected once listed
        self.records: list[SharedRecord] = []
        self.imported: ShareMessage | None = None
        self.search = QLineEdit()
        self.search.setObjectName("sharedSearch")
        self.search.returnPressed.connect(self.refresh)
        self.model = RowsModel(HEADERS, self)
        self.table = rows_view(self.model, "sharedTable", stretch=2)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.details = QPlainTextEdit()
        self.details.setObjectName("sharedDetails")
        self.details.setReadOnly(True)
        self.status = QLabel()
        self.status.setObjectName("sharedStatus")
        self.status.setWordWrap(True)
        self.import_button = QPushButton()
        self.import_button.setObjectName("sharedImport")
        self.import_button.clicked.connect(self.choose_file)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        add_language_listener(self._language_changed)
        self.destroyed.connect(lambda *_a, cb=self._language_changed: remove_language_listener(cb))
        self.retranslate()
        self.resize(900, 560)
        self.refresh()

    def _language_changed(self, _language: str) -> None:
        self.retranslate()
        if self.records:
            selected = self.table.selectionModel().selectedRows()
            self._fill()
            for index in selected:
                self.table.selectRow(index.row())
        self._selected()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Shared with us"))
        self.search.setPlaceholderText(_("Search the shared records"))
        self.import_button.setText(_("Import a share file…"))
        self.close_button.setText(_("Close"))
        self.model.retranslate()

    def refresh(self) -> Task:
        sharing, text = self.sharing, self.search.text().strip()
        return self._track(self.runner.run(lambda: sharing.shared_records(text=text), on_done=self._listed,
                                           on_error=self._failed))

    def _track(self, task: Task) -> Task:
        self._tasks[:] = [*[t for t in self._tasks if not t.done], task]
        return task

    def _listed(self, records: list[SharedRecord]) -> None:
        self.records = records
        self._fill()
        if not records:
            self.details.setPlainText(_("No record has been shared with this post."))
        wanted, self.wanted = self.wanted, None
        row = next((n for n, r in enumerate(records) if r.id == wanted), None)
        if row is not None:
            self.table.selectRow(self.table.model().mapFromSource(self.model.index(row, 0)).row())  # type: ignore

    def _fill(self) -> None:
        """The rows in the active language: when each was shared, as every moment on the desk (its post's zone)."""
        tr = translator()
        self.model.set_rows([(r.sender, r.profile, r.reference, tr.format_datetime(r.shared_at))
                             for r in self.records])

    def selected_record(self) -> SharedRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.table.model().mapToSource(rows[0]).row()  # type: ignore[attr-defined]
        return self.records[row] if 0 <= row < len(self.records) else None

    def _selected(self, *_args) -> Task | None:
        record = self.selected_record()
        if record is None:
            return None
        sharing, language = self.sharing, active_language()
        return self._track(self.runner.run(lambda: sharing.record_lines(record_id=record.id, language=language),
                                           on_done=self._shown, on_error=self._failed))

    def _shown(self, lines: list[tuple[str, str]]) -> None:
        self.details.setPlainText("\n".join(f"{label}: {value}" for label, value in lines))

    def choose_file(self) -> None:
        chosen = choose_open_file(self, purpose="share_import", title=_("Import a share file…"),
                                  filters=[_("Counterpart shares (*.share)")])
        if chosen:
            self.import_file(Path(chosen))

    def import_file(self, path: Path) -> Task:
        """Check and keep a share file on the worker thread; a refusal shows its reason, nothing is kept."""
        sharing = self.sharing
        self.status.setText(_("Checking {name}…").format(name=path.name))
        return self._track(self.runner.run(lambda: sharing.import_share(path=path), on_done=self._imported,
                                           on_error=self._failed))

    def _imported(self, message: ShareMessage) -> None:
        self.imported = message
        self.status.setText(_("Received from post {post}: {kind} {id}.").format(
            post=message.peer, kind=message.kind.value, id=message.id))
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(exc.translated() if isinstance(exc, DomainError) else _(
            "Something went wrong: {reason}").format(reason=str(exc)))
