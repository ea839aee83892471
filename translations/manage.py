"""Manage the gettext catalogs: extract, update, fill English, compile and check (babel under the hood).

    python translations/manage.py extract   # blo_desk/**.py -> translations/blo_desk.pot
    python translations/manage.py update    # .pot -> {uz,ru,en}/LC_MESSAGES/blo_desk.po (English filled in)
    python translations/manage.py compile   # .po -> .mo (the app also reads .po directly when no .mo exists)
    python translations/manage.py check     # fail on untranslated or fuzzy entries, or a wrong Uzbek apostrophe
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOMAIN = "blo_desk"
LANGUAGES = ("uz", "ru", "en")
BABEL_LOCALES = {"uz": "uz_Latn", "ru": "ru", "en": "en"}
POT = HERE / f"{DOMAIN}.pot"
KEYWORDS = ["-k", "_", "-k", "N_", "-k", "N_plural:1,2", "-k", "ngettext:1,2", "-k", "pgettext:1c,2", "-k", "gettext"]


def po_path(language: str) -> Path:
    return HERE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _babel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract() -> None:
    _babel("extract", "-F", str(HERE / "babel.cfg"), *KEYWORDS, "--no-location", "--sort-output",
           "--project", "BLO Desk", "--copyright-holder", "BLO Desk developers", "-o", str(POT), str(ROOT))


def update() -> None:
    for language in LANGUAGES:
        path = po_path(language)
        if not path.exists():
            _babel("init", "-i", str(POT), "-d", str(HERE), "-D", DOMAIN, "-l", language)
        else:
            _babel("update", "-i", str(POT), "-d", str(HERE), "-D", DOMAIN, "-l", language,
                   "--no-fuzzy-matching", "--ignore-obsolete")
    fill_english()


def fill_english() -> None:
    """English msgids are the English text: copy each msgid into its msgstr."""
    path = po_path("en")
    with path.open("rb") as fh:
        catalog = read_po(fh, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(message.id[i] if i < len(message.id) else message.id[-1] for i in range(2))
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False)


def compile_all() -> None:
    for language in LANGUAGES:
        _babel("compile", "-d", str(HERE), "-D", DOMAIN, "-l", language)


def problems() -> list[str]:
    """Untranslated or fuzzy entries, and Uzbek text with an ASCII apostrophe or U+2018/U+2019 for ʻ ʼ."""
    found = []
    for language in LANGUAGES:
        with po_path(language).open("rb") as fh:
            catalog = read_po(fh, locale=BABEL_LOCALES[language])
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy:
                found.append(f"{language}: fuzzy: {message.id!r}")
            if not all(strings):
                found.append(f"{language}: untranslated: {message.id!r}")
            if language == "uz":
                for text in strings:
                    if any(bad in text for bad in ("'", "\u2018", "\u2019", "`")):
                        found.append(f"uz: use U+02BB/U+02BC, not an ASCII or curly apostrophe: {text!r}")
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "help"
    if command == "extract":
        extract()
    elif command == "update":
        extract()
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        issues = problems()
        print("\n".join(issues) or "catalogs complete")
        return 1 if issues else 0
    else:
        print(__doc__)
        return 0 if command == "help" else 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
