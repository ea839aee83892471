"""The post's delivery to HQ as plain records: what the outbox status shows and how retries back off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DeliveryStatus:
    """The outbox as the status bar shows it: HQ's address (if set), what waits, when HQ last confirmed."""

    configured: bool
    url: str
    hq_key_id: str
    waiting: int
    last_confirmed_at: datetime | None
    own_key_revoked_from: int | None = None
    #: the post's cases HQ has not confirmed yet (`waiting` counts bundles): what an officer means by "not sent"
    cases_waiting: int = 0


@dataclass(frozen=True, slots=True)
class Backoff:
    """Waits between attempts after a failure without progress: first, doubling, at most `maximum` seconds."""

    first: float = 0.5
    maximum: float = 30.0
    retries: int = 8

    def delay(self, failures: int) -> float:
        return min(self.maximum, self.first * 2.0 ** max(0, failures - 1))
