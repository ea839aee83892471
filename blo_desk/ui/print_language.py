"""The print languages: which there are, their names, a combo to choose one, and the one this desk remembers."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox

from blo_desk.i18n import LANGUAGE_NAMES, active_language
from blo_desk.ui.prefs import Preferences

PRINT_LANGUAGES = ("uz", "ru", "en", "uz+ru")  # as reports.wording; the printing service says which it offers
PRINT_LANGUAGE_KEY = "print_language"


def print_language_name(code: str) -> str:
    """A print language in its own words ("Oʻzbekcha + Русский" for the bilingual form); names are not translated."""
    return " + ".join(LANGUAGE_NAMES.get(part, part) for part in code.split("+"))


def language_combo(languages: Sequence[str], selected: str) -> QComboBox:
    combo = QComboBox()
    for code in languages:
        combo.addItem(print_language_name(code), code)
    index = combo.findData(selected)
    combo.setCurrentIndex(max(0, index))
    return combo


# --- the remembered print language (in the desk's preferences file, beside the UI language) -----------------------
def remembered_print_language(prefs: Preferences | None, languages: Sequence[str] = PRINT_LANGUAGES) -> str:
    """The print language chosen last time on this desk, else the interface language."""
    chosen = prefs.get(PRINT_LANGUAGE_KEY) if prefs is not None else None
    if isinstance(chosen, str) and chosen in languages:
        return chosen
    ui = active_language()
    return ui if ui in languages else languages[0]


def remember_print_language(prefs: Preferences | None, language: str) -> None:
    if prefs is not None and language in PRINT_LANGUAGES:
        prefs.put(PRINT_LANGUAGE_KEY, language)
