"""The Requests tab of Shared with us: requests for information sent and received, their status, question and
answer, and Answer… for a request a counterpart sent."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSplitter, QVBoxLayout, QWidget

from blo_desk.domain.sharing import RequestStatus
from blo_desk.i18n import N_, _, active_language, ngettext, translator
from blo_desk.ui.keys import enter_activates
from blo_desk.ui.models.rows import RowsModel, rows_view, select_on_focus
from blo_desk.ui.sharing import post_label
from blo_desk.ui.widgets.whole_text import MessageText

if TYPE_CHECKING:
    from blo_desk.domain.sharing import ShareMessage

HEADERS = (N_("Asked by"), N_("Asked of"), N_("About case"), N_("Asked on"), N_("Due by"), N_("Status"))


def due_text(request: ShareMessage, today: date) -> str:
    """How the due date stands, in words (days counted with the language's plural rules); "" when none is set or
    the request is answered."""
    if request.due is None or request.status == RequestStatus.ANSWERED:
        return ""
    days = (request.due - today).days
    if days < 0:
        return ngettext("The answer is {count} day late.", "The answer is {count} days late.", -days).format(
            count=-days)
    if days == 0:
        return _("The answer is due today.")
    return ngettext("The answer is due in {count} day.", "The answer is due in {count} days.", days).format(
        count=days)


class RequestsPanel(QWidget):
    """The requests (newest first) and the chosen one's question and answer in a read-only pane."""

    answer_wanted = Signal(object)  # the ShareMessage of a received request to answer

    def __init__(self, parent: QWidget | None = None, *, may_answer: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("requestsPanel")
        self.may_answer = may_answer
        self.requests: list[ShareMessage] = []
        self.names: dict[str, dict[str, str]] = {}  # post code -> its names by language, from its card
        self.model = RowsModel(HEADERS, self)
        self.table = rows_view(self.model, "requestsTable")
        select_on_focus(self.table)
        self.table.selectionModel().selectionChanged.connect(self._selected)
        enter_activates(self.table)  # Enter does what a double-click does, and presses no button of the window
        self.table.activated.connect(self._activated)  # Enter or a double-click
        self.details = MessageText()
        self.details.setObjectName("requestDetails")
        self.answer_button = QPushButton()
        self.answer_button.setObjectName("requestAnswer")
        self.answer_button.setEnabled(False)
        self.answer_button.clicked.connect(self.answer)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setSizes([600, 300])
        buttons = QHBoxLayout()
        buttons.addWidget(self.answer_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.answer_button.setText(_("A&nswer…"))
        self.answer_button.setToolTip(_("Write the answer to the chosen request, for the post that asked"))
        self.model.retranslate()
        self._fill()

    def set_requests(self, requests: list[ShareMessage], names: Mapping[str, Mapping[str, str]],
                     wanted: str | None = None) -> None:
        """Show these requests (newest first); `wanted` (a request's id) is chosen, else the one chosen stays."""
        chosen = self.selected_request()
        self.requests = sorted(requests, key=lambda m: (m.created_at, m.id), reverse=True)
        self.names = {code: dict(n) for code, n in names.items()}
        self._fill()
        keep = wanted or (chosen.id if chosen else None)
        row = next((n for n, m in enumerate(self.requests) if m.id == keep), None)
        if row is not None:
            self.select_row(row)
        self._selected()

    def select_row(self, row: int) -> None:
        proxy = self.table.model()
        self.table.selectRow(proxy.mapFromSource(self.model.index(row, 0)).row())  # type: ignore[attr-defined]

    def _post(self, code: str) -> str:
        return post_label(self.names.get(code, {}), code, active_language())

    def _fill(self) -> None:
        tr, this = translator(), _("this post")
        rows = []
        for m in self.requests:
            peer = self._post(m.peer)
            asked_by, asked_of = (this, peer) if m.outgoing else (peer, this)
            rows.append((asked_by, asked_of, m.about, tr.format_date(m.created_at.date()),
                         tr.format_date(m.due) if m.due else "", m.status.label if m.status else ""))
        self.model.set_rows(rows)

    def selected_request(self) -> ShareMessage | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.table.model().mapToSource(rows[0]).row()  # type: ignore[attr-defined]
        return self.requests[row] if 0 <= row < len(self.requests) else None

    def answerable(self, request: ShareMessage | None) -> bool:
        return (self.may_answer and request is not None and not request.outgoing
                and request.status != RequestStatus.ANSWERED)

    def _selected(self, *_args) -> None:
        request = self.selected_request()
        self.answer_button.setEnabled(self.answerable(request))
        if request is None:
            self.details.setPlainText(
                _("Choose a request to read its question and answer.") if self.requests else
                _("No request has been sent or received. To ask the post that shared a record about it, choose the "
                  "record on the Shared records tab, then press “Ask the sender…”."))
            return
        self.details.setPlainText(self.describe(request))

    def describe(self, m: ShareMessage) -> str:
        """The request as the pane shows it: who asked whom about what, when, the status, the question, the answer."""
        tr, this = translator(), _("this post")
        peer = self._post(m.peer)
        lines = [f"{_('Asked by')}: {this if m.outgoing else peer}", f"{_('Asked of')}: {peer if m.outgoing else this}",
                 f"{_('About case')}: {m.about}", f"{_('Asked on')}: {tr.format_datetime(m.created_at)}"]
        if m.due is not None:
            lines.append(f"{_('Due by')}: {tr.format_date(m.due)}")
            late = due_text(m, date.today())
            if late:
                lines.append(late)
        if m.status is not None:
            lines.append(f"{_('Status')}: {m.status.label}")
        lines += ["", _("Question:"), m.text, ""]
        if m.status == RequestStatus.ANSWERED:
            lines.append(_("Answer ({date}):").format(date=tr.format_datetime(m.answered_at)) if m.answered_at
                         else _("Answer:"))
            lines.append(m.answer_text)
        elif m.outgoing:
            lines.append(_("No answer yet. Import the answer file when it comes (or it arrives through HQ)."))
        else:
            lines.append(_("Not answered yet: Answer… writes the answer for post {post}.").format(post=peer))
        return "\n".join(lines)

    def _activated(self, *_args) -> None:
        """Enter or a double-click on a request: Answer… when it can be answered here, else to its text."""
        if self.answerable(self.selected_request()):
            self.answer()
        elif self.selected_request() is not None:
            self.details.setFocus(Qt.FocusReason.OtherFocusReason)

    def answer(self) -> None:
        request = self.selected_request()
        if self.answerable(request):
            self.answer_wanted.emit(request)
