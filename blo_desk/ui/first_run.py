"""The first-run wizard: language, crossing point, first administrator, the post's key, first officer and supervisor,
demo data."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from blo_desk.config import LANGUAGES
from blo_desk.domain.entities import Post
from blo_desk.domain.errors import AccountExistsError, DomainError, WeakPasswordError
from blo_desk.i18n import LANGUAGE_NAMES, _, active_language
from blo_desk.ui.backend import Session
from blo_desk.ui.forms import CodeCombo
from blo_desk.ui.reference import POST_SETTING
from blo_desk.ui.screen_fit import fit_to_screen, scrolling
from blo_desk.ui.tasks import TaskRunner
from blo_desk.ui.widgets.code_label import GroupedCodeLabel, code_font
from blo_desk.ui.widgets.whole_text import ResultNote

if TYPE_CHECKING:
    from blo_desk.domain.permissions import Principal
    from blo_desk.domain.sync import PostIdentity
    from blo_desk.ports import AccountsPort, LoadDemo

PAGE_LANGUAGE, PAGE_POST, PAGE_ADMIN, PAGE_KEY, PAGE_PEOPLE, PAGE_DEMO = range(6)
#: The accounts the wizard offers to create besides the administrator (who does not work with cases).
PEOPLE_ROLES = ("officer", "supervisor")
PEOPLE_KEYS = ("username", "full_name", "password", "repeat")
# The shape of a post code (as the sync bundle format requires it); the service checks it again.
POST_CODE_RE = re.compile(r"^[A-Z]{2}-[A-Z0-9]{2,12}$")
ERROR_STYLE = "color: #b00020;"


def grouped(key_id: str) -> str:
    """A key id in groups of four, to be read out over the telephone: 'A1B2 C3D4 E5F6 0718'."""
    return " ".join(key_id[i:i + 4] for i in range(0, len(key_id), 4))


def _error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    # An empty message keeps its line, so the fields below do not move when a live message comes and goes.
    label.setMinimumHeight(label.fontMetrics().lineSpacing())
    return label


def _field_row(form: QFormLayout, key: str, *, edit_name: str, error_name: str) -> tuple[QLineEdit, QLabel, QLabel]:
    """One row of an account form: its label, the field (hidden typing for a password) and its error line under
    it; returns (field, label, error)."""
    edit = QLineEdit()
    edit.setObjectName(edit_name)
    if key in ("password", "repeat"):
        edit.setEchoMode(QLineEdit.EchoMode.Password)
    label = QLabel()
    label.setBuddy(edit)
    error = _error_label(error_name)
    cell = QVBoxLayout()
    cell.setSpacing(2)
    cell.addWidget(edit)
    cell.addWidget(error)
    form.addRow(label, cell)
    return edit, label, error


@dataclass
class Installed:
    """What set-up made: the administrator, the post's identity, its public key file, the recovery code and sheet."""

    principal: Principal
    identity: PostIdentity
    public_file: str
    recovery_code: str = ""  # '' on a store without encryption (tests), which has no recovery key
    recovery_sheet: bytes = b""


def set_up_installation(accounts: AccountsPort, *, principal: Principal | None, username: str, password: str,
                        full_name: str, post_code: str, new_post_name: str) -> Installed:
    """Worker-thread function: the first admin (creates the encrypted store and its recovery code), the post and
    its signing key."""
    code, sheet = "", b""
    created = principal is None
    if principal is None:
        principal = accounts.create_first_admin(username=username, password=password, full_name=full_name,
                                                post_code=post_code)
    services = accounts.open_services()
    try:
        if created:
            try:
                code = services.users.create_recovery_code()
            except DomainError:
                code = ""  # a store kept unencrypted (tests, benchmarks) has no recovery key
        if new_post_name:  # a crossing point that is not in the shipped list
            services.reference.save_post(post=Post(code=post_code, country=post_code[:2], name_uz=new_post_name,
                                                   name_ru=new_post_name, name_en=new_post_name))
        identity = services.sync.identity()
        if identity is None:
            identity = services.sync.set_up_post(post_code=post_code)
        services.reference.set_setting(key=POST_SETTING, value=identity.post_code)
        if code:  # made once the post is set up, so that the sheet names it (it said "Post: -")
            sheet = services.users.recovery_sheet(code=code, language=active_language())
        public_file = services.sync.export_public_key(folder=services.settings.data_dir / "keys")
    finally:
        services.close()
    return Installed(principal, identity, str(public_file), code, sheet)


class FirstRunWizard(QWidget):
    """Shown when the store has no user yet; `finished(principal)` once the admin exists and the post has its key."""

    finished = Signal(object)  # the Principal of the new administrator
    restored = Signal(str)  # a backup was restored into the data folder (its date): log in to it instead
    language_chosen = Signal(str)
    first_painted = Signal()

    def __init__(self, *, accounts: AccountsPort, runner: TaskRunner, posts: Callable[[], list[Post]],
                 load_demo: LoadDemo, parent: QWidget | None = None,
                 restore: Callable[[Path, Path | None, Callable[[int, int], None]], str] | None = None) -> None:
        super().__init__(parent)
        self._restore = restore
        self.recovery_code = ""
        self.recovery_sheet = b""
        self.setObjectName("firstRunWizard")
        self.accounts = accounts
        self.runner = runner
        self._posts_source = posts
        self._load_demo = load_demo
        self.posts: list[Post] = []
        self.principal: Principal | None = None
        self.identity: PostIdentity | None = None
        self.public_file = ""
        self._busy = False
        self._painted = False

        self.heading = QLabel()
        self.heading.setObjectName("wizardHeading")
        font = QFont(self.heading.font())
        font.setPointSize(font.pointSize() + 5)
        font.setBold(True)
        self.heading.setFont(font)
        self.step = QLabel()
        self.step.setObjectName("wizardStep")
        self.stack = QStackedWidget()
        self.back_button = QPushButton()
        self.back_button.setObjectName("wizardBack")
        self.next_button = QPushButton()
        self.next_button.setObjectName("wizardNext")
        self.next_button.setDefault(True)
        self.next_button.setAutoDefault(True)
        self.status = ResultNote("wizardStatus")

        self._build_language_page()
        self._build_post_page()
        self._build_admin_page()
        self._build_key_page()
        self._build_people_page()
        self._build_demo_page()

        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        box = QVBoxLayout()
        box.addWidget(self.step)
        box.addWidget(self.heading)
        box.addWidget(self.stack, 1)
        box.addLayout(buttons)
        panel = QWidget()
        panel.setLayout(box)
        panel.setMaximumWidth(720)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(panel, 4)
        outer.addStretch(1)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        fit_to_screen(self, 900, 600)
        self.retranslate()
        self._page_changed()

    # --- pages ---------------------------------------------------------------------------------------
    def _page(self) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        # Each page scrolls down on its own when it is long (Back and Next stay in sight), never sideways: every
        # page is made to fit the width (texts wrap, labels stand above fields), so nothing hides past the edge.
        area = scrolling(page)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stack.addWidget(area)
        return page, layout

    def _build_language_page(self) -> None:
        _page, layout = self._page()
        self.language_intro = QLabel()
        self.language_intro.setWordWrap(True)
        layout.addWidget(self.language_intro)
        self.language_buttons: dict[str, QRadioButton] = {}
        for code in LANGUAGES:
            button = QRadioButton(LANGUAGE_NAMES[code])  # each language named in itself
            button.setObjectName(f"wizardLanguage_{code}")
            button.toggled.connect(lambda on, c=code: self.language_chosen.emit(c) if on else None)
            self.language_buttons[code] = button
            layout.addWidget(button)
        self.language_buttons[active_language()].setChecked(True)
        layout.addSpacing(16)
        self.restore_intro = QLabel()
        self.restore_intro.setWordWrap(True)
        self.restore_button = QPushButton()
        self.restore_button.setObjectName("wizardRestore")
        self.restore_button.clicked.connect(lambda: self.choose_backup())  # not clicked(bool) as a path
        self.restore_button.setVisible(self._restore is not None)
        self.restore_intro.setVisible(self._restore is not None)
        self.restore_error = _error_label("wizardRestoreError")
        row = QHBoxLayout()
        row.addWidget(self.restore_button)
        row.addStretch(1)
        layout.addWidget(self.restore_intro)
        layout.addLayout(row)
        layout.addWidget(self.restore_error)

    def _build_post_page(self) -> None:
        _page, layout = self._page()
        self.post_intro = QLabel()
        self.post_intro.setWordWrap(True)
        self.post_from_list = QRadioButton()
        self.post_from_list.setObjectName("wizardPostFromList")
        self.post_from_list.setChecked(True)
        self.post_combo = CodeCombo(self._post_choices, blank=False)
        self.post_combo.setObjectName("wizardPost")
        self.post_other = QRadioButton()
        self.post_other.setObjectName("wizardPostOther")
        self.post_code = QLineEdit()
        self.post_code.setObjectName("wizardPostCode")
        self.post_code.setMaxLength(15)
        self.post_name = QLineEdit()
        self.post_name.setObjectName("wizardPostName")
        self.post_code_label = QLabel()
        self.post_code_label.setBuddy(self.post_code)
        self.post_name_label = QLabel()
        self.post_name_label.setBuddy(self.post_name)
        self.post_error = _error_label("wizardPostError")
        other = QFormLayout()
        other.addRow(self.post_code_label, self.post_code)
        other.addRow(self.post_name_label, self.post_name)
        layout.addWidget(self.post_intro)
        layout.addWidget(self.post_from_list)
        layout.addWidget(self.post_combo)
        layout.addSpacing(8)
        layout.addWidget(self.post_other)
        layout.addLayout(other)
        layout.addWidget(self.post_error)
        self.post_from_list.toggled.connect(self._post_mode)
        self.post_code.textEdited.connect(lambda _t: self.post_other.setChecked(True))
        self.post_name.textEdited.connect(lambda _t: self.post_other.setChecked(True))
        self._post_mode()

    def _build_admin_page(self) -> None:
        _page, layout = self._page()
        self.admin_intro = QLabel()
        self.admin_intro.setWordWrap(True)
        layout.addWidget(self.admin_intro)
        form = QFormLayout()
        self.admin_fields: dict[str, QLineEdit] = {}
        self.admin_labels: dict[str, QLabel] = {}
        self.admin_errors: dict[str, QLabel] = {}
        for key in ("username", "full_name", "password", "repeat"):
            edit, label, error = _field_row(form, key, edit_name=f"wizardAdmin_{key}",
                                            error_name=f"wizardAdminError_{key}")
            self.admin_fields[key], self.admin_labels[key], self.admin_errors[key] = edit, label, error
            edit.textEdited.connect(lambda _t, k=key: self._admin_edited(k))
        self.admin_error = _error_label("wizardAdminError")
        layout.addLayout(form)
        layout.addWidget(self.admin_error)

    def _build_key_page(self) -> None:
        _page, layout = self._page()
        self.key_intro = QLabel()
        self.key_intro.setWordWrap(True)
        self.key_post = QLabel()
        self.key_post.setObjectName("wizardKeyPost")
        self.key_id = QLabel()
        self.key_id.setObjectName("wizardKeyId")
        self.key_id.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_id.setWordWrap(True)  # its groups of four go to the next line rather than past the edge
        font = code_font(self.key_id.font())
        self.key_id.setFont(font)
        self.key_public = QLabel()
        self.key_public.setObjectName("wizardPublicKey")
        self.key_public.setWordWrap(True)
        self.key_public.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.key_file = ResultNote("wizardKeyFile")
        for widget in (self.key_intro, self.key_post, self.key_id, self.key_public, self.key_file):
            layout.addWidget(widget)
        layout.addSpacing(12)
        self.recovery_intro = QLabel()
        self.recovery_intro.setWordWrap(True)
        self.recovery_label = GroupedCodeLabel()  # whole, wrapped between its groups on a narrow screen
        self.recovery_label.setObjectName("wizardRecoveryCode")
        self.recovery_label.setFont(font)
        self.recovery_button = QPushButton()
        self.recovery_button.setObjectName("wizardRecoverySheet")
        self.recovery_button.clicked.connect(lambda: self.save_recovery_sheet())  # not clicked(bool) as a path
        row = QHBoxLayout()
        row.addWidget(self.recovery_button)
        row.addStretch(1)
        for widget in (self.recovery_intro, self.recovery_label):
            layout.addWidget(widget)
        layout.addLayout(row)

    def _build_people_page(self) -> None:
        """The first officer and supervisor of the post, side by side; either may be left empty (added later)."""
        _page, layout = self._page()
        self.people_intro = QLabel()
        self.people_intro.setWordWrap(True)
        layout.addWidget(self.people_intro)
        columns = QHBoxLayout()
        columns.setSpacing(24)
        self.people_fields: dict[str, dict[str, QLineEdit]] = {}
        self.people_labels: dict[str, dict[str, QLabel]] = {}
        self.people_errors: dict[str, dict[str, QLabel]] = {}
        self.people_headings: dict[str, QLabel] = {}
        self.people_created: set[str] = set()  # the roles whose account exists already (a retry skips them)
        chain: list[QWidget] = []
        for role in PEOPLE_ROLES:
            column = QVBoxLayout()
            heading = QLabel()
            heading.setStyleSheet("font-weight: bold;")
            column.addWidget(heading)
            form = QFormLayout()
            # Each label above its field: two columns of long Uzbek and Russian labels fit side by side.
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
            form.setVerticalSpacing(4)  # not the 24 between the columns, which it would inherit
            fields, labels, errors = {}, {}, {}
            for key in PEOPLE_KEYS:
                edit, label, error = _field_row(form, key, edit_name=f"wizard_{role}_{key}",
                                                error_name=f"wizardError_{role}_{key}")
                fields[key], labels[key], errors[key] = edit, label, error
                edit.textEdited.connect(lambda _t, e=error: e.clear())
                chain.append(edit)
            column.addLayout(form)
            column.addStretch(1)
            columns.addLayout(column, 1)
            self.people_fields[role], self.people_labels[role], self.people_errors[role] = fields, labels, errors
            self.people_headings[role] = heading
        layout.addLayout(columns)  # first: a tab order joins widgets of one window only (else Qt warns, and skips it)
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        self.people_error = _error_label("wizardPeopleError")
        layout.addWidget(self.people_error)

    def _build_demo_page(self) -> None:
        _page, layout = self._page()
        self.demo_intro = QLabel()
        self.demo_intro.setWordWrap(True)
        self.demo_check = QCheckBox()
        self.demo_check.setObjectName("wizardDemo")
        self.demo_error = _error_label("wizardDemoError")
        layout.addWidget(self.demo_intro)
        layout.addWidget(self.demo_check)
        layout.addWidget(self.demo_error)

    # --- choices -------------------------------------------------------------------------------------------
    def _post_choices(self) -> list[tuple[str, str]]:
        language = active_language()
        return [(p.code, f"{p.name(language)} ({p.code})") for p in self.posts if p.active]

    def load_posts(self) -> None:
        """Read the shipped list of crossing points (24 posts) off the GUI thread."""
        source = self._posts_source
        self.runner.run(source, on_done=self._posts_loaded, on_error=lambda exc: self._failed(exc, self.post_error))

    def _posts_loaded(self, posts: list) -> None:
        self.posts = list(posts)
        self.post_combo.reload()
        if self.post_combo.code() == "" and self.post_combo.count():
            self.post_combo.setCurrentIndex(0)

    def _post_mode(self) -> None:
        from_list = self.post_from_list.isChecked()
        self.post_combo.setEnabled(from_list)

    def chosen_post(self) -> tuple[str, str]:
        """(code, name of a new post or '' for one from the list)."""
        if self.post_from_list.isChecked():
            return self.post_combo.code(), ""
        return self.post_code.text().strip().upper(), self.post_name.text().strip()

    # --- navigation ------------------------------------------------------------------------------------------
    @property
    def page(self) -> int:
        return self.stack.currentIndex()

    def back(self) -> None:
        if self._busy or self.page in (PAGE_LANGUAGE, PAGE_KEY, PAGE_DEMO):
            return
        self.stack.setCurrentIndex(self.page - 1)
        self._page_changed()

    def next(self) -> None:
        if self._busy:
            return
        page = self.page
        if page == PAGE_LANGUAGE:
            self._go(PAGE_POST)
        elif page == PAGE_POST:
            if self._check_post():
                self._go(PAGE_ADMIN)
        elif page == PAGE_ADMIN:
            self._create_admin()
        elif page == PAGE_KEY:
            self._go(PAGE_PEOPLE)
        elif page == PAGE_PEOPLE:
            self._create_people()
        elif page == PAGE_DEMO:
            self._finish()

    def _go(self, page: int) -> None:
        self.status.clear()  # a line about the page left ("Recovery sheet saved as …") is not about the next one
        self.stack.setCurrentIndex(page)
        self._page_changed()

    def _page_changed(self) -> None:
        page = self.page
        self.back_button.setEnabled(page in (PAGE_POST, PAGE_ADMIN) and not self._busy)
        self.next_button.setEnabled(not self._busy)
        self._retitle()
        first = {
            PAGE_LANGUAGE: self.language_buttons[active_language()],
            PAGE_POST: self.post_combo if self.post_from_list.isChecked() else self.post_code,
            PAGE_ADMIN: self.admin_fields["username"],
            PAGE_KEY: self.next_button,
            PAGE_PEOPLE: self.people_fields[PEOPLE_ROLES[0]]["username"],
            PAGE_DEMO: self.demo_check,
        }[page]
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.status.setText(text)
        self._page_changed()

    # --- checks and work -----------------------------------------------------------------------------------
    def _check_post(self) -> bool:
        code, name = self.chosen_post()
        self.post_error.clear()
        if not code:
            self.post_error.setText(_("Choose the crossing point of this office."))
            return False
        if self.post_other.isChecked():
            if not POST_CODE_RE.match(code):
                self.post_error.setText(_("A post code is two country letters, a dash and 2 to 12 letters or digits, "
                                          "e.g. UZ-DUS."))
                self.post_code.setFocus()
                return False
            known = {p.code for p in self.posts}
            if code in known:
                self.post_from_list.setChecked(True)
                self.post_combo.set_code(code)
            elif not name:
                self.post_error.setText(_("Give the name of the new crossing point."))
                self.post_name.setFocus()
                return False
        return True

    def _admin_edited(self, key: str) -> None:
        self.admin_errors[key].clear()
        self.admin_error.clear()
        if key in ("password", "repeat"):
            self._check_password(live=True)

    def _check_password(self, *, live: bool = False) -> bool:
        password = self.admin_fields["password"].text()
        repeat = self.admin_fields["repeat"].text()
        ok = True
        try:
            self.accounts.policy.check_password(password)
            self.admin_errors["password"].clear()
        except WeakPasswordError as exc:
            ok = False
            if password or not live:
                self.admin_errors["password"].setText(exc.translated())
        if repeat != password:
            ok = False
            if repeat or not live:
                self.admin_errors["repeat"].setText(_("The two passwords differ."))
        else:
            self.admin_errors["repeat"].clear()
        return ok

    def _create_admin(self) -> None:
        fields = self.admin_fields
        username = fields["username"].text().strip().lower()
        for label in (*self.admin_errors.values(), self.admin_error):
            label.clear()
        ok = True
        if not username:
            self.admin_errors["username"].setText(_("Give a username."))
            ok = False
        if not self._check_password():
            ok = False
        if not ok:
            for key in ("username", "full_name", "password", "repeat"):
                if self.admin_errors[key].text():
                    fields[key].setFocus()
                    break
            return
        code, name = self.chosen_post()
        accounts, principal = self.accounts, self.principal
        password, full_name = fields["password"].text(), fields["full_name"].text().strip()
        self._set_busy(True, _("Creating the encrypted store and the post's signing key…"))
        self.runner.run(
            lambda: set_up_installation(accounts, principal=principal, username=username, password=password,
                                        full_name=full_name, post_code=code, new_post_name=name),
            on_done=self._admin_created, on_error=self._admin_failed)

    def _admin_created(self, result: Installed) -> None:
        self.principal, self.identity, self.public_file = result.principal, result.identity, result.public_file
        self.recovery_code, self.recovery_sheet = result.recovery_code, result.recovery_sheet
        for key in ("password", "repeat"):
            self.admin_fields[key].clear()
        self._set_busy(False)
        self._show_key()
        self._go(PAGE_KEY)

    def _admin_failed(self, exc: BaseException) -> None:
        self.principal = self.principal or getattr(self.accounts, "principal", None)
        self._set_busy(False)
        name = type(exc).__name__
        if isinstance(exc, WeakPasswordError):
            self.admin_errors["password"].setText(exc.translated())
            self.admin_fields["password"].setFocus()
        elif isinstance(exc, DomainError) and (isinstance(exc, AccountExistsError) or name == "InvalidUsernameError"):
            self.admin_errors["username"].setText(exc.translated())
            self.admin_fields["username"].setFocus()
        else:
            self._failed(exc, self.admin_error)

    def _people_wanted(self) -> list[tuple[str, dict[str, str]]]:
        """The accounts typed on the people page and not created yet: (role, values); one without a username is
        skipped, unless something else was typed for it."""
        wanted = []
        for role in PEOPLE_ROLES:
            if role in self.people_created:
                continue
            values = {key: edit.text() for key, edit in self.people_fields[role].items()}
            values["username"] = values["username"].strip().lower()
            values["full_name"] = values["full_name"].strip()
            if any(values.values()):
                wanted.append((role, values))
        return wanted

    def _check_people(self, wanted: list[tuple[str, dict[str, str]]]) -> bool:
        ok = True
        for role, values in wanted:
            errors = self.people_errors[role]
            for label in errors.values():
                label.clear()
            if not values["username"]:
                errors["username"].setText(_("Give a username."))
                ok = False
            try:
                self.accounts.policy.check_password(values["password"])
            except WeakPasswordError as exc:
                errors["password"].setText(exc.translated())
                ok = False
            if values["repeat"] != values["password"]:
                errors["repeat"].setText(_("The two passwords differ."))
                ok = False
        if not ok:
            first = next(self.people_fields[role][key] for role in PEOPLE_ROLES for key in PEOPLE_KEYS
                         if self.people_errors[role][key].text())
            first.setFocus()
        return ok

    def _create_people(self) -> None:
        """Create the first officer and supervisor of the post (on a worker), then go on to the demo page."""
        self.people_error.clear()
        wanted = self._people_wanted()
        if not wanted:
            self._go(PAGE_DEMO)
            return
        if not self._check_people(wanted):
            return
        accounts, identity = self.accounts, self.identity
        post_code = identity.post_code if identity is not None else self.chosen_post()[0]

        def work() -> list[str]:
            created: list[str] = []
            services = accounts.open_services()
            try:
                for role, values in wanted:
                    try:
                        services.users.add_user(username=values["username"], password=values["password"], role=role,
                                                post_code=post_code, full_name=values["full_name"])
                    except Exception as exc:  # noqa: BLE001 - handed back with the roles already created
                        exc.created_roles = created  # type: ignore[attr-defined]
                        exc.failed_role = role  # type: ignore[attr-defined]
                        raise
                    created.append(role)
            finally:
                services.close()
            return created

        self._set_busy(True, _("Creating the accounts…"))
        self.runner.run(work, on_done=self._people_created, on_error=self._people_failed)

    def _people_created(self, roles: list[str]) -> None:
        self.people_created.update(roles)
        for role in roles:
            for key in ("password", "repeat"):
                self.people_fields[role][key].clear()
        self._set_busy(False)
        self._go(PAGE_DEMO)

    def _people_failed(self, exc: BaseException) -> None:
        self.people_created.update(getattr(exc, "created_roles", []))
        self._set_busy(False)
        role = getattr(exc, "failed_role", None)
        name = type(exc).__name__
        if role is not None and isinstance(exc, WeakPasswordError):
            self.people_errors[role]["password"].setText(exc.translated())
            self.people_fields[role]["password"].setFocus()
        elif role is not None and isinstance(exc, DomainError) and (
                isinstance(exc, AccountExistsError) or name == "InvalidUsernameError"):
            self.people_errors[role]["username"].setText(exc.translated())
            self.people_fields[role]["username"].setFocus()
        else:
            self._failed(exc, self.people_error)

    def _failed(self, exc: BaseException, label: QLabel) -> None:
        self._set_busy(False)
        if isinstance(exc, DomainError):
            label.setText(exc.translated())
        else:
            label.setText(_("Something went wrong: {reason}").format(reason=str(exc)))

    # --- restore from a backup, and the recovery sheet ---------------------------------------------------------
    def choose_backup(self, backup: str | None = None, hq_status: str | None = None) -> None:
        """Restore a backup (from a stick) into this new installation instead of setting up a new store."""
        from blo_desk.ui.file_dialogs import choose_open_file

        if self._restore is None or self._busy:
            return
        if backup is None:
            backup = choose_open_file(self, purpose="restore", title=_("Choose the backup to restore"),
                                      filters=[_("BLO Desk backups (*.blobak)")])
            if not backup:
                return
            hq_status = choose_open_file(
                self, purpose="hq_status",
                title=_("HQ's status file for this post, or HQ's last receipt (optional: Cancel if none)"),
                filters=[_("JSON files (*.json)")])
        restore = self._restore
        source, status = Path(backup), Path(hq_status) if hq_status else None
        self.restore_error.clear()
        self._set_busy(True, _("Restoring the backup…"))
        self.runner.run(lambda progress: restore(source, status, lambda d, t: progress.report(d, t)),
                        with_progress=True, on_done=self._restored,
                        on_error=lambda exc: self._failed(exc, self.restore_error))

    def _restored(self, created_at: str) -> None:
        self._set_busy(False)
        self.restored.emit(created_at)

    def save_recovery_sheet(self, target: str | None = None) -> None:
        """Write the recovery sheet (made on a worker at set-up) to a PDF file, to print for the post's safe."""
        from blo_desk.ui.file_dialogs import choose_save_file

        if not self.recovery_sheet:
            return
        if target is None:
            target = choose_save_file(self, purpose="recovery_sheet", title=_("Save the recovery sheet"),
                                      name="recovery-sheet.pdf", filters=["PDF (*.pdf)"], suffix="pdf")
            if not target:
                return
        sheet = self.recovery_sheet

        def write() -> str:
            from blo_desk.durable import write_atomically

            write_atomically(Path(target), sheet)
            return target

        self.runner.run(write, on_done=lambda path: self.status.say(
            _("Recovery sheet saved as {path}; print it and keep it in the post's safe.").format(path=path),
            files=(path,)),
            on_error=lambda exc: self.status.setText(str(exc)))

    def _show_key(self) -> None:
        self.recovery_intro.setVisible(bool(self.recovery_code))
        self.recovery_label.setVisible(bool(self.recovery_code))
        self.recovery_button.setVisible(bool(self.recovery_code))
        self.recovery_label.set_code(self.recovery_code)
        identity = self.identity
        if identity is None:
            return
        self.key_post.setText(_("Post: {post}").format(post=identity.post_code))
        self.key_id.setText(grouped(identity.key_id))
        self.key_public.setText(_("Public key: {key}").format(key=identity.public_key))
        self.key_file.say(_("The public key is also saved as {path}; send that file to HQ as well.").format(
            path=self.public_file), files=(self.public_file,) if self.public_file else ())

    def _finish(self) -> None:
        self.demo_error.clear()
        if not self.demo_check.isChecked():
            self.finished.emit(self.principal)
            return
        assert self.principal is not None  # the administrator exists by now
        session, load_demo = Session(self.accounts, self.principal), self._load_demo

        def work() -> int:
            return session.load_demo(load_demo)  # the admin loads demo data with SYSTEM's rights

        self._set_busy(True, _("Loading the demo cases…"))
        self.runner.run(work, on_done=self._demo_loaded, on_error=lambda exc: self._failed(exc, self.demo_error))

    def _demo_loaded(self, count: int) -> None:
        self._busy = False
        self.demo_count = count
        self.finished.emit(self.principal)

    # --- language ------------------------------------------------------------------------------------------------
    def _retitle(self) -> None:
        titles = {
            PAGE_LANGUAGE: _("Language"),
            PAGE_POST: _("Crossing point of this office"),
            PAGE_ADMIN: _("The first administrator"),
            PAGE_KEY: _("The post's signing key"),
            PAGE_PEOPLE: _("Who works with cases"),
            PAGE_DEMO: _("Demo cases"),
        }
        self.heading.setText(titles[self.page])
        self.step.setText(_("First start: step {step} of {steps}").format(step=self.page + 1, steps=len(titles)))
        self.next_button.setText(_("&Finish") if self.page == PAGE_DEMO else _("&Next"))

    def retranslate(self) -> None:
        self.setWindowTitle(_("BLO Desk — first start"))
        self.back_button.setText(_("&Back"))
        self.language_intro.setText(_("Welcome to BLO Desk. Choose the language of the program; it can be changed "
                                      "later in the Settings."))
        self.post_intro.setText(_("Which crossing point does this office work at? Its code goes into every case "
                                  "number and every sync bundle."))
        self.post_from_list.setText(_("Choose from the list of crossing points"))
        self.post_other.setText(_("Another crossing point (not in the list)"))
        self.post_code_label.setText(_("Code:"))
        self.post_code.setPlaceholderText(_("e.g. UZ-DUS"))
        self.post_name_label.setText(_("Name:"))
        self.post_combo.reload()
        self.admin_intro.setText(_("The administrator manages users, the post and its keys. The case store is "
                                   "encrypted: only users with a password can open it."))
        texts = {"username": _("&Username:"), "full_name": _("Full name:"), "password": _("&Password:"),
                 "repeat": _("Password again:")}
        for key, text in texts.items():
            self.admin_labels[key].setText(text)
        self.admin_fields["password"].setPlaceholderText(
            _("at least {count} characters").format(count=self.accounts.policy.min_length))
        self.key_intro.setText(_("This post signs every bundle it sends with its own key. Read the key id below out "
                                 "to HQ (by telephone) so that HQ trusts bundles from this office."))
        self.restore_intro.setText(_("A new laptop for a post that already worked with BLO Desk? Restore the "
                                     "post's backup instead of setting up a new store."))
        self.restore_button.setText(_("&Restore from a backup…"))
        self.recovery_intro.setText(_("The recovery code opens the store if every administrator password is "
                                      "forgotten. Save the recovery sheet, print it and keep it in the post's safe, "
                                      "never with the laptop."))
        self.recovery_button.setText(_("Save the recovery &sheet (PDF)…"))
        self.people_intro.setText(_("The administrator does not work with cases. Create the first officer and the "
                                    "first supervisor of this post now, or leave their fields empty and add users "
                                    "later (Tools > Users). Officers enter, finalize and amend their own cases; "
                                    "supervisors every case of the post."))
        headings = {"officer": _("Officer"), "supervisor": _("Supervisor")}
        people_texts = {"username": _("&Username:"), "full_name": _("Full name:"), "password": _("&Password:"),
                        "repeat": _("Password again:")}
        for role in PEOPLE_ROLES:
            self.people_headings[role].setText(headings[role])
            for key, text in people_texts.items():
                self.people_labels[role][key].setText(text)
        self.demo_intro.setText(_("The store is ready. Demo cases (among them the Dustlik case) help to try the "
                                  "program; leave this unchecked for real work."))
        self.demo_check.setText(_("Load the demo cases"))
        self._show_key()
        self._retitle()
        for code, button in self.language_buttons.items():
            if code == active_language() and not button.isChecked():
                button.blockSignals(True)
                button.setChecked(True)
                button.blockSignals(False)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.first_painted.emit()
