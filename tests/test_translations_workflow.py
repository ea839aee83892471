"""The translator's workflow: .po edits survive `manage.py update`, `check` catches bad entries, `import-tsv` merges."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent


def _copy(tmp_path: Path, with_code: bool = False) -> Path:
    """A copy of translations/ (and of blo_desk/, which `update` extracts from) in a temporary folder."""
    shutil.copytree(ROOT / "translations", tmp_path / "translations", ignore=shutil.ignore_patterns("*.mo"))
    if with_code:
        shutil.copytree(ROOT / "blo_desk", tmp_path / "blo_desk", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def _manage(copy: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(copy / "translations" / "manage.py"), *args],
                          check=False, cwd=copy, capture_output=True, text=True, encoding="utf-8", timeout=120)


def _po(copy: Path, language: str) -> Path:
    return copy / "translations" / language / "LC_MESSAGES" / "blo_desk.po"


def _translations(copy: Path, language: str) -> dict:
    with _po(copy, language).open("rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


def _edit(copy: Path, language: str, old: str, new: str) -> None:
    """Change the catalog file as a translator's editor would: the text of one msgstr line."""
    path = _po(copy, language)
    text = path.read_text("utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), "utf-8")


def test_a_translators_fix_in_the_po_file_survives_update(tmp_path):
    # GIVEN a copy of the catalogs and the code, where a translator changed a Russian msgstr in the .po file
    copy = _copy(tmp_path, with_code=True)
    before = _translations(copy, "ru")
    _edit(copy, "ru", 'msgstr "Дело {case_number} завершено."', 'msgstr "Дело {case_number} закрыто."')
    # WHEN the developers' `manage.py update` runs
    result = _manage(copy, "update")
    assert result.returncode == 0, result.stderr
    # THEN the translator's text is still there, and every other translation is as it was
    after = _translations(copy, "ru")
    assert after.pop("Case {case_number} is finalized.") == "Дело {case_number} закрыто."
    before.pop("Case {case_number} is finalized.")
    assert after == before
    # AND the checks accept the catalogs, and a second update changes no byte of any file
    files = [copy / "translations" / "blo_desk.pot", *(_po(copy, language) for language in ("uz", "ru", "en"))]
    contents = [path.read_bytes() for path in files]
    assert _manage(copy, "update").returncode == 0
    assert [path.read_bytes() for path in files] == contents
    assert _manage(copy, "check").returncode == 0


PLANTED = [
    pytest.param("uz", 'msgstr "&Koʻrinish"', 'msgstr "&Ko\'rinish"', "&View", "wrong apostrophe U+0027",
                 id="uz-ascii-apostrophe"),
    pytest.param("uz", 'msgstr "&Koʻrinish"', 'msgstr "&Ko\u2018rinish"', "&View", "wrong apostrophe U+2018",
                 id="uz-curly-apostrophe"),
    pytest.param("ru", 'msgstr "Дело {case_number} завершено."', 'msgstr "Дело завершено."',
                 "Case {case_number} is finalized.", "placeholders differ (missing {case_number})",
                 id="ru-missing-placeholder"),
    pytest.param("ru", 'msgstr[2] "{count} пакетов"', 'msgstr[2] "пакетов"', "{count} bundle",
                 "msgstr[2] placeholders differ (missing {count})", id="ru-plural-missing-placeholder"),
    pytest.param("uz", 'msgstr "%(type)s turidagi qiymat notoʻgʻri: %(value)r"',
                 'msgstr "%(type)s turidagi qiymat notoʻgʻri"', "invalid %(type)s value: %(value)r",
                 "%-placeholders differ", id="uz-missing-percent-placeholder"),
    pytest.param("ru", 'msgstr "&Сохранить"', 'msgstr "Сохранить"', "&Save", "mnemonic & count differs",
                 id="ru-lost-mnemonic"),
    pytest.param("ru", 'msgstr "Дело {case_number} завершено."', 'msgstr "Дело {case_number} завершено"',
                 "Case {case_number} is finalized.", "ends with 'no mark', the msgid with '.'",
                 id="ru-lost-full-stop"),
    pytest.param("uz", 'msgstr "“{name}” oʻchirilsinmi?"', 'msgstr "«{name}» oʻchirilsinmi?"', "Delete “{name}”?",
                 "Uzbek text quotes with “…”", id="uz-guillemets"),
    pytest.param("uz", 'msgstr "&Koʻrinish"', 'msgstr ""', "&View", "untranslated", id="uz-untranslated"),
    pytest.param("ru", 'msgid "&Save"\n', '#, fuzzy\nmsgid "&Save"\n', "&Save", "fuzzy", id="ru-fuzzy"),
]


@pytest.mark.parametrize(("language", "old", "new", "msgid", "complaint"), PLANTED)
def test_check_names_the_file_line_and_msgid_of_a_planted_mistake(tmp_path, language, old, new, msgid, complaint):
    # GIVEN a copy of the catalogs, all clean, with one mistake planted
    copy = _copy(tmp_path)
    assert _manage(copy, "check").returncode == 0
    _edit(copy, language, old, new)
    # WHEN `manage.py check` runs
    result = _manage(copy, "check")
    # THEN it fails, with one finding: file:line, the msgid and what is wrong
    assert result.returncode == 1
    findings = result.stdout.splitlines()
    assert len(findings) == 1, findings
    match = re.match(rf"translations/{language}/LC_MESSAGES/blo_desk\.po:(\d+): msgid (.+?): {language}: (.+)$",
                     findings[0])
    assert match, findings[0]
    assert match.group(2) == repr(msgid)
    assert complaint in match.group(3)
    # AND the line number points at the entry's msgid in the file
    line = _po(copy, language).read_text("utf-8").splitlines()[int(match.group(1)) - 1]
    assert line.startswith("msgid ") and msgid.replace('"', '\\"') in line


def test_import_tsv_merges_a_translators_sheet_into_the_catalogs(tmp_path):
    # GIVEN a copy of the catalogs, and a sheet with a heading, a plain line (Uzbek typed with ASCII and curly
    # apostrophes, Russian left empty) and a plural line
    copy = _copy(tmp_path)
    english = _po(copy, "en").read_bytes()
    sheet = tmp_path / "sheet.tsv"
    sheet.write_text(
        "msgid\tuz\tru\n"
        "&Save\t&Saqlab qo'yish\t\n"
        "{count} bundle|{count} bundles\t{count} ta to‘plam|{count} ta to‘plam\tпакет {count}|пакета {count}|пакетов {count}\n",
        "utf-8")
    # WHEN it is imported
    result = _manage(copy, "import-tsv", str(sheet))
    # THEN both languages read the sheet's texts, Uzbek with U+02BB after o; Russian &Save and English stay
    assert result.returncode == 0, result.stdout + result.stderr
    assert "uz: 2 msgstr changed, ru: 1 msgstr changed" in result.stdout
    uz, ru = _translations(copy, "uz"), _translations(copy, "ru")
    assert uz["&Save"] == "&Saqlab qo\u02bbyish"
    assert uz[("{count} bundle", "{count} bundles")] == ("{count} ta to\u02bbplam", "{count} ta to\u02bbplam")
    assert ru["&Save"] == "&Сохранить"
    assert ru[("{count} bundle", "{count} bundles")] == ("пакет {count}", "пакета {count}", "пакетов {count}")
    assert _po(copy, "en").read_bytes() == english


def test_import_tsv_refuses_a_sheet_with_an_unknown_msgid_and_writes_nothing(tmp_path):
    # GIVEN a copy of the catalogs and a sheet with one good line, one msgid the code does not have and a plural
    # line with two Russian forms instead of three
    copy = _copy(tmp_path)
    catalogs = {language: _po(copy, language).read_bytes() for language in ("uz", "ru", "en")}
    sheet = tmp_path / "sheet.tsv"
    sheet.write_text("&Save\t&Saqlash!\t&Сберечь\n"
                     "Launch the rockets\tRaketalarni uchirish\tЗапустить ракеты\n"
                     "{count} bundle|{count} bundles\t\tпакет|пакета\n", "utf-8")
    # WHEN it is imported
    result = _manage(copy, "import-tsv", str(sheet))
    # THEN the command fails naming the lines and msgids it refused, and no catalog changed
    assert result.returncode == 1
    assert f"{sheet}:2: 'Launch the rockets': unknown msgid" in result.stdout
    assert f"{sheet}:3: '{{count}} bundle|{{count}} bundles': ru has 3 plural forms, the line gives 2" in result.stdout
    assert "nothing imported" in result.stderr
    assert {language: _po(copy, language).read_bytes() for language in catalogs} == catalogs


def test_the_sheet_example_of_the_docs_is_accepted(tmp_path):
    # GIVEN the TSV example of docs/translations.md (it repeats translations the catalogs already have)
    docs = (ROOT / "docs" / "translations.md").read_text("utf-8")
    example = re.search(r"```\n(msgid\tuz\tru\n.*?)```", docs, re.DOTALL).group(1)
    sheet = tmp_path / "example.tsv"
    sheet.write_text(example, "utf-8")
    copy = _copy(tmp_path)
    # WHEN it is imported THEN it is accepted and changes nothing
    result = _manage(copy, "import-tsv", str(sheet))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "uz: 0 msgstr changed, ru: 0 msgstr changed" in result.stdout
