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
from blo_desk.domain.sharing import check_code
from blo_desk.i18n import N_, _, active_language, add_language_listener, remove_language_listener, translator
from blo_desk.ui.file_dialogs import choose_open_file
from blo_desk.ui.models.rows import RowsModel, rows_view
from blo_desk.ui.tasks import Task, TaskRunner, cancel_tasks

if TYPE_CHECKING:
    from blo_desk.domain.redaction import RedactionProfile
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
        self.senders: dict[str, dict[str, str]] = {}  # post code -> its names by language, from its card
        self.profiles: dict[str, RedactionProfile] = {}
        self.imported: ShareMessage | None = None
        self.search = QLineEdit()
        self.search.setObjectName("sharedSearch")
        self.search.returnPressed.connect(self.refresh)
        self.model = RowsModel(HEADERS, self)
        self.table = rows_view(self.model, "sharedTable")  # every column whole; a scroll bar when too narrow
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
        splitter.setSizes([540, 340])  # the list wide enough for the sender, profile, case number and date
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

        def read() -> tuple[list[SharedRecord], dict[str, dict[str, str]], dict[str, RedactionProfile]]:
            senders = {c.post_code: dict(c.card.names) for c in sharing.counterparts()}
            return sharing.shared_records(text=text), senders, sharing.profiles()

        return self._track(self.runner.run(read, on_done=self._listed, on_error=self._failed))

    def _track(self, task: Task) -> Task:
        self._tasks[:] = [*[t for t in self._tasks if not t.done], task]
        return task

    def _listed(self, listed: tuple[list[SharedRecord], dict[str, dict[str, str]], dict[str, RedactionProfile]]) \
            -> None:
        records, self.senders, self.profiles = listed
        self.records = records
        self._fill()
        if not records:
            self.details.setPlainText(_("No record has been shared with this post."))
        elif self.selected_record() is None:
            self.details.clear()  # not the "nothing shared" of an empty list any more
        wanted, self.wanted = self.wanted, None
        row = next((n for n, r in enumerate(records) if wanted in (r.id, r.message_id)), None)
        if row is not None:
            self.table.selectRow(self.table.model().mapFromSource(self.model.index(row, 0)).row())  # type: ignore

    def _fill(self) -> None:
        """The rows in the active language: when each was shared, as every moment on the desk (its post's zone)."""
        tr, language = translator(), active_language()
        self.model.set_rows([(self._sender(r.sender, language), self._profile(r.profile, language), r.reference,
                              tr.format_datetime(r.shared_at)) for r in self.records])

    def _sender(self, code: str, language: str) -> str:
        """The sending post by the name its card gives, in the user's language, with its code."""
        names = self.senders.get(code, {})
        name = names.get(language) or names.get("en", "")
        return f"{name} ({code})" if name else code

    def _profile(self, code: str, language: str) -> str:
        profile = self.profiles.get(code)
        return profile.name(language) if profile else code

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
        # the check code to compare with the cover letter's, as the letter asks
        self.status.setText(_("Received from post {post}: {kind} {id}.").format(
            post=self._sender(message.peer, active_language()), kind=message.kind.label, id=message.id[:12])
            + " " + _("Check code (SHA-256): {sha256}").format(sha256=check_code(message.sha256)))
        self.wanted = message.id  # the first record it brought is shown
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(exc.translated() if isinstance(exc, DomainError) else _(
            "Something went wrong: {reason}").format(reason=str(exc)))
