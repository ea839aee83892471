"""The blo-desk command as a user runs it: demo data, listing and searching, in the chosen language."""

from __future__ import annotations

import os
import subprocess
import sys


def _run(tmp_path, *args):
    env = {**os.environ, "BLO_DESK_DATA_DIR": str(tmp_path / "data")}
    return subprocess.run([sys.executable, "-m", "blo_desk", *args], capture_output=True, text=True, env=env, timeout=120)


def test_demo_then_search_in_three_languages(tmp_path):
    # GIVEN a fresh data folder WHEN the demo is loaded
    loaded = _run(tmp_path, "demo")
    assert loaded.returncode == 0, loaded.stderr
    assert (tmp_path / "data" / "blo_desk.sqlite3").exists()
    # WHEN searching for the pellets in uz, ru and en
    outputs = {lang: _run(tmp_path, "--lang", lang, "cases", "search", "Oztay") for lang in ("uz", "ru", "en")}
    # THEN each finds the Dustlik case, with the value written the way that language writes it
    for result in outputs.values():
        assert result.returncode == 0, result.stderr
        assert "UZ-DUS-2024-00001" in result.stdout
    assert "9\u00a0100\u00a0000\u00a0soʻm" in outputs["uz"].stdout
    assert "9\u00a0100\u00a0000\u00a0сум" in outputs["ru"].stdout
    assert "UZS\u00a09,100,000" in outputs["en"].stdout


def test_show_an_unknown_case_fails_with_a_clear_message(tmp_path):
    result = _run(tmp_path, "--lang", "en", "cases", "show", "UZ-DUS-1999-00042")
    assert result.returncode == 2
    assert "UZ-DUS-1999-00042" in result.stderr and "not found" in result.stderr


def test_bilingual_protocol_from_the_command_line(tmp_path):
    # GIVEN the demo store
    assert _run(tmp_path, "demo").returncode == 0
    out = tmp_path / "protocol.pdf"
    # WHEN the Dustlik protocol is printed on the bilingual uz+ru form
    printed = _run(tmp_path, "print", "protocol", "UZ-DUS-2024-00001", "--lang", "uz+ru", "--out", str(out))
    assert printed.returncode == 0, printed.stderr
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    # THEN each language names the post in its own script, and the region is named in both
    assert "“Doʻstlik” chegara oʻtkazish punkti (UZ-DUS)" in text
    assert "Пункт пропуска «Дустлик» (UZ-DUS)" in text
    assert "Andijon viloyati / Андижанская область" in text
