"""The set of services one run of the app or a command works with, built by the composition root."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from blo_desk.config import Settings, resources_dir
from blo_desk.domain.errors import LoginRequiredError, StoreLockedError
from blo_desk.domain.permissions import SYSTEM, Principal
from blo_desk.services.audit import AuditService, Guard
from blo_desk.services.cases import CaseService
from blo_desk.services.reference import SEED_FILES, ReferenceService
from blo_desk.services.users import UserService
from blo_desk.storage.crypto import DataKey, Sealer
from blo_desk.storage.engine import make_engine, make_session_factory
from blo_desk.storage.migrate import upgrade
from blo_desk.storage.uow import UnitOfWorkFactory

if TYPE_CHECKING:  # built on first use, with their imports (reportlab, bundle formats, HTTP, XLSX)
    from blo_desk.services.attachments import AttachmentService
    from blo_desk.services.backup import BackupService
    from blo_desk.services.data_export import DataExportService
    from blo_desk.services.delivery import DeliveryService
    from blo_desk.services.hq import HqService
    from blo_desk.services.printing import PrintingService
    from blo_desk.services.sharing import SharingService
    from blo_desk.services.sync import SyncService
    from blo_desk.storage.blobs import BlobStore, DerivedStore


@dataclass
class Services:
    """The services of one open store, all running as `principal`.

    Cases, reference lists, users and the audit trail (what a login and the desk's first screen need) are built at
    once; attachments, printing, sync, HQ and delivery, whose modules import reportlab, the bundle formats and an
    HTTP client, are built on first use (the desk asks for them on a worker once its window is painted)."""

    settings: Settings
    engine: Engine
    uow: UnitOfWorkFactory
    cases: CaseService
    reference: ReferenceService
    guard: Guard  # permission checks and audit events of `principal` (other services use it too)
    users: UserService
    audit: AuditService
    backup_taken: Path | None = None
    principal: Principal = SYSTEM
    sealer: Sealer | None = None  # seal/unseal bytes with the data key (e.g. the post's signing key); None if plain
    key: DataKey | None = field(default=None, repr=False)

    def close(self) -> None:
        printing = self.__dict__.get("printing")  # built (cached_property) only if asked for
        if printing is not None:
            printing.close()
        hq = self.__dict__.get("hq")  # its worker process of an import's checks, if it started one
        if hq is not None:
            hq.close()
        self.engine.dispose()

    def _sealer(self, purpose: str) -> Sealer | None:
        return Sealer(self.key, purpose_prefix=purpose) if self.key else None

    @cached_property
    def blobs(self) -> BlobStore:
        from blo_desk.storage.blobs import BlobStore

        return BlobStore(self.settings.attachments_dir, cipher=self._sealer("blob"))

    @cached_property
    def thumbnails(self) -> DerivedStore:
        """Photo thumbnails for the protocol's annex, made once and sealed like the photos."""
        from blo_desk.storage.blobs import DerivedStore

        return DerivedStore(self.settings.data_dir / "thumbnails", cipher=self._sealer("blob"), purpose="thumbnail")

    @cached_property
    def attachments(self) -> AttachmentService:
        from blo_desk.services.attachments import AttachmentService

        return AttachmentService(blobs=self.blobs, guard=self.guard, thumbnails=self.thumbnails)

    @cached_property
    def printing(self) -> PrintingService:
        from blo_desk.services.printing import PrintingService

        return PrintingService(uow=self.uow, guard=self.guard, blobs=self.blobs, thumbnails=self.thumbnails)

    @cached_property
    def sync(self) -> SyncService:
        from blo_desk.services.sync import SyncService

        return SyncService(uow=self.uow, data_dir=self.settings.data_dir, blobs=self.blobs, guard=self.guard,
                           sealer=self._sealer("post-key"))

    @cached_property
    def hq(self) -> HqService:
        from blo_desk.services.bundle_encryption import HqAgeKey
        from blo_desk.services.hq import HqService

        return HqService(uow=self.uow, blobs=self.blobs, guard=self.guard,
                         age_key=HqAgeKey(self.settings.data_dir, sealer=self._sealer("hq-age-key")))

    @cached_property
    def delivery(self) -> DeliveryService | None:
        """The outbox delivered by upload to HQ's intake service (issue 6)."""
        from blo_desk.services.delivery import DeliveryService

        return DeliveryService(uow=self.uow, sync=self.sync, data_dir=self.settings.data_dir, guard=self.guard,
                               collect_shares=lambda: self.sharing.collect_from_hq() if self.sharing else [])

    @cached_property
    def exports(self) -> DataExportService | None:
        """Cases out as spreadsheets and international tables (issue 17)."""
        from blo_desk.services.data_export import DataExportService

        return DataExportService(uow=self.uow, guard=self.guard, tables_folder=self.settings.data_dir / "tables")

    @cached_property
    def sharing(self) -> SharingService | None:
        """The counterpart channel: pairing, shares, requests (issue 16)."""
        from blo_desk.services.bundle_encryption import HqAgeKey
        from blo_desk.services.sharing import POST_AGE_KEY_FILE, POST_AGE_KEY_PURPOSE, SharingService

        def relay() -> tuple[str, str] | None:  # HQ's intake, as the outbox has it pinned (post hq --url)
            config = self.delivery.config() if self.delivery is not None else None
            return None if config is None else (config.url, config.ca_file)

        return SharingService(uow=self.uow, guard=self.guard, sync=self.sync, blobs=self.blobs,
                              age_key=HqAgeKey(self.settings.data_dir, file=POST_AGE_KEY_FILE,
                                               purpose=POST_AGE_KEY_PURPOSE, sealer=self._sealer("post-age-key")),
                              relay=relay, data_dir=self.settings.data_dir)

    @cached_property
    def backup(self) -> BackupService | None:
        """Backups of this store, and the restore a new laptop finishes (issue 18)."""
        from blo_desk.services.backup import BackupService

        return BackupService(uow=self.uow, guard=self.guard, settings=self.settings, key=self.key)

    def build_all(self) -> Services:
        """Build every service now (a worker does this, so that the GUI thread never imports their modules)."""
        for name in ("attachments", "printing", "sync", "hq", "delivery", "exports", "backup", "sharing"):
            getattr(self, name)
        return self


SEED_HASH_SETTING = "reference.seed_hash"  # SHA-256 of the shipped reference lists last seeded into the store


@lru_cache(maxsize=None)
def _seed_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for name in SEED_FILES:
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()


def shipped_seed_digest() -> str:
    """What the shipped reference lists hash to (read once per process)."""
    return _seed_digest(resources_dir() / "reference")


def _seed_if_changed(services: Services) -> None:
    """Seed the shipped reference lists only when they differ from the ones last seeded (a stored hash)."""
    digest = shipped_seed_digest()
    with services.uow() as uow:
        if uow.settings.get(SEED_HASH_SETTING) == digest:
            return
    services.reference.ensure_seeded()
    with services.uow() as uow:
        uow.settings.set(SEED_HASH_SETTING, digest)
        uow.commit()


def open_services(settings: Settings, *, actor: str = "", principal: Principal | None = None,
                  key: DataKey | None = None, engine: Engine | None = None) -> Services:
    """Open (and migrate, and seed) the store for `principal`; raises StoreTooNewError untouched.

    `principal`: a user from AccountService.login, or SYSTEM for commands, demo data and tests; it may be left
    out only in the explicit unencrypted test/benchmark mode (settings.plaintext_store), which then means SYSTEM.
    An encrypted (SQLCipher) store also needs its data `key`, which only a login unwraps (StoreLockedError).
    `engine`: an engine that an earlier open_services of this process made for the same store and `key` (so the
    schema is at head and the lists seeded): it is reused as it is, and the returned services own it (close()).
    The reference lists are seeded only when the shipped ones changed since the last seeding (SEED_HASH_SETTING).
    """
    if principal is None:
        # Only the explicit test/benchmark mode (plaintext_store) may omit the principal: it then runs as SYSTEM.
        if not settings.plaintext_store:
            raise StoreLockedError() if settings.encrypted_store else LoginRequiredError()
        principal = SYSTEM
    if settings.encrypted_store and key is None:
        raise StoreLockedError()
    key = key if settings.encrypted_store else None
    fresh = engine is None
    backup = None
    if fresh:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = make_engine(settings.db_url, key=key)
        try:
            backup = upgrade(engine, url=settings.db_url, backups_dir=settings.backups_dir, key=key)
        except BaseException:
            engine.dispose()
            raise
    assert engine is not None  # given, or made above
    uow = UnitOfWorkFactory(make_session_factory(engine))
    guard = Guard(uow=uow, principal=principal, seal_key=key.subkey("audit-head") if key else None)
    services = Services(
        settings=settings,
        engine=engine,
        uow=uow,
        cases=CaseService(uow=uow, actor=actor, guard=guard),
        reference=ReferenceService(uow=uow, guard=guard),
        backup_taken=backup,
        principal=principal,
        guard=guard,
        users=UserService(uow=uow, guard=guard, settings=settings, key=key),
        audit=AuditService(uow=uow, guard=guard),
        sealer=Sealer(key) if key else None,
        key=key,
    )
    if fresh:
        try:
            _seed_if_changed(services)
            from blo_desk.services.backup import RESTORE_MARKER
            from blo_desk.services.staging import empty_staging, staging_dir

            empty_staging(staging_dir(settings.attachments_dir))  # what an import killed in an earlier run left

            if (settings.data_dir / RESTORE_MARKER).exists():
                assert services.backup is not None  # built on first use, here
                services.backup.finish_restore()  # a restored store: the restore is recorded on its first opening
        except BaseException:
            engine.dispose()
            raise
    return services
