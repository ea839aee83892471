"""Translations (gettext catalogs for uz, ru, en) and babel formatting of dates, numbers and money."""

from __future__ import annotations

import gettext as _gettext
import io
import threading
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from blo_desk.config import DEFAULT_LANGUAGE, LANGUAGES, translations_dir

DOMAIN = "blo_desk"
BABEL_LOCALES = {"uz": "uz_Latn", "ru": "ru", "en": "en"}
# UZS and other currencies of the region are written without minor units on forms.
NO_DECIMAL_CURRENCIES = frozenset({"UZS", "KZT", "KGS", "TJS", "TMT"})
LANGUAGE_NAMES = {"uz": "Oʻzbekcha", "ru": "Русский", "en": "English"}

_lock = threading.Lock()
_active = DEFAULT_LANGUAGE
_listeners: list = []


def N_(message: str) -> str:
    """Mark a constant for extraction; translate it with _() where it is shown."""
    return message


@lru_cache(maxsize=None)
def _catalog(language: str) -> _gettext.NullTranslations:
    folder = translations_dir() / language / "LC_MESSAGES"
    mo_path = folder / f"{DOMAIN}.mo"
    po_path = folder / f"{DOMAIN}.po"
    if mo_path.exists() and (not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime):
        with mo_path.open("rb") as fh:
            return _gettext.GNUTranslations(fh)
    if po_path.exists():
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po_path.open("rb") as fh:
            catalog = read_po(fh, locale=BABEL_LOCALES[language])
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return _gettext.GNUTranslations(buffer)
    return _gettext.NullTranslations()


@dataclass(frozen=True, slots=True)
class Translator:
    """Everything language-dependent for one language: messages and formats."""

    language: str

    @property
    def locale(self) -> str:
        return BABEL_LOCALES[self.language]

    def gettext(self, message: str) -> str:
        if not message:
            return message
        return _catalog(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return _catalog(self.language).ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return _catalog(self.language).pgettext(context, message)

    def format_date(self, value: date | None, fmt: str = "medium") -> str:
        from babel.dates import format_date

        return "" if value is None else format_date(value, format=fmt, locale=self.locale)

    def format_datetime(self, value: datetime | None, fmt: str = "medium", tz: str | None = None) -> str:
        from babel.dates import format_datetime

        if value is None:
            return ""
        return format_datetime(value, format=fmt, tzinfo=_zone(tz) if tz else value.tzinfo, locale=self.locale)

    def format_time(self, value: datetime | None, fmt: str = "short", tz: str | None = None) -> str:
        from babel.dates import format_time

        if value is None:
            return ""
        return format_time(value, format=fmt, tzinfo=_zone(tz) if tz else value.tzinfo, locale=self.locale)

    def format_number(self, value: int | float | Decimal | None) -> str:
        from babel.numbers import format_decimal

        return "" if value is None else format_decimal(value, locale=self.locale)

    def format_money(self, amount: Decimal | int | None, currency: str = "UZS") -> str:
        """9 100 000 soʻm / 9 100 000 сум / UZS 9,100,000: no minor units for the region's currencies."""
        from babel.numbers import format_currency

        if amount is None:
            return ""
        if currency in NO_DECIMAL_CURRENCIES:
            amount = Decimal(amount).quantize(Decimal(1))
            if self.language == "en":
                return format_currency(amount, currency, format="¤\u00a0#,##0", currency_digits=False, locale="en")
            if self.language == "ru" and currency == "UZS":
                return format_currency(amount, currency, format="#,##0\u00a0сум", currency_digits=False, locale="ru")
            return format_currency(amount, currency, format="#,##0\u00a0¤", currency_digits=False, locale=self.locale)
        return format_currency(amount, currency, locale=self.locale)


def _zone(name: str):
    from zoneinfo import ZoneInfo

    return ZoneInfo(name)


def translator(language: str | None = None) -> Translator:
    """The translator for a language (the active one when None)."""
    lang = language or _active
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}")
    return Translator(lang)


def active_language() -> str:
    return _active


def set_language(language: str) -> None:
    """Switch the language used by _() everywhere, and tell the listeners (the UI retranslates itself)."""
    global _active
    if language not in LANGUAGES:
        raise ValueError(f"unsupported language {language!r}")
    with _lock:
        _active = language
        listeners = list(_listeners)
    for listener in listeners:
        listener(language)


def add_language_listener(callback) -> None:
    _listeners.append(callback)


def remove_language_listener(callback) -> None:
    if callback in _listeners:
        _listeners.remove(callback)


def _(message: str) -> str:
    """Translate a message into the active language."""
    return translator().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translator().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translator().pgettext(context, message)
