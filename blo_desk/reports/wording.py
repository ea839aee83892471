"""The words of a printed page in one language, or in Uzbek and Russian side by side ("uz+ru")."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from xml.sax.saxutils import escape

from blo_desk.cldr import country_name, language_name
from blo_desk.domain.entities import Post, ReferenceItem
from blo_desk.i18n import N_plural, PluralMessage, Translator, translator

PRINT_LANGUAGES = ("uz", "ru", "en", "uz+ru")
SEPARATOR = " / "
LIST_SEPARATOR = ", "
NBSP = "\u00a0"
# Units counted in whole things take a plural in English ("130 boxes"); the others ("kg", "шт.") never change.
UNIT_WORDS = {
    "box": N_plural("{amount} box", "{amount} boxes", by="n"),
    "pack": N_plural("{amount} pack", "{amount} packs", by="n"),
    "bottle": N_plural("{amount} bottle", "{amount} bottles", by="n"),
    "round": N_plural("{amount} round", "{amount} rounds", by="n"),
    "pcs": N_plural("{amount} piece", "{amount} pieces", by="n"),
}


def unbroken(value: str) -> str:
    """The text with its spaces made non-breaking: a date, a sum or a quantity stays on one line."""
    return value.replace(" ", NBSP).replace("\u202f", NBSP)


def plural_count(amount: Decimal | int) -> int:
    """The n that picks a gettext plural form: the number itself when whole, else 2 (CLDR's form of fractions in en,
    ru and uz: "1.5 boxes", "1,5 коробки")."""
    value = Decimal(amount)
    return int(value) if value == value.to_integral_value() else 2


class Wording:
    """Translate labels, reference codes and formats for a print language; bilingual forms give both texts."""

    def __init__(self, mode: str) -> None:
        if mode not in PRINT_LANGUAGES:
            raise ValueError(f"unsupported print language {mode!r}")
        self.mode = mode
        self.languages = tuple(mode.split("+"))
        self.translators: tuple[Translator, ...] = tuple(translator(lang) for lang in self.languages)
        self.primary = self.translators[0]

    @property
    def bilingual(self) -> bool:
        return len(self.languages) > 1

    # --- messages ---------------------------------------------------------------------------------
    def texts(self, msgid: str, **params: object) -> list[str]:
        """The message in each language of the form, without repeats (untranslated text is shown once)."""
        found: list[str] = []
        for tr in self.translators:
            text = tr.gettext(msgid)
            text = text.format(**params) if params else text
            if text not in found:
                found.append(text)
        return found

    def __call__(self, msgid: str, **params: object) -> str:
        """Plain text: 'uz / ru' on a bilingual form."""
        return SEPARATOR.join(self.texts(msgid, **params))

    def phrase(self, msgid: str, **params: object) -> str:
        """Like calling the wording, but each text gets its own language's values: a date among the params is
        written in that language, and a dict param gives the value by language code."""
        return SEPARATOR.join(self.phrase_texts(msgid, **params))

    def phrase_texts(self, msgid: str, **params: object) -> list[str]:
        """The texts of `phrase`, one per language of the form (without repeats)."""
        found: list[str] = []
        for lang, tr in zip(self.languages, self.translators, strict=True):
            given = {k: unbroken(official_date(v, tr)) if isinstance(v, date)
                     else (v.get(lang, "") if isinstance(v, dict) else v) for k, v in params.items()}
            said = tr.gettext(msgid).format(**given)
            if said not in found:
                found.append(said)
        return found

    def markup(self, msgid: str, *, bold: bool = False, **params: object) -> str:
        """Paragraph markup; the second language in italics."""
        parts = [escape(text) for text in self.texts(msgid, **params)]
        first = f"<b>{parts[0]}</b>" if bold else parts[0]
        return first + "".join(f"{SEPARATOR}<i>{part}</i>" for part in parts[1:])

    def lines(self, msgid: str, **params: object) -> list[str]:
        return self.texts(msgid, **params)

    def plural_texts(self, message: PluralMessage, n: int, **params: object) -> list[str]:
        """A plural message in each language of the form, the form chosen by each language's plural rules."""
        found: list[str] = []
        for tr in self.translators:
            value = tr.ngettext(message.singular, message.plural, n).format(**params)
            if value not in found:
                found.append(value)
        return found

    def plural(self, message: PluralMessage, n: int, **params: object) -> str:
        return SEPARATOR.join(self.plural_texts(message, n, **params))

    # --- reference data ---------------------------------------------------------------------------
    def _unique(self, values: list[str]) -> str:
        seen: list[str] = []
        for value in values:
            if value and value not in seen:
                seen.append(value)
        return SEPARATOR.join(seen)

    def label(self, item: ReferenceItem | None, code: str = "") -> str:
        if item is None:
            return code
        return self._unique([item.label(lang) for lang in self.languages])

    def country(self, code: str) -> str:
        """A country's CLDR name in each language of the form (or 'Stateless', 'Unknown country')."""
        return self._unique([country_name(code, lang) for lang in self.languages]) if code else ""

    def language(self, code: str) -> str:
        """A language's CLDR name in each language of the form ('tojik / таджикский')."""
        return self._unique([language_name(code, lang) for lang in self.languages]) if code else ""

    def post_name(self, post: Post | None, code: str = "") -> str:
        if post is None:
            return code
        return self._unique([post.name(lang) for lang in self.languages])

    def post_phrase(self, msgid: str, post: Post | None, code: str) -> str:
        """A message naming a post, each language with the post's name in that language (no 'A / B' inside)."""
        texts: list[str] = []
        for lang, tr in zip(self.languages, self.translators, strict=True):
            name = post.name(lang) if post else code
            texts.append(tr.gettext(msgid).format(name=name, code=code))
        return self._unique(texts)

    def label_list(self, items: Iterable[tuple[ReferenceItem | None, str]]) -> str:
        """Several reference values, listed in each language: 'a, b / а, б' on a bilingual form."""
        pairs = [(item, code) for item, code in items if code]
        return self._unique(
            [LIST_SEPARATOR.join(item.label(lang) if item else code for item, code in pairs) for lang in self.languages]
        )

    def enum(self, member) -> str:
        return self._unique([member.label_in(tr) for tr in self.translators])

    def enum_list(self, members: Iterable) -> str:
        members = list(members)
        return self._unique([LIST_SEPARATOR.join(m.label_in(tr) for m in members) for tr in self.translators])

    def countries(self, codes: Iterable[str], *, joiner: str = LIST_SEPARATOR) -> str:
        """Country names (CLDR) joined in each language, e.g. a route 'A → B → C' with joiner ' → '."""
        codes = [code.upper() for code in codes if code]
        return self._unique([joiner.join(country_name(code, lang) for code in codes) for lang in self.languages])

    def field(self, msgid: str, value: str) -> str:
        """'Label: value', the label in each language and the value once."""
        return f"{self(msgid)}: {value}" if value else ""

    # --- formats ----------------------------------------------------------------------------------
    def date(self, value: date | None) -> str:
        """The date as each language writes it in official papers, unbroken: '2024-yil 20-aprel', '20 апреля 2024 г.',
        'April 20, 2024'; a bilingual form gives both."""
        return SEPARATOR.join(self.date_texts(value))

    def date_texts(self, value: dt.date | None) -> list[str]:  # `date` in this class is the method above
        """The date in each language of the form, officially written and unbroken (a table cell's lines)."""
        found: list[str] = []
        for tr in self.translators:
            said = unbroken(official_date(value, tr)) if value is not None else ""
            if said and said not in found:
                found.append(said)
        return found

    def time(self, value: datetime | None, tz: str | None = None) -> str:
        return self.primary.format_time(value, "HH:mm", tz=tz) if value else ""

    def number(self, value: int | Decimal | None) -> str:
        return self.primary.format_number(value)

    def exact_number(self, value: Decimal | None) -> str:
        """A measured amount with every decimal it was recorded with (85,505 in uz and ru; 0.0125 not rounded)."""
        from babel.numbers import format_decimal

        return "" if value is None else format_decimal(value, locale=self.primary.locale, decimal_quantization=False)

    def money(self, amount: Decimal | None, currency: str) -> str:
        return self.primary.format_money(amount, currency)

    def money_texts(self, amount: Decimal | None, currency: str) -> list[str]:
        """A sum in each language of the form, each unbroken: '9 100 000 soʻm' and '9 100 000 сум' on uz+ru."""
        if amount is None:
            return []
        found: list[str] = []
        for tr in self.translators:
            value = unbroken(tr.format_money(amount, currency))
            if value not in found:
                found.append(value)
        return found

    def quantity(self, amount: Decimal, item: ReferenceItem | None, code: str) -> str:
        """'130 boxes', '85,505 kg', '350 g / г': the amount as the first language writes it, the unit in each
        language (English plurals from the catalog; a unit the catalog does not know keeps its list label)."""
        number = self.exact_number(amount)
        words: list[str] = []
        message = UNIT_WORDS.get(code)
        for lang, tr in zip(self.languages, self.translators, strict=True):
            label = item.label(lang) if item else code
            if message is not None:
                said = tr.ngettext(message.singular, message.plural, plural_count(amount))
                if lang == "en" or said not in (message.singular, message.plural):
                    label = said.format(amount="").strip()
            if label and label not in words:
                words.append(label)
        unit = SEPARATOR.join(words)
        return unbroken(f"{number} {unit}".strip())

    def month(self, year: int, month: int) -> str:
        from babel.dates import format_skeleton

        return format_skeleton("yMMMM", date(year, month, 1), locale=self.primary.locale)

    def month_short(self, year: int, month: int) -> str:
        from babel.dates import format_date

        return format_date(date(year, month, 1), "LLL", locale=self.primary.locale)


def official_date(value: date, tr: Translator) -> str:
    """One language's official date: Uzbek '2024-yil 20-aprel' (CLDR's long form puts the year last)."""
    if tr.language == "uz":
        from babel.dates import format_date

        return f"{value.year}-yil {value.day}-{format_date(value, 'MMMM', locale=tr.locale)}"
    return tr.format_date(value, "long")
