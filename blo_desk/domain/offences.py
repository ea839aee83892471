"""Offence articles: which a case may cite (its post's country's, and any it holds), their codes and citations."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from blo_desk.domain.errors import ReferenceEntryError
from blo_desk.i18n import N_

#: How each language cites an article and its part, in the order of the labels (uz, ru, en).
CITATION = (
    ("{law}, {article}-modda", ", {part}-qism"),
    ("{law}, ст. {article}", ", ч. {part}"),
    ("{law}, art. {article}", ", part {part}"),
)
TITLE_SEPARATOR = " — "  # between the citation and the short title in a label
_ARTICLE = re.compile(r"\d{1,4}(\.\d{1,3})*")  # 246, 200.1: a dash would read as the part in the code
_PART = re.compile(r"\d{1,3}")
_LAW = re.compile(r"[A-Z]{2,5}")


def article_country(code: str) -> str:
    """The country of an offence article, from its code COUNTRY-LAW-ARTICLE[-PART] ("KG-CC-267" -> "KG")."""
    return code.split("-", 1)[0].upper()


def offered_articles(codes: Iterable[str], *, country: str, held: Iterable[str] = ()) -> list[str]:
    """The articles to offer for a case at a post of `country`: the country's own in the list's order, then every
    other article the case already holds, in its order (a case saved with another country's article, or with one
    the list no longer has, keeps showing it so that it can be seen and unticked)."""
    country = country.upper()
    own = [code for code in dict.fromkeys(codes) if article_country(code) == country]
    return own + [code for code in dict.fromkeys(held) if code not in own]


def offence_row(*, law: str, law_names: Sequence[str], article: str, part: str,
                titles: Sequence[str]) -> list[str]:
    """One offence article as a reference row [code, uz, ru, en]: code COUNTRY-LAW-ARTICLE[-PART] from the law's
    key (e.g. "UZ-CC"), each label the citation in its language and the short title
    ("Jinoyat kodeksi, 246-modda — Kontrabanda"). The shipped list and an administrator's entries both use it."""
    labels = []
    for (cite, cite_part), law_name, title in zip(CITATION, law_names, titles, strict=True):
        citation = cite.format(law=law_name, article=article) + (cite_part.format(part=part) if part else "")
        labels.append(f"{citation}{TITLE_SEPARATOR}{title}")
    return ["-".join(p for p in (law, article, part) if p), *labels]


@dataclass(frozen=True, slots=True)
class ArticleEntry:
    """An offence article as an administrator types it: country, the law's code within it, article, part, and the
    short title in uz, ru, en (the law's names only for a law the country does not have yet)."""

    country: str
    law: str  # within the country, e.g. "CC"; the law's key is COUNTRY-LAW
    article: str
    part: str
    titles: tuple[str, str, str]
    law_names: tuple[str, str, str] = ("", "", "")

    @property
    def law_key(self) -> str:
        return f"{self.country}-{self.law}"

    @property
    def code(self) -> str:
        return "-".join(p for p in (self.law_key, self.article, self.part) if p)


def clean_entry(*, country: str, law: str, article: str, part: str, titles: Sequence[str],
                law_names: Sequence[str] = ("", "", "")) -> ArticleEntry:
    """The entry with its blanks trimmed and codes upper-cased, or ReferenceEntryError saying what is wrong (the
    country's posts and laws are checked by the service)."""
    country, law = country.strip().upper(), law.strip().upper()
    article, part = article.strip(), part.strip()
    if law.startswith(f"{country}-"):
        law = law[len(country) + 1:]  # "TM-CC" typed for the law of TM
    if not _LAW.fullmatch(law):
        raise ReferenceEntryError(N_("The law's code must be 2 to 5 Latin letters, such as CC, not “{law}”."), law=law)
    if not _ARTICLE.fullmatch(article):
        raise ReferenceEntryError(N_("The article must be a number such as 246 or 200.1, not “{article}”."),
                                  article=article)
    if part and not _PART.fullmatch(part):
        raise ReferenceEntryError(N_("The part must be a number such as 2, not “{part}”."), part=part)
    cleaned = tuple(" ".join(t.split()) for t in titles)
    if len(cleaned) != 3 or not all(cleaned):
        raise ReferenceEntryError(N_("Give the article's short title in each language: Uzbek, Russian and English."))
    names = tuple(" ".join(n.split()) for n in law_names)
    return ArticleEntry(country=country, law=law, article=article, part=part,
                        titles=(cleaned[0], cleaned[1], cleaned[2]), law_names=(names[0], names[1], names[2]))


def split_code(code: str) -> tuple[str, str, str, str]:
    """(country, law, article, part) of an article's code ("UZ-CC-246-1" -> ("UZ", "CC", "246", "1"))."""
    country, law, article, *rest = code.split("-") + ["", ""]
    return country, law, article, rest[0] if rest else ""


def short_title(label: str) -> str:
    """The short title of an article's label (what follows the citation)."""
    return label.split(TITLE_SEPARATOR, 1)[-1]
