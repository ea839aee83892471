"""Qt's own texts in our windows (file dialogs, message boxes, standard buttons, edit menus) from our catalogs:
Qt ships no Uzbek translation, and its Russian one words things otherwise than we do."""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from blo_desk.i18n import N_, _

# (Qt's context, Qt's English source) -> our message. Qt's "%1" is our {name} (or {kind}); its line breaks are ours
# to choose (the message boxes wrap).
_STANDARD_BUTTONS = {
    "OK": N_("OK"), "Save": N_("Save"), "Save All": N_("Save all"), "Open": N_("Open"), "&Yes": N_("&Yes"),
    "Yes to &All": N_("Yes to &all"), "&No": N_("&No"), "N&o to All": N_("N&o to all"), "Abort": N_("Abort"),
    "Retry": N_("Retry"), "Ignore": N_("Ignore"), "Close": N_("Close"), "Cancel": N_("Cancel"),
    "Discard": N_("Discard"), "Help": N_("Help"), "Apply": N_("Apply"), "Reset": N_("Reset"),
    "Restore Defaults": N_("Restore defaults"),
}
_FILE_DIALOG = {
    "Look in:": N_("Look in:"), "File &name:": N_("File &name:"), "Files of type:": N_("Files of type:"),
    "Directory:": N_("Folder:"), "&Open": N_("&Open"), "Open": N_("Open"), "&Save": N_("&Save"), "Save": N_("Save"),
    "&Choose": N_("&Choose"), "Save As": N_("Save as"), "Find Directory": N_("Choose a folder"),
    "Back": N_("Back"), "Forward": N_("Forward"), "Parent Directory": N_("Parent folder"),
    "Create New Folder": N_("Create a new folder"), "Create a New Folder": N_("Create a new folder"),
    "List View": N_("List view"), "Detail View": N_("Detail view"), "Go back": N_("Go back"),
    "Go forward": N_("Go forward"), "Go to the parent directory": N_("Go to the parent folder"),
    "Change to list view mode": N_("Show as a list"), "Change to detail view mode": N_("Show with details"),
    "&Rename": N_("&Rename"), "&Delete": N_("&Delete"), "Delete": N_("Delete"),
    "Show &hidden files": N_("Show &hidden files"), "&New Folder": N_("&New folder"), "New Folder": N_("New folder"),
    "All Files (*)": N_("All files (*)"), "Files": N_("Files"), "Directories": N_("Folders"),
    "Sidebar": N_("Places"), "List of places and bookmarks": N_("Places and bookmarks"),
    "%1 already exists.\nDo you want to replace it?": N_("{name} already exists. Do you want to replace it?"),
    "%1\nFile not found.\nPlease verify the correct file name was given.":
        N_("{name}: file not found. Check the file name."),
    "%1\nDirectory not found.\nPlease verify the correct directory name was given.":
        N_("{name}: folder not found. Check the folder name."),
    "Are you sure you want to delete '%1'?": N_("Delete “{name}”?"),
    "'%1' is write protected.\nDo you want to delete it anyway?": N_("“{name}” is write-protected. Delete it anyway?"),
    "Could not delete directory.": N_("The folder could not be deleted."),
}
_FILE_MODEL = {"Name": N_("Name"), "Size": N_("Size"), "Type": N_("Type"), "Date Modified": N_("Date modified"),
               "Computer": N_("Computer"), "My Computer": N_("Computer")}
_FILE_KINDS = {"Drive": N_("Drive"), "Folder": N_("Folder"), "File": N_("File"), "%1 File": N_("{kind} file")}
_EDIT_MENU = {"&Undo": N_("&Undo"), "&Redo": N_("&Redo"), "Cu&t": N_("Cu&t"), "&Copy": N_("&Copy"),
              "&Paste": N_("&Paste"), "Delete": N_("Delete"), "Select All": N_("Select all"),
              "Copy &Link Location": N_("Copy &link address")}
_DETAILS = {"Show Details...": N_("Show details…"), "Hide Details...": N_("Hide details…")}

QT_TEXTS: dict[tuple[str, str], str] = {
    **{("QPlatformTheme", k): v for k, v in _STANDARD_BUTTONS.items()},
    **{("QFileDialog", k): v for k, v in _FILE_DIALOG.items()},
    **{("QFileSystemModel", k): v for k, v in _FILE_MODEL.items()},
    **{("QAbstractFileIconProvider", k): v for k, v in _FILE_KINDS.items()},
    **{("QLineEdit", k): v for k, v in _EDIT_MENU.items()},
    **{("QWidgetTextControl", k): v for k, v in _EDIT_MENU.items()},
    **{("QMessageBox", k): v for k, v in _DETAILS.items()},
}


def qt_text(context: str, source: str) -> str | None:
    """Our words, in the active language, for a text Qt shows; None when it is not one of ours."""
    message = QT_TEXTS.get((context, source))
    if message is None:
        return None
    return _(message).format(name="%1", kind="%1")  # Qt fills its %1 itself


class QtTexts(QTranslator):
    """A translator Qt asks before its own catalogs (installed last): our words in the language of blo_desk.i18n,
    read at each call, so they follow a language switch."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,  # type: ignore[override]
                  n: int = -1) -> str | None:
        # None (a null QString) lets Qt ask its own catalog or keep its source; an empty "" would blank the text
        return qt_text(context, source)

    def isEmpty(self) -> bool:  # noqa: N802 - Qt API
        return False
