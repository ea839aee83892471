"""Every file and folder the officer chooses goes through here: Qt's own file dialog (not the system's, which would
speak the system's language), its texts in ours, opening where that kind of file was last chosen, else on a USB
stick or in the user's documents, never in the program's folder."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QStandardPaths, QStorageInfo, QTimer
from PySide6.QtWidgets import QFileDialog, QHeaderView, QSplitter, QTreeView, QWidget

from blo_desk.i18n import _
from blo_desk.ui.screen_fit import fit_to_screen

if TYPE_CHECKING:
    from blo_desk.ui.prefs import Preferences

# What a file is chosen for; the last folder of each is remembered apart (a backup stick is not the photos' card).
FROM_MEDIA = frozenset({"backup", "auto_backup", "restore", "hq_status", "bundle_export", "bundle_import",
                        "share_export", "share_import", "data_export", "photos"})
IN_DOCUMENTS = frozenset({"pdf", "recovery_sheet"})
PURPOSES = FROM_MEDIA | IN_DOCUMENTS
FOLDER_KEY = "folder.{purpose}"  # in desk-preferences.json (ui/prefs.py): nothing secret, read before login

_memory: list[Preferences] = []  # where the chosen folders are remembered: the data folder's preferences


def remember_folders_in(prefs: Preferences | None) -> None:
    """Remember the folders chosen from now on in `prefs` (the start flow and each desk set their data folder's)."""
    _memory.clear()
    if prefs is not None:
        _memory.append(prefs)


# --- where a dialog opens ------------------------------------------------------------------------------------------
def _removable(root: str) -> bool:
    if sys.platform == "win32":
        import ctypes

        return ctypes.windll.kernel32.GetDriveTypeW(root) == 2  # type: ignore[attr-defined]  # DRIVE_REMOVABLE
    return root.startswith(("/media/", "/run/media/", "/Volumes/"))


def removable_media() -> list[Path]:
    """USB sticks and memory cards mounted now, writable ones first."""
    volumes = [v for v in QStorageInfo.mountedVolumes() if v.isValid() and v.isReady() and _removable(v.rootPath())]
    volumes.sort(key=lambda v: v.isReadOnly())
    return [Path(v.rootPath()) for v in volumes]


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def remembered_folder(purpose: str) -> Path | None:
    value = _memory[0].get(FOLDER_KEY.format(purpose=purpose)) if _memory else None
    folder = Path(value) if isinstance(value, str) and value else None
    return folder if folder is not None and folder.is_dir() else None  # a stick taken out: not there any more


def start_folder(purpose: str, current: Path | None = None) -> Path:
    """The folder last chosen for `purpose`; else a USB stick (for what goes to or comes from one); else `current`
    (the folder a dialog's field shows) when it exists; else the user's documents."""
    remembered = remembered_folder(purpose)
    if remembered is not None:
        return remembered
    if purpose in FROM_MEDIA:
        media = removable_media()
        if media:
            return media[0]
    if current is not None and current.is_dir():
        return current
    return documents_folder()


def _remember(purpose: str, chosen: str, *, is_folder: bool) -> None:
    if chosen and _memory:
        folder = Path(chosen) if is_folder else Path(chosen).parent
        _memory[0].put(FOLDER_KEY.format(purpose=purpose), str(folder))


def remember_folder(purpose: str, folder: Path) -> None:
    """Remember `folder` for `purpose` as if it had been chosen: a file was written there without the chooser (a
    typed folder). Writes the preferences file (fsync): call it from the worker thread."""
    assert purpose in PURPOSES, purpose
    _remember(purpose, str(folder), is_folder=True)


# --- the dialog ------------------------------------------------------------------------------------------------------
def file_dialog(parent: QWidget | None, *, purpose: str, title: str, mode: str, filters: Sequence[str] = (),
                name: str = "", start: str = "") -> FileDialog:
    """A file dialog for `mode` ("open", "open_many", "save" or "folder") in the active language: Qt's own widget
    (the system's would speak the system's language), every label and button from our catalogs, opening at
    start_folder(purpose, start); `name` is the file name offered when saving (`start` may name a file too)."""
    assert purpose in PURPOSES, purpose
    dialog = FileDialog(parent, title, mode)
    dialog.setObjectName(f"fileDialog_{purpose}")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    current = Path(start) if start else None
    if current is not None and not current.is_dir():  # a file's path: its folder, and its name to save under
        name = name or (current.name if mode == "save" else "")
        current = current.parent
    dialog.setDirectory(str(start_folder(purpose, current)))
    if mode == "folder":
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    elif mode == "open_many":
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    elif mode == "open":
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    else:
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        if name:
            dialog.selectFile(name)
    if filters:
        dialog.setNameFilters(list(filters))
    dialog.retranslate()
    _roomy(dialog)
    return dialog


class FileDialog(QFileDialog):
    """Qt's file dialog whose labels are ours, set again after a language change (Qt would put its own back on the
    Open or Save button)."""

    def __init__(self, parent: QWidget | None, title: str, mode: str) -> None:
        super().__init__(parent, title)
        self.mode = mode

    def retranslate(self) -> None:
        accept = {"folder": _("&Choose"), "save": _("&Save")}.get(self.mode, _("&Open"))
        labels = {QFileDialog.DialogLabel.LookIn: _("Look in:"),
                  QFileDialog.DialogLabel.FileName: _("Folder:") if self.mode == "folder" else _("File &name:"),
                  QFileDialog.DialogLabel.FileType: _("Files of type:"),
                  QFileDialog.DialogLabel.Accept: accept, QFileDialog.DialogLabel.Reject: _("Cancel")}
        for which, text in labels.items():
            self.setLabelText(which, text)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.LanguageChange:
            QTimer.singleShot(0, self.retranslate)  # after its button box has put Qt's words back


def _roomy(dialog: QFileDialog) -> None:
    """Big enough for long Uzbek and Russian words (within the screen): the places list shows their names, the detail
    view's columns their headings."""
    fit_to_screen(dialog, 900, 560)
    splitter = dialog.findChild(QSplitter, "splitter")
    if splitter is not None:
        splitter.setSizes([180, 720])
    tree = dialog.findChild(QTreeView, "treeView")
    if tree is not None:
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, header.count()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)


def _run(dialog: QFileDialog) -> list[str]:
    return dialog.selectedFiles() if dialog.exec() == QFileDialog.DialogCode.Accepted else []


def choose_open_file(parent: QWidget | None, *, purpose: str, title: str, filters: Sequence[str] = ()) -> str:
    """One existing file, or '' when the officer cancels."""
    chosen = _run(file_dialog(parent, purpose=purpose, title=title, mode="open", filters=filters))
    path = chosen[0] if chosen else ""
    _remember(purpose, path, is_folder=False)
    return path


def choose_open_files(parent: QWidget | None, *, purpose: str, title: str, filters: Sequence[str] = ()) -> list[str]:
    """Existing files (several may be chosen), or [] when the officer cancels."""
    chosen = _run(file_dialog(parent, purpose=purpose, title=title, mode="open_many", filters=filters))
    if chosen:
        _remember(purpose, chosen[0], is_folder=False)
    return chosen


def choose_save_file(parent: QWidget | None, *, purpose: str, title: str, filters: Sequence[str] = (),
                     name: str = "", start: str = "", suffix: str = "") -> str:
    """A file to write (Qt asks before replacing one, in our words), `suffix` added when the name has none; ''
    when the officer cancels."""
    dialog = file_dialog(parent, purpose=purpose, title=title, mode="save", filters=filters, name=name, start=start)
    if suffix:
        dialog.setDefaultSuffix(suffix)
    chosen = _run(dialog)
    path = chosen[0] if chosen else ""
    _remember(purpose, path, is_folder=False)
    return path


def choose_folder(parent: QWidget | None, *, purpose: str, title: str, start: str = "") -> str:
    """A folder (a USB stick), or '' when the officer cancels."""
    chosen = _run(file_dialog(parent, purpose=purpose, title=title, mode="folder", start=start))
    path = chosen[0] if chosen else ""
    _remember(purpose, path, is_folder=True)
    return path
