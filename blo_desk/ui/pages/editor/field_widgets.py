"""The widgets of the case editor's form fields, and the choices of its combos (labelled in the active language)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from blo_desk import cldr
from blo_desk.domain.enums import Direction, TimePrecision
from blo_desk.domain.offences import offered_articles
from blo_desk.i18n import active_language
from blo_desk.ui.forms import CodeCombo
from blo_desk.ui.pages.editor.form_sections import (
    COUNTRIES,
    DIRECTIONS,
    LANGUAGES,
    OFFENCES,
    POSTS,
    PRECISIONS,
    CaseField,
)
from blo_desk.ui.reference import ReferenceData
from blo_desk.ui.widgets.choices import CheckList, CodeSequence
from blo_desk.ui.widgets.dates import DateLineEdit

CHOICE_CHARS = 90  # a longer label (an article's title) is cut with an ellipsis in a choice list


def ref_choices(reference: ReferenceData, kind: str) -> list[tuple[str, str]]:
    return [(i.code, reference.label(kind, i.code)) for i in reference.items(kind) if i.active]


def country_choices() -> list[tuple[str, str]]:
    """Every country (CLDR names in the active language), the region's first, then stateless and unknown."""
    return [(code, f"{name} ({code})") for code, name in cldr.country_choices(active_language())]


def currency_choices() -> list[tuple[str, str]]:
    """Every current currency (CLDR names in the active language), the region's and the usual foreign ones first."""
    return [(code, f"{name} ({code})") for code, name in cldr.currency_choices(active_language())]


def post_choices(reference: ReferenceData) -> list[tuple[str, str]]:
    return [(p.code, f"{reference.post_name(p.code)} ({p.code})") for p in reference.posts if p.active]


def choices_of(source: str, reference: Callable[[], ReferenceData]) -> Callable[[], list[tuple[str, str]]]:
    """A combo's choices, read from the reference data the page holds when the combo is (re)loaded."""
    if source == POSTS:
        return lambda: post_choices(reference())
    if source == COUNTRIES:
        return country_choices
    if source == DIRECTIONS:
        return lambda: [(str(d), d.label) for d in Direction]
    if source == PRECISIONS:
        return lambda: [(str(p), p.label) for p in TimePrecision]
    if source == OFFENCES:
        return lambda: offence_choices(reference(), country="", held=())
    if source == LANGUAGES:
        return lambda: [(code, f"{name} ({code})") for code, name in cldr.language_choices(active_language())]
    return lambda: ref_choices(reference(), source)


def offence_choices(reference: ReferenceData, *, country: str, held: Iterable[str]) -> list[tuple[str, str]]:
    """The offence articles a case at a post of `country` may cite (domain.offences decides which), each shown as its
    code and short title; with no country known yet, none but those the case holds."""
    active = [item.code for item in reference.items("offence_article") if item.active]
    labels = {code: reference.label("offence_article", code) for code in offered_articles(active, country=country,
                                                                                            held=held)}
    return [(code, code if label == code else f"{code}: {shortened(label.split(' — ', 1)[-1])}")
            for code, label in labels.items()]


def post_country(reference: ReferenceData, post_code: str) -> str:
    return next((p.country for p in reference.posts if p.code == post_code), "")


def shortened(label: str) -> str:
    return label if len(label) <= CHOICE_CHARS else label[: CHOICE_CHARS - 1].rstrip() + "…"


def field_widget(field: CaseField, reference: Callable[[], ReferenceData]) -> QWidget:
    if field.kind == "long":
        text = QPlainTextEdit()
        text.setTabChangesFocus(True)
        text.setMinimumHeight(field.min_height)
        return text
    if field.kind == "checks":
        return CheckList(choices_of(field.choices, reference), rows=5)
    if field.kind == "sequence":
        return CodeSequence(choices_of(field.choices, reference))
    if field.kind == "date":
        return DateLineEdit()
    if field.kind in ("text", "weight", "count"):
        line = QLineEdit()
        if field.placeholder:
            line.setPlaceholderText(field.placeholder)
        return line
    return CodeCombo(choices_of(field.choices, reference), blank=field.blank)
