"""A notice the officer must read (a refusal, an error, work restored): wrapped whole above the page, until closed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton, QWidget

from blo_desk.i18n import _
from blo_desk.ui.widgets.whole_text import MessageLabel


class NoticeBar(QFrame):
    """A wrapping line of text with a close button; hidden while there is nothing to say.

    The text is a function giving it in the active language, so it follows a language switch (retranslate)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.label = MessageLabel(selectable=True)
        self.label.setObjectName("noticeText")
        self.close_button = QToolButton()
        self.close_button.setObjectName("noticeClose")
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._text: Callable[[], str] | None = None
        self.retranslate()
        self.hide()

    @property
    def text(self) -> str:
        return self.label.text() if self._text is not None else ""

    def show_text(self, text: Callable[[], str]) -> None:
        self._text = text
        self.label.setText(text())
        self.show()

    def clear(self) -> None:
        self._text = None
        self.label.clear()
        self.hide()

    def retranslate(self) -> None:
        self.close_button.setToolTip(_("Close"))
        self.close_button.setAccessibleName(_("Close"))
        if self._text is not None:
            self.label.setText(self._text())
