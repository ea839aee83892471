"""Backups in the desk: Backup… with progress, automatic backups (after a finalize, daily), their age in the status bar."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QInputDialog, QLabel

from blo_desk.domain.errors import DomainError
from blo_desk.domain.permissions import Action, allowed
from blo_desk.i18n import _, local_zone, ngettext, translator
from blo_desk.ui.file_dialogs import choose_folder
from blo_desk.ui.store_open import opened

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

    from blo_desk.domain.backup import BackupResult, BackupStatus
    from blo_desk.ports import BackupPort, ServicesPort
    from blo_desk.ui.controller import DeskController
    from blo_desk.ui.main_window import MainWindow
    from blo_desk.ui.tasks import Progress, TaskRunner

DAILY_CHECK_MS = 60 * 60_000  # the daily backup is due once a day; looked at every hour
FIRST_CHECK_MS = 30_000  # and soon after the desk opened


def age_text(status: BackupStatus, now: datetime | None = None) -> str:
    """'Last backup: today' / '3 days ago' / 'never' for the status bar: calendar days in the post's zone (a backup
    of 23:00 is 'yesterday's' at 08:00, as the officer counts)."""
    if status.last_at is None:
        return _("Last backup: never")
    days = _days_between(status.last_at, now or datetime.now(timezone.utc))
    if days <= 0:
        return _("Last backup: today")
    return ngettext("Last backup: {count} day ago", "Last backup: {count} days ago", days).format(count=days)


def _days_between(then: datetime, now: datetime) -> int:
    """Calendar days from `then` to `now` in the desk's post zone (i18n.local_zone), else as the moments are."""
    name = local_zone()
    if then.tzinfo is None:
        then = then.replace(tzinfo=timezone.utc)
    if name:
        from zoneinfo import ZoneInfo

        zone = ZoneInfo(name)
        then, now = then.astimezone(zone), now.astimezone(zone)
    return (now.date() - then.date()).days


class BackupController(QObject):
    """The backup label of the status bar and the automatic backups, run on the desk's TaskRunner."""

    def __init__(self, *, window: MainWindow, runner: TaskRunner, backup: BackupPort) -> None:
        super().__init__(window)
        self._window = window
        self._runner = runner
        self._backup = backup
        self._busy = False
        self._status: BackupStatus | None = None
        self.label = QLabel()
        self.label.setObjectName("backupStatus")
        self.timer = QTimer(self)  # owned: it dies with the desk's window, never firing into a closed desk
        self.timer.timeout.connect(lambda: self.auto("daily"))
        self.first = QTimer(self)
        self.first.setSingleShot(True)
        self.first.timeout.connect(lambda: self.auto("daily"))

    def start(self) -> None:
        self.refresh()
        self.first.start(FIRST_CHECK_MS)
        self.timer.start(DAILY_CHECK_MS)

    def stop(self) -> None:
        self.first.stop()
        self.timer.stop()

    def refresh(self) -> None:
        backup = self._backup
        self._runner.run(backup.status, on_done=self.show_status, on_error=lambda _exc: None)

    def auto(self, reason: str) -> None:
        """An automatic backup ("finalize" or "daily"), when a folder is set up for them; quietly skipped if busy."""
        if self._busy:
            return
        self._busy = True
        backup = self._backup

        def work() -> tuple[BackupResult | None, BackupStatus]:
            return backup.auto_backup(reason=reason), backup.status()

        self._runner.run(work, on_done=self._auto_done, on_error=self._auto_failed)

    def _auto_done(self, outcome: tuple[BackupResult | None, BackupStatus]) -> None:
        self._busy = False
        result, status = outcome
        self.show_status(status)
        if result is not None:
            self._window.message(lambda: _("Backup written: {path}").format(path=result.path))

    def _auto_failed(self, exc: BaseException) -> None:
        self._busy = False
        text = exc.translated() if isinstance(exc, DomainError) else str(exc)
        self.label.setToolTip(_("The automatic backup failed: {reason}").format(reason=text))
        self.label.setStyleSheet("color: #b00020; font-weight: bold;")

    def show_status(self, status: BackupStatus) -> None:
        self._status = status
        self.retranslate()

    def retranslate(self) -> None:
        status = self._status
        if status is None:
            return
        text = age_text(status)
        taken = (_("Last backup taken {when}.").format(when=translator().format_datetime(status.last_at)) + "\n"
                 if status.last_at is not None else "")
        if status.overdue:
            self.label.setText(text + " — " + _("back up now"))
            self.label.setStyleSheet("color: #b00020; font-weight: bold;")
            self.label.setToolTip(taken + _("The last backup is older than a week: Tools ▸ Backup…"))
        else:
            self.label.setText(text)
            self.label.setStyleSheet("")
            self.label.setToolTip(taken + (_("Automatic backups go to {folder}").format(folder=status.auto_folder)
                                           if status.auto_folder else _("Automatic backups are off.")))


def attach_backup(*, services: ServicesPort | None, window: MainWindow, runner: TaskRunner,
                  case_saved: SignalInstance | None = None) -> BackupController | None:
    """The one hook the desk calls once its store is open: the status-bar label, the daily check, and a backup
    after each finalize."""
    if services is None or services.backup is None or not allowed(services.principal, Action.STORE_BACKUP):
        return None
    driver = BackupController(window=window, runner=runner, backup=services.backup)
    window.statusBar().addPermanentWidget(driver.label)
    if case_saved is not None:
        case_saved.connect(lambda case: driver.auto("finalize") if getattr(case, "is_finalized", False) else None)
    driver.start()
    return driver


# --- the actions (registered in ui/actions.py as "blo_desk.ui.backup:<function>") ---------------------------
def backup_now(controller: DeskController, folder: str | None = None) -> None:
    """Choose a folder (a stick), then write the backup there off the GUI thread, with progress."""
    backup: BackupPort | None = opened(controller, "backup")
    if backup is None:
        return
    if folder is None:
        folder = choose_folder(controller.window, purpose="backup", title=_("Back up to which folder?"))
    if not folder:
        return
    target = Path(folder)

    def work(progress: Progress) -> BackupResult:
        return backup.backup(folder=target, progress=lambda done, total: progress.report(done, total))

    def done(result: BackupResult) -> None:
        controller.window.message(lambda: _("Backup written: {path}").format(path=result.path), 0)
        driver = getattr(controller, "backup_driver", None)
        if driver is not None:
            driver.refresh()

    def failed(exc: BaseException) -> None:
        from blo_desk.ui.dialogs.common import inform

        text = exc.translated() if isinstance(exc, DomainError) else str(exc)
        inform(controller.window, title=_("Backup"), text=_("The backup failed: {reason}").format(reason=text),
               error=True)

    task = controller.runner.run(work, on_done=done, on_error=failed, with_progress=True)
    controller.window.show_progress(task, _("Backing up the store…"), cancellable=False)


def auto_backups(controller: DeskController) -> None:
    """Administrators: the folder (or stick) for automatic backups, and how many to keep."""
    backup: BackupPort | None = opened(controller, "backup")
    if backup is None or not allowed(controller.principal, Action.SETTINGS_MANAGE):
        return
    folder = choose_folder(controller.window, purpose="auto_backup", title=_("Automatic backups go to which folder?"))
    if not folder:
        return
    keep, ok = QInputDialog.getInt(controller.window, _("Automatic backups"),
                                   _("How many of the newest backups to keep?"), 7, 1, 365)
    if not ok:
        return

    def done(status: BackupStatus) -> None:
        controller.window.message(lambda: _("Automatic backups go to {folder}").format(folder=status.auto_folder))
        driver = getattr(controller, "backup_driver", None)
        if driver is not None:
            driver.show_status(status)

    controller.runner.run(lambda: backup.configure(folder=folder, keep=keep), on_done=done)
