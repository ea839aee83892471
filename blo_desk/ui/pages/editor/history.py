"""The history section of the case editor: one row per saved revision (when, status, reason, by whom)."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from blo_desk.domain.entities import Revision
from blo_desk.domain.permissions import SYSTEM
from blo_desk.i18n import N_, _, translator

HISTORY_HEADERS = (N_("Revision"), N_("Saved at"), N_("Status"), N_("Reason"), N_("By"))


def history_table() -> QTableWidget:
    table = QTableWidget(0, len(HISTORY_HEADERS))
    table.setObjectName("historyTable")
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def author(revision: Revision) -> str:
    """Who saved a revision, as a person: full name and rank when the store knows the account, else the username."""
    if not revision.actor_name:
        if revision.actor == SYSTEM.username:  # the program itself: a command, the demo loader, an import
            return _("BLO Desk (the program)")
        return revision.actor
    if revision.actor_rank:
        return _("{name}, {rank}").format(name=revision.actor_name, rank=revision.actor_rank)
    return revision.actor_name


def fill_history(table: QTableWidget, history: list[Revision], zone: str | None) -> None:
    """The revisions in `table`, times in the case's zone, headers in the active language."""
    table.setRowCount(len(history))
    t = translator()
    for row, rev in enumerate(history):
        values = (str(rev.revision), t.format_datetime(rev.saved_at, tz=zone), rev.status.label,
                  rev.reason, author(rev))
        for column, text in enumerate(values):
            item = QTableWidgetItem(text)
            if column == len(values) - 1 and rev.actor:
                item.setToolTip(_("Username: {username}").format(username=rev.actor))
            table.setItem(row, column, item)
    table.setHorizontalHeaderLabels([_(h) for h in HISTORY_HEADERS])
