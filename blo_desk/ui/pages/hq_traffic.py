"""At HQ: the counterpart traffic between posts (who shared what with whom, when, under which profile; requests and
answers), from the share events the posts' bundles reported, filtered by post and date."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from blo_desk.cldr import country_name
from blo_desk.domain.canonical import parse_ts
from blo_desk.domain.errors import DomainError
from blo_desk.domain.sharing import MessageKind, RequestStatus
from blo_desk.i18n import N_, _, active_language, translator
from blo_desk.ui.models.rows import RowsModel, rows_view
from blo_desk.ui.pages.case_list import DateFilter
from blo_desk.ui.tasks import Task, TaskRunner
from blo_desk.ui.widgets.whole_text import MessageLabel

if TYPE_CHECKING:
    from blo_desk.domain.entities import Post
    from blo_desk.domain.redaction import RedactionProfile
    from blo_desk.domain.sharing import PairTraffic, TrafficEvent
    from blo_desk.ports import ReferencePort, SharingPort

PAIR_HEADERS = (N_("Between posts"), N_("Shares each way"), N_("Cases shared"), N_("Requests"), N_("Answered"),
                N_("Open requests"), N_("Overdue"), N_("Last exchange"))
EVENT_HEADERS = (N_("Written"), N_("From post"), N_("To post"), N_("What"), N_("Redaction profile"), N_("Cases"),
                 N_("Photos"), N_("Answer due"), N_("Request status"), N_("Reported by"))


def _request_status(status: RequestStatus | None) -> str:
    if status is None:
        return ""
    return status.label if status in (RequestStatus.ANSWERED, RequestStatus.OVERDUE) else _("open")


class CounterpartTrafficTab(QWidget):
    """Two tables: per pair of posts, and every message; the filters ask the store again on a worker."""

    def __init__(self, *, runner: TaskRunner, sharing: SharingPort | None, reference: ReferencePort | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counterpartTraffic")
        self.runner = runner
        self.sharing = sharing
        self.reference = reference
        self.post_names: dict[str, Post] = {}  # by code, from the reference list: names in the reader's language
        self.pairs: list[PairTraffic] = []
        self.events: list[TrafficEvent] = []
        self.profiles: dict[str, RedactionProfile] = {}
        self.posts: list[str] = []
        self._task: Task | None = None
        self.post_filter = QComboBox()
        self.post_filter.setObjectName("trafficPost")
        self.post_filter.addItem("", "")
        self.post_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.date_from = DateFilter()
        self.date_from.setObjectName("trafficFrom")
        self.date_to = DateFilter()
        self.date_to.setObjectName("trafficTo")
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self.refresh())
        self.labels = {name: QLabel() for name in ("post", "from", "to")}
        for name, widget in (("post", self.post_filter), ("from", self.date_from), ("to", self.date_to)):
            self.labels[name].setBuddy(widget)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.summary = MessageLabel()
        self.summary.setObjectName("trafficSummary")
        self.pair_model = RowsModel(PAIR_HEADERS, self)
        self.pair_view = rows_view(self.pair_model, "trafficPairs", stretch=1)
        self.event_model = RowsModel(EVENT_HEADERS, self)
        self.event_view = rows_view(self.event_model, "trafficEvents", stretch=len(EVENT_HEADERS) - 1)  # "what" whole
        filters = QHBoxLayout()
        for name, widget in (("post", self.post_filter), ("from", self.date_from), ("to", self.date_to)):
            filters.addWidget(self.labels[name])
            filters.addWidget(widget, 1)
        filters.addStretch(1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.pair_view)
        split.addWidget(self.event_view)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(split, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.labels["post"].setText(_("Post:"))
        self.labels["from"].setText(_("From:"))
        self.labels["to"].setText(_("To:"))
        self.post_filter.setItemText(0, _("All"))
        for edit in (self.date_from, self.date_to):
            edit.setSpecialValueText(_("any date"))
            edit.setDisplayFormat(translator().date_pattern)
        self.hint.setText(_("What the posts exchanged with their counterparts across the border, as their bundles "
                            "reported it: who shared what with whom, when and under which profile, the requests and "
                            "their answers. HQ holds the events and check codes, never the content."))
        for model in (self.pair_model, self.event_model):
            model.retranslate()
        self._show()

    # --- reading (worker thread) ---------------------------------------------------------------------------------
    def refresh(self) -> Task | None:
        """Ask again with the filters as they stand; an older answer still on its way is dropped."""
        sharing = self.sharing
        if sharing is None:
            self.summary.setText(_("The counterpart channel is not available in this store."))
            return None
        post = str(self.post_filter.currentData() or "")
        low, high = self.date_from.value(), self.date_to.value()

        reference = self.reference

        def read() -> tuple[list[PairTraffic], list[TrafficEvent], list[str], dict[str, RedactionProfile],
                            dict[str, Post]]:
            everything = sharing.hq_traffic_events()
            posts = sorted({p for e in everything for p in (e.sender, e.receiver)})
            events = sharing.hq_traffic_events(post_code=post, date_from=low, date_to=high)
            names = {p.code: p for p in reference.posts()} if reference is not None else {}
            return (sharing.hq_traffic(post_code=post, date_from=low, date_to=high), events, posts,
                    sharing.profiles(), names)

        if self._task is not None:
            self._task.cancel()
        self._task = self.runner.run(read, on_done=self._read, on_error=self._failed)
        return self._task

    def _read(self, result: tuple[list[PairTraffic], list[TrafficEvent], list[str], dict[str, RedactionProfile],
                                  dict[str, Post]]) -> None:
        self._task = None
        self.pairs, self.events, posts, self.profiles, self.post_names = result
        if posts != self.posts:
            self.posts = posts
            chosen = self.post_filter.currentData()
            self.post_filter.blockSignals(True)
            while self.post_filter.count() > 1:
                self.post_filter.removeItem(1)
            for code in posts:
                self.post_filter.addItem(self._post(code), code)
            self.post_filter.setCurrentIndex(max(0, self.post_filter.findData(chosen)))
            self.post_filter.blockSignals(False)
        self._show()

    def _failed(self, exc: BaseException) -> None:
        self._task = None
        self.summary.setText(exc.translated() if isinstance(exc, DomainError) else _(
            "Something went wrong: {reason}").format(reason=str(exc)))

    # --- showing ---------------------------------------------------------------------------------------------------
    def _when(self, text: str) -> str:
        moment = parse_ts(text) if text else None
        return translator().format_datetime(moment) if moment else text

    def _name(self, code: str) -> str:
        """The post's name in the reader's language; the bare code if the reference list lacks it."""
        post = self.post_names.get(code)
        return post.name(active_language()) if post else code

    def _in_country(self, code: str) -> str:
        """The post's name with its country's name (CLDR, the reader's language): a pair is two countries."""
        post = self.post_names.get(code)
        if post is None or not post.country:
            return self._name(code)
        return f"{self._name(code)} ({country_name(post.country, active_language())})"

    def _post(self, code: str) -> str:
        """The post's name with its code beside it (two posts may share a town's name across a border)."""
        name = self._name(code)
        return f"{name} ({code})" if name != code else code

    def _profile(self, code: str) -> str:
        profile = self.profiles.get(code)
        return profile.name(active_language()) if profile else code

    def _show(self) -> None:
        tr = translator()
        for index in range(1, self.post_filter.count()):  # the names follow the language
            self.post_filter.setItemText(index, self._post(str(self.post_filter.itemData(index))))
        # names in the cells (the table stays narrow enough for 1366 pixels); the codes in each row's tooltip
        self.pair_model.set_rows([
            (f"{self._in_country(p.first)} \u2194 {self._in_country(p.second)}",
             f"{self._name(p.first)}\u2192{self._name(p.second)}: {p.shares_first_to_second}; "
             f"{self._name(p.second)}\u2192{self._name(p.first)}: {p.shares_second_to_first}",
             p.cases, p.requests, p.answered, p.open_requests, p.overdue, self._when(p.last_at)) for p in self.pairs],
            tips=[f"{self._post(p.first)} \u2194 {self._post(p.second)}" for p in self.pairs])
        self.event_model.set_rows([
            (self._when(e.at), self._name(e.sender), self._name(e.receiver), e.kind.label,
             self._profile(e.profile) if e.kind == MessageKind.SHARE else "",
             e.cases if e.kind == MessageKind.SHARE else "", e.photos if e.kind == MessageKind.SHARE else "",
             tr.format_date(date.fromisoformat(e.due)) if e.due else "", _request_status(e.status),
             ", ".join(self._name(code) for code in e.reported_by)) for e in self.events],
            tips=[f"{self._post(e.sender)} \u2192 {self._post(e.receiver)}" for e in self.events])
        shares = sum(1 for e in self.events if e.kind == MessageKind.SHARE)
        requests = [e for e in self.events if e.kind == MessageKind.REQUEST]
        open_requests = sum(1 for e in requests if e.status != RequestStatus.ANSWERED)
        overdue = sum(1 for e in requests if e.status == RequestStatus.OVERDUE)
        self.summary.setText(_("Shares: {shares}; requests: {requests}, of them open: {open}, overdue: {overdue}.")
                             .format(shares=shares, requests=len(requests), open=open_requests, overdue=overdue)
                             if self.events or self.sharing is None else
                             _("No bundle has reported an exchange between posts for these filters."))
