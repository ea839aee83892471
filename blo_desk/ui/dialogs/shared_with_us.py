"""Shared with us: the records counterpart posts shared with this post (read-only), the requests and answers
about them, and the import of a share, request or answer file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.errors import DomainError
from blo_desk.domain.permissions import Action, allowed
from blo_desk.domain.sharing import MessageKind, check_code
from blo_desk.i18n import N_, _, active_language, add_language_listener, remove_language_listener, translator
from blo_desk.ui.dialogs.share_requests import RequestsPanel
from blo_desk.ui.file_dialogs import choose_open_file
from blo_desk.ui.keys import enter_activates, enter_stays
from blo_desk.ui.models.rows import RowsModel, rows_view, select_on_focus
from blo_desk.ui.sharing import post_label
from blo_desk.ui.tasks import OwnTasks, Task, TaskRunner
from blo_desk.ui.widgets.shared_photos import SharedPhotos
from blo_desk.ui.widgets.whole_text import MessageText, ResultNote

if TYPE_CHECKING:
    from blo_desk.domain.permissions import Principal
    from blo_desk.domain.redaction import RedactionProfile
    from blo_desk.domain.sharing import SharedLink, SharedRecord, ShareMessage, ShareResult
    from blo_desk.ports import CasesPort, SharingPort

Listed = tuple["list[SharedRecord]", "dict[str, dict[str, str]]", "dict[str, RedactionProfile]", "list[ShareMessage]"]
TAB_RECORDS, TAB_REQUESTS = range(2)

HEADERS = (N_("Shared by post"), N_("Redaction profile"), N_("Sender's case"), N_("Shared on"))


class SharedWithUsDialog(QDialog):
    """The list (searchable) and the chosen record's fields in the user's language; every read on a worker."""

    links_changed = Signal()  # a case of this post was linked to a shared record (the open case's page follows)

    def __init__(self, parent: QWidget | None, *, runner: TaskRunner, sharing: SharingPort,
                 record_id: str | None = None, cases: CasesPort | None = None,
                 principal: Principal | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sharedWithUsDialog")
        self.runner = runner
        self._tasks = OwnTasks(self)  # work still running for this window: cancelled when it goes
        self.sharing = sharing
        self.cases = cases  # the post's cases, for Link to a case… (none: the button is not offered)
        self.principal = principal  # who works here: what the buttons offer follows the role (the service decides)
        self.wanted = record_id  # selected once listed
        self.wanted_request: str | None = None  # a request to choose once listed (one just imported or answered)
        self.requests: list[ShareMessage] = []
        self.message_dialog: QDialog | None = None  # Ask the sender…, Answer… or Link to a case…, while open
        self.records: list[SharedRecord] = []
        self.senders: dict[str, dict[str, str]] = {}  # post code -> its names by language, from its card
        self.profiles: dict[str, RedactionProfile] = {}
        self.imported: ShareMessage | None = None
        self.search = QLineEdit()
        self.search.setObjectName("sharedSearch")
        self.search.returnPressed.connect(self.refresh)
        enter_stays(self.search)  # Enter searches, and does not also press Ask the sender…
        self.model = RowsModel(HEADERS, self)
        self.table = rows_view(self.model, "sharedTable")  # every column whole; a scroll bar when too narrow
        self.table.selectionModel().selectionChanged.connect(self._selected)
        select_on_focus(self.table)  # reached by Tab, the row under the frame is the chosen one: the buttons work
        enter_activates(self.table)  # Enter (or a double-click) goes to the record's fields, not to Ask the sender…
        self.table.activated.connect(self._read_record)
        self.details = MessageText()
        self.details.setObjectName("sharedDetails")
        self.photos = SharedPhotos(runner=runner, sharing=sharing)  # the chosen record's photos, read-only
        self.status = ResultNote("sharedStatus")
        self.import_button = QPushButton()
        self.import_button.setObjectName("sharedImport")
        self.import_button.clicked.connect(self.choose_file)
        self.ask_button = QPushButton()
        self.ask_button.setObjectName("sharedAsk")
        self.ask_button.clicked.connect(self.ask)
        self.link_button = QPushButton()
        self.link_button.setObjectName("sharedLink")
        self.link_button.clicked.connect(self.link_case)
        self.link_button.setVisible(cases is not None)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        record_pane = QSplitter(Qt.Orientation.Vertical)
        record_pane.addWidget(self.details)
        record_pane.addWidget(self.photos)
        record_pane.setSizes([300, 260])  # a row of thumbnails with their captions
        splitter.addWidget(record_pane)
        splitter.setSizes([680, 420])  # the list wide enough for the sender, profile, case number and date (ru too)
        record_buttons = QHBoxLayout()
        record_buttons.addWidget(self.ask_button)
        record_buttons.addWidget(self.link_button)
        record_buttons.addStretch(1)
        records_page = QWidget()
        records_layout = QVBoxLayout(records_page)
        records_layout.setContentsMargins(0, 0, 0, 0)
        records_layout.addWidget(self.search)
        records_layout.addWidget(splitter, 1)
        records_layout.addLayout(record_buttons)
        # the requests in a tab of this window, not a window of their own: a request is about a shared record, and
        # the one Import button brings shares, requests and answers alike (an answer imported turns its request
        # answered right here)
        self.requests_panel = RequestsPanel(may_answer=self.may(Action.SHARE_SEND))
        self.requests_panel.answer_wanted.connect(self.answer)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("sharedTabs")
        self.tabs.addTab(records_page, "")
        self.tabs.addTab(self.requests_panel, "")
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        add_language_listener(self._language_changed)
        self.destroyed.connect(lambda *_a, cb=self._language_changed: remove_language_listener(cb))
        self.retranslate()
        self.resize(1120, 620)  # within 1366×768 with the list's four columns whole in ru
        self._enable_record_buttons()
        self.refresh()

    def may(self, action: Action) -> bool:
        """Whether the user's role may do this (no principal given: the service alone decides)."""
        return self.principal is None or allowed(self.principal, action)

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
        self.import_button.setText(_("&Import a share file…"))
        self.import_button.setToolTip(_("A share, a request or an answer from a counterpart post (a .share file)"))
        self.ask_button.setText(_("&Ask the sender…"))
        self.ask_button.setToolTip(_("Send the post that shared the chosen record a request for information, with "
                                     "the date the answer is due"))
        self.link_button.setText(_("&Link to a case…"))
        self.link_button.setToolTip(_("Link a case of this post to the chosen record (same vehicle, same "
                                      "consignment, same person)"))
        self.close_button.setText(_("Close"))
        self.tabs.setTabText(TAB_RECORDS, _("Shared &records"))
        self.tabs.setTabText(TAB_REQUESTS, _("Re&quests"))
        self.model.retranslate()
        self.requests_panel.retranslate()
        self.photos.retranslate()

    def refresh(self) -> Task:
        sharing, text = self.sharing, self.search.text().strip()

        def read() -> Listed:
            senders = {c.post_code: dict(c.card.names) for c in sharing.counterparts()}
            return sharing.shared_records(text=text), senders, sharing.profiles(), sharing.requests()

        return self._tasks.track(self.runner.run(read, on_done=self._listed, on_error=self._failed))

    def _listed(self, listed: Listed) -> None:
        records, self.senders, self.profiles, self.requests = listed
        self.records = records
        self._fill()
        wanted_request, self.wanted_request = self.wanted_request, None
        self.requests_panel.set_requests(self.requests, self.senders, wanted=wanted_request)
        if not records:
            self.details.setPlainText(_("No record has been shared with this post."))
        elif self.selected_record() is None:
            self.details.clear()  # not the "nothing shared" of an empty list any more
        if self.selected_record() is None:
            self.photos.show_record(None)
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
        return post_label(self.senders.get(code, {}), code, language)

    def _profile(self, code: str, language: str) -> str:
        profile = self.profiles.get(code)
        return profile.name(language) if profile else code

    def selected_record(self) -> SharedRecord | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.table.model().mapToSource(rows[0]).row()  # type: ignore[attr-defined]
        return self.records[row] if 0 <= row < len(self.records) else None

    def _enable_record_buttons(self) -> None:
        chosen = self.selected_record() is not None
        self.ask_button.setEnabled(chosen and self.may(Action.SHARE_SEND))
        self.link_button.setEnabled(chosen and self.cases is not None and self.may(Action.SHARE_READ)
                                    and self.may(Action.CASE_READ))

    def _selected(self, *_args) -> Task | None:
        self._enable_record_buttons()
        record = self.selected_record()
        if record is None or record.id != self.photos.record_id:
            self.photos.show_record(record)  # a language change keeps the thumbnails already read
        if record is None:
            return None
        sharing, language = self.sharing, active_language()
        return self._tasks.track(self.runner.run(lambda: sharing.record_lines(record_id=record.id, language=language),
                                           on_done=self._shown, on_error=self._failed))

    def _read_record(self, *_args) -> None:
        """Enter or a double-click on a record: the keyboard goes to its fields (already shown), to read and scroll."""
        if self.selected_record() is not None:
            self.details.setFocus(Qt.FocusReason.OtherFocusReason)

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
        return self._tasks.track(self.runner.run(lambda: sharing.import_share(path=path), on_done=self._imported,
                                           on_error=self._failed))

    def _imported(self, message: ShareMessage) -> None:
        self.imported = message
        # the check code to compare with the cover letter's, as the letter asks
        self.status.setText(_("Received from post {post}: {kind} {id}.").format(
            post=self._sender(message.peer, active_language()), kind=message.kind.label, id=message.id[:12])
            + " " + _("Check code (SHA-256): {sha256}").format(sha256=check_code(message.sha256)))
        self.wanted = message.id  # the first record it brought is shown
        if message.kind != MessageKind.SHARE:  # a request, or an answer: its request, on the Requests tab
            self.wanted_request = message.id if message.kind == MessageKind.REQUEST else message.about
            self.tabs.setCurrentIndex(TAB_REQUESTS)
        self.refresh()

    # --- requests, answers and links ---------------------------------------------------------------------------
    def ask(self) -> QDialog | None:
        """Ask the sender…: a request about the chosen record, to the post that shared it."""
        record = self.selected_record()
        if record is None:
            return None
        from blo_desk.ui.dialogs.share_messages import AskDialog

        dialog = AskDialog(self, runner=self.runner, sharing=self.sharing, record=record,
                           sender=self._sender(record.sender, active_language()))
        dialog.sent.connect(self._request_sent)
        return self._open(dialog)

    def answer(self, request: ShareMessage) -> QDialog:
        """Answer…: the answer to a request a counterpart sent, for the post that asked."""
        from blo_desk.ui.dialogs.share_messages import AnswerDialog

        dialog = AnswerDialog(self, runner=self.runner, sharing=self.sharing, request=request,
                              peer=self._sender(request.peer, active_language()))
        dialog.sent.connect(self._answer_sent)
        return self._open(dialog)

    def link_case(self) -> QDialog | None:
        """Link to a case…: a case of this post and how it relates to the chosen record."""
        record = self.selected_record()
        if record is None or self.cases is None:
            return None
        from blo_desk.ui.dialogs.share_link import LinkDialog

        dialog = LinkDialog(self, runner=self.runner, sharing=self.sharing, cases=self.cases, record=record,
                            sender=self._sender(record.sender, active_language()))
        dialog.linked.connect(self._linked)
        return self._open(dialog)

    def _open(self, dialog: QDialog) -> QDialog:
        if self.message_dialog is not None:
            self.message_dialog.close()
        self.message_dialog = dialog
        dialog.show()
        return dialog

    def _request_sent(self, result: ShareResult) -> None:
        self.wanted_request = result.id
        self.status.say(_("Request written for post {post}: {path}").format(
            post=self._sender(result.peer, active_language()), path=result.path), files=(result.path,))
        self._reselect_after_refresh()

    def _answer_sent(self, result: ShareResult) -> None:
        chosen = self.requests_panel.selected_request()
        self.wanted_request = chosen.id if chosen is not None else None
        self.status.say(_("Answer written for post {post}: {path}").format(
            post=self._sender(result.peer, active_language()), path=result.path), files=(result.path,))
        self._reselect_after_refresh()

    def _linked(self, link: SharedLink) -> None:
        self.status.setText(_("Case {case} is linked to the shared record {id} ({relation}).").format(
            case=link.case_number, id=self._reference_of(link.record_id), relation=link.relation.label))
        self.links_changed.emit()
        self._reselect_after_refresh()

    def _reference_of(self, record_id: str) -> str:
        return next((r.reference for r in self.records if r.id == record_id), record_id)

    def _reselect_after_refresh(self) -> Task:
        chosen = self.selected_record()
        if chosen is not None:
            self.wanted = chosen.id  # the record's pane shows its new link, or stays on the record asked about
        return self.refresh()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(exc.translated() if isinstance(exc, DomainError) else _(
            "Something went wrong: {reason}").format(reason=str(exc)))
