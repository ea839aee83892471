"""The outbox in the status bar: a background tick (export what is new, upload what waits) with back-off."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject, QTimer
from PySide6.QtWidgets import QLabel

from blo_desk.domain.errors import DomainError
from blo_desk.i18n import _, ngettext, translator

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtNetwork import QNetworkInformation

    from blo_desk.domain.delivery import DeliveryStatus
    from blo_desk.ports import DeliveryPort, ServicesPort, TickReport
    from blo_desk.ui.main_window import MainWindow
    from blo_desk.ui.tasks import TaskRunner

INTERVAL_MS = 60_000  # a tick a minute while HQ answers
MAX_INTERVAL_MS = 15 * 60_000  # at most this long between tries while it does not
SOON_MS = 2_000  # after a case was finalized, or the network came back


class DeliveryController(QObject):
    """Drives DeliveryService.tick() off the GUI thread through the desk's TaskRunner; never blocks the window.

    The network's reachability (QNetworkInformation, when a backend exists) skips probes while offline and
    triggers a tick when the link returns; a cheap GET /health decides whether to upload."""

    def __init__(self, *, window: MainWindow, runner: TaskRunner, delivery: DeliveryPort, label: QLabel | None = None,
                 language: str = "") -> None:
        super().__init__(window)
        self._window = window
        self._runner = runner
        self._delivery = delivery
        self._language = language
        self._failures = 0
        self._busy = False
        self._status: DeliveryStatus | None = None
        self.label = label or QLabel()
        self.label.setObjectName("deliveryStatus")
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.tick)
        self._network = self._network_information()
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.stop)

    # --- scheduling ---------------------------------------------------------------------------
    def start(self) -> None:
        self.schedule(SOON_MS)

    def stop(self) -> None:
        self.timer.stop()
        self._delivery.stop_requested.set()

    def schedule(self, msecs: int) -> None:
        if not self._delivery.stop_requested.is_set():
            self.timer.start(msecs)

    def nudge(self, *_args: object) -> None:
        """Something changed (a case was finalized, the network came back): tick soon."""
        if not self._busy:
            self.schedule(SOON_MS)

    def refresh_status(self, *_args: object) -> None:
        """A case was saved: count what waits again now (on a worker), not at the next tick a minute later."""
        if self._busy or self._delivery.stop_requested.is_set():
            return
        delivery = self._delivery
        self._runner.run(delivery.status, on_done=self.show_status, on_error=self._status_failed)

    def _status_failed(self, exc: BaseException) -> None:
        self.label.setToolTip(exc.translated() if isinstance(exc, DomainError) else str(exc))

    def next_interval(self) -> int:
        if self._failures == 0:
            return INTERVAL_MS
        return min(MAX_INTERVAL_MS, INTERVAL_MS * 2 ** min(self._failures, 8))

    def _offline(self) -> bool:
        if self._network is None:
            return False
        from PySide6.QtNetwork import QNetworkInformation

        return self._network.reachability() == QNetworkInformation.Reachability.Disconnected

    # --- the tick -----------------------------------------------------------------------------
    def tick(self) -> None:
        if self._busy or self._delivery.stop_requested.is_set():
            return
        self._busy = True
        delivery, offline = self._delivery, self._offline()

        def work() -> tuple[TickReport, bool, DeliveryStatus]:
            configured = delivery.config() is not None  # without HQ's address bundles go by stick, on request
            send = configured and not offline and delivery.probe()
            result = delivery.tick(export=configured, send=send)
            return result, send, delivery.status()

        self._runner.run(work, on_done=self._ticked, on_error=self._failed)

    def _ticked(self, outcome: tuple[TickReport, bool, DeliveryStatus]) -> None:
        result, sent, status = outcome
        self._busy = False
        reached = sent and result.reachable is not False
        self._failures = 0 if reached or not status.configured else self._failures + 1
        self.show_status(status)
        if result.delivered:
            count = result.delivered
            self._window.message(lambda: ngettext("{count} bundle confirmed by HQ.", "{count} bundles confirmed by HQ.",
                                                  count).format(count=count))
        kept = sum(1 for item in result.collected if item.kept)
        if kept:  # counterpart shares collected from HQ's relay (issue 16): in Case > Shared with us
            self._window.message(lambda: ngettext(
                "{count} share from a counterpart post received through HQ (Case > Shared with us).",
                "{count} shares from counterpart posts received through HQ (Case > Shared with us).",
                kept).format(count=kept))
        self.schedule(self.next_interval())

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self._failures += 1
        self.label.setToolTip(exc.translated() if isinstance(exc, DomainError) else str(exc))
        self.schedule(self.next_interval())

    # --- the status bar -----------------------------------------------------------------------
    def show_status(self, status: DeliveryStatus) -> None:
        self._status = status
        self.retranslate()

    def retranslate(self) -> None:
        status = self._status
        if status is None:
            self.label.setText("")
            return
        tr = translator()
        when = tr.format_datetime(status.last_confirmed_at) if status.last_confirmed_at else _("never")
        cases = status.cases_waiting  # what an officer means by "not sent"; the bundles are told in the tip
        # the count alone in the bar (the office and the user beside it stay whole on a laptop); when HQ last
        # confirmed a bundle, and the bundles, in the tip
        self.label.setText(ngettext("Outbox: {count} case waiting", "Outbox: {count} cases waiting",
                                    cases).format(count=tr.format_number(cases)))
        confirmed = _("HQ last confirmed a bundle: {when}").format(when=when)
        bundles = ngettext("{count} bundle written and not yet confirmed by HQ.",
                           "{count} bundles written and not yet confirmed by HQ.",
                           status.waiting).format(count=tr.format_number(status.waiting))
        if not status.configured:
            where = _("HQ's address is not set; bundles go by USB stick only.")
        elif status.own_key_revoked_from is not None:
            where = _("HQ revoked this post's key from bundle {seq} on: set up a new key.").format(
                seq=status.own_key_revoked_from)
        else:
            where = _("Bundles go to {url}").format(url=status.url)
        self.label.setToolTip(f"{bundles}\n{confirmed}\n{where}")

    def _network_information(self) -> QNetworkInformation | None:
        """Qt's view of the network, when a backend is available (None otherwise: probes alone decide)."""
        try:
            from PySide6.QtNetwork import QNetworkInformation

            if not QNetworkInformation.loadDefaultBackend():
                return None
            info = QNetworkInformation.instance()
        except (ImportError, RuntimeError, AttributeError):
            return None
        if info is None:
            return None
        info.reachabilityChanged.connect(self._reachability_changed)
        return info

    def _reachability_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        from PySide6.QtNetwork import QNetworkInformation

        if reachability in (QNetworkInformation.Reachability.Online, QNetworkInformation.Reachability.Site):
            self._failures = 0
            self.nudge()


def attach_delivery(*, services: ServicesPort | None, window: MainWindow, runner: TaskRunner, language: str,
                    case_saved: SignalInstance | None = None) -> DeliveryController | None:
    """The one hook the desk calls once its store is open: a status-bar label and the background tick, nudged
    when `case_saved` gives a finalized case."""
    if services is None:
        return None
    delivery = services.delivery  # built by the composition root (services.registry)
    if delivery is None:
        return None
    # In the desk a tick gives up sooner (3 tries, 10 s apart at most); the next tick backs off further.
    delivery.backoff = replace(delivery.backoff, first=1.0, maximum=10.0, retries=3)
    from blo_desk.ui.widgets.elided import ElidedLabel

    driver = DeliveryController(window=window, runner=runner, delivery=delivery, label=ElidedLabel(),
                                language=language)
    window.statusBar().addPermanentWidget(driver.label)
    if case_saved is not None:
        case_saved.connect(lambda case: driver.nudge() if _to_send_soon(case) else driver.refresh_status())
    driver.start()
    return driver


def _to_send_soon(case: object) -> bool:
    """A finalized or voided case goes to HQ at once (a tick soon); a draft saved waits for the next tick."""
    from blo_desk.domain.enums import CaseStatus

    return bool(getattr(case, "is_finalized", False)) or getattr(case, "status", None) == CaseStatus.VOIDED
