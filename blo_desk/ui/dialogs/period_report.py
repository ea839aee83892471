"""What the supervisor's period report covers: dates from and to, the posts (none ticked = all), finalized cases only,
and the print language; OK hands the choice on (to the print preview)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from blo_desk.i18n import _, active_language, add_language_listener, ngettext, remove_language_listener, translator
from blo_desk.ui.dialogs.common import translate_buttons
from blo_desk.ui.language import QT_LOCALES  # month and day names in the calendar popup
from blo_desk.ui.print_language import PRINT_LANGUAGES, language_combo
from blo_desk.ui.screen_fit import fit_to_screen
from blo_desk.ui.widgets.dates import CalendarDateEdit


@dataclass(frozen=True)
class ReportChoice:
    """What to report on; an empty `post_codes` means every post."""

    date_from: date
    date_to: date
    post_codes: tuple[str, ...]
    finalized_only: bool
    language: str


def last_full_month(today: date | None = None) -> tuple[date, date]:
    """The first and last day of the month before `today`'s."""
    today = today or date.today()
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class PeriodReportDialog(QDialog):
    """Dates (with a calendar), posts, finalized only and language, with OK / Cancel."""

    def __init__(self, parent: QWidget | None, *, posts: Sequence, languages: Sequence[str] = PRINT_LANGUAGES,
                 language: str = "en", on_accept: Callable[[ReportChoice], object] | None = None,
                 today: date | None = None, own_post: str = "") -> None:
        super().__init__(parent)
        self.setObjectName("periodReportDialog")
        self.on_accept = on_accept
        #: a supervisor's post: the report covers it alone, so it is the only post offered, ticked and fixed
        self.own_post = own_post
        self.posts = [p for p in posts if p.code == own_post] if own_post else list(posts)
        self.choice: ReportChoice | None = None
        start, end = last_full_month(today)
        self.date_from = CalendarDateEdit()
        self.date_from.setDate(_qdate(start))
        self.date_from.setObjectName("reportFrom")
        self.date_to = CalendarDateEdit()
        self.date_to.setDate(_qdate(end))
        self.date_to.setObjectName("reportTo")
        for edit in (self.date_from, self.date_to):
            edit.setMinimumWidth(140)
            edit.dateChanged.connect(lambda _d: self.error.clear())
        self.from_label, self.to_label = QLabel(), QLabel()
        self.from_label.setBuddy(self.date_from)
        self.to_label.setBuddy(self.date_to)
        self.posts_label = QLabel()
        self.posts_list = QListWidget()
        self.posts_list.setObjectName("reportPosts")
        self.posts_list.setMinimumHeight(200)
        for post in self.posts:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, post.code)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.posts_list.addItem(item)
        self.posts_list.itemChanged.connect(lambda _item: self._show_posts_hint())
        self.posts_label.setBuddy(self.posts_list)
        self.posts_hint = QLabel()
        self.posts_hint.setObjectName("reportPostsHint")
        self.clear_posts = QPushButton()
        self.clear_posts.setObjectName("reportAllPosts")
        self.clear_posts.clicked.connect(lambda: self.set_posts(()))
        if own_post:
            self.set_posts((own_post,))
            self.posts_list.setEnabled(False)
            self.posts_list.setMinimumHeight(40)
            self.clear_posts.hide()
        self.finalized = QCheckBox()
        self.finalized.setObjectName("reportFinalizedOnly")
        self.language_label = QLabel()
        self.language = language_combo(languages, language)
        self.language.setObjectName("reportLanguage")
        self.language_label.setBuddy(self.language)
        self.error: QLabel = QLabel()
        self.error.setObjectName("reportError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._ok)
        self.buttons.rejected.connect(self.reject)

        # Two whole labels, not "Period from … to …": Uzbek puts the endings on the dates (-dan … -gacha).
        first_row, last_row = QHBoxLayout(), QHBoxLayout()
        first_row.addWidget(self.date_from)
        first_row.addStretch(1)
        last_row.addWidget(self.date_to)
        last_row.addStretch(1)
        hint_row = QHBoxLayout()
        hint_row.addWidget(self.posts_hint, 1)
        hint_row.addWidget(self.clear_posts)
        posts_box = QVBoxLayout()
        posts_box.addWidget(self.posts_list)
        posts_box.addLayout(hint_row)
        form = QFormLayout()
        form.addRow(self.from_label, first_row)
        form.addRow(self.to_label, last_row)
        form.addRow(self.posts_label, posts_box)
        form.addRow("", self.finalized)
        form.addRow(self.language_label, self.language)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 560, 480)
        add_language_listener(self._language_changed)
        self.destroyed.connect(lambda *_a, cb=self._language_changed: remove_language_listener(cb))
        self.retranslate()

    # --- language ------------------------------------------------------------------------------------------
    def _language_changed(self, _language: str) -> None:
        self.retranslate()

    def retranslate(self) -> None:
        language = active_language()
        locale = QLocale(QT_LOCALES.get(language, "en_GB"))
        pattern = translator().date_pattern  # the one date format of the desk (i18n)
        for edit in (self.date_from, self.date_to):
            edit.setDisplayFormat(pattern)
            edit.setLocale(locale)
            if edit.calendarWidget() is not None:
                edit.calendarWidget().setLocale(locale)
        self.setWindowTitle(_("Period report"))
        self.from_label.setText(_("Fi&rst day:"))
        self.to_label.setText(_("Las&t day:"))
        self.posts_label.setText(_("&Posts:"))
        for row, post in enumerate(self.posts):
            item = self.posts_list.item(row)
            item.setText(f"{post.name(language)} ({post.code})")
        self.clear_posts.setText(_("All posts"))
        self.finalized.setText(_("&Finalized cases only"))
        self.language_label.setText(_("Print &language:"))
        translate_buttons(self.buttons)
        self._show_posts_hint()

    def _show_posts_hint(self) -> None:
        if self.own_post:
            self.posts_hint.setText(_("A supervisor's report covers their own post."))
            return
        count = len(self.post_codes())
        if count:
            self.posts_hint.setText(ngettext("{count} post chosen", "{count} posts chosen", count).format(count=count))
        else:
            self.posts_hint.setText(_("No post ticked: the report covers every post."))

    # --- the choice --------------------------------------------------------------------------------------------
    def post_codes(self) -> tuple[str, ...]:
        return tuple(self.posts_list.item(row).data(Qt.ItemDataRole.UserRole)
                     for row in range(self.posts_list.count())
                     if self.posts_list.item(row).checkState() == Qt.CheckState.Checked)

    def set_posts(self, codes) -> None:
        wanted = set(codes)
        for row in range(self.posts_list.count()):
            item = self.posts_list.item(row)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def set_period(self, start: date, end: date) -> None:
        self.date_from.setDate(_qdate(start))
        self.date_to.setDate(_qdate(end))

    def current_choice(self) -> ReportChoice:
        return ReportChoice(date_from=_pydate(self.date_from.date()), date_to=_pydate(self.date_to.date()),
                            post_codes=self.post_codes(), finalized_only=self.finalized.isChecked(),
                            language=self.language.currentData())

    def _ok(self) -> None:
        choice = self.current_choice()
        if choice.date_to < choice.date_from:
            self.error.setText(_("The report period must end on or after its first day ({start} – {end}).").format(
                start=self.date_from.text(), end=self.date_to.text()))
            self.date_to.setFocus()
            return
        self.choice = choice
        self.accept()
        if self.on_accept is not None:
            self.on_accept(choice)
