"""Menus by keyboard in uz, ru and en: within a menu (and along the menu bar) no two entries share an Alt letter,
so that a letter opens its entry at once instead of cycling between two (Переслано &нам… beside &Новое дело)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from blo_desk.i18n import translator
from blo_desk.ui.actions import ACTIONS, MENUS, UNTRANSLATED


def _letter(text: str) -> str | None:
    at = text.replace("&&", "").find("&")
    return text.replace("&&", "")[at + 1].lower() if at >= 0 else None


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_no_two_entries_of_a_menu_share_an_alt_letter(language):
    # GIVEN the desk's menus as a user of this language reads them
    g = translator(language).gettext
    clashes = []
    bar: dict[str, list[str]] = defaultdict(list)
    for key, title, items in MENUS:
        bar[_letter(g(title)) or ""].append(g(title))
        letters: dict[str, list[str]] = defaultdict(list)
        for name in filter(None, items):
            spec = ACTIONS[name]
            text = spec.text if name in UNTRANSLATED else g(spec.text)
            if (letter := _letter(text)) is not None:
                letters[letter].append(text)
        # WHEN their Alt letters are gathered THEN each letter belongs to one entry
        clashes += [f"{key}: {texts}" for texts in letters.values() if len(texts) > 1]
    clashes += [f"menu bar: {texts}" for texts in bar.values() if len(texts) > 1]
    assert not clashes, "\n".join(clashes)
