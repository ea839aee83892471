"""Which offence articles a case may cite: those of its post's country, and any it already holds."""

from __future__ import annotations

from collections.abc import Iterable


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
