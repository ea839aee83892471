"""Share with counterpart…: choose the paired post and the redaction profile, see exactly what will be sent, send."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.errors import DomainError
from blo_desk.domain.sharing import check_code, mask_notice, preview_text
from blo_desk.i18n import _, active_language, add_language_listener, remove_language_listener
from blo_desk.ui.dialogs.share_target import TargetFolder, relay_if_asked, relay_outcome, remember_written
from blo_desk.ui.tasks import OwnTasks, Task, TaskRunner
from blo_desk.ui.widgets.whole_text import MessageText, ResultNote

if TYPE_CHECKING:
    from blo_desk.domain.redaction import RedactionProfile
    from blo_desk.domain.sharing import Counterpart, RelayedShare, SharePreview, ShareResult
    from blo_desk.ports import SharingPort


class ShareDialog(QDialog):
    """Every store access runs on the worker thread: the choices load, the preview follows each choice, and the
    share (file and cover letter) is written there too; the dialog only shows what comes back."""

    def __init__(self, parent: QWidget | None, *, runner: TaskRunner, sharing: SharingPort,
                 references: list[str], folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shareDialog")
        self.runner = runner
        self._tasks = OwnTasks(self)  # work still running for this window: its answers are dropped when it goes
        self.sharing = sharing
        self.references = list(references)
        self.profiles: dict[str, RedactionProfile] = {}
        self.task: Task | None = None
        self.shared: ShareResult | None = None
        self.preview_shown = ""
        self.counterpart = QComboBox()
        self.counterpart.setObjectName("shareCounterpart")
        self.profile = QComboBox()
        self.profile.setObjectName("shareProfile")
        self.profile.currentIndexChanged.connect(self.refresh_preview)
        self.reason = QLineEdit()
        self.reason.setObjectName("shareReason")
        self.legal_basis = QLineEdit()
        self.legal_basis.setObjectName("shareLegalBasis")
        self.preview = MessageText()
        self.preview.setObjectName("sharePreview")
        # what was masked in the free text before sending (names, numbers, plates): said above the preview
        self.mask_notice = QLabel()
        self.mask_notice.setObjectName("shareMaskNotice")
        self.mask_notice.setWordWrap(True)
        self.mask_notice.setStyleSheet("QLabel { background: #fff4ce; border: 1px solid #d9b44a; padding: 4px; }")
        self.mask_notice.hide()
        self.target_row = TargetFolder(folder=folder)
        self.target, self.browse = self.target_row.line, self.target_row.browse
        self.status = ResultNote("shareStatus")
        self.send = QPushButton()
        self.send.setObjectName("shareSend")
        self.send.setEnabled(False)
        self.send.clicked.connect(self.run_share)
        # the same file, also handed to HQ's intake, which keeps it encrypted until the counterpart collects it
        self.send_hq = QPushButton()
        self.send_hq.setObjectName("shareViaHq")
        self.send_hq.setEnabled(False)
        self.send_hq.clicked.connect(lambda: self.run_share(via_hq=True))
        self.relay_configured = False
        self.relayed: RelayedShare | None = None
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        self.labels = {name: QLabel() for name in ("counterpart", "profile", "reason", "legal", "target", "preview")}
        for name, field in (("counterpart", self.counterpart), ("profile", self.profile), ("reason", self.reason),
                            ("legal", self.legal_basis), ("target", self.target), ("preview", self.preview)):
            self.labels[name].setBuddy(field)  # each label's Alt letter goes to its field
        self.send.setDefault(True)  # Enter shares (it opened the folder chooser, the first button)
        self.send_hq.setAutoDefault(False)
        self.close_button.setAutoDefault(False)
        form = QFormLayout()
        form.addRow(self.labels["counterpart"], self.counterpart)
        form.addRow(self.labels["profile"], self.profile)
        form.addRow(self.labels["reason"], self.reason)
        form.addRow(self.labels["legal"], self.legal_basis)
        form.addRow(self.labels["target"], self.target_row)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.send_hq)
        buttons.addWidget(self.send)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.labels["preview"])
        layout.addWidget(self.mask_notice)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        add_language_listener(self._language_changed)
        self.destroyed.connect(lambda *_a, cb=self._language_changed: remove_language_listener(cb))
        self.retranslate()
        self.resize(720, 560)
        self.counterpart.setFocus()  # the first choice, at the top
        self.load_task = self._load()

    def _language_changed(self, _language: str) -> None:
        self.retranslate()
        self.refresh_preview()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Share with counterpart"))
        self.labels["counterpart"].setText(_("&Counterpart post:"))
        self.labels["profile"].setText(_("Redaction &profile:"))
        self.labels["reason"].setText(_("&Reason:"))
        self.labels["legal"].setText(_("&Legal basis:"))
        self.labels["target"].setText(_("&Save to:"))
        self.labels["preview"].setText(_("E&xactly what will be sent:"))
        self.target_row.title = _("Share with counterpart")
        self.target_row.retranslate()
        self.send.setText(_("Sh&are the cases"))  # not "Share": that msgid is a percentage in period reports
        self.send_hq.setText(_("Share and send via &HQ"))
        self.send_hq.setToolTip(_("Also send the file through HQ's intake: HQ cannot read it (it is encrypted to the "
                                  "counterpart) and the counterpart receives it at its next sync. HQ's address must "
                                  "be set."))
        self.close_button.setText(_("Close"))
        language = active_language()
        for index in range(self.profile.count()):
            profile = self.profiles.get(self.profile.itemData(index))
            if profile is not None:
                self.profile.setItemText(index, profile.name(language))

    # --- loading and preview (worker thread) --------------------------------------------------------------------
    def _load(self) -> Task:
        sharing = self.sharing

        def work() -> tuple[list[Counterpart], dict[str, RedactionProfile], Path, bool]:
            return sharing.counterparts(), sharing.profiles(), sharing.default_folder(), sharing.relay_configured()

        return self._tasks.track(self.runner.run(work, on_done=self._loaded, on_error=self._failed))

    def _loaded(self, loaded: tuple[list[Counterpart], dict[str, RedactionProfile], Path, bool]) -> None:
        counterparts, profiles, folder, self.relay_configured = loaded
        language = active_language()
        self.profiles = profiles
        for c in counterparts:
            if c.active:
                name = c.card.names.get(language) or c.card.names.get("en", "")
                self.counterpart.addItem(f"{name} ({c.post_code})" if name else c.post_code, c.post_code)
        self.profile.blockSignals(True)
        for code, profile in sorted(profiles.items(), key=lambda kv: (not kv[1].default, kv[0])):
            self.profile.addItem(profile.name(language), code)
        self.profile.blockSignals(False)
        self.target_row.set_default(folder)
        if self.counterpart.count() == 0:
            self.status.setText(_("This post is not paired with any counterpart post yet; an administrator adds "
                                  "the counterpart's card first."))
        self.refresh_preview()

    def _set_sendable(self, enabled: bool) -> None:
        self.send.setEnabled(enabled)
        self.send_hq.setEnabled(enabled and self.relay_configured)

    def refresh_preview(self, *_args) -> Task | None:
        code = self.profile.currentData()
        if not code:
            return None
        profile = self.profiles.get(code)
        needs = profile is not None and profile.needs_legal_basis
        self.reason.setEnabled(True)
        self.legal_basis.setEnabled(needs)
        sharing, references, language = self.sharing, self.references, active_language()
        self._set_sendable(False)
        return self._tasks.track(self.runner.run(lambda: sharing.share_preview(references=references, profile=code,
                                                                         language=language),
                                           on_done=self._previewed, on_error=self._failed))

    def _previewed(self, cases: list[SharePreview]) -> None:
        notice = mask_notice(cases)
        self.mask_notice.setText(notice)
        self.mask_notice.setVisible(bool(notice))
        self.preview_shown = preview_text(cases, notice=False)  # the notice is the label above
        self.preview.setPlainText(self.preview_shown)
        self._set_sendable(self.counterpart.count() > 0 and self.task is None)

    # --- sharing (worker thread) -----------------------------------------------------------------------------
    def run_share(self, via_hq: bool = False) -> Task | None:
        """Write the share and its cover letter; `via_hq`: then hand the file to HQ's relay too. A relay that fails
        leaves the written file to be carried by stick, and says why."""
        if self.task is not None or self.counterpart.count() == 0:
            return None
        sharing, references = self.sharing, self.references
        to, profile = str(self.counterpart.currentData()), str(self.profile.currentData())
        # a legal basis typed under the operational profile and left in the greyed field is not sent with another
        reason = self.reason.text().strip()
        legal_basis = self.legal_basis.text().strip() if self.legal_basis.isEnabled() else ""
        target, language = Path(self.target.text().strip()), active_language()

        def work() -> tuple[ShareResult, Path, RelayedShare | None, DomainError | None]:
            result = sharing.share(references=references, to=to, profile=profile, reason=reason,
                                   legal_basis=legal_basis, out=target)
            remember_written(result.path)  # the next share offers this folder (the stick), even after a restart
            letter = sharing.cover_letter(message_id=result.id, path=Path(result.path).with_suffix(".letter.pdf"),
                                          language=language)
            return result, letter, *relay_if_asked(sharing, Path(result.path), via_hq)

        self._set_sendable(False)
        self.status.setText(_("Sharing…"))
        self.task = self._tasks.track(self.runner.run(work, on_done=self._shared, on_error=self._failed))
        self.task.ended.connect(self._ended)
        return self.task

    def _ended(self) -> None:
        self.task = None

    def _shared(self, done: tuple[ShareResult, Path, RelayedShare | None, DomainError | None]) -> None:
        result, letter, relayed, refused = done
        self.shared, self.relayed = result, relayed
        # the whole check code, grouped as the cover letter prints it and the counterpart's import shows it
        text = _("Shared with post {post}: {path}. Cover letter: {letter}. Check code: {code}").format(
            post=self.counterpart.currentText() or result.peer, path=result.path, letter=letter,
            code=check_code(result.sha256))
        outcome = relay_outcome(result.peer, relayed, refused)
        self.status.say(f"{text}\n{outcome}" if outcome else text, files=(result.path, letter))

    def _failed(self, exc: BaseException) -> None:
        self._set_sendable(self.counterpart.count() > 0)
        self.status.setText(exc.translated() if isinstance(exc, DomainError) else _(
            "Something went wrong: {reason}").format(reason=str(exc)))
