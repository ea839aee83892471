"""Render the main screens of the desk in each language to PNG files (for README and docs)."""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

from blo_desk.config import LANGUAGES


def render_screenshots(settings, out: Path, *, languages=LANGUAGES) -> list[Path]:
    if sys.platform.startswith("linux") and not os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtWidgets import QApplication, QWidget

    from blo_desk.i18n import set_language
    from blo_desk.ui.main import build_desk
    from blo_desk.ui.selftest import throwaway_settings
    from blo_desk.ui.pages.case_editor import SECTION_CONVEYANCE, SECTION_ITEMS, SECTION_PERSONS, SECTION_PHOTOS
    from blo_desk.ui.testing import wait_until

    app = QApplication.instance() or QApplication(sys.argv[:1])
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix="blo-desk-shots-") as folder:
        data = Path(folder)
        shot_settings = throwaway_settings(settings, data, "shots.sqlite3")
        controller = build_desk(shot_settings, ask_demo=False, app=app)
        window = controller.window
        window.resize(1280, 800)
        window.show()
        controller.start()
        wait_until(lambda: controller.ready or controller.startup_error is not None, 60)
        services = controller.services
        controller.backend.load_demo(cases=services.cases)
        photo = data / "carriage.png"
        _make_photo(photo)
        page = services.cases.list_cases(query=replace(controller.list_page.model.query, text="Dustlik Diabolo"))
        dustlik_id = page.rows[0].id
        draft = services.cases.find(reference="UZ-GSK-2024-00001")
        attachment = services.attachments.add_file(path=photo)
        draft = services.cases.save(case=replace(draft, attachments=(attachment,)))

        def settle() -> None:
            wait_until(lambda: controller.runner.active == 0, 30)
            for _ in range(5):
                app.processEvents()

        def grab(name: str, widget: QWidget | None = None) -> None:
            settle()
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
            path = out / f"{name}.png"
            image.save(str(path))
            written.append(path)

        for language in languages:
            set_language(language)
            window.statusBar().clearMessage()
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

            controller.open_case(draft.id)
            wait_until(lambda: controller.editor.case is not None and controller.editor.case.id == draft.id, 30)
            controller.editor.tabs.setCurrentIndex(SECTION_PHOTOS)
            grab(f"{language}-6-editor-photos")
            controller.editor.tabs.setCurrentIndex(0)
            controller.finalize()
            box = controller.editor.finalize_dialog
            wait_until(box.isVisible, 10)
            grab(f"{language}-7-finalize-dialog", box)
            box.reject_button.click()

            controller.new_case()
            editor = controller.editor
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
            controller.show_list()
        set_language(settings.language)
        controller.shutdown()
        window.hide()
        window.deleteLater()
        app.processEvents()
    return written


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
