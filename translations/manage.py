"""Manage the gettext catalogs: extract, update, compile, check, and import a translator's TSV (babel underneath).

    python translations/manage.py extract              # blo_desk/**.py -> translations/blo_desk.pot
    python translations/manage.py update               # extract, then merge the .pot into {uz,ru,en}/LC_MESSAGES/*.po
    python translations/manage.py compile              # .po -> .mo (the app also reads .po directly when no .mo exists)
    python translations/manage.py check                # untranslated/fuzzy entries, placeholders, mnemonics (&),
                                                       # end punctuation, Uzbek apostrophes; exit 1 on any finding
    python translations/manage.py import-tsv FILE.tsv  # merge msgid<TAB>uz<TAB>ru lines into the uz and ru catalogs

The .po files are the only source of the translations: update keeps every msgstr a translator wrote, and the
English msgstr is always the msgid. The translator's workflow is in docs/translations.md.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import NamedTuple

from babel.messages.catalog import Catalog, Message
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import PoFileError, read_po, write_po

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOMAIN = "blo_desk"
LANGUAGES = ("uz", "ru", "en")
TRANSLATED = ("uz", "ru")
BABEL_LOCALES = {"uz": "uz_Latn", "ru": "ru", "en": "en"}
POT = HERE / f"{DOMAIN}.pot"
WIDTH = 100
KEYWORDS = ["-k", "_", "-k", "N_", "-k", "N_plural:1,2", "-k", "ngettext:1,2", "-k", "pgettext:1c,2", "-k", "gettext"]

#: {name} placeholders of str.format: the same set in every msgstr as in the msgid.
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
#: argparse's own texts use %-style placeholders (%(name)s, %(value)r, %s): kept exactly, as often as in English.
PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0+]*\d*(?:\.\d+)?[sdrifx%]")
ENDINGS = ("…", ".", ":", "?", "!")
#: Translations may end on the full stop of an abbreviation where the English has no full stop.
ABBREVIATIONS = ("F.I.Sh.", "Ед. изм.", "шт.", "кор.", "пач.", "бут.", "патр.")  # unit abbreviations keep their dot
#: Never in Uzbek text: oʻ gʻ take U+02BB (ʻ), the apostrophe (tutuq belgisi) is U+02BC (ʼ).
WRONG_APOSTROPHES = ("'", "\u2018", "\u2019", "`")
OKINA, TUTUQ = "\u02bb", "\u02bc"
#: Uzbek text quotes with “…” throughout (a button's name, a typed search); « » mixed in read as two styles.
UZ_OTHER_QUOTES = ("«", "»", "„")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def po_path(language: str, folder: Path = HERE) -> Path:
    return folder / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def _shown(path: Path) -> str:
    """The path as a finding prints it: relative to the repository when it is inside it."""
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def _babel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def read_catalog(language: str, folder: Path = HERE, strict: bool = False) -> Catalog:
    with po_path(language, folder).open("rb") as fh:
        return read_po(fh, locale=BABEL_LOCALES[language], abort_invalid=strict)


def write_catalog(language: str, catalog: Catalog, folder: Path = HERE) -> None:
    with po_path(language, folder).open("wb") as fh:
        write_po(fh, catalog, width=WIDTH, omit_header=False, ignore_obsolete=True)


def _forms(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, (tuple, list)) else (value,)


# --- extract, update, compile ----------------------------------------------------------------------------------


def extract() -> None:
    """Write the .pot from the code; an unchanged extraction keeps the old file (and its creation date)."""
    before = POT.read_text("utf-8") if POT.exists() else None
    _babel("extract", "-F", str(HERE / "babel.cfg"), *KEYWORDS, "--no-location", "--sort-output",
           "--project", "BLO Desk", "--copyright-holder", "BLO Desk developers", "-o", str(POT), str(ROOT))
    if before is not None and _without_dates(POT.read_text("utf-8")) == _without_dates(before):
        POT.write_text(before, "utf-8")


def _without_dates(text: str) -> str:
    return re.sub(r'^"POT-Creation-Date: .*$', "", text, flags=re.MULTILINE)


def update() -> None:
    """Merge the .pot into each catalog: new msgids are added empty, gone ones dropped, every msgstr kept."""
    with POT.open("rb") as fh:
        template = read_po(fh)
    for language in LANGUAGES:
        if not po_path(language).exists():
            _babel("init", "-i", str(POT), "-d", str(HERE), "-D", DOMAIN, "-l", language)
        catalog = read_catalog(language)
        catalog.update(template, no_fuzzy_matching=True)
        write_catalog(language, catalog)
    fill_english()


def fill_english(folder: Path = HERE) -> None:
    """English msgids are the English text: copy each msgid into its msgstr."""
    catalog = read_catalog("en", folder)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            message.string = tuple(message.id[i] if i < len(message.id) else message.id[-1] for i in range(2))
        else:
            message.string = message.id
        message.flags.discard("fuzzy")
    write_catalog("en", catalog, folder)


def compile_all() -> None:
    for language in LANGUAGES:
        _babel("compile", "-d", str(HERE), "-D", DOMAIN, "-l", language)


# --- check -----------------------------------------------------------------------------------------------------


def ending(text: str) -> str:
    text = text.rstrip(" ")
    return next((mark for mark in ENDINGS if text.endswith(mark)), "")


def message_problems(language: str, msgid: str | tuple[str, ...] | list[str], strings: tuple[str, ...],
                     nplurals: int) -> list[str]:
    """What is wrong with one entry's translation, in words (an empty list when nothing is)."""
    ids = _forms(msgid)
    plural = len(ids) > 1
    if plural and len(strings) != nplurals:
        return [f"has {len(strings)} plural forms; {language} has {nplurals}"]
    if not all(strings):
        empty = [str(i) for i, text in enumerate(strings) if not text]
        return [f"untranslated plural form(s) {', '.join(empty)}" if plural and len(empty) < len(strings)
                else "untranslated"]
    found = []
    wanted = set(PLACEHOLDER.findall(" ".join(ids)))
    for index, text in enumerate(strings):
        where = f"msgstr[{index}] " if plural else ""
        got = set(PLACEHOLDER.findall(text))
        if got != wanted:
            details = [f"missing {' '.join(sorted(wanted - got))}" if wanted - got else "",
                       f"unknown {' '.join(sorted(got - wanted))}" if got - wanted else ""]
            found.append(f"{where}placeholders differ ({', '.join(d for d in details if d)}): {text!r}")
        if sorted(PERCENT.findall(text)) != sorted(PERCENT.findall(ids[0])):
            found.append(f"{where}%-placeholders differ: {PERCENT.findall(ids[0])} in the msgid, "
                         f"{PERCENT.findall(text)} in {text!r}")
        if ids[0].count("&") != text.count("&"):
            found.append(f"{where}mnemonic & count differs ({ids[0].count('&')} in the msgid, "
                         f"{text.count('&')} here): {text!r}")
        if ending(ids[0]) != ending(text) and not text.endswith(ABBREVIATIONS) \
                and not (ids[0].endswith("No.") and text.endswith("№")):
            found.append(f"{where}ends with {ending(text) or 'no mark'!r}, the msgid with "
                         f"{ending(ids[0]) or 'no mark'!r}: {text!r}")
        if ids[0].endswith(" ") != text.endswith(" "):
            found.append(f"{where}trailing space differs: {text!r}")
        if ids[0].count("\n") != text.count("\n"):
            found.append(f"{where}line breaks differ: {text!r}")
        if language == "uz":
            wrong = sorted({f"U+{ord(c):04X}" for c in text if c in WRONG_APOSTROPHES})
            if wrong:
                found.append(f"{where}wrong apostrophe {', '.join(wrong)}: write oʻ gʻ with U+02BB and the "
                             f"apostrophe with U+02BC: {text!r}")
            if re.search(r"[^oOgG]\u02bb", text) or text.startswith(OKINA):
                found.append(f"{where}ʻ (U+02BB) after a letter other than o or g (use ʼ U+02BC): {text!r}")
            if CYRILLIC.search(text):
                found.append(f"{where}Cyrillic letters in Uzbek Latin text: {text!r}")
            if any(mark in text for mark in UZ_OTHER_QUOTES):
                found.append(f"{where}quotation marks « » or „: Uzbek text quotes with “…”: {text!r}")
    return found


def problems(folder: Path = HERE) -> list[str]:
    """Every finding of every catalog, as `file:line: msgid "...": what is wrong`."""
    found = []
    for language in LANGUAGES:
        path = po_path(language, folder)
        try:
            catalog = read_catalog(language, folder, strict=True)
        except PoFileError as error:
            found.append(f"{_shown(path)}: cannot be read: {error}")
            continue
        for message in catalog:
            if not message.id:
                continue
            what = ["fuzzy (review it, then remove the fuzzy flag)"] if message.fuzzy else []
            what += message_problems(language, message.id, _forms(message.string or ""), catalog.num_plurals)
            msgid = message.id[0] if isinstance(message.id, tuple) else message.id
            found += [f"{_shown(path)}:{message.lineno}: msgid {msgid!r}: {language}: {w}" for w in what]
    return found


# --- import-tsv ------------------------------------------------------------------------------------------------


class Row(NamedTuple):
    """One line of a translator's TSV: its number, the msgid cell and the translation cells (uz, ru, ...)."""

    line: int
    msgid: str
    cells: tuple[str, ...]


def _cell(text: str) -> str:
    """A TSV cell as text: spreadsheet quoting undone, and the escapes \\n, \\t and \\\\ decoded."""
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        text = text[1:-1].replace('""', '"')
    return re.sub(r"\\([nt\\])", lambda m: {"n": "\n", "t": "\t", "\\": "\\"}[m.group(1)], text)


def uzbek_apostrophes(text: str) -> str:
    """o' g' (typed with ', ‘, ’ or `) become oʻ gʻ with U+02BB; any other such mark becomes ʼ U+02BC."""
    marks = "".join(re.escape(c) for c in WRONG_APOSTROPHES)
    text = re.sub(rf"([oOgG])[{marks}]", rf"\1{OKINA}", text)
    return re.sub(rf"[{marks}]", TUTUQ, text)


def read_tsv(path: Path) -> list[Row]:
    """Rows of msgid<TAB>uz<TAB>ru; a plural row is msgid|msgid_plural<TAB>uz0|uz1<TAB>ru0|ru1|ru2.

    Blank lines, lines starting with # and a heading row whose first cell is "msgid" are skipped.
    """
    rows = []
    for number, raw in enumerate(path.read_text("utf-8-sig").splitlines(), start=1):
        if not raw.strip() or raw.startswith("#"):
            continue
        msgid, *cells = [_cell(cell) for cell in raw.split("\t")]
        if msgid.strip().lower() != "msgid":
            rows.append(Row(number, msgid, tuple(cells)))
    return rows


def _entry(catalog: Catalog, cell: str) -> tuple[Message | None, str]:
    """The catalog entry a TSV msgid cell names, or None and why not."""
    message = catalog.get(cell)
    if message is not None:
        if isinstance(message.id, tuple):
            return None, "a plural entry: write it as msgid|msgid_plural, with the forms separated by |"
        return message, ""
    singular, bar, plural = cell.partition("|")
    message = catalog.get(singular) if bar else None
    if message is None:
        return None, "unknown msgid, not in the catalogs (run `manage.py update` first, or compare with the .pot)"
    if not isinstance(message.id, tuple):
        return None, "not a plural entry in the catalogs: give the msgid alone"
    if message.id[1] != plural:
        return None, f"the catalogs' msgid_plural is {message.id[1]!r}"
    return message, ""


def import_tsv(path: Path, folder: Path = HERE) -> tuple[list[str], dict[str, int]]:
    """Merge a TSV's translations into the uz and ru catalogs; nothing is written when any line is refused.

    Returns the refusals (empty on success) and, per language, how many msgstr were changed.
    """
    catalogs = {language: read_catalog(language, folder) for language in TRANSLATED}
    refusals: list[str] = []
    updates: list[tuple[str, Message, tuple[str, ...]]] = []
    for row in read_tsv(path):
        where = f"{path}:{row.line}: {row.msgid!r}"
        if any(cell.strip() for cell in row.cells[len(TRANSLATED):]):
            refusals.append(f"{where}: more than three columns (msgid, uz, ru)")
            continue
        for language, cell in zip(TRANSLATED, row.cells, strict=False):
            if not cell.strip():
                continue
            message, why = _entry(catalogs[language], row.msgid)
            if message is None:
                refusals.append(f"{where}: {why}")
                break
            forms = tuple(cell.split("|")) if isinstance(message.id, tuple) else (cell,)
            if language == "uz":
                forms = tuple(uzbek_apostrophes(text) for text in forms)
            if isinstance(message.id, tuple) and len(forms) != catalogs[language].num_plurals:
                refusals.append(f"{where}: {language} has {catalogs[language].num_plurals} plural forms, "
                                f"the line gives {len(forms)}")
                continue
            updates.append((language, message, forms))
    changed = {language: 0 for language in TRANSLATED}
    if refusals:
        return refusals, changed
    for language, message, forms in updates:
        if _forms(message.string or "") != forms or message.fuzzy:
            changed[language] += 1
        message.string = forms if isinstance(message.id, tuple) else forms[0]
        message.flags.discard("fuzzy")
    for language in TRANSLATED:
        write_catalog(language, catalogs[language], folder)
    fill_english(folder)
    return refusals, changed


# --- command line ----------------------------------------------------------------------------------------------


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
        print("\n".join(issues) if issues else "catalogs complete, no findings")
        if issues:
            print(f"{len(issues)} finding(s)", file=sys.stderr)
        return 1 if issues else 0
    elif command == "import-tsv" and len(argv) == 3:
        refusals, changed = import_tsv(Path(argv[2]))
        if refusals:
            print("\n".join(refusals))
            print(f"nothing imported: {len(refusals)} line(s) refused", file=sys.stderr)
            return 1
        print(", ".join(f"{language}: {count} msgstr changed" for language, count in changed.items()))
        issues = problems()
        if issues:
            print("\n".join(issues))
            print(f"imported, but `check` has {len(issues)} finding(s)", file=sys.stderr)
            return 1
        return 0
    else:
        print(__doc__)
        return 0 if command == "help" else 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
