"""Render the main screens of the desk in each language to PNG files (for README and docs)."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, cast

from blo_desk.config import LANGUAGES

if TYPE_CHECKING:
    from blo_desk.config import Settings
    from blo_desk.ui.backend import Backend


SHOT_PASSWORD = "screenshots only 1"


def wait_until(condition, timeout: float = 20.0, step_ms: int = 10) -> None:
    """Process events until `condition()` is true; raise TimeoutError otherwise."""
    from PySide6.QtCore import QCoreApplication

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        QCoreApplication.processEvents()
        time.sleep(step_ms / 1000)
    QCoreApplication.processEvents()


SCREEN = (1366, 768)  # the laptop officers have: every window at the size it opens with there (ui/screen_fit.py)


def _offscreen_screen(folder: Path, width: int, height: int) -> str:
    """The offscreen platform with one screen of `width` x `height` (its configuration file written in `folder`)."""
    import json

    config = folder / "screen.json"
    config.write_text(json.dumps({"synchronousWindowSystemEvents": False, "windowFrameMargins": True, "screens": [
        {"name": "laptop", "x": 0, "y": 0, "width": width, "height": height, "logicalDpi": 96, "logicalBaseDpi": 96,
         "dpr": 1}]}), encoding="utf-8")
    return f"offscreen:configfile={config}"


def render_screenshots(settings: Settings, out: Path, *, backend: Backend, languages=LANGUAGES,
                       screen: tuple[int, int] = SCREEN) -> list[Path]:
    """First-run wizard, login screen and desk in each language, on a real encrypted store in a temporary folder;
    without a display, on an offscreen screen of `screen` (the windows open at the sizes they have there)."""
    from PySide6.QtWidgets import QApplication as _App

    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY") and _App.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = _offscreen_screen(Path(tempfile.mkdtemp(prefix="blo-desk-screen-")), *screen)
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor, QPainter
    from PySide6.QtWidgets import QApplication, QWidget

    from blo_desk.config import DB_FILENAME, Settings, sqlite_url
    from blo_desk.i18n import set_language
    from blo_desk.ui.backend import Session
    from blo_desk.ui.first_run import PAGE_ADMIN, PAGE_DEMO, PAGE_KEY, PAGE_LANGUAGE, PAGE_POST
    from blo_desk.ui.main import StartFlow
    from blo_desk.ui.pages.editor.form_sections import (
        SECTION_CONVEYANCE,
        SECTION_ITEMS,
        SECTION_PERSONS,
        SECTION_PHOTOS,
    )

    app = cast(QApplication, QApplication.instance()) or QApplication(sys.argv[:1])
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    def save(image, name: str) -> None:
        path = out / f"{name}.png"
        image.save(str(path))
        written.append(path)

    def settle(runner=None) -> None:
        if runner is not None:
            wait_until(lambda: runner.active == 0, 30)
        for _ in range(5):
            app.processEvents()

    with tempfile.TemporaryDirectory(prefix="blo-desk-shots-") as folder:
        data = Path(folder) / "data"
        shot_settings = Settings(data_dir=data, db_url=sqlite_url(data / DB_FILENAME), language=settings.language,
                                 plaintext_store=False)

        # --- the first-run wizard ---------------------------------------------------------------------------------
        flow = StartFlow(shot_settings, backend, app=app, ask_demo=False)
        flow.start()
        wait_until(lambda: flow.wizard is not None and flow.wizard.posts, 60)
        wizard = flow.wizard
        assert wizard is not None
        for language in languages:
            set_language(language)
            wizard.stack.setCurrentIndex(PAGE_LANGUAGE)
            wizard._page_changed()
            settle()
            save(wizard.grab().toImage(), f"{language}-0a-wizard-language")
            wizard.stack.setCurrentIndex(PAGE_POST)
            wizard.post_combo.set_code("UZ-DUS")
            wizard._page_changed()
            settle()
            save(wizard.grab().toImage(), f"{language}-0b-wizard-post")
            wizard.stack.setCurrentIndex(PAGE_ADMIN)
            wizard._page_changed()
            for key, text in (("username", "admin"), ("full_name", "Aziz Karimov"), ("password", "short"),
                              ("repeat", "shorter")):
                wizard.admin_fields[key].setText(text)
            wizard.next()  # refused: the errors appear next to the fields
            settle()
            save(wizard.grab().toImage(), f"{language}-0c-wizard-admin-errors")
        wizard.admin_fields["password"].setText(SHOT_PASSWORD)
        wizard.admin_fields["repeat"].setText(SHOT_PASSWORD)
        wizard.next()
        wait_until(lambda: wizard.page == PAGE_KEY, 60)
        for language in languages:
            set_language(language)
            wizard.stack.setCurrentIndex(PAGE_KEY)
            wizard._page_changed()
            settle()
            save(wizard.grab().toImage(), f"{language}-0d-wizard-key")
            wizard.stack.setCurrentIndex(PAGE_DEMO)
            wizard._page_changed()
            wizard.demo_check.setChecked(True)
            settle()
            save(wizard.grab().toImage(), f"{language}-0e-wizard-demo")
        wizard.demo_check.setChecked(False)
        wizard.next()
        wait_until(lambda: flow.desk is not None and flow.desk.ready, 60)
        assert flow.desk is not None and flow.accounts is not None and flow.accounts.principal is not None
        settle(flow.desk.runner)
        save(flow.desk.window.grab().toImage(), f"{languages[-1]}-0f-admin-desk")
        # The administrator loads demo and synthetic cases (as SYSTEM) and adds a supervisor of UZ-DUS.
        Session(flow.accounts, flow.accounts.principal).load_demo(backend.load_demo)
        from_admin = flow.accounts.open_services(as_system=True)
        try:
            from_admin.users.add_user(username="sabina", password=SHOT_PASSWORD, role="supervisor",
                                      post_code="UZ-DUS", full_name="Sabina Yusupova")
        finally:
            from_admin.close()
        flow.close()
        app.processEvents()

        # --- the login screen ----------------------------------------------------------------------------------------
        flow = StartFlow(shot_settings, backend, app=app, ask_demo=False)
        flow.start()
        wait_until(lambda: flow.first_start is False, 60)
        login = flow.login
        for language in languages:
            set_language(language)
            login.username.setText("sabina")
            login.password.clear()
            login.error.clear()
            login._error_text = None
            settle()
            save(login.grab().toImage(), f"{language}-0g-login")
            login.password.setText("wrong password")
            login._submit()
            wait_until(lambda: bool(login.error.text()), 30)
            settle()
            save(login.grab().toImage(), f"{language}-0h-login-wrong-password")
        set_language(languages[0])
        login.password.setText(SHOT_PASSWORD)
        login._submit()
        wait_until(lambda: flow.desk is not None and flow.desk.ready, 60)
        controller = flow.desk
        assert controller is not None
        window = controller.window
        services = controller.services
        assert services is not None
        photo = Path(folder) / "carriage.png"
        _make_photo(photo)
        page = services.cases.list_cases(query=replace(controller.list_page.model.query, text="Dustlik Diabolo"))
        dustlik_id = page.rows[0].id
        from blo_desk.domain.enums import CaseStatus

        dustlik = services.cases.get(case_id=dustlik_id)
        attachment = services.attachments.add_file(path=photo)
        draft = services.cases.save(case=replace(
            dustlik, id=None, case_number="", revision=0, status=CaseStatus.DRAFT, created_at=None, updated_at=None,
            finalized_at=None, procedure="Customs inspection of hand luggage", attachments=(attachment,)))
        assert dustlik_id is not None and draft.id is not None
        draft_id = draft.id

        def grab(name: str, widget: QWidget | None = None) -> None:
            settle(controller.runner)
            image = window.grab().toImage()
            if widget is not None:
                # Dialogs are separate windows offscreen: paint them over the window, centred, with a shadow.
                dialog = widget.grab().toImage()
                painter = QPainter(image)
                x = (image.width() - dialog.width()) // 2
                y = (image.height() - dialog.height()) // 3
                painter.fillRect(x + 6, y + 6, dialog.width(), dialog.height(), QColor(0, 0, 0, 70))
                painter.drawImage(QPoint(x, y), dialog)
                painter.end()
            save(image, name)

        for language in languages:
            set_language(language)
            window.clear_message()
            controller.show_list()
            controller.list_page.search.clear()
            controller.list_page.apply_filters()
            wait_until(lambda: controller.list_page.model.rowCount() > 0, 30)
            controller.list_page.table.selectRow(0)
            grab(f"{language}-1-case-list")

            controller.list_page.search.setText("Diabolo")
            controller.list_page.apply_filters()
            wait_until(lambda: not controller.list_page.model.loading, 30)
            grab(f"{language}-2-search")

            controller.open_case(dustlik_id)
            wait_until(lambda: controller.editor.case is not None and controller.editor.case.id == dustlik_id, 30)
            grab(f"{language}-3-editor-incident")
            for section, name in ((SECTION_PERSONS, "persons"), (SECTION_CONVEYANCE, "conveyance"),
                                  (SECTION_ITEMS, "items")):
                controller.editor.tabs.setCurrentIndex(section)
                grab(f"{language}-4-editor-{name}")
            controller.editor.tabs.setCurrentIndex(0)
            controller.amend()
            dialog = controller.editor.amend_dialog
            wait_until(dialog.isVisible, 10)
            grab(f"{language}-5-amend-dialog", dialog)
            dialog.reject()

            controller.open_case(draft_id)
            wait_until(lambda: controller.editor.case is not None and controller.editor.case.id == draft_id, 30)
            controller.editor.tabs.setCurrentIndex(SECTION_PHOTOS)
            grab(f"{language}-6-editor-photos")
            controller.editor.tabs.setCurrentIndex(0)
            controller.finalize()
            box = controller.editor.finalize_dialog
            wait_until(box.isVisible, 10)
            grab(f"{language}-7-finalize-dialog", box)
            box.reject_button.click()  # type: ignore[attr-defined]  # set by ui.dialogs.confirm

            controller.new_case()
            editor = controller.editor
            wait_until(lambda e=editor: e.case is not None and e.case.id is None, 30)  # the template arrived
            editor.fields["occurred_date"].set_value("31.02.2024")
            editor.fields["origin_country"].set_value("")
            editor.items.add_record()
            editor.items.fields["description"].set_value("")
            editor.items.fields["quantity"].set_value("twelve")
            editor.save()
            settle()
            editor.tabs.setCurrentIndex(0)
            grab(f"{language}-8-editor-errors")
            editor.tabs.setCurrentIndex(SECTION_ITEMS)
            grab(f"{language}-9-editor-item-errors")
            editor.discard_changes()
            _print_shots(controller, language, dustlik_id, save, settle)
            controller.show_list()
        set_language(settings.language)
        flow.close()
        app.processEvents()
    return written


def _print_shots(controller, language: str, case_id: str, save, settle) -> None:
    """The protocol's print preview, the period report dialog and the report's preview (dialogs on their own)."""
    from datetime import date

    from blo_desk.ui.printing import period_report, print_protocol
    controller.open_case(case_id)
    wait_until(lambda: controller.editor.case is not None and controller.editor.case.id == case_id, 30)
    preview = print_protocol(controller)
    assert preview is not None
    preview.set_language(language)
    wait_until(lambda: preview.pdf_language == language and preview.task is None, 60)
    settle(controller.runner)
    save(preview.grab().toImage(), f"{language}-10-print-preview")
    preview.close()
    choose = period_report(controller)
    assert choose is not None
    choose.set_period(date(2024, 4, 1), date(2024, 4, 30))
    choose.set_posts(("UZ-DUS", "UZ-GSK"))
    settle()
    save(choose.grab().toImage(), f"{language}-11-period-report-dialog")
    choose.buttons.button(choose.buttons.StandardButton.Ok).click()
    report = controller._print_windows["report"]
    report.set_language(language)
    wait_until(lambda: report.pdf_language == language and report.task is None, 60)
    settle(controller.runner)
    save(report.grab().toImage(), f"{language}-12-period-report-preview")
    report.close()


def _make_photo(path: Path) -> None:
    """A drawn stand-in for a seizure photo (no real photos ship with the code)."""
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter

    image = QImage(640, 480, QImage.Format.Format_RGB32)
    image.fill(QColor("#d9e4ec"))
    painter = QPainter(image)
    painter.setBrush(QColor("#5b6f80"))
    painter.drawRoundedRect(QRect(140, 160, 360, 200), 40, 40)
    painter.setBrush(QColor("#303030"))
    for x in (190, 450):
        painter.drawEllipse(QRect(x - 35, 340, 70, 70))
    painter.setBrush(QColor("#c8a060"))
    for i in range(6):
        painter.drawRect(QRect(180 + i * 48, 200, 40, 60))
    painter.setPen(QColor("#202020"))
    painter.setFont(QFont("DejaVu Sans", 18))
    painter.drawText(QRect(0, 20, 640, 60), Qt.AlignmentFlag.AlignCenter, "Oztay Diabolo 4.5 mm × 130")
    painter.end()
    image.save(str(path))
