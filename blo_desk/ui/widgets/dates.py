"""Date fields: typed as the UI language writes dates, with a calendar in that language that drops down from the field."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QEvent, QLocale, QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QAction, QColor, QIcon, QMouseEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QDateEdit,
    QFrame,
    QLineEdit,
    QStyle,
    QStyleOptionComboBox,
    QVBoxLayout,
    QWidget,
)

from blo_desk.i18n import _, active_language, translator


def calendar_icon(size: int = 16) -> QIcon:
    """A small drawn calendar (no icon theme is needed: the desk runs the same on every system)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#505050"))
    painter.setBrush(QColor("#ffffff"))
    painter.drawRect(QRect(1, 2, size - 3, size - 4))
    painter.fillRect(QRect(1, 2, size - 2, 4), QColor("#b03030"))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#505050"))
    step = (size - 6) // 3
    for row in range(2):
        for column in range(3):
            painter.drawRect(QRect(3 + column * step, 8 + row * 3, 2, 2))
    painter.end()
    return QIcon(pixmap)


def _set_up_calendar(calendar: QCalendarWidget) -> None:
    calendar.setGridVisible(True)
    calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
    calendar.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)


def opens_calendar(event) -> bool:
    """Alt+Down or F4: the keys that open a date field's calendar."""
    return bool((event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier)
                or event.key() == Qt.Key.Key_F4)


class LanguageCalendar(QCalendarWidget):
    """The calendar of a QDateEdit's pop-up, in the UI language when it opens (month and day names: Qt's locale
    data, uz_Latn for Uzbek), at the field's date, or at today when the field holds `floor` ('no date')."""

    def __init__(self, parent: QWidget | None = None, *, floor: QDate | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendar")
        self.floor = floor
        _set_up_calendar(self)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt API
        self.setLocale(QLocale())  # the UI language's (ui/language.py sets Qt's default locale)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        if self.floor is not None and self.selectedDate() == self.floor:
            # today marked and under the keyboard, without choosing it: the field keeps "any date" until a day is
            # picked (its date edit follows the calendar's selection signal, held back here)
            today = date.today()
            held = self.blockSignals(True)
            try:
                self.setSelectedDate(QDate(today.year, today.month, today.day))
            finally:
                self.blockSignals(held)
        super().showEvent(event)


class CalendarDateEdit(QDateEdit):
    """A QDateEdit whose calendar pop-up speaks the UI language (LanguageCalendar) and opens with Alt+Down or F4 too,
    as the editor's date fields do."""

    def __init__(self, parent: QWidget | None = None, *, floor: QDate | None = None) -> None:
        super().__init__(parent)
        self.setCalendarPopup(True)
        self.setCalendarWidget(LanguageCalendar(floor=floor))

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        """Alt+Down or F4 open the calendar, as in the editor's date fields (Qt opens it on a click only)."""
        if opens_calendar(event):
            self.open_calendar()
            return
        super().keyPressEvent(event)

    def open_calendar(self) -> None:
        """Press the field's arrow: the one way Qt offers to open a QDateEdit's calendar."""
        if not self.isEnabled() or self.isReadOnly():
            return
        option = QStyleOptionComboBox()
        option.initFrom(self)
        option.editable = True
        option.frame = True
        arrow = self.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                            QStyle.SubControl.SC_ComboBoxArrow, self)
        point = QPointF(arrow.center())
        for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
            event = QMouseEvent(kind, point, self.mapToGlobal(point), Qt.MouseButton.LeftButton,
                                Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
            QApplication.sendEvent(self, event)


class CalendarPopup(QFrame):
    """The month calendar under a date field; a click or Enter on a day puts it in the field, Esc closes."""

    def __init__(self, field: DateLineEdit) -> None:
        super().__init__(field, Qt.WindowType.Popup)
        self.setObjectName("calendarPopup")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.field = field
        self.calendar = QCalendarWidget()
        self.calendar.setObjectName("calendar")
        _set_up_calendar(self.calendar)
        self.calendar.activated.connect(self._chosen)
        self.calendar.clicked.connect(self._chosen)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.calendar)

    def open_at(self, value: date | None) -> None:
        day = value or date.today()
        self.calendar.setLocale(QLocale())  # the UI language's month and day names (ui/language.py sets it)
        self.calendar.setFirstDayOfWeek(Qt.DayOfWeek.Monday)
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self.adjustSize()
        self.move(self._place())
        self.show()
        self.calendar.setFocus(Qt.FocusReason.PopupFocusReason)

    def _place(self) -> QPoint:
        """Under the field, kept on its screen (above the field when there is no room below)."""
        field = self.field
        below = field.mapToGlobal(QPoint(0, field.height()))
        screen = field.screen()
        if screen is None:
            return below
        room = screen.availableGeometry()
        x = max(room.left(), min(below.x(), room.right() - self.width()))
        y = below.y()
        if y + self.height() > room.bottom():
            y = max(room.top(), field.mapToGlobal(QPoint(0, 0)).y() - self.height())
        return QPoint(x, y)

    def _chosen(self, day: QDate) -> None:
        self.hide()
        self.field.choose(date(day.year(), day.month(), day.day()))


def respell_date(text: str) -> str:
    """A whole date as the active language writes it (20/04/2024 -> 20.04.2024 in ru); anything else unchanged."""
    from blo_desk.ui.forms import ParseError, parse_date

    try:
        day = parse_date(text)
    except ParseError:
        return text
    return text if day is None else translator().format_date(day)


class DateLineEdit(QLineEdit):
    """The text is what the officer typed (kept as typed in drafts and recovery copies); the button at its end
    opens a calendar, and a day chosen there is written in the UI language's way (i18n's one date formatter)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.calendar_action = QAction(calendar_icon(), "", self)
        self.calendar_action.setObjectName("openCalendar")
        self.calendar_action.triggered.connect(self.open_calendar)
        self.addAction(self.calendar_action, QLineEdit.ActionPosition.TrailingPosition)
        self.popup: CalendarPopup | None = None
        self._language = active_language()  # the language the date in the field is written in
        self.retranslate()

    def retranslate(self) -> None:
        tr = translator()
        if self._language != tr.language:  # a language switch: a whole date is written the new language's way
            self._language = tr.language
            respelled = respell_date(self.text())
            if respelled != self.text():
                self.setText(respelled)  # not an edit: textEdited is not emitted
        self.setPlaceholderText(tr.date_hint())
        self.calendar_action.setToolTip(_("Choose the date in a calendar (Alt+Down)"))
        self.calendar_action.setText(self.calendar_action.toolTip())

    def value(self) -> date | None:
        """The date typed, or None when the field is empty or not understood (the form reports that)."""
        from blo_desk.ui.forms import ParseError, parse_date

        try:
            return parse_date(self.text())
        except ParseError:
            return None

    def open_calendar(self) -> None:
        if self.isReadOnly() or not self.isEnabled():
            return
        if self.popup is None:
            self.popup = CalendarPopup(self)
        self.popup.open_at(self.value())

    def choose(self, day: date) -> None:
        """A day chosen in the calendar: written as the UI language writes dates, as if typed."""
        text = translator().format_date(day)
        self.setText(text)
        self.textEdited.emit(text)
        self.setFocus(Qt.FocusReason.PopupFocusReason)

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - Qt API
        super().setReadOnly(read_only)
        self.calendar_action.setVisible(not read_only)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt API
        if opens_calendar(event):
            self.open_calendar()
            return
        super().keyPressEvent(event)
