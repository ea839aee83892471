"""What the actions do: open the store, open and save cases, lifecycle, language, demo data, printing, closing."""

from __future__ import annotations

import inspect
import shutil
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel

from blo_desk.domain.entities import Case
from blo_desk.domain.errors import DomainError
from blo_desk.i18n import _, active_language, add_language_listener, remove_language_listener, set_language
from blo_desk.ui.backend import Backend
from blo_desk.ui.dialogs import confirm, inform, translate_buttons
from blo_desk.ui.forms import CodeCombo
from blo_desk.ui.language import QtLanguage
from blo_desk.ui.main_window import MainWindow
from blo_desk.ui.pages.case_editor import SECTION_PHOTOS, zone_for_post
from blo_desk.ui.recovery import RecoveryFile
from blo_desk.ui.reference import ReferenceData, load_reference
from blo_desk.ui.tasks import TaskRunner

POST_SETTING = "post_code"
DEFAULT_POST = "UZ-DUS"


@dataclass
class Startup:
    """What the worker found when it opened the store."""

    services: object
    reference: ReferenceData
    empty: bool
    post_code: str
    recovered: dict | None
    recovered_base: Case | None


def open_store(backend: Backend, settings, recovery: RecoveryFile) -> Startup:
    """Worker-thread function: open (migrate, seed) the store and read what the first screen needs."""
    services = backend.open_services(settings)
    try:
        from blo_desk.domain.entities import CaseQuery

        reference = load_reference(services)
        empty = services.cases.list_cases(query=CaseQuery(limit=1)).total == 0
        post_code = services.reference.get_setting(key=POST_SETTING, default=DEFAULT_POST) or DEFAULT_POST
        recovered = recovery.read()
        base = None
        if recovered is not None:
            case_id = (recovered.get("meta") or {}).get("id")
            if case_id:
                try:
                    base = services.cases.get(case_id=case_id)
                except DomainError:
                    base = None
            if base is None:
                code = (recovered.get("fields") or {}).get("post_code") or post_code
                base = services.cases.new_case(post_code=code, timezone=zone_for_post(code))
    except BaseException:
        services.close()
        raise
    return Startup(services, reference, empty, post_code, recovered, base)


class DeskController:
    """The handlers the registered actions call; owns the services and the background runner."""

    def __init__(self, *, window: MainWindow, runner: TaskRunner, settings, backend: Backend,
                 qt_language: QtLanguage | None = None, ask_demo: bool = True) -> None:
        self.window = window
        self.runner = runner
        self.settings = settings
        self.backend = backend
        self.qt_language = qt_language
        self.ask_demo = ask_demo
        self.services = None
        self.reference = ReferenceData()
        self.post_code = DEFAULT_POST
        self.recovery = RecoveryFile(settings.data_dir)
        self.ready = False
        self.startup_error: BaseException | None = None
        self._closing = False
        self._close_ok = False
        self._list_stale = False
        self.list_page = window.list_page
        self.editor = window.editor_page
        self.editor.recovery = self.recovery
        self.list_page.open_case.connect(self.open_case)
        self.list_page.new_case.connect(self.new_case)
        self.editor.saved.connect(self._case_saved)
        self.editor.status_message.connect(self.window.message)
        self.editor.state_changed.connect(self.refresh_actions)
        self.editor.save_failed.connect(self._save_failed_while_closing)
        self.window.close_requested.connect(self.on_close)
        self.runner.unhandled_error.connect(self._unhandled)
        add_language_listener(self._language_changed)
        self.callbacks_ready: list = []

    # --- start-up ------------------------------------------------------------------------------------
    def start(self) -> None:
        """Open the store off the GUI thread; the window is already on screen."""
        self.window.message(_("Opening the case store…"), 0)
        backend, settings, recovery = self.backend, self.settings, self.recovery
        task = self.runner.run(lambda: open_store(backend, settings, recovery), on_done=self._opened,
                               on_error=self._open_failed)
        self.window.show_progress(task, _("Opening the case store…"), cancellable=False)
        self.refresh_actions()

    def _opened(self, startup: Startup) -> None:
        self.services = startup.services
        self.reference = startup.reference
        self.post_code = startup.post_code
        cases = self.services.cases
        self.list_page.set_source(lambda query: cases.list_cases(query=query), self.reference)
        self.editor.set_services(self.services, self.reference)
        self.ready = True
        self._show_post()
        self.window.message(_("Ready."))
        if startup.recovered is not None and startup.recovered_base is not None:
            self.editor.restore_raw_state(startup.recovered, startup.recovered_base)
            self.window.show_editor()
            self.window.message(_("Unsaved work from the last session was restored; save it or discard it."), 0)
        elif startup.empty and self.ask_demo:
            self.demo_dialog = confirm(
                self.window,
                title=_("Empty case store"),
                text=_("There are no cases yet. Load the demo cases (including the Dustlik case) to try BLO Desk?"),
                accept_text=_("Load demo cases"),
                reject_text=_("Start empty"),
                on_accept=self.load_demo,
            )
        self.refresh_actions()
        for callback in self.callbacks_ready:
            callback()

    def _open_failed(self, exc: BaseException) -> None:
        self.startup_error = exc
        text = exc.translated() if isinstance(exc, DomainError) else _("The case store cannot be opened: {reason}").format(
            reason=str(exc))
        inform(self.window, title=_("Case store"), text=text, error=True, details=getattr(exc, "traceback_text", ""))
        self.window.message(text, 0)
        for callback in self.callbacks_ready:
            callback()

    def _unhandled(self, exc: BaseException) -> None:
        text = exc.translated() if isinstance(exc, DomainError) else _("Something went wrong: {reason}").format(
            reason=str(exc))
        inform(self.window, title=_("Error"), text=text, error=True, details=getattr(exc, "traceback_text", ""))

    # --- actions ----------------------------------------------------------------------------------------------
    def refresh_actions(self) -> None:
        actions = self.window.actions
        if actions is None:
            return
        editor = self.editor
        on_editor = self.window.on_editor and editor.case is not None
        ready = self.ready
        actions["new_case"].setEnabled(ready)
        actions["open_case"].setEnabled(ready)
        actions["save"].setEnabled(ready and on_editor and editor.mode != "final")
        actions["finalize"].setEnabled(ready and on_editor and editor.mode == "draft")
        actions["amend"].setEnabled(ready and on_editor and editor.mode == "final")
        actions["discard"].setEnabled(ready and on_editor and (editor.dirty or editor.mode == "amend"))
        printing = getattr(self.services, "printing", None) if self.services is not None else None
        actions["print"].setEnabled(bool(printing) and on_editor and bool(editor.case and editor.case.id))
        actions["next_section"].setEnabled(on_editor)
        actions["previous_section"].setEnabled(on_editor)
        actions["add_photo"].setEnabled(ready and on_editor and editor.mode != "final")
        actions["load_demo"].setEnabled(ready)
        actions["set_post"].setEnabled(ready)
        actions["refresh"].setEnabled(ready)

    def _leave_editor(self, then) -> None:
        """Run `then` once what is typed in the editor is safe (saved), or the officer chose to discard it."""
        editor = self.editor
        if editor.case is None or not (editor.dirty or editor.is_new and editor.dirty):
            then()
            return
        if editor.mode == "draft" and editor.save(then=lambda _case: then()):
            return
        self.window.show_editor()
        self.discard_dialog = confirm(
            self.window,
            title=_("Unsaved changes"),
            text=_("The open case has changes that are not saved. Discard them?"),
            informative=_("Keep editing to correct the marked fields and save."),
            accept_text=_("Discard changes"),
            reject_text=_("Keep editing"),
            on_accept=lambda: (editor.discard_changes(), then()),
        )

    def new_case(self) -> None:
        if not self.ready:
            return

        def start() -> None:
            template = self.services.cases.new_case(post_code=self.post_code, timezone=zone_for_post(self.post_code))
            self.editor.new_case(template)
            self.window.show_editor()
            self.editor.focus_section(0)
            self.refresh_actions()

        self._leave_editor(start)

    def open_selected(self) -> None:
        case_id = self.list_page.selected_case_id()
        if case_id:
            self.open_case(case_id)

    def open_case(self, case_id: str) -> None:
        if not self.ready:
            return
        if self.editor.case is not None and self.editor.case.id == case_id:
            self.window.show_editor()
            self.refresh_actions()
            return
        cases = self.services.cases

        def load() -> None:
            self.runner.run(lambda: cases.get(case_id=case_id), on_done=self._case_loaded)

        self._leave_editor(load)

    def _case_loaded(self, case: Case) -> None:
        self.editor.load_case(case)
        self.window.show_editor()
        self.editor.focus_section(0)
        self.refresh_actions()

    def save(self) -> None:
        if self.window.on_editor:
            self.editor.save()

    def finalize(self) -> None:
        if self.window.on_editor:
            self.editor.ask_finalize()

    def amend(self) -> None:
        if self.window.on_editor:
            self.editor.ask_amend()

    def discard(self) -> None:
        if self.window.on_editor:
            self.editor.discard_changes()
            self.window.message(_("Changes discarded."))

    def find(self) -> None:
        self.show_list()
        self.list_page.focus_search()

    def show_list(self) -> None:
        self.window.show_list()
        if self._list_stale:
            self._list_stale = False
            self.list_page.refresh()
        self.list_page.table.setFocus()
        self.refresh_actions()

    def refresh(self) -> None:
        if self.ready:
            self.list_page.refresh()
            if self.window.on_editor and self.editor.case is not None:
                self.editor.load_history()

    def next_section(self) -> None:
        if self.window.on_editor:
            self.editor.next_section(+1)

    def previous_section(self) -> None:
        if self.window.on_editor:
            self.editor.next_section(-1)

    def add_photo(self) -> None:
        if self.window.on_editor and self.editor.mode != "final":
            self.editor.tabs.setCurrentIndex(SECTION_PHOTOS)
            self.editor.photos.choose_files()

    def _case_saved(self, case: Case) -> None:
        self._list_stale = True
        if not self.window.on_editor:
            self.show_list()
        self.refresh_actions()

    def _save_failed_while_closing(self, _exc) -> None:
        if self._closing:
            self._finish_close()

    def quit(self) -> None:
        self.window.close()

    # --- demo data and the post of this office -------------------------------------------------------------------
    def load_demo(self) -> None:
        if not self.ready:
            return
        services, backend = self.services, self.backend

        def work(progress):
            progress.report(0, 1, _("Loading the demo cases…"))
            saved = backend.load_demo(cases=services.cases)
            progress.report(1, 1, "")
            return len(saved)

        task = self.runner.run(work, with_progress=True, on_done=self._demo_loaded)
        self.window.show_progress(task, _("Loading the demo cases…"), cancellable=False)

    def _demo_loaded(self, count: int) -> None:
        self.window.message(_("Loaded {count} demo cases.").format(count=count))
        self.list_page.refresh()

    def choose_post(self) -> None:
        if not self.ready:
            return
        dialog = QDialog(self.window)
        dialog.setObjectName("postDialog")
        dialog.setWindowTitle(_("Crossing point of this office"))
        combo = CodeCombo(lambda: [(p.code, f"{self.reference.post_name(p.code)} ({p.code})")
                                   for p in self.reference.posts if p.active], blank=False)
        combo.set_code(self.post_code)
        label = QLabel(_("New cases are recorded at:"))
        label.setBuddy(combo)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        translate_buttons(buttons)
        form = QFormLayout(dialog)
        form.addRow(label, combo)
        form.addRow(buttons)
        buttons.accepted.connect(dialog.accept)
        buttons.rejected.connect(dialog.reject)
        reference = self.services.reference

        def accepted() -> None:
            code = combo.code()
            self.post_code = code
            self._show_post()
            self.runner.run(lambda: reference.set_setting(key=POST_SETTING, value=code))

        dialog.accepted.connect(accepted)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.post_dialog = dialog
        dialog.open()

    def _show_post(self) -> None:
        name = self.reference.post_name(self.post_code)
        self.window.post_label.setText(_("Office: {post} ({code})").format(post=name, code=self.post_code))

    # --- printing (the printing service is optional) ----------------------------------------------------------------
    def print_protocol(self) -> None:
        printing = getattr(self.services, "printing", None) if self.services else None
        case = self.editor.case
        if printing is None or case is None or not case.id:
            return
        path, _filter = QFileDialog.getSaveFileName(self.window, _("Save the protocol as PDF"),
                                                    str(Path.home() / f"{case.case_number}.pdf"),
                                                    _("PDF files (*.pdf)"))
        if not path:
            return
        language = active_language()
        case_id = case.id

        def work(progress):
            progress.check()
            return render_protocol(printing, case_id=case_id, language=language, target=Path(path))

        task = self.runner.run(work, with_progress=True,
                               on_done=lambda out: self.window.message(_("Protocol saved to {path}").format(path=out)),
                               on_error=self._unhandled)
        self.window.show_progress(task, _("Preparing the protocol…"))

    # --- language ---------------------------------------------------------------------------------------------------
    def switch_language(self, language: str) -> None:
        set_language(language)  # the listener below retranslates every widget

    def _language_changed(self, language: str) -> None:
        if self.qt_language is not None:
            self.qt_language.apply(language)
        self.window.retranslate()
        self._show_post()
        self.refresh_actions()

    def about(self) -> None:
        from blo_desk import __version__

        inform(self.window, title=_("About BLO Desk"),
               text=_("BLO Desk {version}: seizure case logger for Border Liaison Offices.").format(version=__version__))

    # --- closing: never lose typed text -------------------------------------------------------------------------------
    def on_close(self, event) -> None:
        if self._close_ok:
            event.accept()
            return
        editor = self.editor
        editor.closing = True
        editor.write_recovery()  # first of all: what was typed is on disk
        if not self._closing and self.ready and editor.dirty and editor.mode == "draft":
            self._closing = True
            if editor.save(then=lambda _case: self._finish_close(), quiet=True):
                event.ignore()
                self.window.message(_("Saving before closing…"), 0)
                return
        event.ignore()
        QTimer.singleShot(0, self._finish_close)

    def _finish_close(self) -> None:
        self._closing = True
        self.editor.write_recovery()
        self.runner.cancel_all()
        self.runner.wait(30_000)
        remove_language_listener(self._language_changed)
        if self.services is not None:
            self.services.close()
            self.services = None
        self._close_ok = True
        self.window.close()

    def shutdown(self) -> None:
        """Close without the window (tests, self-test): wait for workers, close the store."""
        self.runner.wait(30_000)
        remove_language_listener(self._language_changed)
        if self.services is not None:
            self.services.close()
            self.services = None


def render_protocol(printing, *, case_id: str, language: str, target: Path) -> Path:
    """Ask the printing service for the protocol PDF and put it at `target`, whatever form it returns it in."""
    method = getattr(printing, "protocol")
    params = inspect.signature(method).parameters
    kwargs = {"case_id": case_id}
    for name in ("lang", "language"):
        if name in params:
            kwargs[name] = language
    written = False
    for name in ("out", "path", "target", "output"):
        if name in params:
            kwargs[name] = target
            written = True
            break
    result = method(**kwargs)
    if isinstance(result, (bytes, bytearray)) and not written:
        target.write_bytes(result)
    elif isinstance(result, (str, Path)) and Path(result) != target:
        shutil.copyfile(result, target)
    return target
