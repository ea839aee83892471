"""Every action of the desk, registered in one place: its text, shortcut, menu and the controller method it calls."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from blo_desk.config import LANGUAGES
from blo_desk.i18n import LANGUAGE_NAMES, N_, _, active_language


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str  # msgid
    handler: str  # method name on the controller
    shortcut: str | QKeySequence.StandardKey | None = None
    tip: str = ""  # msgid
    argument: str | None = None  # passed to the handler (the language code for the language actions)
    requires: tuple[str, ...] = ()  # Action values: enabled when the user's role has any of them


ACTIONS: dict[str, ActionSpec] = {}


def add_action(spec: ActionSpec) -> ActionSpec:
    if spec.id in ACTIONS:
        raise ValueError(f"action {spec.id!r} registered twice")
    ACTIONS[spec.id] = spec
    return spec


add_action(ActionSpec("new_case", N_("&New case"), "new_case", "Ctrl+N", N_("Start a new seizure case")))
add_action(ActionSpec("open_case", N_("&Open selected case"), "open_selected", "Ctrl+O"))
add_action(ActionSpec("save", N_("&Save"), "save", "Ctrl+S", N_("Save the case (what is typed meanwhile is kept safe until it is saved or discarded)")))
add_action(ActionSpec("finalize", N_("&Finalize…"), "finalize", "Ctrl+Shift+F",
                      N_("Make the case final and read-only")))
add_action(ActionSpec("amend", N_("&Amend…"), "amend", "Ctrl+Shift+A",
                      N_("Change a finalized case, giving a reason")))
add_action(ActionSpec("void", N_("&Void draft…"), "void", None,
                      N_("Withdraw a draft entered by mistake, with a reason: it is kept and sent to HQ, not listed"),
                      requires=("case.void",)))
add_action(ActionSpec("discard", N_("&Discard changes"), "discard", None,
                      N_("Forget what was typed since the last save")))
add_action(ActionSpec("print", N_("&Print protocol…"), "print_protocol", "Ctrl+P",
                      N_("Preview the protocol of this case, print it or save it as PDF")))
add_action(ActionSpec("period_report", N_("Period &report…"), "blo_desk.ui.printing:period_report", None,
                      N_("Totals by commodity, post and month over a period, with the list of cases"),
                      requires=("reports.view",)))
add_action(ActionSpec("verify_print", N_("Chec&k a printed copy…"), "blo_desk.ui.printing:verify_print", None,
                      N_("Type or scan a protocol's check code: is the paper the record as it stands now?"),
                      requires=("case.read",)))
add_action(ActionSpec("log_out", N_("Log out / switch &user"), "log_out", None,
                      N_("Back to the login window without quitting; unsaved changes are asked about first")))
add_action(ActionSpec("share_case", N_("S&hare with counterpart…"), "blo_desk.ui.sharing:share_case", None,
                      N_("Send the open case, or the cases selected in the list, to the paired post across the "
                         "border: redacted, signed and encrypted"),
                      requires=("share.send",)))
add_action(ActionSpec("shared_with_us", N_("Shared &with us…"), "blo_desk.ui.sharing:shared_with_us", None,
                      N_("Records the counterpart posts shared with this post; import a share file"),
                      requires=("share.read", "share.receive")))
add_action(ActionSpec("quit", N_("&Quit"), "quit", "Ctrl+Q"))
add_action(ActionSpec("find", N_("&Find cases"), "find", "Ctrl+F", N_("Search names, documents, plates, items")))
add_action(ActionSpec("case_list", N_("Case &list"), "show_list", "Ctrl+L"))
add_action(ActionSpec("refresh", N_("&Refresh"), "refresh", "F5"))
add_action(ActionSpec("next_section", N_("Next section"), "next_section", "Ctrl+PgDown"))
add_action(ActionSpec("previous_section", N_("Previous section"), "previous_section", "Ctrl+PgUp"))
add_action(ActionSpec("add_photo", N_("Add &photo…"), "add_photo", "Ctrl+Shift+P"))
add_action(ActionSpec("load_demo", N_("Load &demo cases"), "load_demo"))
add_action(ActionSpec("settings", N_("&Settings…"), "open_settings", None,
                      N_("Language, and the crossing point of this office")))
add_action(ActionSpec("change_password", N_("Change &password…"), "change_password"))
add_action(ActionSpec("users", N_("&Users…"), "manage_users", None, N_("Add users, reset passwords, unlock, remove")))
add_action(ActionSpec("offences", N_("&Offence articles…"), "manage_offences", None,
                      N_("The articles of each country's codes that a protocol may cite: add and rename them"),
                      requires=("reference.manage",)))
add_action(ActionSpec("counterparts", N_("Coun&terpart posts…"), "blo_desk.ui.sharing:counterparts", None,
                      N_("Pair this post with its counterpart posts across the border: cards, fingerprints, "
                         "revoking"),
                      requires=("counterpart.manage",)))
add_action(ActionSpec("check_store", N_("&Check the store…"), "check_store", None,
                      N_("Recompute every case and revision and compare them with the audit trail"),
                      requires=("audit.view",)))
add_action(ActionSpec("about", N_("&About BLO Desk"), "about", "F1"))
# Sync bundles (ui/bundles.py): "module:function" handlers are called with the controller.
add_action(ActionSpec("bundle_export", N_("&Export bundle…"), "blo_desk.ui.bundles:export_bundle", None,
                      N_("Write the cases not yet sent to a signed bundle, on a folder or a USB stick"),
                      requires=("bundle.export",)))
add_action(ActionSpec("bundle_import", N_("&Import bundles…"), "blo_desk.ui.bundles:import_bundles", None,
                      N_("Verify and import bundles from the posts (several files or a folder)"),
                      requires=("bundle.import",)))
add_action(ActionSpec("hq_overview", N_("&HQ overview"), "blo_desk.ui.bundles:show_hq", None,
                      N_("Each post's bundles, gaps and alerts; search across posts"),
                      requires=("bundle.import", "audit.view")))
# Backups (ui/backup.py)
add_action(ActionSpec("backup", N_("&Backup…"), "blo_desk.ui.backup:backup_now", None,
                      N_("Back up the store, photos and keys into one encrypted file, on a folder or a USB stick"),
                      requires=("store.backup",)))
add_action(ActionSpec("auto_backups", N_("&Automatic backups…"), "blo_desk.ui.backup:auto_backups", None,
                      N_("Back up after each finalize and daily into a folder, keeping the newest"),
                      requires=("settings.manage",)))
for _code in LANGUAGES:
    # Language names are shown in their own language, so they are not translated.
    add_action(ActionSpec(f"language_{_code}", LANGUAGE_NAMES[_code], "switch_language", None, argument=_code))

MENUS: tuple[tuple[str, str, tuple[str | None, ...]], ...] = (
    ("case", N_("&Case"), ("new_case", "open_case", "save", None, "finalize", "amend", "void", "discard", None, "print",
                           "period_report", "verify_print", None, "share_case", "shared_with_us",
                           None, "log_out", "quit")),
    ("edit", N_("&Edit"), ("add_photo", None, "next_section", "previous_section")),
    ("view", N_("&View"), ("case_list", "find", "refresh")),
    ("language", N_("&Language"), tuple(f"language_{c}" for c in LANGUAGES)),
    ("tools", N_("&Tools"), ("settings", "change_password", "users", "offences", "counterparts", "check_store", None, "backup", "auto_backups",
                             None, "load_demo")),
    ("bundles", N_("&Bundles"), ("bundle_export", None, "bundle_import", "hq_overview")),
    ("help", N_("&Help"), ("about",)),
)
UNTRANSLATED = {f"language_{c}" for c in LANGUAGES}


def _handler(controller: object, name: str):
    """A controller method, or "module:function" (imported when triggered) called with the controller."""
    if ":" not in name:
        return getattr(controller, name)
    module, function = name.split(":")

    def call(*args):
        from importlib import import_module

        return getattr(import_module(module), function)(controller, *args)

    return call


class ActionSet:
    """The QActions built from the registry, bound to one controller, with their menus."""

    def __init__(self, window: QWidget, controller: object) -> None:
        self.actions: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}
        self.language_group = QActionGroup(window)
        for spec in ACTIONS.values():
            action = QAction(window)
            action.setObjectName(f"action_{spec.id}")
            if spec.shortcut is not None:
                action.setShortcut(QKeySequence(spec.shortcut))
            handler = _handler(controller, spec.handler)
            if spec.argument is not None:
                action.setCheckable(True)
                self.language_group.addAction(action)
                action.triggered.connect(lambda _checked=False, h=handler, a=spec.argument: h(a))
            else:
                action.triggered.connect(lambda _checked=False, h=handler: h())
            window.addAction(action)  # shortcuts work even when the menu bar is hidden
            self.actions[spec.id] = action
            principal = getattr(controller, "principal", None)
            if spec.requires and principal is not None:
                from blo_desk.domain.permissions import Action, allowed

                action.setEnabled(any(allowed(principal, Action(a)) for a in spec.requires))
        self.retranslate()

    def __getitem__(self, action_id: str) -> QAction:
        return self.actions[action_id]

    def build_menus(self, bar: QMenuBar) -> None:
        for menu_id, _title, entries in MENUS:
            menu = bar.addMenu("")
            menu.setObjectName(f"menu_{menu_id}")
            self.menus[menu_id] = menu
            for entry in entries:
                if entry is None:
                    menu.addSeparator()
                else:
                    menu.addAction(self.actions[entry])
        self.retranslate()

    def retranslate(self) -> None:
        for spec in ACTIONS.values():
            action = self.actions[spec.id]
            action.setText(spec.text if spec.id in UNTRANSLATED else _(spec.text))
            tip = _(spec.tip) if spec.tip else ""
            action.setStatusTip(tip)
            shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{action.text().replace('&', '')} ({shortcut})" if shortcut else action.text().replace("&", ""))
        for menu_id, title, _entries in MENUS:
            if menu_id in self.menus:
                self.menus[menu_id].setTitle(_(title))
        current = self.actions.get(f"language_{active_language()}")
        if current is not None:
            current.setChecked(True)
