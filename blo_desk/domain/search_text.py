"""Normalize text for search: any case, any apostrophe, and Cyrillic or Latin spelling of the same name."""

from __future__ import annotations

import re
import unicodedata

# Every apostrophe-like mark people type for Uzbek oʻ gʻ and the tutuq belgisi: ' ` ‘ ’ ʻ ʼ ´
_APOSTROPHE_CHARS = "'`\u2018\u2019\u02bb\u02bc\u00b4\u02b9\u2032"
_APOSTROPHES = dict.fromkeys(map(ord, _APOSTROPHE_CHARS), None)
# str.translate looks every character of a non-ASCII text up in a dict; a regex finds the few that change in C.
_APOSTROPHE_RE = re.compile("[" + re.escape(_APOSTROPHE_CHARS) + "]")
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)

# Cyrillic of the region (Russian, Uzbek, Kazakh, Kyrgyz, Tajik) to a plain Latin spelling.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z",
    "и": "i", "й": "y", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ү": "u", "ұ": "u", "ў": "o", "ф": "f", "х": "x",
    "ҳ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "і": "i", "ә": "a", "ҷ": "j", "ӣ": "i", "ӯ": "u", "һ": "h",
}
_CYRILLIC_TABLE = str.maketrans(_CYRILLIC)
_CYRILLIC_RUN_RE = re.compile("[" + "".join(_CYRILLIC) + "]+")
# Latin spellings of one sound folded together: Khasanov/Xasanov, Zhumabaev/Jumabaev, Qodirov/Kodirov, -yev/-ev.
_LATIN_FOLDS = (("kh", "x"), ("zh", "j"), ("q", "k"), ("ye", "e"), ("yo", "o"), ("w", "v"))


def normalize(text: str) -> str:
    """Case-folded, apostrophes dropped, NFC; 'Gʻ' and "G'" and 'g‘' all become 'g'."""
    return _APOSTROPHE_RE.sub("", unicodedata.normalize("NFC", text or "")).casefold()


def latin_key(normalized: str) -> str:
    """A script-free spelling of normalized text, so 'Каримов' and 'Karimov', 'Тўхтаев' and 'Toʻxtayev' meet."""
    key = normalized if normalized.isascii() else _CYRILLIC_RUN_RE.sub(_latin_run, normalized)
    for variant, folded in _LATIN_FOLDS:
        key = key.replace(variant, folded)
    return key


def _latin_run(match: re.Match[str]) -> str:
    return match.group().translate(_CYRILLIC_TABLE)


def index_text(text: str) -> str:
    """What goes into the search index: the normalized text, plus its Latin key where that differs."""
    plain = normalize(text)
    key = latin_key(plain)
    return plain if key == plain else f"{plain} {key}"


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(normalize(text))
