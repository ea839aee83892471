"""The case editor's linked shared records: what counterpart posts shared that an officer linked to this case
(sender, their case, relation, when shared, and the chosen record's photos), opened in Shared with us, or unlinked
once the officer confirms."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from blo_desk.domain.errors import DomainError
from blo_desk.i18n import N_, _, active_language, translator
from blo_desk.ui.dialogs.common import confirm
from blo_desk.ui.models.rows import RowsModel, rows_view
from blo_desk.ui.sharing import post_label
from blo_desk.ui.tasks import OwnTasks, Task, TaskRunner
from blo_desk.ui.widgets.shared_photos import SharedPhotos
from blo_desk.ui.widgets.whole_text import MessageLabel

if TYPE_CHECKING:
    from blo_desk.domain.sharing import SharedLink, SharedRecord
    from blo_desk.ports import SharingPort

HEADERS = (N_("Shared by post"), N_("Sender's case"), N_("Relation"), N_("Shared on"))
Linked = tuple[str, "list[tuple[SharedLink, SharedRecord]]", "dict[str, dict[str, str]]"]


def read_links(sharing: SharingPort, case_reference: str) -> Linked:
    """Worker thread: the case asked about, its links each with its shared record, and the counterparts' names."""
    links = sharing.links(case_reference=case_reference)
    names = {c.post_code: dict(c.card.names) for c in sharing.counterparts()} if links else {}
    return case_reference, [(link, sharing.shared_record(record_id=link.record_id)) for link in links], names


class SharedLinksPanel(QWidget):
    """Hidden until the case has a linked shared record; every read and the unlinking run on the worker thread."""

    open_record = Signal(str)  # a shared record's id, to be shown in Shared with us
    changed = Signal()  # the links were read again (the page's summary counts them)

    def __init__(self, runner: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sharedLinks")
        self.runner = runner
        self.sharing: SharingPort | None = None
        self._tasks = OwnTasks(self)
        self.case_reference: str | None = None
        self.links: list[tuple[SharedLink, SharedRecord]] = []
        self.names: dict[str, dict[str, str]] = {}
        self.unlink_box: QMessageBox | None = None  # "Unlink … from case …?", while it is asked
        self.unlink_task: Task | None = None  # the last unlinking, once confirmed
        self.heading = QLabel()
        self.heading.setObjectName("sectionHeading")
        self.heading.setStyleSheet("font-weight: bold; margin-top: 6px;")
        self.model = RowsModel(HEADERS, self)
        self.table = rows_view(self.model, "sharedLinksTable")
        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.table.doubleClicked.connect(self.open_chosen)
        self.table.setMaximumHeight(160)
        # the chosen record's photos of the goods, as Shared with us shows them (hidden when it has none)
        self.photos = SharedPhotos(runner=runner, sharing=None, alt_letter=False)  # the form's Alt letters are taken
        self.photos.setMaximumHeight(200)  # a row of thumbnails with their captions, beside the links
        self.status = MessageLabel()
        self.status.setObjectName("sharedLinksStatus")
        self.open_button = QPushButton()
        self.open_button.setObjectName("sharedLinksOpen")
        self.open_button.clicked.connect(self.open_chosen)
        self.unlink_button = QPushButton()
        self.unlink_button.setObjectName("sharedLinksUnlink")
        self.unlink_button.clicked.connect(self.unlink_chosen)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.unlink_button)
        buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        records = QHBoxLayout()
        records.addWidget(self.table, 3)
        records.addWidget(self.photos, 2)
        layout.addLayout(records)
        layout.addLayout(buttons)
        self.retranslate()
        self.setVisible(False)
        self._selected()

    def retranslate(self) -> None:
        self.heading.setText(_("Records counterpart posts shared, linked to this case"))
        self.open_button.setText(_("Show in Shared &with us"))
        self.unlink_button.setText(_("&Unlink"))
        self.unlink_button.setToolTip(_("Remove the link of this case to the chosen shared record (a link made by "
                                        "mistake); the record stays in Shared with us"))
        self.model.retranslate()
        self.photos.retranslate()
        self._fill()

    def set_sharing(self, sharing: SharingPort | None) -> None:
        """The channel, when this user may read what counterparts shared (None: the panel stays hidden)."""
        self.sharing = sharing
        self.photos.sharing = sharing
        self.photos.show_record(None)  # read again, through this channel, when a record is chosen

    def load(self, case_reference: str | None) -> Task | None:
        """The links of this case (none for a new case, or without the channel)."""
        if case_reference != self.case_reference:
            self.status.clear()  # "The link was removed." belongs to the case it was said on
        self.case_reference = case_reference
        self.links = []
        self._fill()
        sharing = self.sharing
        if sharing is None or not case_reference:
            return None
        return self._tasks.track(self.runner.run(lambda: read_links(sharing, case_reference), on_done=self._loaded,
                                           on_error=self._failed))

    def _loaded(self, loaded: Linked) -> None:
        case_reference, links, names = loaded
        if case_reference != self.case_reference:
            return  # another case was opened meanwhile: its own reading follows
        self.links, self.names = links, names
        self._fill()

    def _fill(self) -> None:
        tr, language = translator(), active_language()
        self.model.set_rows([(post_label(self.names.get(r.sender, {}), r.sender, language), r.reference,
                              link.relation.label, tr.format_date(r.shared_at.date())) for link, r in self.links])
        # shown while the case has links, and after its last link was removed, to say so (it vanished unsaid)
        self.setVisible(bool(self.links) or bool(self.status.text()))
        if self.links and self.chosen() is None:
            self.table.selectRow(0)  # the buttons work at once: the first link is chosen
        self._selected()
        self.changed.emit()

    def chosen(self) -> tuple[SharedLink, SharedRecord] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.table.model().mapToSource(rows[0]).row()  # type: ignore[attr-defined]
        return self.links[row] if 0 <= row < len(self.links) else None

    def _selected(self, *_args) -> None:
        chosen = self.chosen()
        self.open_button.setEnabled(chosen is not None)
        self.unlink_button.setEnabled(chosen is not None)
        record = chosen[1] if chosen is not None else None
        if record is None or record.id != self.photos.record_id:
            self.photos.show_record(record)  # a language change keeps the thumbnails already read

    def open_chosen(self, *_args) -> None:
        chosen = self.chosen()
        if chosen is not None:
            self.open_record.emit(chosen[1].id)

    def unlink_chosen(self) -> QMessageBox | None:
        """Ask first, naming the record and the case (Cancel, Escape and Enter keep the link); Unlink removes it."""
        chosen, sharing, case = self.chosen(), self.sharing, self.case_reference
        if chosen is None or sharing is None or not case or self.unlink_box is not None:
            return None
        link, record = chosen
        sender = post_label(self.names.get(record.sender, {}), record.sender, active_language())
        self.unlink_box = confirm(
            self, title=_("Unlink the shared record"),
            text=_("Unlink the shared record {reference} of post {post} from case {case_number}?").format(
                reference=record.reference, post=sender, case_number=link.case_number),
            informative=_("The record stays in Shared with us, and the removal is recorded in the audit trail."),
            accept_text=_("&Unlink"), on_accept=lambda: self._unlink(record.id, case),
            keep_whole=(record.reference, link.case_number, record.sender))
        self.unlink_box.finished.connect(self._asked)
        return self.unlink_box

    def _asked(self, *_args) -> None:
        self.unlink_box = None

    def _unlink(self, record_id: str, case: str) -> None:
        """Confirmed: the link is removed on the worker thread (the service audits it)."""
        sharing = self.sharing
        if sharing is None:
            return
        self.unlink_button.setEnabled(False)
        self.unlink_task = self._tasks.track(self.runner.run(
            lambda: sharing.unlink(record_id=record_id, case_reference=case), on_done=self._unlinked,
            on_error=self._failed))

    def _unlinked(self, _done: bool) -> None:
        self.status.setText(_("The link was removed."))
        self.load(self.case_reference)

    def _failed(self, exc: BaseException) -> None:
        self.setVisible(bool(self.links))
        self.status.setText(exc.translated() if isinstance(exc, DomainError) else _(
            "Something went wrong: {reason}").format(reason=str(exc)))
