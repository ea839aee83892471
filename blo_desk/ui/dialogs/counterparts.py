"""Counterpart posts…: the paired posts; write this post's card; add another post's card once its fingerprint,
read out by telephone, was typed and matches; revoke a pairing."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.errors import DomainError
from blo_desk.domain.sharing import same_fingerprint
from blo_desk.i18n import N_, _, active_language, translator
from blo_desk.ui.file_dialogs import choose_open_file, choose_save_file
from blo_desk.ui.models.rows import RowsModel, rows_view
from blo_desk.ui.tasks import OwnTasks, Task, TaskRunner
from blo_desk.ui.widgets.whole_text import MessageLabel, ResultNote

if TYPE_CHECKING:
    from blo_desk.domain.sharing import Counterpart, CounterpartCard
    from blo_desk.ports import SharingPort

HEADERS = (N_("Post"), N_("Key fingerprint"), N_("Paired on"), N_("State"))


def _name(card: CounterpartCard) -> str:
    """The post's name in the reader's language as its card gives it (Russian, then English, if it lacks it)."""
    return card.names.get(active_language()) or card.names.get("ru") or card.names.get("en") or ""


def card_name(card: CounterpartCard) -> str:
    """The post of a card by its name, its code beside."""
    name = _name(card)
    return f"{name} ({card.post_code})" if name else card.post_code


class CounterpartsDialog(QDialog):
    """Every store access runs on the worker thread; a card read from a file is shown, and paired only when the
    fingerprint typed from the telephone call matches it (the service checks it again)."""

    def __init__(self, parent: QWidget | None, *, runner: TaskRunner, sharing: SharingPort,
                 post_code: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("counterpartsDialog")
        self.post_code = post_code  # names the card file this post writes: two posts' cards on one stick differ
        self.runner = runner
        self.sharing = sharing
        self._tasks = OwnTasks(self)
        self.counterparts: list[Counterpart] = []
        self.card: tuple[Path, CounterpartCard, str] | None = None  # the card read, waiting for its fingerprint
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.model = RowsModel(HEADERS, self)
        self.table = rows_view(self.model, "counterpartsTable", stretch=1)
        self.write = QPushButton()
        self.write.setObjectName("counterpartWriteCard")
        self.write.clicked.connect(self.choose_card_target)
        self.add = QPushButton()
        self.add.setObjectName("counterpartAddCard")
        self.add.clicked.connect(self.choose_card)
        self.revoke_button = QPushButton()
        self.revoke_button.setObjectName("counterpartRevoke")
        self.revoke_button.clicked.connect(self.ask_revoke)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        # the card read from a file: who it says it is, its fingerprint, and the fingerprint heard on the telephone
        self.card_box = QFrame()
        self.card_box.setObjectName("counterpartCard")
        self.card_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.card_text = MessageLabel()
        self.card_text.setObjectName("counterpartCardText")
        self.card_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.heard = QLineEdit()
        self.heard.setObjectName("counterpartHeard")
        self.heard.textChanged.connect(self._heard_changed)
        self.heard_label = QLabel()
        self.heard_label.setBuddy(self.heard)
        self.pair = QPushButton()
        self.pair.setObjectName("counterpartPair")
        self.pair.setEnabled(False)
        self.pair.clicked.connect(self.run_pair)
        self.cancel_card = QPushButton()
        self.cancel_card.clicked.connect(self.forget_card)
        card_form = QFormLayout()
        card_form.addRow(self.heard_label, self.heard)
        card_buttons = QHBoxLayout()
        card_buttons.addStretch(1)
        card_buttons.addWidget(self.pair)
        card_buttons.addWidget(self.cancel_card)
        card_layout = QVBoxLayout(self.card_box)
        card_layout.addWidget(self.card_text)
        card_layout.addLayout(card_form)
        card_layout.addLayout(card_buttons)
        self.card_box.hide()
        self.status = ResultNote("counterpartsStatus", selectable=True)  # the fingerprint, to be read out
        buttons = QHBoxLayout()
        for button in (self.write, self.add, self.revoke_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.card_box)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.retranslate()
        self.resize(760, 480)
        self.load_task = self.refresh()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Counterpart posts"))
        self.hint.setText(_("Posts across the border this post exchanges cases with. Write this post's card and "
                            "give it to the other post; add the other post's card only after its administrator has "
                            "read out the card's fingerprint to you by telephone."))
        self.write.setText(_("&Write this post's card…"))
        self.add.setText(_("&Add a counterpart's card…"))
        self.revoke_button.setText(_("&Revoke the pairing…"))
        self.close_button.setText(_("Close"))
        self.heard_label.setText(_("&Fingerprint read out by telephone:"))
        self.pair.setText(_("&Pair with this post"))
        self.cancel_card.setText(_("Cancel"))
        self.model.retranslate()
        self._show()

    def _failed(self, exc: BaseException) -> None:
        self.status.setText(exc.translated() if isinstance(exc, DomainError) else _(
            "Something went wrong: {reason}").format(reason=str(exc)))

    # --- the list ----------------------------------------------------------------------------------------------
    def refresh(self) -> Task:
        return self._tasks.track(self.runner.run(self.sharing.counterparts, on_done=self._loaded, on_error=self._failed))

    def _loaded(self, counterparts: list[Counterpart]) -> None:
        self.counterparts = counterparts
        self._show()

    def _show(self) -> None:
        tr = translator()
        self.model.set_rows([
            (card_name(c.card), c.fingerprint, tr.format_date(c.added_at.date()),
             _("active") if c.active else _("revoked on {date}").format(
                 date=tr.format_date(c.revoked_at.date()) if c.revoked_at else ""))
            for c in self.counterparts])

    # --- this post's card ----------------------------------------------------------------------------------------
    def choose_card_target(self) -> None:
        chosen = choose_save_file(self, purpose="share_export", title=_("Write this post's card…"),
                                  filters=[_("Counterpart cards (*.card)")], name=f"{self.post_code or 'post'}.card",
                                  suffix="card")
        if chosen:
            self.write_card(Path(chosen))

    def write_card(self, path: Path) -> Task:
        sharing = self.sharing
        return self._tasks.track(self.runner.run(lambda: sharing.write_card(path=path), on_done=self._written,
                                           on_error=self._failed))

    def _written(self, written: tuple[Path, str]) -> None:
        path, fingerprint = written
        self.status.say(_("Card written to {path}.").format(path=path) + "\n"
                        + _("Fingerprint to read out by telephone: {fingerprint}").format(fingerprint=fingerprint),
                        files=(path,))

    # --- another post's card -----------------------------------------------------------------------------------
    def choose_card(self) -> None:
        chosen = choose_open_file(self, purpose="share_import", title=_("Add a counterpart's card…"),
                                  filters=[_("Counterpart cards (*.card)")])
        if chosen:
            self.read_card(Path(chosen))

    def read_card(self, path: Path) -> Task:
        """Read the card and show it; nothing is stored until its fingerprint is typed and matches."""
        sharing = self.sharing
        return self._tasks.track(self.runner.run(lambda: (path, *sharing.read_card(path=path)), on_done=self._card_read,
                                           on_error=self._failed))

    def _card_read(self, read: tuple[Path, CounterpartCard, str]) -> None:
        self.card = read
        _path, card, fingerprint = read
        self.card_text.setText(_("Card of post {name} ({post})").format(name=_name(card) or card.post_code,
                                                                         post=card.post_code) + "\n"
                               + _("Key fingerprint: {fingerprint}").format(fingerprint=fingerprint) + "\n"
                               + _("Ask the other post's administrator to read out the fingerprint by telephone and "
                                   "type what you hear; the post is paired only if it matches."))
        self.heard.clear()
        self.pair.setEnabled(False)
        self.card_box.show()
        self.status.clear()
        self.heard.setFocus()

    def _heard_changed(self, text: str) -> None:
        matches = self.card is not None and same_fingerprint(text, self.card[2])
        self.pair.setEnabled(matches)
        typed = sum(c.isalnum() for c in text)
        wanted = sum(c.isalnum() for c in self.card[2]) if self.card else 0
        self.status.setText(_("The fingerprint typed does not match the card's: do not pair; ask the other post "
                              "to read it out again.") if typed >= wanted and not matches else "")

    def forget_card(self) -> None:
        self.card = None
        self.heard.clear()
        self.card_box.hide()

    def run_pair(self) -> Task | None:
        if self.card is None or not same_fingerprint(self.heard.text(), self.card[2]):
            return None
        path, heard, sharing = self.card[0], self.heard.text(), self.sharing
        self.pair.setEnabled(False)
        return self._tasks.track(self.runner.run(lambda: sharing.add_counterpart(path=path, fingerprint=heard),
                                           on_done=self._paired, on_error=self._failed))

    def _paired(self, added: Counterpart) -> None:
        self.forget_card()
        self.status.setText(_("Paired with post {post} (fingerprint {fingerprint}).").format(
            post=card_name(added.card), fingerprint=added.fingerprint))
        self.refresh()

    # --- revoking ------------------------------------------------------------------------------------------------
    def selected(self) -> Counterpart | None:
        rows = self.table.selectionModel().selectedRows()
        current = self.table.currentIndex()  # by keyboard the row with the focus frame is the one meant
        row = rows[0].row() if rows else current.row() if current.isValid() else -1
        return self.counterparts[row] if 0 <= row < len(self.counterparts) else None

    def ask_revoke(self) -> None:
        chosen = self.selected()
        if chosen is None or not chosen.active:
            self.status.setText(_("Choose an active pairing in the list first."))
            return
        answer = QMessageBox.question(self, _("Revoke the pairing…"), _(
            "Revoke the pairing with post {post}? Nothing can be sent to it or taken from it afterwards.").format(
            post=card_name(chosen.card)), defaultButton=QMessageBox.StandardButton.No)  # Enter keeps the pairing
        if answer == QMessageBox.StandardButton.Yes:
            self.revoke(chosen.post_code)

    def revoke(self, post_code: str) -> Task:
        sharing = self.sharing
        return self._tasks.track(self.runner.run(lambda: sharing.revoke(post_code=post_code),
                                           on_done=lambda _done: self._revoked(post_code), on_error=self._failed))

    def _revoked(self, post_code: str) -> None:
        known = next((c for c in self.counterparts if c.post_code == post_code), None)
        self.status.setText(_("The pairing with post {post} is revoked.").format(
            post=card_name(known.card) if known else post_code))
        self.refresh()
