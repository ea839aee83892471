"""A code to be read out or typed from the screen (the recovery code): monospace, wrapped between its groups only."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

SEPARATOR = "-"


def code_font(base: QFont, *, larger: int = 4) -> QFont:
    """A bold monospace font `larger` points above `base` (DejaVu Sans Mono where it is installed)."""
    font = QFont("DejaVu Sans Mono")
    font.setStyleHint(QFont.StyleHint.Monospace)
    font.setPointSize(max(base.pointSize(), 9) + larger)
    font.setBold(True)
    return font


class GroupedCodeLabel(QLabel):
    """Shows `7K2QF-4XXXX-...` whole: as many groups on a line as the width takes, a line ending after a dash, so no
    group is ever cut. The text selected and copied is the code with line breaks, which the recovery dialog ignores."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._groups: list[str] = []
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    @property
    def code(self) -> str:
        return SEPARATOR.join(self._groups)

    def set_code(self, code: str) -> None:
        self._groups = [g for g in code.split(SEPARATOR) if g] if code else []
        self._reflow()
        self.updateGeometry()

    # --- lines -------------------------------------------------------------------------------------------------
    def _group_width(self) -> int:
        longest = max(self._groups, key=len, default="")
        return self.fontMetrics().horizontalAdvance(longest + SEPARATOR)

    def _per_line(self, width: int) -> int:
        margins = self.contentsMargins()
        room = width - margins.left() - margins.right()
        if self.fontMetrics().horizontalAdvance(self.code) <= room:
            return max(len(self._groups), 1)  # all on one line (no dash at its end)
        return max(1, room // max(self._group_width(), 1))  # each line ends with a dash

    def lines(self, width: int | None = None) -> list[str]:
        """The lines painted at `width` (the label's own by default)."""
        per = self._per_line(self.width() if width is None else width)
        chunks = [self._groups[i:i + per] for i in range(0, len(self._groups), per)]
        return [SEPARATOR.join(c) + (SEPARATOR if n < len(chunks) - 1 else "") for n, c in enumerate(chunks)]

    def _reflow(self) -> None:
        text = "\n".join(self.lines())
        if text != self.text():
            super().setText(text)

    # --- size --------------------------------------------------------------------------------------------------
    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt API
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        margins = self.contentsMargins()
        count = max(len(self.lines(width)), 1)
        return count * self.fontMetrics().lineSpacing() + margins.top() + margins.bottom()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        margins = self.contentsMargins()
        width = self._group_width() + margins.left() + margins.right() + 2
        return QSize(width, self.heightForWidth(width))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self.code) + margins.left() + margins.right() + 2
        return QSize(width, self.heightForWidth(width))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._reflow()
