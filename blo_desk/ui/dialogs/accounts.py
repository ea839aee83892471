"""Dialogs about accounts and settings: the Settings dialog, changing one's password, and the admin's users."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from blo_desk.config import LANGUAGES
from blo_desk.domain.errors import AccountExistsError, DomainError, InvalidCredentialsError, WeakPasswordError
from blo_desk.domain.permissions import ACCOUNT_ROLES, Role
from blo_desk.i18n import LANGUAGE_NAMES, _, active_language, ngettext, translator
from blo_desk.ui.dialogs.common import button_row, confirm, record_table, translate_buttons
from blo_desk.ui.forms import CodeCombo, ErrorLine, under_field
from blo_desk.ui.reference import ReferenceData
from blo_desk.ui.screen_fit import fit_to_content, fit_to_screen, fitted_size
from blo_desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from blo_desk.domain.accounts import UnknownLogin, UserInfo
    from blo_desk.ports import PasswordRules, UsersPort

ERROR_STYLE = "color: #b00020;"


def _error_label(name: str) -> QLabel:
    label = ErrorLine(name)
    label.setStyleSheet(ERROR_STYLE)
    return label


def _message(exc: BaseException) -> str:
    if isinstance(exc, DomainError):
        return exc.translated()
    return _("Something went wrong: {reason}").format(reason=str(exc))


class _FieldsDialog(QDialog):
    """A form of line edits, each with its error label under it, and OK / Cancel."""

    def __init__(self, parent: QWidget, *, name: str, title: str, fields: list[tuple[str, str, bool]]) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        for key, label_text, secret in fields:
            edit = QLineEdit()
            edit.setObjectName(f"{name}_{key}")
            if secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
            error = _error_label(f"{name}Error_{key}")
            label = QLabel(label_text)
            label.setBuddy(edit)
            self.form.addRow(label, under_field(edit, error))
            self.fields[key], self.errors[key] = edit, error
            edit.textEdited.connect(lambda _t, k=key: self.errors[k].clear())
        self.general = _error_label(f"{name}Error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        translate_buttons(self.buttons)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.general)
        layout.addWidget(self.buttons)
        self.busy = False
        self._fitted = False  # sized from its content when first shown
        self._on_done: Callable[[], None] = lambda: None  # what the caller runs once the change is saved

    def choice_row(self, row: int, label_text: str, widget: QWidget, name: str) -> QLabel:
        """A row of a drop-down at `row` (-1: the end), its error line under it like every field's; the line."""
        error = _error_label(name)
        label = QLabel(label_text)
        label.setBuddy(widget)
        self.form.insertRow(row, label, under_field(widget, error))
        return error

    def fit_content(self) -> None:
        """Size the dialog from its labels, fields and hints in the language shown, within the screen (call once
        the subclass has set its rows and placeholders)."""
        for edit in self.fields.values():
            _room_for_placeholder(edit)
        fit_to_content(self, width=360)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        if not self._fitted:
            self._fitted = True
            self.fit_content()
        super().showEvent(event)

    def clear_errors(self) -> None:
        for label in (*self.errors.values(), self.general):
            label.clear()

    def field_error(self, key: str, text: str) -> None:
        self.errors[key].setText(text)
        self.fields[key].setFocus()
        self.room_for_messages()

    def room_for_messages(self) -> None:
        """Grow the dialog down (within the screen) when a message wraps to more lines than it has room for: a
        top-level window does not grow for word-wrapped labels by itself, and the message was cut top and bottom."""
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else self.sizeHint().height()
        if need > self.height():
            self.resize(fitted_size(self, self.width(), need))

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not busy)

    def _ok(self) -> None:  # pragma: no cover - overridden
        self.accept()

    def _saved(self, _result: object = None) -> None:
        """The worker finished the dialog's change: close, and let the caller refresh (its `_on_done`)."""
        self.set_busy(False)
        self.accept()
        self._on_done()


def _room_for_placeholder(edit: QLineEdit) -> None:
    """A line edit at least as wide as its hint ("at least 10 characters", "as written on paper, e.g. Major"), so
    the hint is read whole in every language."""
    text = edit.placeholderText()
    if text:
        margins = edit.textMargins()
        # the frame and the text's own padding (about 2 x 6 px in the styles we ship) besides the text itself
        edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(text) + margins.left() + margins.right() + 16)


def check_new_password(dialog: _FieldsDialog, policy: PasswordRules, new_key: str = "new", repeat_key: str = "repeat") -> bool:
    new, repeat = dialog.fields[new_key].text(), dialog.fields[repeat_key].text()
    try:
        policy.check_password(new)
    except WeakPasswordError as exc:
        dialog.field_error(new_key, exc.translated())
        return False
    if new != repeat:
        dialog.field_error(repeat_key, _("The two passwords differ."))
        return False
    return True


class PasswordDialog(_FieldsDialog):
    """The logged-in user changes their own password (the old one is asked again)."""

    def __init__(self, parent: QWidget, *, runner: TaskRunner, policy: PasswordRules,
                 change: Callable[[str, str], None],
                 on_done: Callable[[], None]) -> None:
        super().__init__(parent, name="passwordDialog", title=_("Change password"),
                         fields=[("old", _("Current password:"), True), ("new", _("New password:"), True),
                                 ("repeat", _("New password again:"), True)])
        self._runner, self._policy, self._change, self._on_done = runner, policy, change, on_done
        self.fields["new"].setPlaceholderText(_("at least {count} characters").format(count=policy.min_length))

    def _ok(self) -> None:
        if self.busy:
            return
        self.clear_errors()
        if not check_new_password(self, self._policy):
            return
        old, new = self.fields["old"].text(), self.fields["new"].text()
        change = self._change
        self.set_busy(True)
        self._runner.run(lambda: change(old, new), on_done=self._saved, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        if isinstance(exc, InvalidCredentialsError):
            self.field_error("old", _("The current password is not right."))
        elif isinstance(exc, WeakPasswordError):
            self.field_error("new", exc.translated())
        else:
            self.general.setText(_message(exc))
            self.room_for_messages()


class RecoverDialog(_FieldsDialog):
    """A forgotten administrator password: the code from the recovery sheet, the administrator, a new password.

    `recover(code, new_password, administrator)` runs on a worker and returns the administrator's Principal;
    `on_recovered(principal)` then opens the desk. The administrator may be typed; left empty, the service takes the
    only one, and with several it names them (RecoveryChoiceError): the list then offers them to choose from.
    Wrong codes are refused (and counted toward a lock-out) by the service; every use is audited there."""

    def __init__(self, parent: QWidget, *, runner: TaskRunner, policy: PasswordRules,
                 recover: Callable[[str, str, str], object], on_recovered: Callable[[object], None]) -> None:
        super().__init__(parent, name="recoverDialog", title=_("Forgot the administrator password?"),
                         fields=[("code", _("Recovery code:"), False), ("new", _("New password:"), True),
                                 ("repeat", _("New password again:"), True)])
        self._runner, self._policy, self._recover, self._on_recovered = runner, policy, recover, on_recovered
        self.intro = QLabel(_("Type the code from the recovery sheet kept in the post's safe, and a new password "
                              "for the administrator. Each use is recorded and reported to HQ."))
        self.intro.setWordWrap(True)
        self.form.insertRow(0, self.intro)
        self.fields["code"].setPlaceholderText("XXXXX-XXXXX-XXXXX-XXXXX-XXXXX-XXXXX")
        self.fields["new"].setPlaceholderText(_("at least {count} characters").format(count=policy.min_length))
        # Which administrator gets the new password: typed, or chosen once the code showed who they are.
        self.admin = QComboBox()
        self.admin.setObjectName("recoverDialog_admin")
        self.admin.setEditable(True)
        self.admin.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        admin_edit = self.admin.lineEdit()
        assert admin_edit is not None  # an editable combo has one
        admin_edit.setPlaceholderText(_("its username; empty when there is only one"))
        error = self.choice_row(2, _("&Administrator:"), self.admin, "recoverDialogError_admin")  # after the code
        self.fields["admin"], self.errors["admin"] = admin_edit, error
        admin_edit.textEdited.connect(lambda _t: error.clear())
        self.admin.currentIndexChanged.connect(lambda _i: error.clear())
        self.setMinimumWidth(540)  # the code (35 characters) and the hint under the administrator show whole

    def _ok(self) -> None:
        if self.busy:
            return
        self.clear_errors()
        if not self.fields["code"].text().strip():
            self.field_error("code", _("Type the recovery code."))
            return
        if not check_new_password(self, self._policy):
            return
        code, new = self.fields["code"].text(), self.fields["new"].text()
        administrator = self.admin.currentText().strip()
        recover = self._recover
        self.set_busy(True)
        self._runner.run(lambda: recover(code, new, administrator), on_done=self._recovered, on_error=self._failed)

    def _recovered(self, principal: object) -> None:
        self.set_busy(False)
        self.accept()
        self._on_recovered(principal)

    def _failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        from blo_desk.domain.errors import InvalidRecoveryCodeError, RecoveryAccountError, RecoveryChoiceError

        if isinstance(exc, InvalidRecoveryCodeError):
            self.field_error("code", exc.translated())
        elif isinstance(exc, RecoveryChoiceError):
            self.offer_administrators(exc.administrators)
            self.field_error("admin", exc.translated())
        elif isinstance(exc, RecoveryAccountError):
            self.field_error("admin", exc.translated())
        elif isinstance(exc, WeakPasswordError):
            self.field_error("new", exc.translated())
        else:
            self.general.setText(_message(exc))
            self.room_for_messages()

    def offer_administrators(self, names: tuple[str, ...]) -> None:
        """The administrators the code showed, to choose from (typing another name still works)."""
        self.admin.blockSignals(True)
        self.admin.clear()
        self.admin.addItems(list(names))
        self.admin.setCurrentIndex(-1)
        self.admin.blockSignals(False)


class SettingsDialog(QDialog):
    """Language of the program (remembered for the next start) and the crossing point of this office (admin)."""

    def __init__(self, parent: QWidget, *, reference: ReferenceData, post_code: str, may_change_post: bool,
                 on_accept: Callable[[str, str], None]) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self.setWindowTitle(_("Settings"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.language = QComboBox()
        self.language.setObjectName("settingsLanguage")
        for code in LANGUAGES:
            self.language.addItem(LANGUAGE_NAMES[code], code)
        self.language.setCurrentIndex(LANGUAGES.index(active_language()))
        self.post = CodeCombo(lambda: [(p.code, f"{reference.post_name(p.code)} ({p.code})")
                                       for p in reference.posts if p.active], blank=False)
        self.post.setObjectName("settingsPost")
        self.post.set_code(post_code)
        self.post.setEnabled(may_change_post)
        language_label = QLabel(_("&Language:"))
        language_label.setBuddy(self.language)
        post_label = QLabel(_("&Crossing point of this office:"))
        post_label.setBuddy(self.post)
        self.note = QLabel("" if may_change_post else _("Only an administrator changes the crossing point."))
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        translate_buttons(self.buttons)
        form = QFormLayout(self)
        form.addRow(language_label, self.language)
        form.addRow(post_label, self.post)
        form.addRow(self.note)
        form.addRow(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.accepted.connect(lambda: on_accept(self.language.currentData(), self.post.code()))
        self.resize(480, 160)


DEFAULT_AGENCY = "customs"  # what a new account's agency combo starts at


def _agency_combo(reference: ReferenceData, name: str) -> CodeCombo:
    combo = CodeCombo(lambda: [(i.code, reference.label("agency", i.code)) for i in reference.items("agency")
                               if i.active], blank=True)
    combo.setObjectName(name)
    return combo


def _profile_error(dialog: _FieldsDialog, exc: BaseException) -> bool:
    """Show an error about the full name or the rank under its field; False when it is about something else."""
    kind = type(exc).__name__
    if isinstance(exc, DomainError) and kind in ("InvalidFullNameError", "InvalidRankError"):
        dialog.field_error("full_name" if kind == "InvalidFullNameError" else "rank", exc.translated())
        return True
    return False


class AddUserDialog(_FieldsDialog):
    """An administrator adds a user: name, rank, role, post, agency, first password."""

    def __init__(self, parent: QWidget, *, runner: TaskRunner, users: UsersPort, reference: ReferenceData,
                 policy: PasswordRules, on_done: Callable[[], None], post_code: str = "") -> None:
        super().__init__(parent, name="addUserDialog", title=_("Add a user"),
                         fields=[("username", _("Username:"), False), ("full_name", _("Full name:"), False),
                                 ("rank", _("Rank or position:"), False),
                                 ("new", _("Password:"), True), ("repeat", _("Password again:"), True)])
        self._runner, self._users, self._policy, self._on_done = runner, users, policy, on_done
        self.role = QComboBox()
        self.role.setObjectName("addUserDialog_role")
        for role in ACCOUNT_ROLES:
            self.role.addItem(role.label, str(role))
        self.post = CodeCombo(lambda: [(p.code, f"{reference.post_name(p.code)} ({p.code})")
                                       for p in reference.posts if p.active], blank=True)
        self.post.setObjectName("addUserDialog_post")
        self.post.set_code(post_code)  # the administrator's own post: most users work where they do
        self.agency = _agency_combo(reference, "addUserDialog_agency")
        self.agency.set_code(DEFAULT_AGENCY)
        # every drop-down has its message's line under it, wrapped to its width, like every field's message
        self.role_error = self.choice_row(3, _("Role:"), self.role, "addUserDialogError_role")
        self.post_error = self.choice_row(4, _("Crossing point:"), self.post, "addUserDialogError_post")
        self.agency_error = self.choice_row(5, _("Agency:"), self.agency, "addUserDialogError_agency")
        self.fields["rank"].setPlaceholderText(_("as written on paper, e.g. Major"))
        # Tab follows the rows as seen: rank, role, post and agency sit between the name and the password.
        chain = [self.fields["username"], self.fields["full_name"], self.fields["rank"], self.role, self.post,
                 self.agency, self.fields["new"], self.fields["repeat"]]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.fields["new"].setPlaceholderText(_("at least {count} characters").format(count=policy.min_length))
        self.post.code_changed.connect(lambda _c: self.post_error.clear())

    def clear_errors(self) -> None:
        super().clear_errors()
        for line in (self.role_error, self.post_error, self.agency_error):
            line.clear()

    def _ok(self) -> None:
        if self.busy:
            return
        self.clear_errors()
        username = self.fields["username"].text().strip().lower()
        if not username:
            self.field_error("username", _("Give a username."))
            return
        if not check_new_password(self, self._policy):
            return
        users = self._users
        values = dict(username=username, password=self.fields["new"].text(), role=self.role.currentData(),
                      post_code=self.post.code(), full_name=self.fields["full_name"].text().strip(),
                      rank=self.fields["rank"].text().strip(), agency=self.agency.code())
        self.set_busy(True)
        self._runner.run(lambda: users.add_user(**values), on_done=self._saved, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        if isinstance(exc, DomainError) and (isinstance(exc, AccountExistsError)
                                             or type(exc).__name__ == "InvalidUsernameError"):
            self.field_error("username", exc.translated())
        elif isinstance(exc, WeakPasswordError):
            self.field_error("new", exc.translated())
        elif isinstance(exc, DomainError) and type(exc).__name__ == "PostRequiredError":
            self.post_error.setText(exc.translated())
            self.room_for_messages()
            self.post.setFocus()
        elif not _profile_error(self, exc):
            self.general.setText(_message(exc))
            self.room_for_messages()


class EditUserDialog(_FieldsDialog):
    """An administrator corrects a user's full name, rank and agency (e.g. after a promotion)."""

    def __init__(self, parent: QWidget, *, runner: TaskRunner, users: UsersPort, reference: ReferenceData,
                 user: UserInfo, on_done: Callable[[], None]) -> None:
        super().__init__(parent, name="editUserDialog",
                         title=_("Change {username}").format(username=user.username),
                         fields=[("full_name", _("Full name:"), False), ("rank", _("Rank or position:"), False)])
        self._runner, self._users, self._username, self._on_done = runner, users, user.username, on_done
        self.agency = _agency_combo(reference, "editUserDialog_agency")
        self.agency.set_code(user.agency)
        self.agency_error = self.choice_row(-1, _("Agency:"), self.agency, "editUserDialogError_agency")
        self.fields["full_name"].setText(user.full_name)
        self.fields["rank"].setText(user.rank)
        self.fields["rank"].setPlaceholderText(_("as written on paper, e.g. Major"))

    def _ok(self) -> None:
        if self.busy:
            return
        self.clear_errors()
        users = self._users
        values = dict(username=self._username, full_name=self.fields["full_name"].text().strip(),
                      rank=self.fields["rank"].text().strip(), agency=self.agency.code())
        self.set_busy(True)
        self._runner.run(lambda: users.update_user(**values), on_done=self._saved, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        if not _profile_error(self, exc):
            self.general.setText(_message(exc))
            self.room_for_messages()


class ResetPasswordDialog(_FieldsDialog):
    """An administrator sets a new password for a user who forgot theirs (the account is unlocked too)."""

    def __init__(self, parent: QWidget, *, runner: TaskRunner, users: UsersPort, username: str,
                 policy: PasswordRules, on_done: Callable[[], None]) -> None:
        super().__init__(parent, name="resetPasswordDialog",
                         title=_("New password for {username}").format(username=username),
                         fields=[("new", _("New password:"), True), ("repeat", _("New password again:"), True)])
        self._runner, self._users, self._username, self._policy, self._on_done = runner, users, username, policy, on_done

    def _ok(self) -> None:
        if self.busy:
            return
        self.clear_errors()
        if not check_new_password(self, self._policy):
            return
        users, username, password = self._users, self._username, self.fields["new"].text()
        self.set_busy(True)
        self._runner.run(lambda: users.reset_password(username=username, new_password=password),
                         on_done=self._saved, on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        if isinstance(exc, WeakPasswordError):
            self.field_error("new", exc.translated())
        else:
            self.general.setText(_message(exc))
            self.room_for_messages()




class UsersDialog(QDialog):
    """The administrator's list of users: add, change name, rank and agency, reset a password, unlock, remove."""

    def __init__(self, parent: QWidget, *, runner: TaskRunner, users: UsersPort, reference: ReferenceData,
                 policy: PasswordRules, me: str, post_code: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("usersDialog")
        self.setWindowTitle(_("Users"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._runner, self._users, self._reference, self._policy, self._me = runner, users, reference, policy, me
        self._post_code = post_code  # the administrator's post: a new user's crossing point by default
        self.rows: list[UserInfo] = []
        self.table = record_table("usersTable", [_("Username"), _("Full name"), _("Rank or position"), _("Agency"),
                                                 _("Role"), _("Crossing point"), _("State"), _("Last login")])
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        row, self.buttons = button_row(self, "users", [
            ("add", _("&Add…")), ("edit", _("&Change…")), ("reset", _("&Reset password…")), ("unlock", _("U&nlock")),
            ("remove", _("Re&move…"))])
        self.message = QLabel()
        self.message.setObjectName("usersMessage")
        self.message.setWordWrap(True)
        self.unknown = QLabel()  # usernames nobody has that were tried (from the audit trail)
        self.unknown.setObjectName("usersUnknown")
        self.unknown.setWordWrap(True)
        layout = self.box = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.unknown)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.buttons["add"].clicked.connect(self.add)
        self.buttons["edit"].clicked.connect(self.edit)
        self.buttons["reset"].clicked.connect(self.reset)
        self.buttons["unlock"].clicked.connect(self.unlock)
        self.buttons["remove"].clicked.connect(self.remove)
        self.table.itemSelectionChanged.connect(self._selection)
        fit_to_screen(self, max(820, row.sizeHint().width() + 24), 420)
        self.reload()

    def reload(self) -> None:
        users = self._users
        self._runner.run(lambda: (users.list_users(), users.unknown_logins()), on_done=self._listed,
                         on_error=self._failed)

    def _listed(self, found: tuple[list[UserInfo], list[UnknownLogin]]) -> None:
        rows, unknown = found
        self.rows = list(rows)
        self.unknown.setText(_("Unknown usernames tried: {names}").format(names=", ".join(
            _("{name} ({count})").format(name=u.username, count=u.attempts) for u in unknown)) if unknown else "")
        t = translator()
        self.table.setRowCount(len(self.rows))
        for index, user in enumerate(self.rows):
            if user.locked_until is not None:
                state = _("locked until {time}").format(time=t.format_datetime(user.locked_until, "short"))
            else:
                state = _("active") if user.active else _("removed")
            if user.failed_logins:
                state = _("{state}, {failed}").format(state=state, failed=ngettext(
                    "{count} failed login", "{count} failed logins", user.failed_logins).format(
                    count=user.failed_logins))
            values = (user.username, user.full_name, user.rank,
                      self._reference.label("agency", user.agency) if user.agency else "", Role(user.role).label,
                      self._reference.post_name(user.post_code) if user.post_code else "", state,
                      t.format_datetime(user.last_login_at, "short") if user.last_login_at else "")
            for column, text in enumerate(values):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self._selection()
        self._fit_table()

    def _fit_table(self) -> None:
        """Widen the dialog (within the screen) until every column shows its longest text whole."""
        table, header = self.table, self.table.horizontalHeader()
        columns = sum(max(header.sectionSizeHint(c), table.sizeHintForColumn(c)) for c in range(table.columnCount()))
        margins = self.contentsMargins() + self.box.contentsMargins()
        need = (columns + 2 * table.frameWidth() + table.verticalScrollBar().sizeHint().width() + margins.left()
                + margins.right() + 4)
        if need > self.width():
            fit_to_screen(self, need, self.height())

    def selected(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _selection(self) -> None:
        user = self.selected()
        for key in ("edit", "reset", "unlock", "remove"):
            self.buttons[key].setEnabled(user is not None)
        if user is not None and user.username == self._me:
            self.buttons["remove"].setEnabled(False)

    def _failed(self, exc: BaseException) -> None:
        self.message.setText(_message(exc))

    def _done(self, text: str) -> None:
        self.message.setText(text)
        self.reload()

    def add(self) -> None:
        self.add_dialog = AddUserDialog(self, runner=self._runner, users=self._users, reference=self._reference,
                                        policy=self._policy, on_done=lambda: self._done(_("User added.")),
                                        post_code=self._post_code)
        self.add_dialog.open()

    def edit(self) -> None:
        user = self.selected()
        if user is None:
            return
        self.edit_dialog = EditUserDialog(self, runner=self._runner, users=self._users, reference=self._reference,
                                          user=user, on_done=lambda: self._done(_("User changed.")))
        self.edit_dialog.open()

    def reset(self) -> None:
        user = self.selected()
        if user is None:
            return
        self.reset_dialog = ResetPasswordDialog(self, runner=self._runner, users=self._users, username=user.username,
                                                policy=self._policy,
                                                on_done=lambda: self._done(_("Password changed.")))
        self.reset_dialog.open()

    def unlock(self) -> None:
        user = self.selected()
        if user is None:
            return
        users, name = self._users, user.username
        self._runner.run(lambda: users.unlock(username=name),
                         on_done=lambda _r: self._done(_("{username} is unlocked.").format(username=name)),
                         on_error=self._failed)

    def remove(self) -> None:
        user = self.selected()
        if user is None:
            return
        users, name = self._users, user.username

        def really() -> None:
            self._runner.run(lambda: users.remove_user(username=name),
                             on_done=lambda _r: self._done(_("{username} was removed.").format(username=name)),
                             on_error=self._failed)

        self.remove_box = confirm(self, title=_("Remove user"),
                                  text=_("Remove {username}? Their password will no longer open the store.").format(
                                      username=name),
                                  accept_text=_("Remove"), on_accept=really)

