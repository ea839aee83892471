"""What the actions do: open the store, open and save cases, lifecycle, language, demo data, printing, closing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent

from blo_desk.domain.audit import AuditReport
from blo_desk.domain.entities import Case, Officer
from blo_desk.domain.enums import CaseStatus
from blo_desk.domain.errors import DomainError, PermissionDeniedError
from blo_desk.domain.permissions import Action, Principal, allowed
from blo_desk.domain.zones import zone_for_post
from blo_desk.i18n import (
    _,
    active_language,
    add_language_listener,
    ngettext,
    remove_language_listener,
    set_language,
    set_local_zone,
    warm_up,
)
from blo_desk.ui.backend import Backend, Session
from blo_desk.ui.dialogs.common import ask_unsaved, confirm, inform
from blo_desk.ui.language import QtLanguage
from blo_desk.ui.main_window import MainWindow
from blo_desk.ui.pages.case_list import SHARED_LIMIT
from blo_desk.ui.pages.editor.form_sections import SECTION_PHOTOS
from blo_desk.ui.prefs import Preferences
from blo_desk.ui.recovery import RecoveryFile
from blo_desk.ui.reference import DEFAULT_POST, POST_SETTING, ReferenceData, load_reference
from blo_desk.ui.tasks import Progress, TaskRunner

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from blo_desk.config import Settings
    from blo_desk.domain.sharing import SharedRecord
    from blo_desk.ports import ServicesPort
    from blo_desk.ui.backup import BackupController
    from blo_desk.ui.delivery import DeliveryController


@dataclass
class Startup:
    """What the worker found when it opened the store."""

    services: ServicesPort
    reference: ReferenceData
    empty: bool
    post_code: str
    recovered: dict[str, Any] | None
    recovered_base: Case | None
    me: Officer | None = None  # the logged-in user's name, rank and agency, for "Add me"


def _recovery_base(services: ServicesPort, recovered: dict[str, Any], post_code: str) -> Case:
    """The stored case a recovery copy was typed over, or a new template when it was a new case."""
    case_id = (recovered.get("meta") or {}).get("id")
    if case_id:
        try:
            return services.cases.get(case_id=case_id)
        except DomainError:
            pass
    code = (recovered.get("fields") or {}).get("post_code") or post_code
    try:
        return services.cases.new_case(post_code=code, timezone=zone_for_post(code))
    except PermissionDeniedError:
        # Typed for a post this user may not save at (a refused save): the copy is kept, over a template of their
        # own post; the form shows the post as typed, and the officer corrects it or discards the case.
        return services.cases.new_case(post_code=post_code, timezone=zone_for_post(post_code))


def open_store(session: Session, recovery: RecoveryFile | None) -> Startup:
    """Worker-thread function: open (migrate, seed) the store for the logged-in user and read the first screen."""
    services = session.open_services()
    principal = session.principal
    try:
        from blo_desk.domain.entities import CaseQuery

        reference = load_reference(services)
        account = services.users.own_account()
        me = None if account is None else Officer(full_name=account.full_name, rank=account.rank,
                                                  agency=account.agency, username=account.username)
        reads_cases = allowed(principal, Action.CASE_READ)
        empty = reads_cases and services.cases.list_cases(query=CaseQuery(limit=1)).total == 0
        if allowed(principal, Action.USERS_MANAGE) and not reads_cases:
            # the administrator, who may load the demo cases, is the one asked on an empty store: looked at as
            # SYSTEM, as the loading is done (an administrator reads no cases of their own)
            system = session.open_system_services()
            try:
                empty = system.cases.list_cases(query=CaseQuery(limit=1)).total == 0
            finally:
                system.close()
        post_code = services.reference.get_setting(key=POST_SETTING, default=DEFAULT_POST) or DEFAULT_POST
        if principal.post_code and not principal.all_posts:
            post_code = principal.post_code  # officers and supervisors record cases at their own post
        if not reads_cases:
            recovery = None
        if recovery is not None:
            recovery.use_sealer(services.sealer)
        recovered = recovery.read() if recovery is not None else None
        base = None
        if recovered is not None:
            try:
                base = _recovery_base(services, recovered, post_code)
            except (TypeError, ValueError, AttributeError, KeyError, DomainError):
                assert recovery is not None  # something was recovered from it
                recovery.clear()  # a stale or foreign recovery copy: dropped, the desk starts as usual
                recovered = None
        # The services built on first use (their modules import reportlab, the bundle formats, HTTP): built here,
        # on the worker, after the desk is painted, so that the GUI thread never imports them.
        for name in ("attachments", "printing", "sync", "hq", "delivery", "sharing"):
            getattr(services, name, None)
        services.printing.isolate()  # its PDFs built in a child process: no GUI stall while reportlab works
    except BaseException:
        services.close()
        raise
    return Startup(services, reference, empty, post_code, recovered, base, me)


def _warm_up() -> None:
    """Worker-thread function once the desk is ready: every language's catalog and CLDR data (a quick first language
    switch), and the print preview's modules with Qt's print support (a quick first print preview)."""
    import importlib

    warm_up()
    importlib.import_module("blo_desk.ui.printing")


def _shared_matches(services: ServicesPort, typed: str) -> list[SharedRecord]:
    """Worker thread: the records counterparts shared that match a search text (none without the channel)."""
    sharing = services.sharing
    return [] if sharing is None else sharing.shared_records(text=typed, limit=SHARED_LIMIT + 1)


class DeskController:
    """The handlers the registered actions call; owns the services and the background runner."""

    def __init__(self, *, window: MainWindow, runner: TaskRunner, settings: Settings, session: Session,
                 backend: Backend, qt_language: QtLanguage | None = None, ask_demo: bool = True,
                 prefs: Preferences | None = None, start_printing: bool = False) -> None:
        self.window = window
        #: start the printing service's PDF process once the desk is ready (the app; tests start it on first use)
        self.start_printing = start_printing
        self.runner = runner
        self.settings = settings
        self.session = session
        self.principal: Principal = session.principal
        self.backend = backend
        self.prefs = prefs or Preferences(settings.data_dir)
        self.qt_language = qt_language
        self.ask_demo = ask_demo
        self.services: ServicesPort | None = None
        self.reference = ReferenceData()
        self.post_code = DEFAULT_POST
        self.recovery = RecoveryFile(settings.data_dir, user=self.principal.username)
        self.ready = False
        self.startup_error: BaseException | None = None
        self._closing = False  # the unsaved-changes question is on screen, or the desk is closing
        self.unsaved_dialog: QMessageBox | None = None  # the Save / Discard / Cancel question, while it is asked
        self.finalize_dialog: QMessageBox | None = None  # Finalize from the list: its question or its answer
        self._logging_out = False
        self._close_ok = False
        #: called with this controller once the desk closed for a log-out (ui/main.py shows the login window)
        self.on_logged_out: Callable[[DeskController], None] | None = None
        self._list_stale = False
        self.list_page = window.list_page
        self.editor = window.editor_page
        self.editor.recovery = self.recovery
        # "Add me" among the seizing officers: the account's username until the store tells its name, rank and agency
        self.editor.me = Officer(username=self.principal.username,
                                 full_name=getattr(self.principal, "full_name", "") or "")
        self.list_page.open_case.connect(self.open_case)
        # Print and Finalize work on the list's selection too: they follow it
        self.list_page.table.selectionModel().selectionChanged.connect(lambda *_a: self.refresh_actions())
        self.list_page.model.modelReset.connect(self.refresh_actions)
        self.list_page.new_case.connect(self.new_case)
        self.list_page.open_shared.connect(self.open_shared)
        self.editor.open_shared.connect(self.open_shared)
        self.editor.saved.connect(self._case_saved)
        self.editor.status_message.connect(self._editor_message)
        self.editor.notice.connect(self.window.notice)
        self.editor.notice_cleared.connect(self.window.clear_notice)
        self.editor.state_changed.connect(self.refresh_actions)
        self.editor.save_failed.connect(lambda _exc: self._close_cancelled())
        self.window.close_requested.connect(self.on_close)
        self.runner.unhandled_error.connect(self._unhandled)
        add_language_listener(self._language_changed)
        self.delivery: DeliveryController | None = None
        self.backup_driver: BackupController | None = None
        self.callbacks_ready: list[Callable[[], None]] = []
        #: What the fast check of the store after login found (None until it ends); a warning shows its findings.
        self.integrity: AuditReport | None = None
        self.integrity_task: Any = None

    # --- start-up ------------------------------------------------------------------------------------
    def start(self) -> None:
        """Open the store off the GUI thread; the window is already on screen."""
        self.window.message(lambda: _("Opening the case store…"), 0)
        session, recovery = self.session, self.recovery
        task = self.runner.run(lambda: open_store(session, recovery), on_done=self._opened,
                               on_error=self._open_failed)
        self.window.show_progress(task, lambda: _("Opening the case store…"), cancellable=False)
        self.refresh_actions()

    def _opened(self, startup: Startup) -> None:
        self.services = startup.services
        self.reference = startup.reference
        self.post_code = startup.post_code
        cases = self.services.cases
        if self.may(Action.CASE_READ):
            self.list_page.set_source(lambda query, cancel: cases.list_cases(query=query, cancel=cancel),
                                      self.reference)
            if self.may(Action.SHARE_READ):  # the search finds the records counterparts shared too (issue 16)
                services = self.services
                self.list_page.set_shared_source(lambda typed: _shared_matches(services, typed))
        else:
            role = self.principal.role
            self.list_page.set_unavailable(self.reference, lambda: _(
                "Your role ({role}) does not work with cases. Use the Tools menu for users and settings.").format(
                role=role.label))
        if startup.me is not None:
            self.editor.me = startup.me
        self.editor.set_services(self.services, self.reference)
        self.ready = True
        self._show_post()
        from blo_desk.ui.delivery import attach_delivery

        # the outbox in the status bar, and the background upload to HQ (issue 6)
        self.delivery = attach_delivery(services=self.services, window=self.window, runner=self.runner,
                                        language=getattr(self.settings, "language", ""),
                                        case_saved=self.editor.saved)
        from blo_desk.ui.backup import attach_backup

        # the age of the last backup in the status bar; automatic backups after a finalize and daily (issue 18)
        self.backup_driver = attach_backup(services=self.services, window=self.window, runner=self.runner,
                                           case_saved=self.editor.saved)
        self.window.clear_notice()  # "still opening" is over
        self.window.message(lambda: _("Ready."))
        self._check_store_once_listed()
        restored = False
        if startup.recovered is not None and startup.recovered_base is not None:
            try:
                self.editor.restore_raw_state(startup.recovered, startup.recovered_base)
                restored = True
            except (TypeError, ValueError, AttributeError, KeyError):
                # A stale or foreign recovery copy (another version's layout): drop it and start as usual.
                self.recovery.clear()
                self.editor.load_case(startup.recovered_base)
        if restored:
            self.window.show_editor()
            self.window.notice(lambda: _("Unsaved work from the last session was restored; save it or discard it."))
        elif startup.empty and self.ask_demo and not self.prefs.demo_answered and self.may(Action.USERS_MANAGE):
            # only an administrator may load them (Tools ▸ Load demo cases): anyone else would be refused
            self.demo_dialog = confirm(
                self.window,
                title=_("Empty case store"),
                text=_("There are no cases yet. Load the demo cases (including the Dustlik case) to try BLO Desk?"),
                accept_text=_("Load demo cases"),
                reject_text=_("Start empty"),
                on_accept=self.load_demo,
            )
            self.demo_dialog.buttonClicked.connect(lambda _button: self.prefs.answer_demo())
        self.refresh_actions()
        self.runner.run(_warm_up)  # languages and the print preview's modules, for a quick first use
        if self.start_printing and self.may(Action.CASE_READ):
            self.runner.run(self.services.printing.warm_up)  # the first print preview does not wait for it
        for callback in self.callbacks_ready:
            callback()

    def _open_failed(self, exc: BaseException) -> None:
        self.startup_error = exc
        def text() -> str:
            if isinstance(exc, DomainError):
                return exc.translated()
            return _("The case store cannot be opened: {reason}").format(reason=str(exc))

        inform(self.window, title=_("Case store"), text=text(), error=True, details=getattr(exc, "traceback_text", ""))
        self.window.notice(text)
        for callback in self.callbacks_ready:
            callback()

    def _editor_message(self, text) -> None:
        """The editor moved on (saving, saved, finalized): its earlier refusal above the page no longer holds."""
        self.window.clear_notice()
        self.window.message(text)

    def _unhandled(self, exc: BaseException) -> None:
        text = exc.translated() if isinstance(exc, DomainError) else _("Something went wrong: {reason}").format(
            reason=str(exc))
        inform(self.window, title=_("Error"), text=text, error=True, details=getattr(exc, "traceback_text", ""))

    # --- actions ----------------------------------------------------------------------------------------------
    def may(self, action: Action, *, post_code: str | None = None, owner: str | None = None) -> bool:
        """Whether the logged-in user's role allows `action` (the services check it again and audit refusals)."""
        return allowed(self.principal, action, post_code=post_code, owner=owner)

    def case_owner(self) -> str | None:
        """Who created the open case (its first revision), or None while its history is not loaded yet."""
        editor = self.editor
        if editor.case is None:
            return None
        if not editor.case.id:
            return self.principal.username
        first = next((r for r in getattr(editor, "history", []) if r.revision == 1), None)
        return first.actor if first is not None else None

    def refresh_actions(self) -> None:
        actions = self.window.actions
        if actions is None:
            return
        editor = self.editor
        case = editor.case
        on_editor = self.window.on_editor and case is not None
        ready = self.ready
        post = case.post_code if case is not None else None
        reads = self.may(Action.CASE_READ)
        if editor.mode == "amend":
            may_edit = self.may(Action.CASE_AMEND, post_code=post, owner=self.case_owner())
        else:
            may_edit = case is not None and self.may(Action.CASE_EDIT_DRAFT, post_code=post, owner=self.case_owner())
        may_finalize = case is not None and self.may(Action.CASE_FINALIZE, post_code=post, owner=self.case_owner())
        may_amend = case is not None and self.may(Action.CASE_AMEND, post_code=post, owner=self.case_owner())
        actions["new_case"].setEnabled(ready and self.may(Action.CASE_CREATE, post_code=self.post_code))
        actions["open_case"].setEnabled(ready and reads)
        actions["find"].setEnabled(reads)
        actions["case_list"].setEnabled(reads)
        actions["save"].setEnabled(ready and on_editor and not editor.read_only and may_edit)
        from blo_desk.ui.list_actions import chosen_in_list, may_finalize_some

        chosen = chosen_in_list(self) if ready else []  # the list's selection, while the list is shown
        actions["finalize"].setEnabled(ready and ((on_editor and editor.mode == "draft" and may_finalize)
                                                  or may_finalize_some(self.principal, chosen)))
        actions["amend"].setEnabled(ready and on_editor and editor.mode == "final" and may_amend)
        actions["discard"].setEnabled(ready and on_editor and (editor.dirty or editor.mode == "amend"))
        printing = getattr(self.services, "printing", None) if self.services is not None else None
        actions["print"].setEnabled(bool(printing) and (
            (on_editor and bool(case and case.id) and self.may(Action.PRINT_PROTOCOL, post_code=post))
            or (bool(chosen) and all(self.may(Action.PRINT_PROTOCOL, post_code=s.post_code) for s in chosen))))
        actions["next_section"].setEnabled(on_editor)
        actions["previous_section"].setEnabled(on_editor)
        actions["add_photo"].setEnabled(ready and on_editor and not editor.read_only and may_edit)
        may_void = case is not None and self.may(Action.CASE_VOID, post_code=post, owner=self.case_owner())
        chosen_drafts = [s for s in chosen if s.status == CaseStatus.DRAFT]
        actions["void"].setEnabled(ready and (
            (on_editor and editor.mode == "draft" and bool(case and case.id) and may_void)
            or (len(chosen) == 1 and len(chosen_drafts) == 1  # one draft selected in the list
                and self.may(Action.CASE_VOID, post_code=chosen_drafts[0].post_code))))
        actions["load_demo"].setEnabled(ready and self.may(Action.USERS_MANAGE))
        actions["settings"].setEnabled(ready)
        actions["change_password"].setEnabled(ready)
        actions["users"].setEnabled(ready and self.may(Action.USERS_MANAGE))
        actions["offences"].setEnabled(ready and self.may(Action.REFERENCE_MANAGE))
        actions["refresh"].setEnabled(ready and reads)
        # The buttons on the editor page follow the same rules as the menu entries.
        editor.save_button.setEnabled(actions["save"].isEnabled() or not ready)
        editor.finalize_button.setEnabled(actions["finalize"].isEnabled())
        editor.amend_button.setEnabled(actions["amend"].isEnabled())
        editor.set_may_amend(ready and may_amend)  # the banner offers Amend only to someone who may use it
        self.list_page.new_button.setEnabled(actions["new_case"].isEnabled())

    def show_principal(self) -> None:
        """Who is logged in, and in which role: in the title bar and the status bar."""
        p = self.principal
        self.window.set_user_text(_("{user} ({role})").format(user=p.username, role=p.role.label))

    def _leave_editor(self, then: Callable[[], None], *, on_cancel: Callable[[], None] | None = None) -> None:
        """Run `then` once what is typed in the editor is safe: saved, or discarded by the officer's own choice.

        Unsaved changes ask Save / Discard / Cancel. A save that is refused (errors, another post's case) runs
        nothing: the form and its recovery copy stay, and so does the window. Nothing is ever saved unasked.
        """
        editor = self.editor
        if editor.case is None or not editor.dirty or editor.read_only:
            then()
            return
        if self.unsaved_dialog is not None:
            return  # one question at a time (a double-click in the list both activates and double-clicks a row)
        self.window.show_editor()
        self.refresh_actions()

        def save_then() -> None:
            if not editor.save(then=lambda _case: then()) and on_cancel is not None:
                on_cancel()

        def discard_then() -> None:
            editor.discard_changes()
            then()

        number = editor.case.case_number if editor.case.id else ""
        text = (_("Case {case_number} has changes that are not saved.").format(case_number=number) if number
                else _("The new case has not been saved."))
        self.unsaved_dialog = ask_unsaved(self.window, text=text, on_save=save_then, on_discard=discard_then,
                                          on_cancel=on_cancel)
        self.unsaved_dialog.finished.connect(self._unsaved_answered)

    def _unsaved_answered(self, *_result) -> None:
        self.unsaved_dialog = None  # answered: the next leave asks again

    def new_case(self) -> None:
        if not self.ready or not self.may(Action.CASE_CREATE, post_code=self.post_code):
            return

        def start() -> None:
            assert self.services is not None  # the desk is ready
            cases, post_code = self.services.cases, self.post_code
            zone = zone_for_post(post_code)
            # the template comes from the service layer: on the task runner, like every other store call
            self.runner.run(lambda: cases.new_case(post_code=post_code, timezone=zone),
                            on_done=self._new_case_ready, on_error=self._unhandled)

        self._leave_editor(start)

    def _new_case_ready(self, template: Case) -> None:
        self.editor.new_case(template)
        self.window.show_editor()
        self.editor.focus_section(0)
        self.refresh_actions()

    def open_selected(self) -> None:
        case_id = self.list_page.selected_case_id()
        if case_id:
            self.open_case(case_id)

    def open_shared(self, record_id: str) -> None:
        """A record a counterpart shared, found by the case search or linked to the open case: its read-only view
        in Shared with us."""
        from blo_desk.ui.sharing import shared_with_us

        shared_with_us(self, record_id=record_id)

    def open_case(self, case_id: str, then: Callable[[], None] | None = None) -> None:
        """Open a case in the editor; `then` runs once it is shown (Void draft… chosen in the list)."""
        if not self.ready or not self.may(Action.CASE_READ):
            return
        if self.editor.case is not None and self.editor.case.id == case_id:
            self.window.show_editor()
            self.refresh_actions()
            if then is not None:
                then()
            return
        assert self.services is not None  # the desk is ready
        cases = self.services.cases

        def loaded(case: Case) -> None:
            self._case_loaded(case)
            if then is not None:
                then()

        def load() -> None:
            self.runner.run(lambda: cases.get(case_id=case_id), on_done=loaded)

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
        """The open case's Finalize…, or the drafts selected in the list (ui/list_actions.py): the same checks."""
        if self.window.on_editor:
            self.editor.ask_finalize()
        else:
            from blo_desk.ui.list_actions import finalize_selected

            finalize_selected(self)

    def unsaved_first(self, case_ids: list[str], then: Callable[[], None]) -> None:
        """Run `then` at once, unless the editor holds unsaved changes to one of these cases: then Save / Discard /
        Cancel is asked first (the editor is shown for it), and `then` runs once they are saved or discarded."""
        editor = self.editor
        if editor.case is not None and editor.case.id in case_ids and editor.dirty and not editor.read_only:
            self._leave_editor(then)
        else:
            then()

    def show_case(self, case: Case, *, then: Callable[[], None] | None = None) -> None:
        """Open a case read by a worker in the editor (unsaved changes to another case are asked about first)."""
        def show() -> None:
            self._case_loaded(case)
            if then is not None:
                then()

        if self.editor.case is not None and self.editor.case.id == case.id and not self.editor.dirty:
            self.editor.load_case(case)
            self.window.show_editor()
            self.refresh_actions()
            if then is not None:
                then()
            return
        self._leave_editor(show)

    def cases_finalized(self, finals: list[Case]) -> None:
        """Cases finalized from the list: the editor shows the new revision if it holds one; the list, the outbox
        and the automatic backup hear of it once."""
        for final in finals:
            if self.editor.case is not None and self.editor.case.id == final.id and not self.editor.dirty:
                self.editor.load_case(final)
        if finals:
            self.editor.saved.emit(finals[-1])

    def amend(self) -> None:
        if self.window.on_editor:
            self.editor.ask_amend()

    def void(self) -> None:
        """Void the draft in the editor, or the one draft selected in the list (opened first, then asked)."""
        if self.window.on_editor:
            self.editor.ask_void()
            return
        from blo_desk.ui.list_actions import chosen_in_list

        drafts = [s for s in chosen_in_list(self) if s.status == CaseStatus.DRAFT]
        if len(drafts) == 1:
            self.open_case(drafts[0].id, then=self.editor.ask_void)

    def discard(self) -> None:
        if self.window.on_editor:
            self.editor.discard_changes()
            self.window.message(lambda: _("Changes discarded."))

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
        if self.window.on_editor and not self.editor.read_only:
            self.editor.tabs.setCurrentIndex(SECTION_PHOTOS)
            self.editor.photos.choose_files()

    def _case_saved(self, case: Case) -> None:
        self._list_stale = True
        if not self.window.on_editor:
            self.show_list()
        self.refresh_actions()

    def quit(self) -> None:
        self.window.close()

    # --- demo data and the post of this office -------------------------------------------------------------------
    def load_demo(self) -> None:
        if not self.ready:
            return
        session, backend = self.session, self.backend

        def work(progress: Progress) -> int:
            progress.report(0, 1, _("Loading the demo cases…"))
            count = session.load_demo(backend.load_demo)
            progress.report(1, 1, "")
            return count

        task = self.runner.run(work, with_progress=True, on_done=self._demo_loaded, on_error=self._unhandled)
        self.window.show_progress(task, lambda: _("Loading the demo cases…"), cancellable=False)

    def _demo_loaded(self, count: int) -> None:
        self.window.message(lambda: ngettext("Loaded {count} demo case.", "Loaded {count} demo cases.", count).format(
            count=count))
        self.list_page.refresh()

    def open_settings(self) -> None:
        if not self.ready:
            return
        from blo_desk.ui.dialogs.accounts import SettingsDialog

        self.settings_dialog = SettingsDialog(self.window, reference=self.reference, post_code=self.post_code,
                                              may_change_post=self.may(Action.SETTINGS_MANAGE),
                                              on_accept=self._settings_chosen)
        self.settings_dialog.open()

    def _settings_chosen(self, language: str, post_code: str) -> None:
        if language != active_language():
            self.switch_language(language)
        if post_code and post_code != self.post_code and self.may(Action.SETTINGS_MANAGE):
            assert self.services is not None  # the desk is ready
            reference = self.services.reference

            def saved(_result: None) -> None:
                self.post_code = post_code
                self._show_post()
                self.refresh_actions()
                self.window.message(lambda: _("Settings saved."))

            self.runner.run(lambda: reference.set_setting(key=POST_SETTING, value=post_code), on_done=saved,
                            on_error=self._unhandled)

    def change_password(self) -> None:
        if not self.ready:
            return
        from blo_desk.ui.dialogs.accounts import PasswordDialog

        assert self.services is not None  # the desk is ready
        users = self.services.users
        self.password_dialog = PasswordDialog(
            self.window, runner=self.runner, policy=self.session.accounts.policy,
            change=lambda old, new: users.change_password(old_password=old, new_password=new),
            on_done=lambda: self.window.message(lambda: _("Your password was changed.")))
        self.password_dialog.open()

    def _check_store_once_listed(self) -> None:
        """The fast check of the store against its audit chain (AuditService.check_recent), on a worker once the
        first page of cases is listed: it takes seconds on a large store, so the login does not wait for it. What it
        finds is audited there, shown here, and found again at the next login (the checkpoint stays)."""
        model = self.list_page.model
        if not self.may(Action.CASE_READ) or not model.loading:
            self._check_store_now()
            return

        def listed(loading: bool) -> None:
            if not loading:
                model.loading_changed.disconnect(listed)
                self._check_store_now()

        model.loading_changed.connect(listed)

    def _check_store_now(self) -> None:
        if self.services is None or self._closing or self.integrity is not None:
            return
        self.integrity_task = self.runner.run(self.services.audit.check_recent, on_done=self._warn_if_changed_outside,
                                              on_error=self._unhandled)

    def _warn_if_changed_outside(self, report: AuditReport) -> None:
        """The check after login found the store changed outside the program: say so (the findings are audited)."""
        self.integrity = report
        if report.ok:
            return
        self.integrity_dialog = inform(
            self.window, error=True, title=_("The case store was changed outside BLO Desk"),
            text=_("The check at login found cases or records that differ from the audit trail. Tell your "
                   "supervisor; the findings are recorded in the audit trail."),
            details="\n".join(p.translated() for p in report.problems))

    def check_store(self) -> None:
        """The full check (administrator's menu): every case and revision against the audit trail, on a worker."""
        if not self.ready or not self.may(Action.AUDIT_VIEW):
            return
        assert self.services is not None  # the desk is ready
        audit = self.services.audit
        text = _("Checking every case against the audit trail…")

        def work(progress: Progress) -> AuditReport:
            progress.report(0, 1, text)
            return audit.verify(progress=lambda done, total: progress.report(done, total, text))

        task = self.runner.run(work, with_progress=True, on_done=self._store_checked, on_error=self._unhandled)
        self.window.show_progress(task, text, cancellable=False)

    def _store_checked(self, report: AuditReport) -> None:
        if report.ok:
            self.check_dialog = inform(self.window, title=_("Store check"), text=_(
                "Every case and revision matches the audit trail ({length} events).").format(length=report.length))
            return
        count = len(report.problems)
        self.check_dialog = inform(
            self.window, error=True, title=_("Store check"),
            text=ngettext("The check found {count} problem: the store was changed outside BLO Desk.",
                          "The check found {count} problems: the store was changed outside BLO Desk.",
                          count).format(count=count),
            details="\n".join(p.translated() for p in report.problems))

    def manage_users(self) -> None:
        if not self.ready or not self.may(Action.USERS_MANAGE):
            return
        from blo_desk.ui.dialogs.accounts import UsersDialog

        assert self.services is not None  # the desk is ready
        self.users_dialog = UsersDialog(self.window, runner=self.runner, users=self.services.users,
                                        reference=self.reference, policy=self.session.accounts.policy,
                                        me=self.principal.username,
                                        post_code=self.principal.post_code or self.post_code)
        self.users_dialog.open()

    def manage_offences(self) -> None:
        """The administrator's offence articles, of the post's country first (ui/dialogs/offences.py)."""
        if not self.ready or not self.may(Action.REFERENCE_MANAGE):
            return
        from blo_desk.ui.dialogs.offences import OffenceArticlesDialog
        from blo_desk.ui.pages.editor.field_widgets import post_country

        assert self.services is not None  # the desk is ready
        self.offences_dialog = OffenceArticlesDialog(
            self.window, runner=self.runner, port=self.services.reference, reference=self.reference,
            country=post_country(self.reference, self.principal.post_code or self.post_code))
        self.offences_dialog.open()

    def _show_post(self) -> None:
        set_local_zone(zone_for_post(self.post_code))  # times of no case (logins, bundles) in the post's zone
        name = self.reference.post_name(self.post_code)
        self.window.post_label.setText(_("Office: {post} ({code})").format(post=name, code=self.post_code))

    # --- printing (the printing service is optional) ----------------------------------------------------------------
    def print_protocol(self) -> None:
        """The protocol's print preview (ui/printing.py): language, print through Qt's dialog, save as PDF."""
        from blo_desk.ui.printing import print_protocol

        self.print_preview = print_protocol(self)

    # --- language ---------------------------------------------------------------------------------------------------
    def switch_language(self, language: str) -> None:
        set_language(language)  # the listener below retranslates every widget
        prefs = self.prefs  # and the next start (login screen included) opens in it: written (fsync) off the GUI thread
        self.runner.run(lambda: prefs.set_language(language))

    def _language_changed(self, language: str) -> None:
        if self.qt_language is not None:
            self.qt_language.apply(language)
        self.window.retranslate()
        self._show_post()
        self.show_principal()
        if self.delivery is not None:  # the outbox line in the status bar
            self.delivery.retranslate()
        if self.backup_driver is not None:
            self.backup_driver.retranslate()
        self.refresh_actions()

    def about(self) -> None:
        from blo_desk import __version__

        inform(self.window, title=_("About BLO Desk"),
               text=_("BLO Desk {version}: seizure case logger for Border Liaison Offices.").format(version=__version__))

    # --- closing: never lose typed text, never save unasked -------------------------------------------------------------
    def on_close(self, event: QCloseEvent) -> None:
        """The window's X, Ctrl+Q: unsaved changes ask Save / Discard / Cancel first; Cancel keeps the desk open."""
        if self._close_ok:
            event.accept()
            return
        event.ignore()
        self.editor.write_recovery()  # first of all: what was typed is on disk
        if self._closing:
            return  # the question is on screen, or the save chosen runs
        self._closing = True
        self._leave_editor(lambda: QTimer.singleShot(0, self._finish_close), on_cancel=self._close_cancelled)

    def _close_cancelled(self) -> None:
        """The officer chose Cancel, or the save they chose was refused: the desk stays open, the form as it was."""
        self._closing = False
        self._logging_out = False

    def log_out(self) -> None:
        """Log out (or switch user) without quitting: unsaved changes ask first, then the login window comes back."""
        if self._closing:
            return
        self._closing = True
        self._logging_out = True
        self.editor.write_recovery()
        self._leave_editor(lambda: QTimer.singleShot(0, self._finish_close), on_cancel=self._close_cancelled)

    def _finish_close(self) -> None:
        self._closing = True
        self.editor.closing = True
        self.editor.write_recovery()
        self.runner.cancel_all()
        self.runner.wait(30_000)
        remove_language_listener(self._language_changed)
        if self.services is not None:
            self.services.close()
            self.services = None
        self._close_ok = True
        if self._logging_out and self.on_logged_out is not None:
            self.on_logged_out(self)  # the login window is on screen before the desk goes: the app does not quit
        self.window.close()

    def shutdown(self) -> None:
        """Close without the window (tests, self-test): wait for workers, close the store."""
        if self.backup_driver is not None:
            self.backup_driver.stop()
        self.runner.wait(30_000)
        remove_language_listener(self._language_changed)
        if self.services is not None:
            self.services.close()
            self.services = None
