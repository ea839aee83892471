"""Substances and goods with their names and synonyms in every language, and finding them in what people type."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from blo_desk.domain.search_text import latin_key, normalize

LANGUAGES = ("uz", "ru", "en")

_DIGIT_TIMES_RE = re.compile(r"(\d)\s*[x×х*]\s*(\d)")  # 7,62 × 39, 9х18 (Cyrillic х), 9*19 -> 9x19
_DECIMAL_RE = re.compile(r"(\d)[.,](\d)")  # 5,45 and 5.45 alike (the key drops the mark)
_DIGIT_MM_RE = re.compile(r"(\d)(mm)\b")  # 4,5mm -> 4,5 mm
_WORD_RE = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Substance:
    """A substance or kind of goods an item may name, by a language-neutral code."""

    code: str
    category: str  # reference code, ReferenceKind.COMMODITY_CATEGORY
    unit: str  # the usual unit, reference code, ReferenceKind.UNIT
    name_uz: str
    name_ru: str
    name_en: str
    synonyms: tuple[str, ...] = ()  # other names and spellings, any language and script
    generic: bool = False  # a catch-all ("other cartridges"): a specific substance of its category found wins

    def label(self, language: str) -> str:
        return getattr(self, f"name_{language}", "") or self.name_en

    @property
    def terms(self) -> tuple[str, ...]:
        """Its names and synonyms, each once (same spelling after normalization counts once)."""
        seen: set[str] = set()
        out: list[str] = []
        for term in (self.name_uz, self.name_ru, self.name_en, *self.synonyms):
            key = normalize(term)
            if term and key not in seen:
                seen.add(key)
                out.append(term)
        return tuple(out)


def parse_substances(data: Mapping[str, Any]) -> list[Substance]:
    """Substances from the shipped data (resources/reference/substances.json, already read as JSON)."""
    result: list[Substance] = []
    for entry in data["substances"]:
        names = entry["names"]
        synonyms = entry.get("synonyms", {})
        result.append(Substance(
            code=entry["code"], category=entry["category"], unit=entry.get("unit", ""),
            name_uz=names["uz"], name_ru=names["ru"], name_en=names["en"],
            synonyms=tuple(term for language in LANGUAGES for term in synonyms.get(language, ())),
            generic=bool(entry.get("generic", False)),
        ))
    return result


def match_words(text: str) -> list[str]:
    """The words text is compared by: normalized, in its Latin key, numbers like 7,62×39 written one way."""
    plain = _DECIMAL_RE.sub(r"\1\2", _DIGIT_TIMES_RE.sub(r"\1x\2", normalize(text)))
    return _WORD_RE.findall(_DIGIT_MM_RE.sub(r"\1 mm", latin_key(plain)))


_VOWELS = frozenset("aeiouy")


def _word_matches(typed: str, known: str) -> bool:
    """A typed word matches a known one exactly, or as the same stem with an ending (героина, gashishni, марихуаны).

    Words of fewer than 4 letters match exactly only; of 4 or 5 letters as a prefix followed by at most 3 more
    letters; longer ones may also change one or two final vowels (конопля/конопли, уксусный/уксусного) and take up
    to 5 more letters. A changed consonant never matches (пластит is not plastic, Соколов is not сокол).
    """
    if typed == known:
        return True
    size = len(known)
    if size < 4 or typed.isdigit() or known.isdigit():
        return False
    common = 0
    for a, b in zip(typed, known, strict=False):
        if a != b:
            break
        common += 1
    tail = known[common:]
    if len(tail) > (0 if size <= 5 else 2) or not _VOWELS.issuperset(tail):
        return False
    return len(typed) - common <= (3 if size <= 5 else 5)


class SubstanceIndex:
    """Substances by code, and which of them a text names (in any language, script or common spelling)."""

    def __init__(self, substances: Iterable[Substance]) -> None:
        self._by_code: dict[str, Substance] = {}
        phrases: dict[tuple[str, ...], set[str]] = {}
        for substance in substances:
            if substance.code in self._by_code:
                raise ValueError(f"substance code {substance.code!r} is listed twice")
            self._by_code[substance.code] = substance
            for term in substance.terms:
                words = tuple(match_words(term))
                if words:
                    phrases.setdefault(words, set()).add(substance.code)
        # longest phrases first, so "hash oil" is tried before "hash" at the same place
        self._phrases = sorted(phrases.items(), key=lambda item: -len(item[0]))
        # every name and synonym of each substance as its words, for find() as the officer types
        self._term_words = {code: [tuple(match_words(term)) for term in s.terms] for code, s in self._by_code.items()}
        self._by_first: dict[str, list[tuple[tuple[str, ...], set[str]]]] = {}
        for words, codes in self._phrases:
            self._by_first.setdefault(words[0][:4], []).append((words, codes))

    def __len__(self) -> int:
        return len(self._by_code)

    def __iter__(self) -> Iterator[Substance]:
        return iter(self._by_code.values())

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Substance | None:
        return self._by_code.get(code)

    def codes(self) -> frozenset[str]:
        return frozenset(self._by_code)

    def in_category(self, category: str) -> list[Substance]:
        return [s for s in self._by_code.values() if s.category == category]

    def terms(self, code: str) -> tuple[str, ...]:
        """Every name and synonym of the substance (for the search body); nothing for an unknown code."""
        substance = self._by_code.get(code)
        return substance.terms if substance else ()

    def names(self, codes: Iterable[str]) -> list[str]:
        """The uz, ru and en names of the substances (what a case's search body holds; synonyms are matched at
        query time)."""
        return [name for code in dict.fromkeys(codes) if (found := self._by_code.get(code)) is not None
                for name in (found.name_uz, found.name_ru, found.name_en)]

    def search_words(self, codes: Iterable[str]) -> str:
        """The names and synonyms of the substances, as one text to add to a case's search body."""
        return " ".join(term for code in dict.fromkeys(codes) for term in self.terms(code))

    def find(self, typed: str) -> tuple[str, ...]:
        """The substances a few typed letters may mean, in list order: those with a name or synonym in any language or
        script each typed word begins a word of ("nas" finds cannabis by "nasha", "геро" heroin, "gash" hashish),
        or that the typed text names with an ending (codes_in: "героина"). Nothing typed: every substance."""
        words = match_words(typed)
        if not words:
            return tuple(self._by_code)
        named = set(self.codes_in(typed))
        return tuple(code for code, terms in self._term_words.items()
                     if code in named or any(all(any(t.startswith(w) for t in term) for w in words) for term in terms))

    def codes_in(self, text: str) -> tuple[str, ...]:
        """The substances a text names, by first mention; "героина", "Heroin" and "geroin" all give heroin.

        Where a longer name covers a shorter one ("hash oil" covers "hash"), only the longer counts; a catch-all
        ("other cartridges") counts only when no specific substance of its category is named.
        """
        words = match_words(text)
        spans: list[tuple[int, int, set[str]]] = []
        for start, word in enumerate(words):
            for phrase, codes in self._by_first.get(word[:4], ()):
                end = start + len(phrase)
                if end <= len(words) and all(_word_matches(w, p) for w, p in zip(words[start:end], phrase, strict=True)):
                    spans.append((start, end, codes))
        kept = [s for s in spans
                if not any(o[0] <= s[0] and s[1] <= o[1] and (o[1] - o[0]) > (s[1] - s[0]) for o in spans)]
        found: dict[str, None] = {}
        for _start, _end, codes in sorted(kept, key=lambda s: (s[0], -(s[1] - s[0]))):
            for code in sorted(codes):
                found.setdefault(code, None)
        specific = {self._by_code[c].category for c in found if not self._by_code[c].generic}
        return tuple(c for c in found if not (self._by_code[c].generic and self._by_code[c].category in specific))
