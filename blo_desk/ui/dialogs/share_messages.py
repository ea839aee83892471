"""Ask the sender… and Answer…: a request for information about a shared record, or its answer, written as a file
for the counterpart (signed and encrypted like a share), and sent through HQ's relay when its address is set."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.errors import DomainError
from blo_desk.i18n import _, add_language_listener, remove_language_listener, translator
from blo_desk.ui.dialogs.share_target import TargetFolder, relay_if_asked, relay_outcome, remember_written
from blo_desk.ui.forms import ParseError, parse_date
from blo_desk.ui.tasks import OwnTasks, Task, TaskRunner
from blo_desk.ui.widgets.dates import DateLineEdit
from blo_desk.ui.widgets.whole_text import MessageLabel, ResultNote

if TYPE_CHECKING:
    from blo_desk.domain.sharing import RelayedShare, SharedRecord, ShareMessage, ShareResult
    from blo_desk.ports import SharingPort

#: A request's answer is due a week after it is asked unless the officer chooses another day.
DEFAULT_DUE_DAYS = 7

Written = tuple["ShareResult", "RelayedShare | None", "DomainError | None"]


def error_text(exc: BaseException) -> str:
    """A failure as the user reads it: a domain error in their language, anything else with its reason."""
    if isinstance(exc, DomainError):
        return exc.translated()
    return _("Something went wrong: {reason}").format(reason=str(exc))


class _MessageDialog(QDialog):
    """A text to send to a counterpart post, the folder the file goes to, and the two ways to send it (the file
    only, or the file and HQ's relay); the file is written on the worker thread, and nothing is written when the
    service refuses (the reason shows in the window)."""

    sent = Signal(object)  # the ShareResult, once the file is written

    def __init__(self, parent: QWidget | None, *, runner: TaskRunner, sharing: SharingPort, name: str) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.runner = runner
        self.sharing = sharing
        self._tasks = OwnTasks(self)  # work still running for this window: cancelled when it goes
        self.task: Task | None = None
        self.written: ShareResult | None = None
        self.relay_configured = False
        self.heading = MessageLabel()
        self.heading.setObjectName("messageHeading")
        self.text = QPlainTextEdit()
        self.text.setObjectName("messageText")
        self.text.setTabChangesFocus(True)
        self.target_row = TargetFolder()
        self.status = ResultNote("messageStatus")
        self.send = QPushButton()
        self.send.setObjectName("messageSend")
        self.send.setDefault(True)
        self.send.setEnabled(False)
        self.send.clicked.connect(self.write)
        self.send_hq = QPushButton()
        self.send_hq.setObjectName("messageViaHq")
        self.send_hq.setEnabled(False)
        self.send_hq.clicked.connect(self.write_via_hq)
        self.close_button = QPushButton()
        self.close_button.setObjectName("messageClose")
        self.close_button.clicked.connect(self.reject)
        self.form = QFormLayout()
        self.text_label = QLabel()
        self.text_label.setBuddy(self.text)
        self.target_label = QLabel()
        self.target_label.setBuddy(self.target_row.line)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.send_hq)
        buttons.addWidget(self.send)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.form, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        add_language_listener(self._language_changed)
        self.destroyed.connect(lambda *_a, cb=self._language_changed: remove_language_listener(cb))
        self.resize(640, 460)

    def _language_changed(self, _language: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        self.target_label.setText(_("&Save to:"))
        self.target_row.title = self.windowTitle()
        self.target_row.retranslate()
        self.send_hq.setText(_("Write and send via &HQ"))
        self.send_hq.setToolTip(_("Also send the file through HQ's intake: HQ cannot read it (it is encrypted to the "
                                  "counterpart) and the counterpart receives it at its next sync. HQ's address must "
                                  "be set."))
        self.close_button.setText(_("Close"))

    # --- loading (worker thread) ---------------------------------------------------------------------------------
    def load(self) -> Task:
        sharing = self.sharing

        def work() -> tuple[Path, bool]:
            return sharing.default_folder(), sharing.relay_configured()

        return self._tasks.track(self.runner.run(work, on_done=self._loaded, on_error=self._failed))

    def _loaded(self, loaded: tuple[Path, bool]) -> None:
        folder, self.relay_configured = loaded
        self.target_row.set_default(folder)
        self._set_sendable(True)

    def _set_sendable(self, enabled: bool) -> None:
        enabled = enabled and self.written is None and self.task is None
        self.send.setEnabled(enabled)
        self.send_hq.setEnabled(enabled and self.relay_configured)

    # --- writing (worker thread) ---------------------------------------------------------------------------------
    def _writer(self, out: Path) -> Callable[[], ShareResult] | None:
        """The service call that writes the file (None, with the reason shown, when the form is not complete)."""
        raise NotImplementedError

    def write_via_hq(self) -> Task | None:
        return self.write(via_hq=True)

    def write(self, via_hq: bool = False) -> Task | None:
        if self.task is not None or self.written is not None:
            return None
        writer = self._writer(self.target_row.folder())
        if writer is None:
            return None
        sharing = self.sharing

        def work() -> Written:
            result = writer()
            remember_written(result.path)  # offered by the next request, answer or share
            return result, *relay_if_asked(sharing, Path(result.path), via_hq)

        self._set_sendable(False)
        self.status.setText(_("Writing the file…"))
        self.task = self._tasks.track(self.runner.run(work, on_done=self._written, on_error=self._failed))
        self.task.ended.connect(self._ended)
        return self.task

    def _ended(self) -> None:
        self.task = None
        self._set_sendable(True)

    def _written(self, done: Written) -> None:
        result, relayed, refused = done
        self.written = result
        self._set_sendable(False)  # written once: a second click would send a second request
        self.text.setReadOnly(True)
        text = _("Written for post {post}: {path}").format(post=self.peer_name, path=result.path)
        outcome = relay_outcome(self.peer_name, relayed, refused)
        self.status.say(f"{text}\n{outcome}" if outcome else text, files=(result.path,))
        self.close_button.setFocus()
        self.sent.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(error_text(exc))

    @property
    def peer_name(self) -> str:
        raise NotImplementedError


class AskDialog(_MessageDialog):
    """Ask the post that shared a record about it: the questions, and the day the answer is due."""

    def __init__(self, parent: QWidget | None, *, runner: TaskRunner, sharing: SharingPort, record: SharedRecord,
                 sender: str, today: date | None = None) -> None:
        super().__init__(parent, runner=runner, sharing=sharing, name="askDialog")
        self.record = record
        self.sender_name = sender  # the sending post by name, in the user's language
        self.due = DateLineEdit()
        self.due.setObjectName("askDue")
        self.today = today or date.today()
        self.due_day = self.today + timedelta(days=DEFAULT_DUE_DAYS)
        self.due.setText(translator().format_date(self.due_day))
        self.due_label = QLabel()
        self.due_label.setBuddy(self.due)
        self.form.addRow(self.text_label, self.text)
        self.form.addRow(self.due_label, self.due)
        self.form.addRow(self.target_label, self.target_row)
        self.retranslate()
        self.text.setFocus()  # the questions are typed first (the default button had the focus: keys went nowhere)
        self.load()

    @property
    def peer_name(self) -> str:
        return self.sender_name

    def retranslate(self) -> None:
        self.setWindowTitle(_("Ask the sender"))
        super().retranslate()
        self.due.retranslate()
        self.heading.setText(_("To post {post}, about its case {case} (shared on {date}).").format(
            post=self.sender_name, case=self.record.reference,
            date=translator().format_date(self.record.shared_at.date())))
        self.text_label.setText(_("&Questions:"))
        self.text.setPlaceholderText(_("What this post needs to know about the case"))
        self.due_label.setText(_("Answer &due by:"))
        self.send.setText(_("&Write the request"))

    def _writer(self, out: Path) -> Callable[[], ShareResult] | None:
        try:
            due = parse_date(self.due.text())
        except ParseError as exc:
            self.status.setText(_(exc.message).format(**exc.params))
            self.due.setFocus()
            return None
        if due is not None and due < self.today:  # a slip of the date: the request would be overdue the moment it is read
            self.status.setText(_("The answer cannot be due before today ({today}).").format(
                today=translator().format_date(self.today)))
            self.due.setFocus()
            return None
        sharing, record, text = self.sharing, self.record, self.text.toPlainText()
        return lambda: sharing.request(to=record.sender, about=record.id, text=text, due=due, out=out)


class AnswerDialog(_MessageDialog):
    """Answer a request a counterpart post sent: its question shown, the answer typed."""

    def __init__(self, parent: QWidget | None, *, runner: TaskRunner, sharing: SharingPort, request: ShareMessage,
                 peer: str) -> None:
        super().__init__(parent, runner=runner, sharing=sharing, name="answerDialog")
        self.request = request
        self.asker = peer  # the asking post by name, in the user's language
        self.question = QPlainTextEdit(request.text)
        self.question.setObjectName("answerQuestion")
        self.question.setReadOnly(True)
        self.question.setTabChangesFocus(True)
        self.question_label = QLabel()
        self.question_label.setBuddy(self.question)
        self.form.addRow(self.question_label, self.question)
        self.form.addRow(self.text_label, self.text)
        self.form.addRow(self.target_label, self.target_row)
        self.retranslate()
        self.text.setFocus()
        self.load()

    @property
    def peer_name(self) -> str:
        return self.asker

    def retranslate(self) -> None:
        self.setWindowTitle(_("Answer the request"))
        super().retranslate()
        tr, request = translator(), self.request
        heading = _("From post {post}, about case {case}, asked on {date}.").format(
            post=self.asker, case=request.about, date=tr.format_date(request.created_at.date()))
        if request.due is not None:
            heading += " " + _("The answer is due by {date}.").format(date=tr.format_date(request.due))
        self.heading.setText(heading)
        self.question_label.setText(_("Q&uestion:"))
        self.text_label.setText(_("&Answer:"))
        self.text.setPlaceholderText(_("What this post can tell about it"))
        self.send.setText(_("&Write the answer"))

    def _writer(self, out: Path) -> Callable[[], ShareResult] | None:
        sharing, request_id, text = self.sharing, self.request.id, self.text.toPlainText()
        return lambda: sharing.answer(request_id=request_id, text=text, out=out)
