"""Catalogs complete and consistent in uz, ru, en (manage.py check); money and dates formatted per language."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import unicodedata
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from blo_desk.config import resources_dir, translations_dir
from blo_desk.i18n import _, set_language, translator

ROOT = Path(__file__).resolve().parent.parent


def _manage():
    spec = importlib.util.spec_from_file_location("manage", translations_dir() / "manage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalogs_pass_manage_py_check():
    # GIVEN the uz, ru and en catalogs WHEN `manage.py check` looks at them THEN every entry is translated, none is
    # fuzzy, placeholders, mnemonics and end punctuation match the msgid, and Uzbek uses U+02BB/U+02BC
    findings = _manage().problems()
    assert not findings, "\n".join(findings)


def test_every_string_in_the_code_is_in_the_catalogs(tmp_path):
    # GIVEN a fresh extraction of the code's strings
    pot = tmp_path / "fresh.pot"
    manage = _manage()
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", str(translations_dir() / "babel.cfg"),
         *manage.KEYWORDS, "-o", str(pot), str(ROOT)],
        check=True, cwd=ROOT,
    )
    with pot.open("rb") as fh:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
    # WHEN compared with each language's catalog THEN nothing is missing
    for language in ("uz", "ru", "en"):
        with manage.po_path(language).open("rb") as fh:
            have = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(fh) if m.id}
        assert not sorted(wanted - have), f"{language} lacks: {sorted(wanted - have)[:10]}"


def test_no_text_reaches_a_translator_unseen_by_extraction():
    # GIVEN every string literal handed straight to a translator bound to a name of its own
    # (`g = translator(language).gettext; g("Item {number}")`): extraction looks for the keywords only, so such a
    # text never reaches the catalogs, `manage.py update` drops it from them, and it shows in English everywhere
    import ast

    family = {"gettext", "ngettext", "pgettext", "npgettext"}
    unseen = []
    for path in sorted((ROOT / "blo_desk").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        aliases = {target.id for node in ast.walk(tree) if isinstance(node, ast.Assign)
                   and isinstance(node.value, ast.Attribute) and node.value.attr in family
                   for target in node.targets if isinstance(target, ast.Name)}
        unseen += [f"{path.relative_to(ROOT)}:{node.lineno}: {node.func.id}({node.args[0].value!r})"
                   for node in ast.walk(tree)
                   if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in aliases
                   and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)]
    # THEN there is none: each such literal is wrapped in N_() where it is written
    assert not unseen, "wrap these in N_():\n" + "\n".join(unseen)


def test_reference_lists_have_three_labels_and_proper_uzbek_letters():
    # GIVEN the shipped reference lists and posts
    lists = json.loads((resources_dir() / "reference" / "lists.json").read_text("utf-8"))
    posts = json.loads((resources_dir() / "reference" / "posts.json").read_text("utf-8"))["posts"]
    labels = [(e[1], e[2], e[3]) for k, v in lists.items() if not k.startswith("_") for e in v]
    labels += [(p["name_uz"], p["name_ru"], p["name_en"]) for p in posts]
    # THEN every entry is labelled in uz, ru and en, and uz uses U+02BB / U+02BC only
    assert all(all(label.strip() for label in triple) for triple in labels)
    for uz, _ru, _en in labels:
        assert not any(bad in uz for bad in ("'", "\u2018", "\u2019", "`")), uz
    assert len(posts) == 24
    assert {p["country"] for p in posts} == {"UZ", "KZ", "KG", "TJ", "TM"}


@pytest.mark.parametrize(
    ("language", "expected"),
    [("uz", "9 100 000 soʻm"), ("ru", "9 100 000 сум"), ("en", "UZS 9,100,000")],
)
def test_uzs_is_written_without_minor_units_in_each_language(language, expected):
    # GIVEN the Dustlik value WHEN formatted THEN it reads as on the issue, spaces being no-break spaces
    text = translator(language).format_money(Decimal(9_100_000), "UZS")
    assert text.replace("\u00a0", " ").replace("\u202f", " ") == expected
    assert "ʻ" not in text or unicodedata.name("ʻ") == "MODIFIER LETTER TURNED COMMA"


def test_dates_follow_the_language():
    day = date(2024, 4, 20)
    assert "aprel" in translator("uz").format_date(day, "long")
    assert "апреля" in translator("ru").format_date(day, "long")
    assert translator("en").format_date(day, "long") == "April 20, 2024"


def test_switching_language_changes_messages_at_once():
    # GIVEN a message of the app WHEN the language is switched THEN _() answers in the new language
    set_language("ru")
    russian = _("Draft")
    set_language("uz")
    uzbek = _("Draft")
    set_language("en")
    assert _("Draft") == "Draft"
    assert russian == "Черновик"
    assert uzbek == "Qoralama"
