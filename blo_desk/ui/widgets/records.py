"""A list of records (seized items, persons) edited as a table plus a detail form for the selected row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from blo_desk.domain.errors import FieldError
from blo_desk.i18n import _, active_language
from blo_desk.numbers import NumberError, write_number
from blo_desk.ui.forms import CodeCombo, Field, NumberField
from blo_desk.ui.widgets.choices import CheckList
from blo_desk.ui.widgets.dates import DateLineEdit, respell_date
from blo_desk.ui.widgets.search_combo import SearchCombo


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str  # msgid
    kind: str = "text"  # text | combo | search | long | number | date | checks (several codes of `choices`)
    choices: Callable[[], list[tuple[str, str]]] | None = None
    editable_codes: bool = False
    blank: bool = True
    placeholder: str = ""  # msgid
    # number fields: read(record, language) -> the value of this field (NumberError when not understood), and
    # echo(record) -> how it was understood, in the field's unit ("= 85,505 kg"; "" when empty).
    read: Callable[[dict, str], object] | None = None
    echo: Callable[[dict], str] | None = None
    # "search" fields: a combo to type in; find(typed) -> the codes the typed letters may mean
    find: Callable[[str], Sequence[str]] | None = None


@dataclass(frozen=True)
class ColumnSpec:
    header: str  # msgid
    render: Callable[[dict], str]


def make_widget(spec: FieldSpec) -> QWidget:
    if spec.kind == "checks":
        return CheckList(spec.choices or (lambda: []), rows=6)
    if spec.kind == "search" and spec.find is not None:
        return SearchCombo(spec.choices or (lambda: []), find=spec.find, blank=spec.blank)
    if spec.kind == "combo":
        return CodeCombo(spec.choices or (lambda: []), blank=spec.blank, editable_codes=spec.editable_codes)
    if spec.kind == "long":
        widget = QPlainTextEdit()
        widget.setTabChangesFocus(True)
        return widget
    if spec.kind == "date":
        return DateLineEdit()
    return QLineEdit()


def respell_dates(records: Sequence[dict], keys: Sequence[str]) -> None:
    """Write the whole dates under `keys` of each record the active language's way (after a language switch)."""
    for record in records:
        for key in keys:
            if isinstance(record.get(key), str):
                record[key] = respell_date(record[key])


MAX_COLUMN = 280  # px: the widest a column sized to its contents grows


class RecordsEditor(QWidget):
    """Add, remove and reorder records; the selected one is edited in the form below the table."""

    changed = Signal()

    def __init__(self, *, prefix: str, fields: list[FieldSpec], columns: list[ColumnSpec], defaults: dict,
                 add_text: str, remove_text: str, row_label: str, empty_text: str, split: int = 0,
                 stretch: int = 2,
                 fill_in: Callable[[str, dict], dict] | None = None,
                 adjust: Callable[[RecordsEditor, dict], None] | None = None,
                 new_values: Callable[[], dict] | None = None, parent=None) -> None:
        """`split`: the detail form shows fields[split:] in a second column (0: one column). `fill_in(key,
        record)` gives the values an edit of `key` fills in (a substance's usual unit); `adjust(editor, record)`
        shows, hides or narrows fields for the record shown (the fields that fit its kind); `new_values()` gives
        what a record added with the Add button starts with besides `defaults` (the case's lead agency)."""
        super().__init__(parent)
        self._fill_in = fill_in
        self._new_values = new_values
        self._adjust = adjust
        self.prefix = prefix
        self.specs = fields
        self.columns = columns
        self.defaults = defaults
        self._texts = {"add": add_text, "remove": remove_text, "row": row_label, "empty": empty_text}
        self.records: list[dict] = []
        self._errors: dict[int, list[FieldError]] = {}
        self._list_errors: list[FieldError] = []
        self._read_only = False
        self._updating = False
        self._numbers_language = active_language()  # the language the typed numbers are written in

        self.table = QTableWidget(0, len(columns))
        self.table.setObjectName(f"{prefix}Table")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        # The `stretch` column (a name) takes the room left; the others fit their text up to MAX_COLUMN px
        # (_fit_columns), so that a long text elsewhere never squeezes the name.
        self._stretch = min(stretch, len(columns) - 1)
        header.setSectionResizeMode(self._stretch, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(110)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.add_button = QPushButton()
        self.add_button.setObjectName(f"{prefix}Add")
        self.remove_button = QPushButton()
        self.remove_button.setObjectName(f"{prefix}Remove")
        self.up_button = QPushButton()
        self.up_button.setObjectName(f"{prefix}Up")
        self.down_button = QPushButton()
        self.down_button.setObjectName(f"{prefix}Down")
        self.add_button.clicked.connect(lambda: self.add_record(self._new_values() if self._new_values else None))
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(+1))
        buttons = QHBoxLayout()
        self.button_row = buttons  # a section may add its own buttons (e.g. "Add me" to the officers)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)

        # Keyboard: Alt+Insert adds, Alt+Delete removes, Alt+Up/Down reorder while focus is in this section.
        for keys, slot in (("Alt+Ins", self.add_record), ("Alt+Del", self.remove_current),
                           ("Alt+Up", lambda: self.move_current(-1)), ("Alt+Down", lambda: self.move_current(+1))):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)

        self.list_error = QLabel()
        self.list_error.setObjectName("fieldError")
        self.list_error.setProperty("field", prefix)
        self.list_error.setWordWrap(True)
        self.list_error.hide()
        self.empty_label = QLabel()
        # The hint "no records yet" and the list's messages share one line that is always kept, so the detail
        # form under it does not move when the first record is added or a save's message comes and goes.
        self.status_line = QWidget()
        self.status_line.setObjectName(f"{prefix}StatusLine")
        status = QVBoxLayout(self.status_line)
        status.setContentsMargins(0, 0, 0, 0)
        status.setSpacing(0)
        status.addWidget(self.list_error)
        status.addWidget(self.empty_label)
        status.addStretch(1)
        self.status_line.setMinimumHeight(self.empty_label.fontMetrics().lineSpacing())

        self.detail = QWidget()
        self.detail.setObjectName(f"{prefix}Detail")
        self.detail.setMaximumWidth(1300 if split else 900)
        forms = [QFormLayout() for _column in range(2 if split else 1)]
        columns_row = QHBoxLayout(self.detail)
        columns_row.setContentsMargins(0, 0, 0, 0)
        columns_row.setSpacing(24)
        for form in forms:
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            form.setVerticalSpacing(4)  # each field keeps a line for its message below it already
            column = QVBoxLayout()  # each column's rows at the top, however tall the other column is
            column.addLayout(form)
            column.addStretch(1)
            columns_row.addLayout(column, 1)
        self.fields: dict[str, Field] = {}
        self._form_of: dict[str, QFormLayout] = {}
        for position, spec in enumerate(fields):
            form = forms[1 if split and position >= split else 0]
            widget = make_widget(spec)
            field: Field
            if spec.kind == "number" and isinstance(widget, QLineEdit):
                field = NumberField(f"{prefix}_{spec.key}", spec.label, widget,
                                    describe=lambda text, k=spec.key: self._echo(k, text))
            else:
                field = Field(f"{prefix}_{spec.key}", spec.label, widget)
            field.spec = spec  # type: ignore[attr-defined]
            self.fields[spec.key] = field
            self._form_of[spec.key] = form
            form.addRow(field.label, field)
            form.setAlignment(field.label, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self._connect(spec.key, widget)

        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.status_line)
        detail_row = QHBoxLayout()
        detail_row.addWidget(self.detail, 1)
        detail_row.addStretch(0)
        layout.addLayout(detail_row, 3)
        self.retranslate()
        self._refresh_enabled()

    def _connect(self, key: str, widget: QWidget) -> None:
        if isinstance(widget, CheckList):
            widget.value_changed.connect(lambda k=key: self._field_edited(k))
        elif isinstance(widget, CodeCombo):
            widget.code_changed.connect(lambda _v, k=key: self._field_edited(k))
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(lambda k=key: self._field_edited(k))
        elif isinstance(widget, QLineEdit):
            widget.textChanged.connect(lambda _v, k=key: self._field_edited(k))

    # --- records ------------------------------------------------------------------------------------
    def set_records(self, records: list[dict]) -> None:
        self.records = [dict(self.defaults) | dict(r) for r in records]
        self._errors = {}
        self._rebuild()
        self.table.selectRow(0) if self.records else self._show_detail(-1)

    def current_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def add_record(self, values: dict | None = None) -> None:
        if self._read_only:
            return
        self.records.append(dict(self.defaults) | dict(values or {}))
        self._rebuild()
        self.table.selectRow(len(self.records) - 1)
        self.changed.emit()
        first = self.fields[self.specs[0].key].widget
        first.setFocus(Qt.FocusReason.OtherFocusReason)

    def remove_current(self) -> None:
        row = self.current_row()
        if self._read_only or row < 0:
            return
        del self.records[row]
        self._errors = {}
        self._rebuild()
        if self.records:
            self.table.selectRow(min(row, len(self.records) - 1))
        else:
            self._show_detail(-1)
        self.changed.emit()

    def move_current(self, step: int) -> None:
        row = self.current_row()
        target = row + step
        if self._read_only or row < 0 or not 0 <= target < len(self.records):
            return
        self.records[row], self.records[target] = self.records[target], self.records[row]
        self._errors = {}
        self._rebuild()
        self.table.selectRow(target)
        self.changed.emit()

    def set_field_visible(self, key: str, visible: bool) -> None:
        """Show or hide a field of the detail form; a hidden field keeps its value and is skipped by Tab."""
        field = self.fields[key]
        if field.isHidden() == visible:
            self._form_of[key].setRowVisible(field, visible)

    def select(self, row: int) -> None:
        if 0 <= row < len(self.records):
            self.table.selectRow(row)

    def _field_edited(self, key: str) -> None:
        if self._updating:
            return
        row = self.current_row()
        if row < 0:
            return
        record = self.records[row]
        record[key] = self.fields[key].value()
        self._forget_errors(row, key)
        filled = self._fill_in(key, record) if self._fill_in else {}
        if filled:
            record.update(filled)
            self._updating = True
            try:
                for other, value in filled.items():
                    if other in self.fields:
                        self.fields[other].set_value(value)
            finally:
                self._updating = False
        if self._adjust:
            self._adjust(self, record)
        for other, field in self.fields.items():
            if isinstance(field, NumberField):
                field.typed() if other == key else field.refresh()  # the unit or currency may have changed
        self._render_row(row)
        self.changed.emit()

    def _forget_errors(self, row: int, key: str) -> None:
        """The officer changed `key` of `row`: the last save's messages about it go from the list's line too (the
        field's own message goes by itself); the next save checks again."""
        path = f"{self.prefix}.{row}.{key}"
        kept = [e for e in self._errors.get(row, []) if not (e.field == path or e.field.startswith(path + "."))]
        if len(kept) == len(self._errors.get(row, [])):
            return
        if kept:
            self._errors[row] = kept
        else:
            del self._errors[row]
        self._show_list_errors()

    def _echo(self, key: str, text: str) -> str:
        """How the number field `key` of the selected record, holding `text`, is understood."""
        spec = next(s for s in self.specs if s.key == key)
        row = self.current_row()
        record = (self.records[row] if 0 <= row < len(self.records) else dict(self.defaults)) | {key: text}
        return spec.echo(record) if spec.echo else ""

    def _rewrite_numbers(self, old: str, new: str) -> None:
        """After a language switch, rewrite typed numbers the new language would read otherwise (85,505 ru -> en)."""
        readers = [(s.key, s.read) for s in self.specs if s.kind == "number" and s.read]
        for record in self.records:
            for key, read in readers:
                try:
                    before = read(record, old)
                except NumberError:
                    continue  # not understood in the old language either: kept as typed
                try:
                    same = read(record, new) == before
                except NumberError:
                    same = False
                if not same and before is not None:
                    record[key] = write_number(before, new)  # type: ignore[arg-type]

    def date_keys(self) -> tuple[str, ...]:
        """The keys of the date fields of a record (written the UI language's way)."""
        return tuple(s.key for s in self.specs if s.kind == "date")

    def _selection_changed(self) -> None:
        self._show_detail(self.current_row())
        self._refresh_enabled()

    def _show_detail(self, row: int) -> None:
        self._updating = True
        try:
            record = self.records[row] if row >= 0 else dict(self.defaults)
            for key, field in self.fields.items():
                field.set_value(record.get(key, ""))
                path = f"{self.prefix}.{row}.{key}"
                errors = [e for e in self._errors.get(row, []) if e.field == path or e.field.startswith(path + ".")]
                field.set_errors(errors)
            if self._adjust:
                self._adjust(self, record)
        finally:
            self._updating = False
        self.detail.setEnabled(row >= 0)
        self._refresh_enabled()

    def _rebuild(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.records))
        for row in range(len(self.records)):
            self._render_row(row)
        self.table.blockSignals(False)
        self._fit_columns()
        self.empty_label.setVisible(not self.records)
        self._refresh_enabled()

    def _fit_columns(self) -> None:
        for column in range(len(self.columns)):
            if column != self._stretch:
                self.table.resizeColumnToContents(column)
                if self.table.columnWidth(column) > MAX_COLUMN:
                    self.table.setColumnWidth(column, MAX_COLUMN)

    def _render_row(self, row: int) -> None:
        record = self.records[row]
        bad = bool(self._errors.get(row))
        for column, spec in enumerate(self.columns):
            item = self.table.item(row, column)
            if item is None:
                item = QTableWidgetItem()
                self.table.setItem(row, column, item)
            item.setText(spec.render(record) if column else str(row + 1))
            item.setBackground(QBrush(QColor("#fde7ea")) if bad else QBrush())
        self.table.resizeRowToContents(row)
        if not self.table.signalsBlocked():  # one row changed (typing in the form below): its text may be longer
            self._fit_columns()

    def _refresh_enabled(self) -> None:
        row = self.current_row()
        self.add_button.setEnabled(not self._read_only)
        self.remove_button.setEnabled(not self._read_only and row >= 0)
        self.up_button.setEnabled(not self._read_only and row > 0)
        self.down_button.setEnabled(not self._read_only and 0 <= row < len(self.records) - 1)

    # --- errors, read-only, language --------------------------------------------------------------------
    def set_errors(self, errors: list[FieldError]) -> None:
        """Take the errors whose path starts with our prefix: rows are marked, the detail shows the selected one."""
        self._errors = {}
        self._list_errors = []
        for error in errors:
            parts = error.field.split(".")
            if parts[0] != self.prefix:
                continue
            if len(parts) >= 2 and parts[1].isdigit():
                self._errors.setdefault(int(parts[1]), []).append(error)
            else:
                self._list_errors.append(error)
        for row in range(len(self.records)):
            self._render_row(row)
        self._show_detail(self.current_row())
        self._show_list_errors()

    def _show_list_errors(self) -> None:
        lines = [e.translated() for e in self._list_errors]
        for row in sorted(self._errors):
            label = _(self._texts["row"]).format(number=row + 1)
            for error in self._errors[row]:
                key = error.field.split(".")[2] if error.field.count(".") >= 2 else error.field.split(".")[-1]
                spec = next((s for s in self.specs if s.key == key), None)
                field = _(spec.label) if spec else key
                lines.append(_("{row}, {field}: {message}").format(row=label, field=field, message=error.translated()))
        self.list_error.setText("\n".join(lines))
        self.list_error.setVisible(bool(lines))

    def first_error_row(self) -> int | None:
        return min(self._errors) if self._errors else None

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        for field in self.fields.values():
            field.set_read_only(read_only)
        self._refresh_enabled()

    def retranslate(self) -> None:
        language = active_language()
        if language != self._numbers_language:
            self._rewrite_numbers(self._numbers_language, language)
            respell_dates(self.records, self.date_keys())
            self._numbers_language = language
            self._show_detail(self.current_row())
        self.add_button.setText(_(self._texts["add"]))
        self.remove_button.setText(_(self._texts["remove"]))
        self.up_button.setText(_("Move up"))
        self.down_button.setText(_("Move down"))
        self.add_button.setToolTip(_("Alt+Insert"))
        self.remove_button.setToolTip(_("Alt+Delete"))
        self.empty_label.setText(_(self._texts["empty"]))
        self.table.setHorizontalHeaderLabels([_(c.header) for c in self.columns])
        self._fit_columns()
        for field in self.fields.values():
            if isinstance(field.widget, (CodeCombo, CheckList)):
                field.widget.blockSignals(True)
                field.widget.reload()
                field.widget.blockSignals(False)
            placeholder = field.spec.placeholder  # type: ignore[attr-defined]
            if placeholder and isinstance(field.widget, QLineEdit):
                field.widget.setPlaceholderText(_(placeholder))
            field.retranslate()
        for row in range(len(self.records)):
            self._render_row(row)
        self._show_list_errors()
