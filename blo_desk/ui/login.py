"""The login screen: language switch, username and password, translated errors; the first window on screen."""

from __future__ import annotations

# No `Qt` namespace here: its first use builds ~100 Python enums (about 11 ms), so it waits until after the
# first paint (LoginWindow.finish_setup); the login window is the first thing on screen.
from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from blo_desk.config import LANGUAGES
from blo_desk.i18n import LANGUAGE_NAMES, _, active_language
from blo_desk.ui.screen_fit import fit_to_screen

ERROR_STYLE = "color: #b00020;"
NOTE_STYLE = "color: #1b5e20;"  # news that is no error (a backup restored): green, not the errors' red


class LanguageBar(QWidget):
    """Three buttons, each language named in itself; clicking one switches the whole interface at once."""

    chosen = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("languageBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addStretch(1)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QPushButton] = {}
        for code in LANGUAGES:
            button = QPushButton(LANGUAGE_NAMES[code])  # names of languages are shown in their own language
            button.setObjectName(f"language_{code}")
            button.setCheckable(True)
            button.setFlat(True)
            button.clicked.connect(lambda _checked=False, c=code: self.chosen.emit(c))
            self.group.addButton(button)
            self.buttons[code] = button
            layout.addWidget(button)
        self.sync()

    def finish_setup(self) -> None:
        """After the first paint: the language buttons take the focus from Tab only, not from a click."""
        from PySide6.QtCore import Qt

        for button in self.buttons.values():
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)

    def sync(self) -> None:
        current = self.buttons.get(active_language())
        if current is not None:
            current.setChecked(True)


class LoginWindow(QWidget):
    """Asks for a username and a password; the start-up flow checks them off the GUI thread."""

    submitted = Signal(str, str)  # username, password
    forgot = Signal()  # "Forgot the administrator password?": the recovery code
    first_painted = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("loginWindow")
        self.languages = LanguageBar()
        self.title = QLabel()
        self.title.setObjectName("loginTitle")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        self.username = QLineEdit()
        self.username.setObjectName("loginUser")
        self.username.setMaxLength(64)
        self.password = QLineEdit()
        self.password.setObjectName("loginPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.user_label = QLabel()
        self.user_label.setBuddy(self.username)
        self.password_label = QLabel()
        self.password_label.setBuddy(self.password)
        self.error = QLabel()
        self.error.setObjectName("loginError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.status = QLabel()
        self.status.setObjectName("loginStatus")
        self.button = QPushButton()
        self.button.setObjectName("loginButton")
        self.button.setDefault(True)
        self.button.setAutoDefault(True)
        self.forgot_button = QPushButton()
        self.forgot_button.setObjectName("forgotButton")
        self.forgot_button.setFlat(True)
        self.forgot_button.clicked.connect(self.forgot.emit)

        form = QFormLayout()
        form.addRow(self.user_label, self.username)
        form.addRow(self.password_label, self.password)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.button)
        box = QVBoxLayout()
        box.addWidget(self.languages)
        box.addSpacing(12)
        box.addWidget(self.title)
        box.addWidget(self.subtitle)
        box.addSpacing(12)
        box.addLayout(form)
        box.addWidget(self.error)
        box.addLayout(buttons)
        box.addWidget(self.forgot_button)
        box.addStretch(1)
        panel = QWidget()
        panel.setObjectName("loginPanel")
        panel.setLayout(box)
        panel.setMaximumWidth(520)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 3)
        outer.addStretch(1)

        self.button.clicked.connect(self._submit)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)
        self.username.textEdited.connect(lambda _t: self.error.clear())
        self.password.textEdited.connect(lambda _t: self.error.clear())
        self._painted = False
        self._busy = False
        self._error_text = None  # (msgid-producing callable) so that a shown error follows a language switch
        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.button)
        self.fit()
        self.set_busy(True, waiting=True)
        self.retranslate()

    # --- state -------------------------------------------------------------------------------------

    def fit(self) -> None:
        """Its own size (or less), placed whole on the available screen: at start, and again after a log-out."""
        fit_to_screen(self, 900, 560)
    def set_busy(self, busy: bool, *, waiting: bool = False) -> None:
        """While the password is checked (or the store is looked at) the form cannot be sent again."""
        self._busy = busy
        self._waiting = waiting
        self.button.setEnabled(not busy)
        self.username.setReadOnly(busy and not waiting)
        self.password.setReadOnly(busy and not waiting)
        self._show_status()

    def _show_status(self) -> None:
        if not self._busy:
            self.status.clear()
        elif self._waiting:
            self.status.setText(_("Opening…"))
        else:
            self.status.setText(_("Checking the password…"))

    def show_error(self, text_of) -> None:
        """`text_of`: a callable giving the message in the active language (called again after a language switch)."""
        self._show_message(text_of, ERROR_STYLE)

    def show_note(self, text_of) -> None:
        """Like show_error, for news that is no error (in green): "The backup of … is restored. Log in…"."""
        self._show_message(text_of, NOTE_STYLE)

    def _show_message(self, text_of, style: str) -> None:
        self.error.setStyleSheet(style)
        self._error_text = text_of
        self.error.setText(text_of() if text_of else "")
        self.set_busy(False)
        self.password.selectAll()
        self.password.setFocus()

    def _submit(self) -> None:
        if self._busy:
            return
        username = self.username.text().strip()
        if not username:
            self.show_error(lambda: _("Type your username."))
            self.username.setFocus()
            return
        if not self.password.text():
            self.show_error(lambda: _("Type your password."))
            return
        self._error_text = None
        self.error.clear()
        self.set_busy(True)
        self.submitted.emit(username, self.password.text())

    # --- language ------------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.setWindowTitle(_("BLO Desk — log in"))
        self.title.setText(_("BLO Desk"))
        self.subtitle.setText(_("Seizure case logger for Border Liaison Offices. Log in to open the case store."))
        self.user_label.setText(_("&Username:"))
        self.password_label.setText(_("&Password:"))
        self.button.setText(_("&Log in"))
        self.forgot_button.setText(_("Forgot the administrator password?"))
        if self._error_text is not None:
            self.error.setText(self._error_text())
        self._show_status()
        self.languages.sync()

    # --- Qt events -------------------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()
            QTimer.singleShot(0, self.languages.finish_setup)
