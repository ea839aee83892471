"""What delivery by upload keeps at the post: HQ's address and pinned key, per-bundle confirmations, HQ's updates."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session

from blo_desk.storage.models_sync import SyncOutboxRow
from blo_desk.storage.repositories import SettingsRepository

HQ_URL = "delivery.hq_url"
HQ_KEY = "delivery.hq_public_key"
HQ_CA = "delivery.hq_ca_file"
LAST_CONFIRMED = "delivery.last_confirmed_at"
REFERENCE_DIGEST = "delivery.reference_digest"
REVOKED_KEYS = "delivery.revoked_keys"


class DeliveryRepository:
    """Small settings rows and the per-bundle acknowledgement, inside the caller's transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.settings = SettingsRepository(session)

    def get(self, key: str, default: str = "") -> str:
        return self.settings.get(key, default) or default

    def set(self, key: str, value: str) -> None:
        self.settings.set(key, value)

    def acknowledge_one(self, *, sequence: int, at: datetime) -> bool:
        """This bundle (only this one: an earlier one may still wait) was confirmed by HQ."""
        result = cast(CursorResult[Any], self.session.execute(  # an UPDATE: Session.execute gives a CursorResult
            update(SyncOutboxRow)
            .where(SyncOutboxRow.sequence == sequence, SyncOutboxRow.acknowledged_at.is_(None),
                   SyncOutboxRow.status == "written")
            .values(acknowledged_at=at)
        ))
        return bool(result.rowcount)

    def revoked_keys(self) -> dict[str, dict]:
        try:
            value = json.loads(self.get(REVOKED_KEYS, "{}"))
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}

    def set_revoked_keys(self, keys: dict[str, dict]) -> None:
        self.set(REVOKED_KEYS, json.dumps(keys, sort_keys=True))
