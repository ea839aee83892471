"""Normalize text for search so Cyrillic and Uzbek Latin match whatever case or apostrophe is typed."""

from __future__ import annotations

import re
import unicodedata

# Every apostrophe-like mark people type for Uzbek oʻ gʻ and the tutuq belgisi: ' ` ‘ ’ ʻ ʼ ´
_APOSTROPHES = dict.fromkeys(map(ord, "'`\u2018\u2019\u02bb\u02bc\u00b4\u02b9\u2032"), None)
_TOKEN_RE = re.compile(r"\w+", re.UNICODE)


def normalize(text: str) -> str:
    """Case-folded, apostrophes dropped, NFC; 'Gʻ' and "G'" and 'g‘' all become 'g'."""
    return unicodedata.normalize("NFC", text or "").translate(_APOSTROPHES).casefold()


def tokens(text: str) -> list[str]:
    return _TOKEN_RE.findall(normalize(text))
