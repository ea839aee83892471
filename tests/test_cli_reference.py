"""`blo-desk reference offence add|list` as an administrator runs it (issue 13)."""

from __future__ import annotations

import os
import subprocess
import sys

PASSWORD = {"BLO_DESK_NEW_PASSWORD": "admin-password-1", "BLO_DESK_PASSWORD": "admin-password-1"}


def test_an_admin_adds_a_turkmen_article_from_the_command_line_and_lists_it(tmp_path):
    def run(*args, lang="en"):
        env = {**os.environ, "BLO_DESK_DATA_DIR": str(tmp_path / "data"), **PASSWORD}
        return subprocess.run([sys.executable, "-m", "blo_desk", "--lang", lang, *args], capture_output=True,
                              text=True, env=env, timeout=120)

    # GIVEN a store with its first administrator, and no Turkmen article
    assert run("user", "add", "admin", "--role", "admin").returncode == 0
    empty = run("--user", "admin", "reference", "offence", "list", "--country", "TM")
    assert empty.returncode == 0 and "No offence articles for TM yet" in empty.stdout
    # WHEN the admin adds article 254 part 1 of the Turkmen Criminal Code, naming the new law
    added = run("--user", "admin", "reference", "offence", "add", "--country", "TM", "--law", "CC", "--article", "254",
                "--part", "1", "--title-uz", "Kontrabanda", "--title-ru", "Контрабанда", "--title-en", "Smuggling",
                "--law-uz", "Jinoyat kodeksi", "--law-ru", "Уголовный кодекс", "--law-en", "Criminal Code")
    assert added.returncode == 0, added.stdout + added.stderr
    assert "TM-CC-254-1: Criminal Code, art. 254, part 1 — Smuggling" in added.stdout
    # THEN the list of Turkmen articles shows it, in Russian too
    listed = run("--user", "admin", "reference", "offence", "list", "--country", "TM", lang="ru")
    assert listed.stdout.splitlines() == ["TM-CC-254-1\tУголовный кодекс, ст. 254, ч. 1 — Контрабанда"]
    # AND a bad article number is refused with the reason, and nothing is added
    refused = run("--user", "admin", "reference", "offence", "add", "--country", "TM", "--law", "CC", "--article",
                  "two", "--title-uz", "a", "--title-ru", "б", "--title-en", "c")
    assert refused.returncode == 2 and "The article must be a number such as 246 or 200.1" in refused.stderr
    assert len(run("--user", "admin", "reference", "offence", "list", "--country", "TM").stdout.splitlines()) == 1
