"""Start the desk: the login window (or the first-run wizard) on screen first, then the desk of the logged-in user."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from blo_desk.i18n import _, active_language, add_language_listener, ngettext, remove_language_listener, set_language
from blo_desk.ui.backend import Backend, Session
from blo_desk.ui.language import QtLanguage
from blo_desk.ui.login import LoginWindow
from blo_desk.ui.prefs import Preferences

if TYPE_CHECKING:  # for the type checker only (imported after the first paint)
    from blo_desk.config import Settings
    from blo_desk.domain.permissions import Principal
    from blo_desk.ports import AccountsPort
    from blo_desk.ui.controller import DeskController
    from blo_desk.ui.first_run import FirstRunWizard
    from blo_desk.ui.main_window import MainWindow
    from blo_desk.ui.tasks import TaskRunner

# Everything else (the task runner, the desk's pages, the domain) is imported after the login window is painted:
# the first paint is measured against a bare PySide6 window (benchmarks/bench_ui.py).

# With --user NAME, the password may come from this variable, as for the commands (scripts, benchmarks).
PASSWORD_ENV = "BLO_DESK_PASSWORD"


# The desk's own modules, imported while the password is checked (see StartFlow._prepare_desk).
DESK_MODULES = ("blo_desk.ui.tasks", "blo_desk.ui.forms", "blo_desk.ui.pages.case_list",
                "blo_desk.ui.pages.case_editor", "blo_desk.ui.main_window", "blo_desk.ui.actions",
                "blo_desk.ui.controller", "blo_desk.ui.delivery", "blo_desk.ui.widgets.search_combo",
                "blo_desk.ui.printing", "blo_desk.ui.dialogs.print_preview")


def prepare_window() -> tuple[TaskRunner, MainWindow]:
    """The desk's window with its list and editor pages, before anyone is logged in (nothing in it depends on the
    user: StartFlow builds it while argon2id checks the password, and build_desk finishes it)."""
    from blo_desk.ui.main_window import MainWindow
    from blo_desk.ui.pages.case_editor import CaseEditorPage
    from blo_desk.ui.pages.case_list import CaseListPage
    from blo_desk.ui.tasks import TaskRunner

    runner = TaskRunner()
    window = MainWindow(list_page=CaseListPage(runner), editor_page=CaseEditorPage(runner))
    runner.setParent(window)
    return runner, window


def build_desk(settings: Settings, *, session: Session, backend: Backend, ask_demo: bool = True,
               app: QApplication | None = None, prefs: Preferences | None = None,
               prepared: tuple[TaskRunner, MainWindow] | None = None,
               start_printing: bool = False) -> DeskController:
    """The window, its pages, actions and controller for one logged-in user (the store is not opened yet).

    `prepared`: a window from prepare_window() not used yet (else one is made here). `start_printing`: start the
    PDF process once the desk is ready (the app does; elsewhere it starts with the first PDF)."""
    from blo_desk.ui.actions import ActionSet
    from blo_desk.ui.controller import DeskController
    from blo_desk.ui.file_dialogs import remember_folders_in
    from blo_desk.ui.forms import STYLE_SHEET

    prefs = prefs or Preferences(settings.data_dir)
    remember_folders_in(prefs)  # the folder last chosen for a backup, a PDF, photos… (each apart)
    runner, window = prepared or prepare_window()
    qt_language = QtLanguage(app) if app is not None else None
    controller = DeskController(window=window, runner=runner, settings=settings, session=session, backend=backend,
                                qt_language=qt_language, ask_demo=ask_demo, prefs=prefs,
                                start_printing=start_printing)
    window.install_actions(ActionSet(window, controller))
    window.setStyleSheet(STYLE_SHEET)
    if qt_language is not None:
        qt_language.apply(active_language())
    window.retranslate()
    controller.show_principal()
    controller.refresh_actions()
    return controller


class StartFlow(QObject):
    """Login window -> (first-run wizard when the store has no user) -> AccountService.login -> the desk."""

    desk_opened = Signal(object)  # the DeskController
    login_failed = Signal(object)  # the exception (the login window shows its translated message)

    def __init__(self, settings: Settings, backend: Backend, *, app: QApplication, user: str | None = None,
                 password: str | None = None, ask_demo: bool = True, prefs: Preferences | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.backend = backend
        self.app = app
        self.prefs = prefs or Preferences(settings.data_dir)
        self._runner: TaskRunner | None = None  # made on first use, after the first paint
        self.qt_language = QtLanguage(app)
        self.qt_language.apply(active_language())
        self.ask_demo = ask_demo
        self.accounts: AccountsPort | None = None
        self.first_start: bool | None = None
        self.wizard: FirstRunWizard | None = None
        self.desk: DeskController | None = None
        self.error: BaseException | None = None
        self._auto_password = password
        self._logging_in = False  # a password is being checked
        self._prepared: tuple[TaskRunner, MainWindow] | None = None  # the desk's window, built during the check
        self.login = LoginWindow()
        if user:
            self.login.username.setText(user)
        self.login.submitted.connect(self._log_in)
        self.login.forgot.connect(self.recover)
        self.login.languages.chosen.connect(self.switch_language)
        self.login.first_painted.connect(lambda: QTimer.singleShot(0, self._look_at_store))
        add_language_listener(self._language_changed)

    @property
    def runner(self) -> TaskRunner:
        """The background runner of the start-up flow (made on first use: not needed before the first paint)."""
        if self._runner is None:
            from blo_desk.ui.tasks import TaskRunner

            self._runner = TaskRunner(self)
        return self._runner

    # --- language (also before any store is open) ------------------------------------------------------------
    def switch_language(self, language: str) -> None:
        set_language(language)
        self.prefs.set_language(language)

    def _language_changed(self, language: str) -> None:
        self.qt_language.apply(language)
        self.login.retranslate()
        if self.wizard is not None:
            self.wizard.retranslate()

    # --- the store: first start or login ------------------------------------------------------------------------
    def start(self) -> None:
        self.login.show()

    def _look_at_store(self) -> None:
        backend, settings = self.backend, self.settings

        def look() -> tuple[AccountsPort, bool]:
            if backend.tidy is not None:
                backend.tidy(settings)  # plain parts a killed export left on a stick (no login needed)
            accounts = backend.accounts(settings)
            return accounts, accounts.first_start()

        self.runner.run(look, on_done=self._looked, on_error=self._failed)

    def _looked(self, result: tuple[AccountsPort, bool]) -> None:
        self.accounts, self.first_start = result
        if self.first_start:
            self._show_wizard()
            return
        self.login.set_busy(False)
        (self.login.password if self.login.username.text() else self.login.username).setFocus()
        if self._auto_password is not None and self.login.username.text():
            password, self._auto_password = self._auto_password, None
            self.login.password.setText(password)
            self.login._submit()

    def _failed(self, exc: BaseException) -> None:
        self.error = exc
        self.login.show_error(lambda: _message(exc))
        self.login.set_busy(True, waiting=True)
        self.login.button.setEnabled(False)
        self.login_failed.emit(exc)

    def _log_in(self, username: str, password: str) -> None:
        accounts = self.accounts
        if accounts is None:
            return
        self._logging_in = True
        task = self.runner.run(lambda: accounts.login(username=username, password=password), on_done=self.open_desk,
                               on_error=self._login_refused)
        task.ended.connect(self._login_ended)
        QTimer.singleShot(0, self._prepare_desk)

    def _login_ended(self) -> None:
        self._logging_in = False

    def recover(self) -> None:
        """The recovery code from the sheet in the safe gives an administrator a new password, then the desk."""
        accounts = self.accounts
        if accounts is None:
            return
        from blo_desk.ui.dialogs.accounts import RecoverDialog

        self.recover_dialog = RecoverDialog(
            self.login, runner=self.runner, policy=accounts.policy,
            recover=lambda code, password, admin: accounts.recover(code=code, new_password=password,
                                                                    username=admin),
            on_recovered=lambda principal: self.open_desk(principal))  # type: ignore[arg-type]
        self.recover_dialog.show()

    def _prepare_desk(self, modules: tuple[str, ...] = DESK_MODULES) -> None:
        """While a worker checks the password (argon2id, which releases the GIL), the GUI thread, which only waits,
        imports the desk's modules, one per turn of the event loop so that the login window stays responsive, then
        builds the desk's window (prepare_window), if the check is still running."""
        if self.desk is not None:
            return
        if not modules:
            if self._prepared is None and self._logging_in:
                self._prepared = prepare_window()
            return
        import importlib

        importlib.import_module(modules[0])
        QTimer.singleShot(0, lambda: self._prepare_desk(modules[1:]))

    def _login_refused(self, exc: BaseException) -> None:
        self.error = exc
        self.login.show_error(lambda: _message(exc))
        self.login_failed.emit(exc)

    def _show_wizard(self) -> None:
        from blo_desk.ui.file_dialogs import remember_folders_in
        from blo_desk.ui.first_run import FirstRunWizard

        remember_folders_in(self.prefs)  # where the backup to restore was found, for the next time

        assert self.accounts is not None  # the store was looked at
        restore, data_dir = self.backend.restore, self.settings.data_dir
        self.wizard = FirstRunWizard(
            accounts=self.accounts, runner=self.runner, posts=self.backend.posts, load_demo=self.backend.load_demo,
            restore=None if restore is None else (
                lambda backup, hq_status, progress: restore(data_dir=data_dir, backup=backup, hq_status=hq_status,
                                                            progress=progress)))
        self.wizard.language_chosen.connect(self.switch_language)
        self.wizard.finished.connect(self._wizard_done)
        self.wizard.restored.connect(self._restored)
        self.wizard.resize(self.login.size())
        self.wizard.show()
        self.login.hide()
        self.wizard.load_posts()

    def _restored(self, created_at: str) -> None:
        """A backup now fills the data folder: log in with an account of the restored store (the first login
        records the restore)."""
        if self.wizard is not None:
            self.wizard.hide()
        self.first_start = False
        self.login.show()
        self.login.show_note(lambda: _("The backup of {date} is restored. Log in with an account of the restored "
                                       "store.").format(date=_backup_moment(created_at)))
        self.login.username.setFocus()

    def _wizard_done(self, principal: Principal) -> None:
        demo = getattr(self.wizard, "demo_count", 0)
        self.prefs.answer_demo()  # the wizard asked: the desk does not ask again
        self.open_desk(principal, ask_demo=False)
        if demo and self.desk is not None:
            self.desk.window.message(lambda: ngettext("Loaded {count} demo case.", "Loaded {count} demo cases.",
                                                      demo).format(count=demo))

    # --- the desk -------------------------------------------------------------------------------------------------
    def open_desk(self, principal: Principal, *, ask_demo: bool | None = None) -> None:
        assert self.accounts is not None  # looked at before anyone logs in
        session = Session(self.accounts, principal)
        prepared, self._prepared = self._prepared, None
        self.desk = build_desk(self.settings, session=session, backend=self.backend,
                               ask_demo=self.ask_demo if ask_demo is None else ask_demo, app=self.app,
                               prefs=self.prefs, prepared=prepared, start_printing=True)
        self.desk.on_logged_out = self._logged_out
        window = self.desk.window
        # Open the store once the desk's first frame is on screen, off the GUI thread.
        window.first_painted.connect(lambda: QTimer.singleShot(0, self.desk.start))
        if fits_screen(window):
            window.show()  # at its preferred size, or as much of it as the screen has (ui/screen_fit.py)
        else:  # a screen smaller than the desk's smallest layout: all of the screen, the status bar still in sight
            window.showMaximized()
        self.login.password.clear()
        self.login.hide()
        if self.wizard is not None:
            self.wizard.hide()
        self.desk_opened.emit(self.desk)

    def _logged_out(self, desk: DeskController) -> None:
        """The desk closed for a log-out (or a switch of user): the login window again, the app keeps running."""
        if self.accounts is not None:
            self.accounts.log_out()  # the data key of that login is dropped
        if self.desk is desk:
            self.desk = None
        self.wizard = None
        self.login.password.clear()
        self.login.show_error(None)
        self.login.set_busy(False)
        self.login.fit()  # its own size, whole on the screen (not the desk's size at the desk's place)
        self.login.show()
        self.login.username.selectAll()
        self.login.username.setFocus()
        QTimer.singleShot(0, desk.window.deleteLater)

    def close(self) -> None:
        """Tests and the self-test: wait for the workers, close the store, drop the windows."""
        remove_language_listener(self._language_changed)
        self.runner.wait(30_000)
        if self.desk is not None:
            self.desk.shutdown()
        for widget in (self.login, self.wizard, self.desk.window if self.desk else None):
            if widget is not None:
                widget.hide()
                widget.deleteLater()


def fits_screen(window: QWidget) -> bool:
    """Whether the window's smallest layout and a window manager's frame (title bar, borders) fit its screen."""
    from blo_desk.ui.screen_fit import FRAME_HEIGHT, FRAME_WIDTH, available

    room = available(window)
    if room is None:
        return True
    least = window.minimumSizeHint()
    return least.width() + FRAME_WIDTH <= room.width() and least.height() + FRAME_HEIGHT <= room.height()


def _message(exc: BaseException) -> str:
    from blo_desk.domain.errors import DomainError

    if isinstance(exc, DomainError):
        return exc.translated()
    return _("The case store cannot be opened: {reason}").format(reason=str(exc) or type(exc).__name__)


def _application() -> QApplication:
    # instance() is typed as the QCoreApplication, but the desk only ever makes a QApplication
    app = cast(QApplication, QApplication.instance()) or QApplication(sys.argv[:1])
    app.setApplicationName("BLO Desk")
    app.setOrganizationName("BLO")
    return app


def initial_language(settings: Settings, prefs: Preferences, *, language_chosen: bool) -> str:
    """--lang / BLO_DESK_LANG when given, else the language of the last run, else the default."""
    if language_chosen:
        return settings.language
    return prefs.language or settings.language


def run(settings: Settings, *, backend: Backend, user: str | None = None, language_chosen: bool = False,
        ask_demo: bool = True, watch: Callable[[StartFlow, QApplication], None] | None = None) -> int:
    """The desk's event loop until its last window closes. `watch`: called with the start-up flow and the application
    before the first window is shown (a test or a benchmark connects to the flow's signals)."""
    prefs = Preferences(settings.data_dir)
    set_language(initial_language(settings, prefs, language_chosen=language_chosen))
    app = _application()
    password = os.environ.get(PASSWORD_ENV) if user else None
    flow = StartFlow(settings, backend, app=app, user=user, password=password, ask_demo=ask_demo, prefs=prefs)
    if watch is not None:
        watch(flow, app)
    flow.start()
    code = app.exec()
    remove_language_listener(flow._language_changed)
    flow.runner.wait(30_000)
    if flow.desk is not None:
        flow.desk.shutdown()
    return code


def _backup_moment(created_at: str) -> str:
    """When a restored backup was taken, as every moment on the desk (i18n's one formatter); as written if unread."""
    from datetime import datetime

    from blo_desk.i18n import translator

    try:
        moment = datetime.fromisoformat(created_at)
    except ValueError:
        return created_at[:10]
    return translator().format_datetime(moment) if moment.tzinfo is not None else translator().format_date(moment)
