"""A one-line label that never cuts its text: it ends with "…" when it is too narrow and shows the whole in a tooltip."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QSizePolicy, QStyleOption


class ElidedLabel(QLabel):
    """`text()` is the whole text; the label paints as much as fits, with "…" at the end, and the tooltip tells all.

    A tooltip set by the owner (setToolTip) is kept; the whole text is put before it while the text is elided."""

    def __init__(self, text: str = "", parent=None, *, fill: bool = False) -> None:
        """`fill`: take whatever width is left (the status bar's message), else ask for the whole text's width
        and give it up down to a few characters when the room is short (the status bar's permanent labels)."""
        super().__init__(text, parent)
        self._own_tip = ""
        horizontal = QSizePolicy.Policy.Ignored if fill else QSizePolicy.Policy.Preferred
        self.setSizePolicy(horizontal, QSizePolicy.Policy.Preferred)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._update_tip()

    # --- what fits -------------------------------------------------------------------------------------------------
    def elided_text(self) -> str:
        """The text as painted at the label's present width."""
        width = self.contentsRect().width()
        return self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, max(width, 0))

    @property
    def is_elided(self) -> bool:
        return self.elided_text() != self.text()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().minimumSizeHint()
        return QSize(self.fontMetrics().horizontalAdvance("…") * 4, hint.height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        hint = super().sizeHint()
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self.text()) + margins.left() + margins.right() + 4
        return QSize(width, hint.height())

    # --- text and tooltip ------------------------------------------------------------------------------------------
    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        super().setText(text)
        self.updateGeometry()
        self._update_tip()

    def setToolTip(self, tip: str) -> None:  # noqa: N802 - Qt API
        self._own_tip = tip
        self._update_tip()

    def _update_tip(self) -> None:
        whole = self.text() if self.is_elided else ""
        tip = "\n".join(t for t in (whole, self._own_tip) if t)
        if tip != super().toolTip():
            super().setToolTip(tip)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._update_tip()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawItemText(painter, self.contentsRect(), int(self.alignment()), option.palette,
                                  self.isEnabled(), self.elided_text(), self.foregroundRole())
        painter.end()
