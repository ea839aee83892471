"""At the post: export a signed bundle to a folder or a USB stick with a progress bar, and the outbox of bundles
HQ has not acknowledged yet."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.errors import DomainError
from blo_desk.i18n import N_, _, active_language, add_language_listener, ngettext, remove_language_listener, translator
from blo_desk.ui.file_dialogs import choose_folder
from blo_desk.ui.models.rows import RowsModel, rows_view
from blo_desk.ui.screen_fit import fit_to_screen
from blo_desk.ui.tasks import Progress, Task, TaskRunner
from blo_desk.ui.widgets.whole_text import ResultNote

if TYPE_CHECKING:
    from blo_desk.domain.permissions import Principal
    from blo_desk.domain.sync import ExportResult, OutboxEntry, PostIdentity
    from blo_desk.ports import SyncPort

OUTBOX_HEADERS = (N_("Bundle"), N_("File"), N_("Exported"), N_("Revisions"), N_("Cases"), N_("Photos"),
                  N_("Size (KB)"), N_("Folder"))


class ExportDialog(QDialog):
    """Export with progress (on a worker thread); shows what was written and what HQ has not confirmed yet."""

    def __init__(self, parent: QWidget | None, *, runner: TaskRunner, sync: SyncPort, principal: Principal) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.runner = runner
        self.sync = sync
        self.principal = principal
        self.task: Task | None = None
        self.last_result: ExportResult | None = None
        self.last_error: BaseException | None = None
        self.identity_label = QLabel()
        self.identity_label.setObjectName("exportIdentity")
        self.folder_label = QLabel()
        self.folder = QLineEdit()
        self.folder.setObjectName("exportFolder")
        self.folder.setText(str(sync.default_folder()))
        self.browse = QPushButton()
        self.browse.setObjectName("exportBrowse")
        self.browse.clicked.connect(self.choose_folder)
        self.full = QCheckBox()
        self.full.setObjectName("exportFull")
        self.progress = QProgressBar()
        self.progress.setObjectName("exportProgress")
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        self.status = ResultNote("exportStatus")
        self.export_button = QPushButton()
        self.export_button.setObjectName("exportButton")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("exportCancel")
        self.cancel_button.clicked.connect(self.cancel_export)
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        self.outbox_label = QLabel()
        self.outbox_model = RowsModel(OUTBOX_HEADERS, self)
        self.outbox = rows_view(self.outbox_model, "outboxTable", stretch=7)

        row = QHBoxLayout()
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.identity_label)
        layout.addWidget(self.folder_label)
        layout.addLayout(row)
        layout.addWidget(self.full)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        layout.addWidget(self.outbox_label)
        layout.addWidget(self.outbox, 1)
        fit_to_screen(self, 820, 520)
        self.identity: PostIdentity | None = None
        add_language_listener(self._language_changed)
        self.destroyed.connect(lambda *_a, cb=self._language_changed: remove_language_listener(cb))
        self.retranslate()

    # --- language ----------------------------------------------------------------------------------------
    def _language_changed(self, _language: str) -> None:
        self.retranslate()
        self._show_outbox(getattr(self, "_outbox_entries", []))

    def retranslate(self) -> None:
        self.setWindowTitle(_("Export bundle"))
        self.folder_label.setText(_("Folder or USB stick to write the bundle to:"))
        self.browse.setText(_("Choose…"))
        self.full.setText(_("Full re-export: every revision again (for a lost stick)"))
        self.export_button.setText(_("Export"))
        self.cancel_button.setText(_("Cancel"))
        self.close_button.setText(_("Close"))
        self.outbox_label.setText(_("Outbox: bundles exported and not yet acknowledged by HQ"))
        self.outbox_model.retranslate()
        self._show_identity()

    def _show_identity(self) -> None:
        if self.identity is None:
            self.identity_label.setText(_("This installation has no post identity yet; set up the post "
                                          "(code and signing key) first."))
        else:
            self.identity_label.setText(_("Post {post}, signing key {key_id}").format(
                post=self.identity.post_code, key_id=self.identity.key_id))

    # --- data ----------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the identity and the outbox off the GUI thread."""
        sync = self.sync

        def read() -> tuple[PostIdentity | None, list[OutboxEntry]]:
            identity = sync.identity()
            return identity, sync.outbox() if identity is not None else []

        self.runner.run(read, on_done=self._refreshed, on_error=self._failed)

    def _refreshed(self, result: tuple[PostIdentity | None, list[OutboxEntry]]) -> None:
        self.identity, entries = result
        self._show_identity()
        self._show_outbox(entries)
        self.export_button.setEnabled(self.identity is not None and self.task is None)

    def _show_outbox(self, entries: list[OutboxEntry]) -> None:
        self._outbox_entries = entries
        tr = translator(active_language())
        self.outbox_model.set_rows([
            (e.sequence, e.file_name, tr.format_datetime(e.created_at), e.records, e.cases, e.attachments,
             round(e.size / 1024), e.folder)
            for e in entries
        ])
        self.outbox_label.setText(ngettext("Outbox: {count} bundle exported and not yet acknowledged by HQ",
                                           "Outbox: {count} bundles exported and not yet acknowledged by HQ",
                                           len(entries)).format(count=len(entries)))

    def choose_folder(self) -> None:
        chosen = choose_folder(self, purpose="bundle_export", title=_("Folder or USB stick to write the bundle to:"),
                               start=self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    # --- export ----------------------------------------------------------------------------------------------
    def start_export(self) -> None:
        if self.task is not None:
            return
        folder = Path(self.folder.text().strip() or str(self.sync.default_folder()))
        full = self.full.isChecked()
        sync = self.sync

        def work(progress: Progress) -> tuple[ExportResult, list[OutboxEntry]]:
            def step(done: int, total: int) -> None:
                progress.check()
                progress.report(done, total)

            result = sync.export(folder=folder, full=full, progress=step)
            return result, sync.outbox()

        self.last_result = self.last_error = None
        self.progress.setRange(0, 0)  # busy until the packer reports numbers
        self.status.setText(_("Writing the bundle…"))
        self.export_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.task = self.runner.run(work, with_progress=True, on_done=self._exported, on_error=self._failed,
                                    on_progress=self._progressed)
        self.task.ended.connect(self._ended)

    def cancel_export(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.status.setText(_("Export cancelled; the bundle number stays used and shows as a gap at HQ."))
            self._ended()

    def _progressed(self, done: int, total: int, _text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _ended(self) -> None:
        self.task = None
        self.cancel_button.setEnabled(False)
        self.export_button.setEnabled(self.identity is not None)

    def _exported(self, result: tuple[ExportResult, list[OutboxEntry]]) -> None:
        exported, entries = result
        self.last_result = exported
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.say(_("Bundle {seq} written to {path}: {records} revisions of {cases} cases, "
                              "{photos} photos").format(seq=exported.sequence, path=exported.path,
                                                        records=exported.records, cases=exported.cases,
                                                        photos=exported.attachments)
                            + "\n" + (_("The bundle is encrypted: only HQ's age key opens it.")
                                       if getattr(exported, "encrypted", False) else
                                       _("Warning: the bundle is NOT encrypted; anyone who finds the stick can "
                                         "read the cases. Ask the administrator to pin HQ's age key.")),
                        files=(exported.path,))
        self._show_outbox(entries)

    def _failed(self, exc: BaseException) -> None:
        self.last_error = exc
        self.progress.setRange(0, 1)
        self.progress.setValue(0)
        text = exc.translated() if isinstance(exc, DomainError) else _("Something went wrong: {reason}").format(
            reason=str(exc))
        self.status.setText(text)
