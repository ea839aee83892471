"""The main window: a thin shell holding the pages, the menus built from the action registry, and the status bar."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QMainWindow, QProgressBar, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from blo_desk.i18n import _
from blo_desk.ui.actions import ActionSet
from blo_desk.ui.pages.case_editor import CaseEditorPage
from blo_desk.ui.pages.case_list import CaseListPage
from blo_desk.ui.screen_fit import fit_to_screen
from blo_desk.ui.tasks import Task
from blo_desk.ui.widgets.elided import ElidedLabel
from blo_desk.ui.widgets.notice import NoticeBar

MESSAGE_SHARE = 0.45  # of the status bar's width kept for a message when the labels would leave it less than…
MESSAGE_FLOOR = 0.30  # …this share: while they leave at least this, the labels stay whole and the message elides
PREFERRED_SIZE = (1366, 800)  # made smaller on a smaller screen (ui/screen_fit.py): 1366x768 and 1280x720 laptops

# A status-bar message: a text in the active language, or a function giving it (shown again after a language switch).
Message = str | Callable[[], str]


class MainWindow(QMainWindow):
    """Switches between the case list and the case editor; knows nothing about cases itself."""

    first_painted = Signal()
    close_requested = Signal(object)  # the QCloseEvent; the controller accepts or ignores it

    def __init__(self, *, list_page: CaseListPage, editor_page: CaseEditorPage) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.list_page = list_page
        self.editor_page = editor_page
        self.stack = QStackedWidget()
        self.stack.addWidget(list_page)
        self.stack.addWidget(editor_page)
        # What the officer must read (refusals, errors, restored work) is shown whole here, wrapped above the page;
        # the status bar keeps the passing lines ("Saved …", "Ready."), elided with a tooltip when long.
        self.notice_bar = NoticeBar()
        central = QWidget()
        box = QVBoxLayout(central)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(0)
        box.addWidget(self.notice_bar)
        box.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        # shadows QWidget.actions() (the window's list of QActions), which the desk never calls
        self.actions: ActionSet | None = None  # type: ignore[assignment]
        # The message at the left of the status bar: elided with a tooltip, never cut; re-read after a language switch.
        self.status_text = ElidedLabel(fill=True)
        self.status_text.setObjectName("statusMessage")
        self.statusBar().addWidget(self.status_text, 1)
        self._message: Callable[[], str] | None = None
        self._message_timer = QTimer(self)
        self._message_timer.setSingleShot(True)
        self._message_timer.timeout.connect(self.clear_message)
        self.post_label = ElidedLabel()
        self.post_label.setObjectName("postLabel")
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancelTask")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self._cancel_task)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_button)
        self.statusBar().addPermanentWidget(self.post_label)
        self.user_label = ElidedLabel()
        self.user_label.setObjectName("userLabel")
        self.statusBar().addPermanentWidget(self.user_label)
        self.user_text = ""
        self._painted = False
        self._task: Task | None = None
        self.post_text = ""
        fit_to_screen(self, *PREFERRED_SIZE)

    def install_actions(self, actions: ActionSet) -> None:
        self.actions = actions
        actions.build_menus(self.menuBar())

    # --- pages ---------------------------------------------------------------------------------------
    def show_list(self) -> None:
        if self.stack.currentWidget() is not self.list_page:
            self.clear_notice()  # a refusal about the page left behind
        self.stack.setCurrentWidget(self.list_page)

    def show_editor(self) -> None:
        if self.stack.currentWidget() is not self.editor_page:
            self.clear_notice()
        self.stack.setCurrentWidget(self.editor_page)

    @property
    def on_editor(self) -> bool:
        return self.stack.currentWidget() is self.editor_page

    # --- status ----------------------------------------------------------------------------------------
    def message(self, text: Message, msecs: int = 8000) -> None:
        """Show a line at the left of the status bar for `msecs` (0: until the next one). Pass a function (a lambda
        around `_()`) to have the line follow a language switch."""
        self._message = text if callable(text) else (lambda: text)
        self._show_message_text(self._message())
        if msecs > 0:
            self._message_timer.start(msecs)
        else:
            self._message_timer.stop()

    def notice(self, text: Message) -> None:
        """Something the officer must read whole (a refusal, an error, restored work): wrapped above the page until
        closed or replaced (clear_notice). The status bar's line is cleared, so it is not shown twice."""
        self.notice_bar.show_text(text if callable(text) else (lambda: text))
        self.clear_message()

    def clear_notice(self) -> None:
        self.notice_bar.clear()

    @property
    def notice_text(self) -> str:
        return self.notice_bar.text

    def clear_message(self) -> None:
        self._message = None
        self._message_timer.stop()
        self._show_message_text("")

    def _show_message_text(self, text: str) -> None:
        """The line at the left, with room kept for it. While the permanent labels at the right (office, user,
        outbox, backup) leave it at least MESSAGE_FLOOR of the bar, they stay whole and a longer message elides;
        when they would leave less (a long Russian line left only "Р…" of "Резервная копия записана: …"), the
        message keeps up to MESSAGE_SHARE and the labels are elided first."""
        self.status_text.setText(text)
        margins = self.status_text.contentsMargins()
        wanted = self.status_text.fontMetrics().horizontalAdvance(text) + margins.left() + margins.right() + 8
        bar = self.statusBar()
        layout = bar.layout()
        gap = (layout.spacing() if layout is not None else 6) + 4
        shown = [widget for widget in bar.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
                 if widget is not self.status_text and widget.isVisibleTo(self)]
        beside = sum(widget.sizeHint().width() + gap for widget in shown)
        free = self.width() - beside - 24  # the bar's margins and size grip
        room = free if free >= self.width() * MESSAGE_FLOOR else int(self.width() * MESSAGE_SHARE)
        self.status_text.setMinimumWidth(min(wanted, room) if text else 0)

    @property
    def message_text(self) -> str:
        """The last message as the officer reads it whole: the notice above the page when one is shown, else the line
        at the left of the status bar (in its tooltip when elided)."""
        return self.notice_text or self.status_text.text()

    def show_progress(self, task: Task, text: Message, *, cancellable: bool = True) -> None:
        """A progress bar (busy until the task reports numbers) and a Cancel button for one long task."""
        self._task = task
        self.progress.setRange(0, 0)
        self.progress.setFormat("%p%")
        self.progress.show()
        self.cancel_button.setVisible(cancellable)
        self.message(text, 0)
        task.progressed.connect(self._progressed)
        task.ended.connect(self.hide_progress)

    def _cancel_task(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.hide_progress()

    def _progressed(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        if text:
            self.message(text, 0)

    def hide_progress(self) -> None:
        self._task = None
        self.progress.hide()
        self.cancel_button.hide()
        self.clear_message()

    # --- language ------------------------------------------------------------------------------------------
    def set_user_text(self, text: str) -> None:
        """Who is logged in ("amina (Officer)"): shown in the title and at the right of the status bar."""
        self.user_text = text
        self.user_label.setText(_("Logged in: {user}").format(user=text))
        self._retitle()

    def _retitle(self) -> None:
        title = _("BLO Desk — seizure cases")
        self.setWindowTitle(f"{title} — {self.user_text}" if self.user_text else title)

    def retranslate(self) -> None:
        self._retitle()
        if self._message is not None:
            self._show_message_text(self._message())
        self.cancel_button.setText(_("Cancel"))
        self.notice_bar.retranslate()
        if self.actions is not None:
            self.actions.retranslate()
        self.list_page.retranslate()
        self.editor_page.retranslate()

    # --- Qt events -----------------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.close_requested.emit(event)
