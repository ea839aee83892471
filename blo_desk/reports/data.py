"""What the printers are given: plain data (domain dataclasses and labelled reference lists), never the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from blo_desk.domain.check_code import CheckCode
from blo_desk.domain.entities import Case, Post, ReferenceItem
from blo_desk.domain.statistics import PeriodStatistics

# kind -> code -> item, e.g. labels["unit"]["kg"]
ReferenceLabels = dict[str, dict[str, ReferenceItem]]
# substance code -> language -> name, e.g. names["heroin"]["ru"] == "героин"


@dataclass(frozen=True, slots=True)
class ProtocolData:
    """One case ready to print, with its post, the reference labels, the substance names and its check code."""

    case: Case
    post: Post | None
    labels: ReferenceLabels
    check_code: CheckCode


@dataclass(frozen=True, slots=True)
class PeriodReportData:
    """Aggregated figures of a period, with the names of posts and labels of reference codes."""

    statistics: PeriodStatistics
    posts: dict[str, Post]
    labels: ReferenceLabels
    generated_at: datetime
    timezone: str = "Asia/Tashkent"
    selected_posts: tuple[str, ...] = field(default=())
