"""What the printers are given: plain data (domain dataclasses and labelled reference lists), never the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from blo_desk.domain.check_code import CheckCode
from blo_desk.domain.entities import Attachment, Case, Post, ReferenceItem
from blo_desk.domain.statistics import PeriodStatistics

# kind -> code -> item, e.g. labels["unit"]["kg"]
ReferenceLabels = dict[str, dict[str, ReferenceItem]]
# substance code -> language -> name, e.g. names["heroin"]["ru"] == "героин"


@dataclass(frozen=True, slots=True)
class Amendment:
    """The amendment a reprint states: this revision replaced that one, for this reason."""

    revision: int
    replaces: int
    reason: str


@dataclass(frozen=True, slots=True)
class Photo:
    """An attachment of the case for the annex: its thumbnail (reports.layout.thumbnail_jpeg) when one was made
    beforehand, else its plain bytes to make one from; both None when the file cannot be read here."""

    attachment: Attachment
    content: bytes | None = None
    thumbnail: bytes | None = None


@dataclass(frozen=True, slots=True)
class ProtocolData:
    """One case ready to print, with its post, the reference labels, the substance names and its check code;
    for a reprint of an amended case, the amendment; for the annex, the photos."""

    case: Case
    post: Post | None
    labels: ReferenceLabels
    check_code: CheckCode
    amendment: Amendment | None = None
    photos: tuple[Photo, ...] = ()


@dataclass(frozen=True, slots=True)
class PeriodReportData:
    """Aggregated figures of a period, with the names of posts and labels of reference codes."""

    statistics: PeriodStatistics
    posts: dict[str, Post]
    labels: ReferenceLabels
    generated_at: datetime
    timezone: str = "Asia/Tashkent"
    selected_posts: tuple[str, ...] = field(default=())
