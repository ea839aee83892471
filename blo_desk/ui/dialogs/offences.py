"""The administrator's offence articles: a country's list, with Add… and Edit… (the service checks and audits)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from blo_desk import cldr
from blo_desk.domain.offences import short_title, split_code
from blo_desk.i18n import _, active_language
from blo_desk.ui.dialogs.accounts import _FieldsDialog, _message
from blo_desk.ui.dialogs.common import button_row, record_table
from blo_desk.ui.reference import ReferenceData
from blo_desk.ui.screen_fit import fit_to_screen
from blo_desk.ui.tasks import TaskRunner

if TYPE_CHECKING:
    from blo_desk.domain.entities import ReferenceItem
    from blo_desk.ports import ReferencePort

NEW_LAW = ""  # the law combo's entry for a law the country has not got yet


def _label(item: ReferenceItem) -> str:
    return item.label(active_language())


class OffenceArticleDialog(_FieldsDialog):
    """Add an article to a country's list, or give one new short titles (its code stays)."""

    def __init__(self, parent: QWidget, *, runner: TaskRunner, port: ReferencePort, country: str,
                 laws: list[ReferenceItem], article: ReferenceItem | None,
                 on_done: Callable[[ReferenceItem], None]) -> None:
        editing = article is not None
        super().__init__(parent, name="offenceArticleDialog",
                         title=_("Edit offence article") if editing else _("Add offence article"),
                         fields=[("law_code", _("Code of the new law:"), False),
                                 ("law_uz", _("Law's name in Uzbek:"), False),
                                 ("law_ru", _("Law's name in Russian:"), False),
                                 ("law_en", _("Law's name in English:"), False),
                                 ("article", _("Article:"), False),
                                 ("part", _("Part (optional):"), False),
                                 ("title_uz", _("Short title in Uzbek:"), False),
                                 ("title_ru", _("Short title in Russian:"), False),
                                 ("title_en", _("Short title in English:"), False)])
        self._runner, self._port, self._country, self._after = runner, port, country, on_done
        self.law = QComboBox()
        self.law.setObjectName("offenceArticleDialog_law")
        for law in laws:
            self.law.addItem(_("{code} — {name}").format(code=split_code(law.code)[1], name=_label(law)),
                             split_code(law.code)[1])
        self.law.addItem(_("New law…"), NEW_LAW)
        law_label = QLabel(_("Law:"))
        law_label.setBuddy(self.law)
        self.form.insertRow(0, law_label, self.law)
        country_label = QLabel(_("{country} ({code})").format(country=cldr.country_name(country, active_language()),
                                                               code=country))
        country_label.setObjectName("offenceArticleDialog_country")
        self.form.insertRow(0, QLabel(_("Country:")), country_label)
        self.fields["law_code"].setPlaceholderText(_("Latin letters, e.g. CC"))
        self.fields["article"].setPlaceholderText(_("e.g. 254 or 200.1"))
        self.fields["part"].setPlaceholderText(_("e.g. 1"))
        if article is not None:
            _country, law_code, number, part = split_code(article.code)
            self.law.setCurrentIndex(max(0, self.law.findData(law_code)))
            self.fields["article"].setText(number)
            self.fields["part"].setText(part)
            for language in ("uz", "ru", "en"):
                self.fields[f"title_{language}"].setText(short_title(article.label(language)))
            for widget in (self.law, self.fields["article"], self.fields["part"]):
                widget.setEnabled(False)  # they make the code: a changed number is another article, added anew
        self.law.currentIndexChanged.connect(lambda _i: self._show_law_rows())
        self._show_law_rows()

    def fit_content(self) -> None:
        super().fit_content()
        if self.width() < 560:  # room for a short title as long as the shipped ones, within the screen
            fit_to_screen(self, 560, self.height())

    def _show_law_rows(self) -> None:
        new = self.law.currentData() == NEW_LAW
        for key in ("law_code", "law_uz", "law_ru", "law_en"):
            self.form.setRowVisible(self._row_of(key), new)

    def _row_of(self, key: str) -> int:
        return next(r for r in range(self.form.rowCount())
                    if (item := self.form.itemAt(r, self.form.ItemRole.FieldRole)) is not None
                    and item.layout() is not None and item.layout().indexOf(self.fields[key]) >= 0)

    def values(self) -> dict[str, str]:
        """What the administrator typed, as the service's keyword arguments."""
        text = {key: edit.text() for key, edit in self.fields.items()}
        new = self.law.currentData() == NEW_LAW
        return {"country": self._country, "law": text["law_code"] if new else self.law.currentData(),
                "article": text["article"], "part": text["part"], "title_uz": text["title_uz"],
                "title_ru": text["title_ru"], "title_en": text["title_en"],
                "law_uz": text["law_uz"] if new else "", "law_ru": text["law_ru"] if new else "",
                "law_en": text["law_en"] if new else ""}

    def _ok(self) -> None:
        if self.busy:
            return
        self.clear_errors()
        self.set_busy(True)
        port, values = self._port, self.values()
        self._runner.run(lambda: port.save_offence_article(**values), on_done=self._done, on_error=self._failed)

    def _done(self, item: ReferenceItem) -> None:
        self.set_busy(False)
        self.accept()
        self._after(item)

    def _failed(self, exc: BaseException) -> None:
        self.set_busy(False)
        self.general.setText(_message(exc))


class OffenceArticlesDialog(QDialog):
    """The offence articles of one country (the administrator's post's by default), to add to and rename."""

    def __init__(self, parent: QWidget, *, runner: TaskRunner, port: ReferencePort, reference: ReferenceData,
                 country: str) -> None:
        super().__init__(parent)
        self.setObjectName("offenceArticlesDialog")
        self.setWindowTitle(_("Offence articles"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._runner, self._port, self._reference = runner, port, reference
        self.rows: list[ReferenceItem] = []
        self.laws: list[ReferenceItem] = []
        self.country = QComboBox()
        self.country.setObjectName("offenceCountry")
        language = active_language()
        for code in sorted({post.country for post in reference.posts}):
            self.country.addItem(_("{country} ({code})").format(country=cldr.country_name(code, language), code=code),
                                 code)
        self.country.setCurrentIndex(max(0, self.country.findData(country)))
        country_label = QLabel(_("&Country:"))
        country_label.setBuddy(self.country)
        top = QHBoxLayout()
        top.addWidget(country_label)
        top.addWidget(self.country)
        top.addStretch(1)
        self.table = record_table("offenceTable", [_("Code"), _("Citation and short title")])
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.empty = QLabel()  # says so when the chosen country has no article yet
        self.empty.setObjectName("offenceEmpty")
        self.empty.setWordWrap(True)
        self.empty.hide()
        self.message = QLabel()  # what was saved, or why not
        self.message.setObjectName("offenceMessage")
        self.message.setWordWrap(True)
        row, self.buttons = button_row(self, "offence", [("add", _("&Add…")), ("edit", _("&Edit…"))])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.buttons["add"].clicked.connect(self.add)
        self.buttons["edit"].clicked.connect(self.edit)
        self.table.itemSelectionChanged.connect(self._selection)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.country.currentIndexChanged.connect(lambda _i: self.reload())
        fit_to_screen(self, 900, 520)
        self.reload()

    def chosen_country(self) -> str:
        return str(self.country.currentData() or "")

    def reload(self) -> None:
        port, country = self._port, self.chosen_country()
        self.buttons["add"].setEnabled(False)
        self._runner.run(lambda: (country, port.offence_articles(country=country), port.offence_laws(country=country)),
                         on_done=self._listed, on_error=self._failed)

    def _listed(self, found: tuple[str, list[ReferenceItem], list[ReferenceItem]]) -> None:
        if found[0] != self.chosen_country():
            return  # the list of a country chosen before: another one was chosen since, and is on its way
        self.rows, self.laws = list(found[1]), list(found[2])
        self.table.setRowCount(len(self.rows))
        for index, item in enumerate(self.rows):
            for column, text in enumerate((item.code, _label(item))):
                self.table.setItem(index, column, QTableWidgetItem(text))
        self.table.resizeRowsToContents()
        self.empty.setText("" if self.rows else _(
            "{country} has no offence articles yet: add the articles of its codes that a protocol may cite.").format(
            country=self.country.currentText()))
        self.empty.setVisible(not self.rows)
        self.buttons["add"].setEnabled(True)
        self._selection()

    def selected(self) -> ReferenceItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _selection(self) -> None:
        self.buttons["edit"].setEnabled(self.selected() is not None)

    def _failed(self, exc: BaseException) -> None:
        self.buttons["add"].setEnabled(True)
        self.message.setText(_message(exc))

    def _saved(self, item: ReferenceItem) -> None:
        self._reference.put(item)  # the editor offers it from now on, in this session too
        self.message.setText(_("Saved {code}: {label}").format(code=item.code, label=_label(item)))
        self.reload()

    def add(self) -> None:
        self._open(None)

    def edit(self) -> None:
        article = self.selected()
        if article is not None:
            self._open(article)

    def _open(self, article: ReferenceItem | None) -> None:
        self.message.clear()
        self.article_dialog = OffenceArticleDialog(self, runner=self._runner, port=self._port,
                                                   country=self.chosen_country(), laws=self.laws, article=article,
                                                   on_done=self._saved)
        self.article_dialog.open()
