"""A combo of codes the officer can type into: what is typed is looked up by a finder (synonyms, other scripts)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QStringListModel, Qt
from PySide6.QtWidgets import QComboBox, QCompleter

from blo_desk.ui.forms import CodeCombo


class SearchCombo(CodeCombo):
    """A CodeCombo with a line to type in. `find(typed)` gives the codes the typed letters may mean (e.g.
    SubstanceIndex.find: "nasha" or "анаша" gives hashish); their labels drop down to choose from. The code is
    always one of the list's (typed text that names nothing is put back to the chosen entry's label)."""

    def __init__(self, choices, *, find: Callable[[str], Sequence[str]], blank: bool = True, parent=None) -> None:
        super().__init__(choices, blank=blank, parent=parent)
        self._find = find
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._matches = QStringListModel(self)
        completer = QCompleter(self._matches, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated.connect(self._picked)
        self.setCompleter(completer)
        self._completer = completer
        line = self.lineEdit()
        assert line is not None  # editable
        self._line = line
        line.textEdited.connect(self._typed)
        line.editingFinished.connect(self._settle)
        line.setPlaceholderText("—")
        self.currentIndexChanged.connect(lambda _i: self._show_choice())
        self._show_choice()

    def _show_choice(self) -> None:
        """The line shows the chosen entry's label; nothing (the placeholder) for the blank entry, so that what the
        officer types is never appended to a dash."""
        text = self.itemText(self.currentIndex()) if self.code() else ""
        if self.currentText() != text:
            self.setEditText(text)

    def _typed(self, text: str) -> None:
        exact = self.findText(text.strip(), Qt.MatchFlag.MatchFixedString)
        if exact >= 0 and text.strip():
            self.setCurrentIndex(exact)
            self._line.setText(text)
        labels = [self.itemText(i) for i in (self.findData(code) for code in self._find(text)) if i >= 0]
        self._matches.setStringList(labels)
        if labels and text.strip():
            self._completer.complete()

    def _picked(self, label: str) -> None:
        index = self.findText(label, Qt.MatchFlag.MatchFixedString)
        if index >= 0:
            self.setCurrentIndex(index)
            self._show_choice()

    def _settle(self) -> None:
        """Leaving the field: the line shows the chosen entry again (typed letters that named nothing go)."""
        self._show_choice()

    def code(self) -> str:
        return self.currentData() or ""

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        self._line.selectAll()  # typing replaces the chosen entry's label: a new search

    def set_code(self, code: str) -> None:
        index = self.findData(code)
        if index < 0 and code:
            self.addItem(code, code)  # a code the list no longer has: kept visible rather than lost
            index = self.count() - 1
        self.setCurrentIndex(max(index, 0) if self.count() else -1)
        self._show_choice()
