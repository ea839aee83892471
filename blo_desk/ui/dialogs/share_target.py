"""Where a share, request or answer goes: the folder it is written to, and HQ's relay when its address is set."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from blo_desk.domain.errors import DomainError
from blo_desk.i18n import _
from blo_desk.ui.file_dialogs import choose_folder, remember_folder, remembered_folder

if TYPE_CHECKING:
    from blo_desk.domain.sharing import RelayedShare
    from blo_desk.ports import SharingPort

# Files for the counterpart (shares, requests, answers, this post's card) share one remembered folder: the stick.
PURPOSE = "share_export"


def last_folder() -> Path | None:
    """The folder a file for the counterpart was last written to (or chosen for one), in this run or an earlier
    one; None when there is none, or it is gone (the stick was taken out)."""
    return remembered_folder(PURPOSE)


def remember_written(path: str | Path) -> None:
    """Worker thread: the folder of the file just written for the counterpart is offered next time (kept in the
    desk's preferences, so after a restart too)."""
    remember_folder(PURPOSE, Path(path).absolute().parent)


class TargetFolder(QWidget):
    """The folder a file for the counterpart is written to, typed or chosen with the Choose… button: the one given,
    else the folder last written to (a USB stick) while it is there, else the post's shares folder (set_default)."""

    def __init__(self, parent: QWidget | None = None, *, folder: Path | None = None, title: str = "") -> None:
        super().__init__(parent)
        self.title = title  # the folder chooser's title (the dialog's own)
        folder = folder or last_folder()
        self.line = QLineEdit(str(folder) if folder else "")
        self.line.setObjectName("shareTarget")
        self.browse = QPushButton()
        self.browse.setObjectName("shareTargetChoose")
        self.browse.setAutoDefault(False)  # Enter in the dialog writes the file, it does not open the folder chooser
        self.browse.clicked.connect(self.choose)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self.browse)
        self.retranslate()

    def retranslate(self) -> None:
        self.browse.setText(_("Choose…"))

    def set_default(self, folder: Path) -> None:
        """The post's shares folder, unless a folder was given, remembered or typed already."""
        if not self.line.text().strip():
            self.line.setText(str(folder))

    def folder(self) -> Path:
        return Path(self.line.text().strip())

    def choose(self) -> None:
        chosen = choose_folder(self, purpose=PURPOSE, title=self.title, start=self.line.text())
        if chosen:
            self.line.setText(chosen)


def relay_if_asked(sharing: SharingPort, path: Path, via_hq: bool) -> tuple[RelayedShare | None, DomainError | None]:
    """Worker thread: hand a written file to HQ's relay when asked. HQ refusing is not a failure of the writing:
    the refusal is returned, and the file stays where it was written to be carried by stick or e-mail."""
    if not via_hq:
        return None, None
    try:
        return sharing.send_via_hq(path=path), None
    except DomainError as exc:
        return None, exc


def relay_outcome(peer: str, relayed: RelayedShare | None, refused: DomainError | None) -> str:
    """What became of the relay through HQ, to follow the "written" line ("" when HQ was not asked)."""
    if relayed is not None:
        return _("Sent through HQ: post {post} receives it at its next sync; HQ cannot read it.").format(post=peer)
    if refused is not None:
        return _("HQ did not take it: {reason} Carry the file by USB stick or e-mail instead.").format(
            reason=refused.translated())
    return ""
