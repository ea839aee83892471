"""The administrator adds a Turkmen offence article on the desk; a Turkmen officer cites it, the protocol prints it."""

from __future__ import annotations

import subprocess

from PySide6.QtCore import Qt

from .conftest import retype


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "protocol.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return " ".join(text.split())


def test_an_admin_adds_a_turkmen_article_and_a_turkmen_officer_cites_it(make_desk, settings, qtbot, tmp_path):
    # GIVEN the administrator's desk, and the Offence articles entry of the Tools menu
    admin = make_desk(settings, username="admin", role="admin")
    action = admin.window.actions["offences"]
    assert action.isEnabled()
    action.trigger()
    dialog = admin.offences_dialog
    # WHEN the administrator picks Turkmenistan: no article yet
    dialog.country.setCurrentIndex(dialog.country.findData("TM"))
    qtbot.waitUntil(lambda: dialog.buttons["add"].isEnabled() and "no offence articles" in dialog.empty.text(),
                    timeout=10_000)
    assert dialog.table.rowCount() == 0
    # AND adds article 254, part 1, of a new law, the Criminal Code, typed in the three languages
    dialog.buttons["add"].click()
    form = dialog.article_dialog
    assert form.law.currentData() == "" and form.fields["law_code"].isVisible()
    for key, text in (("law_code", "CC"), ("law_uz", "Jinoyat kodeksi"), ("law_ru", "Уголовный кодекс"),
                      ("law_en", "Criminal Code"), ("article", "254"), ("part", "1"), ("title_uz", "Kontrabanda"),
                      ("title_ru", "Контрабанда"), ("title_en", "Smuggling")):
        retype(form.fields[key], text)
    form.buttons.button(form.buttons.StandardButton.Ok).click()
    # THEN the list shows it with its citation
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=10_000)
    assert [dialog.table.item(0, c).text() for c in (0, 1)] == [
        "TM-CC-254-1", "Criminal Code, art. 254, part 1 — Smuggling"]
    # AND a bad article number is refused in the form, which stays open
    dialog.buttons["add"].click()
    form = dialog.article_dialog
    assert form.law.currentData() == "CC" and not form.fields["law_code"].isVisible()
    for key, text in (("article", "abc"), ("title_uz", "a"), ("title_ru", "б"), ("title_en", "c")):
        retype(form.fields[key], text)
    form.buttons.button(form.buttons.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: "The article must be a number" in form.general.text(), timeout=10_000)
    assert form.isVisible()
    form.reject()
    # AND editing the article offers its titles, with the code fixed
    dialog.table.selectRow(0)
    dialog.buttons["edit"].click()
    form = dialog.article_dialog
    assert (form.fields["article"].text(), form.fields["title_ru"].text()) == ("254", "Контрабанда")
    assert not form.fields["article"].isEnabled()
    form.reject()
    dialog.reject()

    # WHEN an officer of the Turkmen post Farap opens a new case
    officer = make_desk(settings, username="merdan", role="officer", post_code="TM-FAR")
    assert not officer.window.actions["offences"].isEnabled()
    officer.new_case()
    qtbot.waitUntil(lambda: officer.window.on_editor and officer.editor.case is not None, timeout=10_000)
    editor = officer.editor
    offences = editor.fields["offence_articles"].widget
    # THEN the editor offers the new article
    offered = {offences.item(i).data(Qt.ItemDataRole.UserRole): offences.item(i).text()
               for i in range(offences.count())}
    assert list(offered) == ["TM-CC-254-1"]
    assert offered["TM-CC-254-1"].startswith("TM-CC-254-1: Smuggling")
    # AND once ticked and saved, the protocol cites it
    offences.item(0).setCheckState(Qt.CheckState.Checked)
    with qtbot.waitSignal(editor.saved, timeout=10_000) as signal:
        assert editor.save(), [(e.field, e.translated()) for e in editor.errors]
    case = signal.args[0]
    assert case.offence_articles == ("TM-CC-254-1",)
    pdf = officer.services.printing.protocol(case_id=case.id, lang="ru")
    assert "Уголовный кодекс, ст. 254, ч. 1 — Контрабанда" in _pdf_text(pdf, tmp_path)
