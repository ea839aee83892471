"""Checking a printed copy in the desk: the same answer as `blo-desk verify-print`, SUPERSEDED for an amended case."""

from __future__ import annotations

from dataclasses import replace
from zoneinfo import ZoneInfo

from blo_desk.domain.check_code import CheckOutcome
from blo_desk.services.demo import load_demo


def test_the_desk_says_an_old_paper_is_superseded_and_the_current_one_matches(make_desk, settings, services, qtbot):
    # GIVEN the Dustlik protocol printed, then the case amended with a reason
    load_demo(cases=services.cases)
    dustlik = services.cases.find(reference="UZ-DUS-2024-00001")
    old = services.printing.protocol_data(case_id=dustlik.id).check_code
    services.cases.amend(case=replace(dustlik, narrative=dustlik.narrative + " Recounted."), reason="Pellets recounted")
    new = services.printing.protocol_data(case_id=dustlik.id).check_code
    desk = make_desk(settings)
    action = desk.window.actions["verify_print"]
    assert action in desk.window.actions.menus["case"].actions() and action.isEnabled()
    # WHEN the supervisor opens Check a printed copy… and types the old paper's code
    action.trigger()
    dialog = desk._print_windows["verify_print"]
    dialog.code.setText(old.short())
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.answered is not None, timeout=10_000)
    # THEN the answer is SUPERSEDED, naming the new revision and the reason, in amber
    assert dialog.answered.outcome == CheckOutcome.SUPERSEDED
    answer = dialog.answer.text()
    assert answer.startswith("SUPERSEDED") and f"Revision {new.revision} replaced it" in answer
    assert "Pellets recounted" in answer and "#8a4b00" in dialog.answer.styleSheet()
    # AND the moment of the amendment is told in the post's time, the way the desk writes it, the zone named
    replaced = services.cases.history(case_id=dustlik.id)[-1].saved_at.astimezone(ZoneInfo("Asia/Tashkent"))
    assert f"replaced it on {replaced:%d/%m/%Y, %H:%M} (Uzbekistan Standard Time)" in answer
    assert "UTC" not in answer
    old_answer = dialog.answered
    # WHEN the current paper's code (the QR's full content) is checked THEN it is a match
    dialog.answered = None
    dialog.code.setText(new.full())
    dialog.code.returnPressed.emit()
    qtbot.waitUntil(lambda: dialog.answered is not None, timeout=10_000)
    assert dialog.answered.outcome == CheckOutcome.MATCH and dialog.answer.text().startswith("Match")
    # WHEN the desk switches to Russian THEN the answer is given in Russian
    desk.switch_language("ru")
    try:
        assert dialog.answer.text().startswith("Совпадение")
        # AND the superseded answer, in Russian, writes the moment the Russian way and names the zone in Russian
        dialog.show_result(old_answer)
        assert f"{replaced:%d.%m.%Y, %H:%M} (Узбекистан, стандартное время)" in dialog.answer.text()
    finally:
        desk.switch_language("en")
