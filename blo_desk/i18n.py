"""Translations (gettext catalogs for uz, ru, en) and babel formatting of dates, numbers and money."""

from __future__ import annotations

import gettext as _gettext
import io
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from blo_desk.config import DEFAULT_LANGUAGE, LANGUAGES, translations_dir

if TYPE_CHECKING:  # decimal and datetime are imported where formatting needs them, not before the first window
    from datetime import date, datetime
    from decimal import Decimal
    from pathlib import Path

DOMAIN = "blo_desk"
BABEL_LOCALES = {"uz": "uz_Latn", "ru": "ru", "en": "en"}
# UZS and other currencies of the region are written without minor units on forms.
NO_DECIMAL_CURRENCIES = frozenset({"UZS", "KZT", "KGS", "TJS", "TMT"})
LANGUAGE_NAMES = {"uz": "Oʻzbekcha", "ru": "Русский", "en": "English"}
# Dates and times on screen come from CLDR's short numeric date (with a four-digit year) and short time of these
# locales. English takes the en_GB data: day first and 24 hours, as the region writes and reads a date (04/05/2024
# is the 4th of May at every post), and as Qt's own widgets are set up (ui/language.py).
DATE_LOCALES = {"uz": "uz_Latn", "ru": "ru", "en": "en_GB"}
# "numeric" (and "short", for callers of babel's names) formats dates and date-times that way.
NUMERIC = ("numeric", "short")

_lock = threading.Lock()
_active = DEFAULT_LANGUAGE
_local_zone: str | None = None  # the zone of the desk's post: times that belong to no case are shown in it
_listeners: list = []


def N_(message: str) -> str:
    """Mark a constant for extraction; translate it with _() where it is shown."""
    return message


@dataclass(frozen=True, slots=True)
class PluralMessage:
    """A message with a singular and a plural form; the number that chooses is the parameter named `by`."""

    singular: str
    plural: str
    by: str = "count"

    def format(self, **params: object) -> str:
        """The English text (for logs and exception args), chosen and filled like the translated one."""
        return (self.singular if params.get(self.by) == 1 else self.plural).format(**params)


def N_plural(singular: str, plural: str, *, by: str = "count") -> PluralMessage:
    """Mark a plural pair for extraction; translate it with translate_message() where it is shown."""
    return PluralMessage(singular, plural, by)


def translate_message(message: "str | PluralMessage", params: dict | None = None, tr: "Translator | None" = None) -> str:
    """A msgid (or plural pair) in the given or active language, with its {named} placeholders filled."""
    tr = tr or translator()
    params = params or {}
    if isinstance(message, PluralMessage):
        text = tr.ngettext(message.singular, message.plural, int(params.get(message.by, 0)))
    else:
        text = tr.gettext(message)
    return text.format(**params) if params else text


def _compiled_cache(po_path) -> "Path | None":
    """Where a .po compiled at run time is kept (the user's cache folder), keyed by the .po's size and time."""
    import os
    from pathlib import Path

    override = os.environ.get("BLO_DESK_CACHE_DIR")
    try:
        if override:
            root = Path(override)
        else:
            from platformdirs import user_cache_path

            root = user_cache_path("blo-desk", appauthor=False)
    except Exception:  # noqa: BLE001 - no cache is fine, only slower
        return None
    stat = po_path.stat()
    return root / "catalogs" / f"{po_path.parent.parent.name}-{stat.st_size}-{stat.st_mtime_ns}.mo"


@lru_cache(maxsize=None)
def _catalog(language: str) -> _gettext.NullTranslations:
    """The compiled catalog: a fresh .mo beside the .po (installer), else a cached compile, else the .po itself."""
    folder = translations_dir() / language / "LC_MESSAGES"
    mo_path = folder / f"{DOMAIN}.mo"
    po_path = folder / f"{DOMAIN}.po"
    if mo_path.exists() and (not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime):
        with mo_path.open("rb") as fh:
            return _gettext.GNUTranslations(fh)
    if not po_path.exists():
        return _gettext.NullTranslations()
    cached = _compiled_cache(po_path)
    if cached is not None and cached.exists():
        with cached.open("rb") as fh:
            return _gettext.GNUTranslations(fh)
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po_path.open("rb") as fh:
        catalog = read_po(fh, locale=BABEL_LOCALES[language])
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(".part")
            partial.write_bytes(buffer.getvalue())
            partial.replace(cached)
        except OSError:
            pass
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


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

    # --- dates and times: one formatter for every list, form, header and dialog ------------------------------------
    @property
    def date_pattern(self) -> str:
        """CLDR's short date of this language with a four-digit year: dd/MM/yyyy (uz, en), dd.MM.yyyy (ru).

        The letters are those of Qt's date formats too (QDateEdit.setDisplayFormat)."""
        return _date_patterns(self.language)[0]

    @property
    def time_pattern(self) -> str:
        """CLDR's short time of this language (HH:mm in all three)."""
        return _date_patterns(self.language)[1]

    def date_hint(self) -> str:
        """How a date is typed, in the officer's letters: KK/OO/YYYY, ДД.ММ.ГГГГ, DD/MM/YYYY."""
        day, month, year = (self.gettext("DD.MM.YYYY").split(".") + ["", "", ""])[:3]
        letters = {"d": day or "DD", "M": month or "MM", "y": year or "YYYY"}
        out, last = [], ""
        for ch in self.date_pattern:
            if ch in letters:
                if ch != last:
                    out.append(letters[ch])
            else:
                out.append(ch)
            last = ch
        return "".join(out)

    def format_date(self, value: date | None, fmt: str = "numeric") -> str:
        """A date: "numeric" (20/04/2024, 20.04.2024) or any babel format ("long" on paper)."""
        from babel.dates import format_date

        if value is None:
            return ""
        if fmt in NUMERIC:
            return format_date(value, format=self.date_pattern, locale=self.date_locale)
        return format_date(value, format=fmt, locale=self.locale)

    def format_datetime(self, value: datetime | None, fmt: str = "numeric", tz: str | None = None) -> str:
        """A moment in the zone `tz` (a case's post), else in the desk's post zone (set_local_zone), else as stored.

        "numeric": CLDR's short date with a four-digit year and short time, joined as CLDR joins them."""
        from babel.dates import format_datetime

        if value is None:
            return ""
        name = tz or _local_zone
        zone = _zone(name) if name else value.tzinfo
        if fmt in NUMERIC:
            date_part, time_part, glue = _date_patterns(self.language)
            pattern = glue.replace("{1}", date_part).replace("{0}", time_part)
            return format_datetime(value, format=pattern, tzinfo=zone, locale=self.date_locale)
        return format_datetime(value, format=fmt, tzinfo=zone, locale=self.locale)

    def format_datetime_zoned(self, value: datetime | None, tz: str | None = None) -> str:
        """A moment as format_datetime writes it, followed by the zone's CLDR name: "21/04/2024, 14:15
        (Uzbekistan Standard Time)", for an answer read far from the post (the `verify-print` answer)."""
        if value is None:
            return ""
        from babel.dates import get_timezone_name

        name = tz or _local_zone
        zone = _zone(name) if name else value.tzinfo
        if zone is None:
            return self.format_datetime(value, tz=tz)
        zone_name = get_timezone_name(value.astimezone(zone), "long", locale=self.date_locale)
        if self.language == "uz":  # CLDR's Uzbek metazone names write oʻ with U+2018; the desk writes U+02BB
            zone_name = zone_name.replace("\u2018", "\u02bb")
        return self.gettext("{moment} ({zone})").format(moment=self.format_datetime(value, tz=tz), zone=zone_name)

    def format_time(self, value: datetime | None, fmt: str = "short", tz: str | None = None) -> str:
        from babel.dates import format_time

        if value is None:
            return ""
        name = tz or _local_zone
        zone = _zone(name) if name else value.tzinfo
        if fmt in NUMERIC:
            return format_time(value, format=self.time_pattern, tzinfo=zone, locale=self.date_locale)
        return format_time(value, format=fmt, tzinfo=zone, locale=self.locale)

    @property
    def date_locale(self) -> str:
        return DATE_LOCALES[self.language]

    def format_number(self, value: int | float | Decimal | None) -> str:
        from babel.numbers import format_decimal

        return "" if value is None else format_decimal(value, locale=self.locale)

    def format_money(self, amount: Decimal | int | None, currency: str = "UZS") -> str:
        """9 100 000 soʻm / 9 100 000 сум / UZS 9,100,000: no minor units for the region's currencies."""
        from babel.numbers import format_currency

        if amount is None:
            return ""
        from decimal import Decimal

        if currency in NO_DECIMAL_CURRENCIES:
            amount = Decimal(amount).quantize(Decimal(1))
            if self.language == "en":
                return format_currency(amount, currency, format="¤\u00a0#,##0", currency_digits=False, locale="en")
            if self.language == "ru" and currency == "UZS":
                return format_currency(amount, currency, format="#,##0\u00a0сум", currency_digits=False, locale="ru")
            return format_currency(amount, currency, format="#,##0\u00a0¤", currency_digits=False, locale=self.locale)
        return format_currency(amount, currency, locale=self.locale)


@lru_cache(maxsize=None)
def _date_patterns(language: str) -> tuple[str, str, str]:
    """(date with a four-digit year, time, how CLDR joins them: "{1}, {0}") of a language's DATE_LOCALES entry."""
    import re

    from babel import Locale

    locale = Locale.parse(DATE_LOCALES[language])
    day = re.sub(r"y+", "yyyy", locale.date_formats["short"].pattern)
    glue = locale.datetime_formats["short"]
    glue = glue if isinstance(glue, str) else glue.pattern
    return day, locale.time_formats["short"].pattern, glue


def warm_up() -> None:
    """Read every language's catalog and CLDR data now (a worker does this at start), so that the first switch to
    a language does not read them on the GUI thread."""
    from datetime import datetime, timezone
    from decimal import Decimal

    moment = datetime(2024, 4, 20, 10, 40, tzinfo=timezone.utc)
    for language in LANGUAGES:
        tr = translator(language)
        tr.gettext("Ready.")
        tr.format_datetime(moment, tz="UTC")
        tr.format_number(Decimal("1234.5"))
        tr.format_money(Decimal(1000), "UZS")
        tr.date_hint()


def set_local_zone(name: str | None) -> None:
    """The IANA zone of the desk's post: times that belong to no case (logins, bundles) are shown in it."""
    global _local_zone
    _local_zone = name or None


def local_zone() -> str | None:
    return _local_zone


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
