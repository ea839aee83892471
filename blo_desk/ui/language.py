"""Run-time language switching for Qt: our catalogs via blo_desk.i18n (Qt's own texts too, ui/qt_texts.py), Qt's own
catalog for the rest where it has one."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from blo_desk.i18n import translator

# Qt ships qtbase_ru.qm but nothing for Uzbek: the texts Qt shows in our windows come from ours (ui/qt_texts.py).
QT_LOCALES = {"uz": "uz_Latn_UZ", "ru": "ru_RU", "en": "en_GB"}


class QtLanguage:
    """Keeps Qt's own translator and default locale in step with the language of blo_desk.i18n."""

    def __init__(self, app: QApplication) -> None:
        self._app = app
        self._qt_translator: QTranslator | None = None
        self._ours: QTranslator | None = None

    def apply(self, language: str) -> None:
        if self._qt_translator is not None:
            self._app.removeTranslator(self._qt_translator)
            self._qt_translator = None
        if self._ours is not None:
            self._app.removeTranslator(self._ours)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        candidate = QTranslator(self._app)
        if language != "en" and candidate.load(f"qtbase_{language}", folder):
            self._app.installTranslator(candidate)
            self._qt_translator = candidate
        # Ours last, so Qt asks it first: file dialogs, message boxes and standard buttons in our words (uz too)
        from blo_desk.ui.qt_texts import QtTexts

        self._ours = self._ours or QtTexts(self._app)
        self._app.installTranslator(self._ours)
        QLocale.setDefault(QLocale(QT_LOCALES[language]))


def money(amount, currency: str) -> str:
    return translator().format_money(amount, currency)


def number(value) -> str:
    return translator().format_number(value)
