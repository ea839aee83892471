"""The desk's outbox label: the background tick uploads through the TaskRunner and shows what waits and when."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QMainWindow  # noqa: E402

from blo_desk.ui.delivery import DeliveryController  # noqa: E402
from blo_desk.ui.tasks import TaskRunner  # noqa: E402

from kit import delivery_for, hq_store  # noqa: E402


def test_the_status_bar_counts_the_cases_waiting_and_hq_confirmation(qtbot, tmp_path, posts, servers):
    # GIVEN a post with a waiting bundle and a window with the delivery label, HQ's service running
    post = posts("UZ-DUS", cases=3)
    hq_store(tmp_path / "hq", [post])
    server = servers(tmp_path / "hq")
    delivery = delivery_for(post)
    delivery.configure(url=server.url, public_key=server.public_key_file.read_text())
    window = QMainWindow()
    qtbot.addWidget(window)
    runner = TaskRunner(window)
    driver = DeliveryController(window=window, runner=runner, delivery=delivery)
    window.statusBar().addPermanentWidget(driver.label)
    window.message = lambda text, msecs=8000: window.statusBar().showMessage(text() if callable(text) else text, msecs)
    # WHEN the timer's tick runs (export of the new cases, probe, upload) in the background
    driver.tick()
    qtbot.waitUntil(lambda: "0 cases waiting" in driver.label.text(), timeout=30_000)
    # THEN the label says no case waits and when HQ confirmed, and the tick is scheduled again
    assert "never" not in driver.label.text()
    assert driver.timer.isActive() and driver.next_interval() == 60_000
    # AND with HQ gone the next ticks back off
    server.stop()
    delivery.backoff = type(delivery.backoff)(first=0.01, maximum=0.01, retries=0)
    from kit import bundle_kit

    bundle_kit.change(post, _first(post))
    driver.tick()
    qtbot.waitUntil(lambda: "1 case waiting" in driver.label.text(), timeout=30_000)  # the changed case, unsent
    assert driver.label.toolTip().startswith("1 bundle written and not yet confirmed by HQ.")
    assert driver.next_interval() == 120_000
    driver.stop()
    runner.wait(10_000)


def _first(post) -> str:
    from sqlalchemy import select

    from blo_desk.storage.models import CaseRow

    with post.uow() as uow:
        return uow.session.scalars(select(CaseRow.id)).first()
