"""Link to a case…: tie a case of this post to a record a counterpart shared ("same vehicle", "same consignment")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.entities import CaseQuery
from blo_desk.domain.sharing import LinkRelation
from blo_desk.i18n import _, add_language_listener, remove_language_listener, translator
from blo_desk.ui.dialogs.share_messages import error_text
from blo_desk.ui.tasks import OwnTasks, Task, TaskRunner
from blo_desk.ui.widgets.whole_text import MessageLabel

if TYPE_CHECKING:
    from blo_desk.domain.entities import CaseSummary, Page
    from blo_desk.domain.sharing import SharedLink, SharedRecord
    from blo_desk.ports import CasesPort, SharingPort

#: How many of the post's cases the list offers at a time (the search narrows them).
CASES_SHOWN = 50
#: The relations in the order they are offered: the most telling first, "related" for anything else.
RELATIONS = (LinkRelation.SAME_VEHICLE, LinkRelation.SAME_CONSIGNMENT, LinkRelation.SAME_PERSON, LinkRelation.RELATED)
SEARCH_DELAY_MS = 250


class LinkDialog(QDialog):
    """The post's cases (newest first, or those a search finds: case number, names, plates…), the relation, Link;
    the search and the link run on the worker thread, and a refusal is shown in the window with nothing linked."""

    linked = Signal(object)  # the SharedLink made

    def __init__(self, parent: QWidget | None, *, runner: TaskRunner, sharing: SharingPort, cases: CasesPort,
                 record: SharedRecord, sender: str) -> None:
        super().__init__(parent)
        self.setObjectName("linkDialog")
        self.runner = runner
        self.sharing = sharing
        self.cases = cases
        self.record = record
        self.sender_name = sender
        self._tasks = OwnTasks(self)  # work still running for this window: cancelled when it goes
        self.search_task: Task | None = None
        self.task: Task | None = None
        self.found: list[CaseSummary] = []
        self.link_made: SharedLink | None = None
        self.heading = MessageLabel()
        self.search = QLineEdit()
        self.search.setObjectName("linkSearch")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._typed)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.search_cases)
        self.list = QListWidget()
        self.list.setObjectName("linkCases")
        self.list.currentRowChanged.connect(self._chosen)
        self.list.itemActivated.connect(self._activated)
        self.relation = QComboBox()
        self.relation.setObjectName("linkRelation")
        for relation in RELATIONS:
            self.relation.addItem(relation.label, str(relation))
        self.search_label, self.list_label, self.relation_label = QLabel(), QLabel(), QLabel()
        self.search_label.setBuddy(self.search)
        self.list_label.setBuddy(self.list)
        self.relation_label.setBuddy(self.relation)
        self.status = MessageLabel()
        self.status.setObjectName("linkStatus")
        self.link_button = QPushButton()
        self.link_button.setObjectName("linkButton")
        self.link_button.setDefault(True)
        self.link_button.setEnabled(False)
        self.link_button.clicked.connect(self.link)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.search_label, self.search)
        form.addRow(self.list_label, self.list)
        form.addRow(self.relation_label, self.relation)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.link_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        add_language_listener(self._language_changed)
        self.destroyed.connect(lambda *_a, cb=self._language_changed: remove_language_listener(cb))
        self.retranslate()
        self.resize(640, 460)
        self.search.setFocus()
        self.search_cases()

    def _language_changed(self, _language: str) -> None:
        self.retranslate()
        self._fill()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Link to a case"))
        self.heading.setText(_("Which case of this post does the case {case} of post {post} concern?").format(
            case=self.record.reference, post=self.sender_name))
        self.search_label.setText(_("&Find a case:"))
        self.search.setPlaceholderText(_("Case number, name, plate…"))
        self.list_label.setText(_("&Cases:"))
        self.relation_label.setText(_("&Relation:"))
        for index, relation in enumerate(RELATIONS):
            self.relation.setItemText(index, relation.label)
        self.link_button.setText(_("&Link"))
        self.close_button.setText(_("Close"))

    # --- the post's cases (worker thread) ------------------------------------------------------------------------
    def _typed(self, _text: str) -> None:
        self.timer.start()

    def search_cases(self) -> Task:
        """The cases matching what is typed (the newest when nothing is), on the worker; an older search's answer is
        dropped."""
        self.timer.stop()
        if self.search_task is not None:
            self.search_task.cancel()
        cases, text = self.cases, self.search.text().strip()
        query = CaseQuery(text=text, limit=CASES_SHOWN)
        self.search_task = self._tasks.track(self.runner.run(lambda: cases.list_cases(query=query),
                                                       on_done=self._found, on_error=self._failed))
        return self.search_task

    def _found(self, page: Page) -> None:
        self.found = list(page.rows)
        self._fill()
        if not self.found:
            self.status.setText(_("No case of this post matches “{text}”.").format(text=self.search.text().strip())
                                if self.search.text().strip() else _("This post has no case to link yet."))
        elif self.link_made is None:
            self.status.clear()

    def _fill(self) -> None:
        chosen = self.chosen_case()
        tr = translator()
        self.list.blockSignals(True)
        self.list.clear()
        for case in self.found:
            when = tr.format_date(case.occurred_at.date()) if case.occurred_at else ""
            text = " · ".join(part for part in (case.case_number, when, case.items_summary) if part)
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, case.id)
            self.list.addItem(item)
            if chosen is not None and case.id == chosen.id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._chosen()

    def chosen_case(self) -> CaseSummary | None:
        row = self.list.currentRow()
        return self.found[row] if 0 <= row < len(self.found) and self.list.count() == len(self.found) else None

    def choose(self, case_number: str) -> bool:
        """Choose the listed case with this number (as a click on it does)."""
        for row, case in enumerate(self.found):
            if case.case_number == case_number:
                self.list.setCurrentRow(row)
                return True
        return False

    def _chosen(self, *_args) -> None:
        self.link_button.setEnabled(self.chosen_case() is not None and self.task is None)

    def _activated(self, _item: QListWidgetItem) -> None:
        self.link()

    # --- linking (worker thread) ---------------------------------------------------------------------------------
    def link(self) -> Task | None:
        case = self.chosen_case()
        if case is None or self.task is not None:
            return None
        sharing, record_id = self.sharing, self.record.id
        relation = LinkRelation(self.relation.currentData())
        self.link_button.setEnabled(False)
        self.task = self._tasks.track(self.runner.run(
            lambda: sharing.link(record_id=record_id, case_reference=case.id, relation=relation),
            on_done=self._linked, on_error=self._failed))
        self.task.ended.connect(self._ended)
        return self.task

    def _ended(self) -> None:
        self.task = None
        self._chosen()

    def _linked(self, link: SharedLink) -> None:
        self.link_made = link
        self.status.setText(_("Case {case} is linked to the shared record {id} ({relation}).").format(
            case=link.case_number, id=self.record.reference, relation=link.relation.label))
        self.linked.emit(link)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(error_text(exc))
