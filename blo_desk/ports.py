"""The typed face of the services that the desk sees: Protocols over domain types (no SQLAlchemy, no Qt).

The ui may not import `blo_desk.services` (it would pull SQLAlchemy in), so it is handed objects from the
composition root (`blo_desk.app`) and knows them only through these Protocols. The composition root returns the
concrete services as these types, so mypy checks that every service still has each method the desk calls,
with the same keyword arguments and return types: a renamed or changed service method fails the type check.

Only what the ui uses is listed; read-only attributes are properties (so a frozen or a plain attribute fits).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Protocol

from blo_desk.domain.accounts import UnknownLogin, UserInfo
from blo_desk.domain.audit import AuditEvent, AuditHead, AuditReport
from blo_desk.domain.backup import BackupResult, BackupStatus, LostCase
from blo_desk.domain.cancel import Cancellation
from blo_desk.domain.case_tables import TableExport
from blo_desk.domain.check_code import CheckResult
from blo_desk.domain.delivery import Backoff, DeliveryStatus
from blo_desk.domain.entities import Attachment, Case, CaseQuery, Officer, Page, Post, ReferenceItem, Revision
from blo_desk.domain.permissions import Principal, Role
from blo_desk.domain.redaction import RedactionProfile
from blo_desk.domain.sharing import (
    CollectedShare,
    Counterpart,
    CounterpartCard,
    LinkRelation,
    PairTraffic,
    RelayedShare,
    SharedLink,
    SharedRecord,
    ShareMessage,
    SharePreview,
    ShareResult,
    TrafficEvent,
)
from blo_desk.domain.substances import Substance
from blo_desk.domain.sync import (
    Alert,
    ExportResult,
    ImportReport,
    OutboxEntry,
    PostIdentity,
    PostSyncStatus,
    SeenAtPosts,
)


class CasesPort(Protocol):
    """Seizure cases: templates, save, finalize, amend, list, search and history (services.cases.CaseService)."""

    def new_case(self, *, post_code: str, timezone: str = ...) -> Case: ...

    def save(self, *, case: Case) -> Case: ...

    def get(self, *, case_id: str) -> Case: ...

    def list_cases(self, *, query: CaseQuery, cancel: Cancellation | None = ...) -> Page: ...

    def search(self, *, text: str, limit: int = ...) -> Page: ...

    def finalize(self, *, case_id: str, expected_revision: int) -> Case: ...

    def amend(self, *, case: Case, reason: str) -> Case: ...

    def void(self, *, case_id: str, expected_revision: int, reason: str) -> Case: ...

    def history(self, *, case_id: str) -> list[Revision]: ...


class ReferencePort(Protocol):
    """Posts, reference lists and the store's settings (services.reference.ReferenceService)."""

    def posts(self, *, include_inactive: bool = ...) -> list[Post]: ...

    def items(self, *, kind: str) -> list[ReferenceItem]: ...

    def all_lists(self) -> dict[str, list[ReferenceItem]]: ...

    def substances(self) -> list[Substance]: ...

    def save_post(self, *, post: Post) -> None: ...

    def offence_articles(self, *, country: str = ...) -> list[ReferenceItem]: ...

    def offence_laws(self, *, country: str = ...) -> list[ReferenceItem]: ...

    def save_offence_article(self, *, country: str, law: str, article: str, part: str = ..., title_uz: str,
                             title_ru: str, title_en: str, law_uz: str = ..., law_ru: str = ...,
                             law_en: str = ...) -> ReferenceItem: ...

    def get_setting(self, *, key: str, default: str | None = ...) -> str | None: ...

    def set_setting(self, *, key: str, value: str) -> None: ...


class AttachmentsPort(Protocol):
    """Photos and scans kept by content hash (services.attachments.AttachmentService)."""

    def add_file(self, *, path: Path, caption: str = ...) -> Attachment: ...

    def read_bytes(self, *, sha256: str) -> bytes: ...


class PagePicture(Protocol):
    """One page of a PDF as pixels (reports.raster.PageImage): `height` rows of `stride` bytes, R, G, B, X."""

    @property
    def width(self) -> int: ...

    @property
    def height(self) -> int: ...

    @property
    def stride(self) -> int: ...

    @property
    def data(self) -> bytes: ...

    @property
    def dpi(self) -> float: ...


class PrintingPort(Protocol):
    """Protocols and period reports as PDF bytes (services.printing.PrintingService)."""

    @property
    def languages(self) -> tuple[str, ...]: ...

    def protocol(self, *, case_id: str, lang: str) -> bytes: ...

    def protocols_pdf(self, *, case_ids: Sequence[str], lang: str) -> bytes: ...

    def isolate(self) -> None: ...

    def warm_up(self) -> None: ...

    def page_sizes(self, *, pdf: bytes) -> list[tuple[float, float]]: ...

    def render_page(self, *, pdf: bytes, index: int, dpi: float) -> PagePicture: ...

    def period_report(self, *, date_from: date, date_to: date, lang: str, post_codes: Iterable[str] = ...,
                      finalized_only: bool = ...) -> bytes: ...

    def verify_code(self, *, code: str) -> CheckResult: ...


class DataExportPort(Protocol):
    """Cases out as spreadsheets and international tables (services.data_export.DataExportService)."""

    @property
    def formats(self) -> tuple[str, ...]: ...

    def export(self, *, query: CaseQuery, fmt: str, out: Path, language: str,
               progress: Callable[[int, int], None] | None = ...) -> TableExport: ...


class SyncPort(Protocol):
    """At the post: its signing key and the export of bundles to the outbox (services.sync.SyncService)."""

    def identity(self) -> PostIdentity | None: ...

    def set_up_post(self, *, post_code: str) -> PostIdentity: ...

    def export_public_key(self, *, folder: Path) -> Path: ...

    def default_folder(self) -> Path: ...

    def export(self, *, folder: Path | None = ..., full: bool = ...,
               progress: Callable[[int, int], None] | None = ...) -> ExportResult: ...

    def outbox(self, *, include_acknowledged: bool = ...) -> list[OutboxEntry]: ...


class HqPort(Protocol):
    """At HQ: import bundles, each post's status, alerts, what was seen at several posts (services.hq.HqService)."""

    def import_bundles(self, *, paths: Iterable[Path],
                       progress: Callable[[int, int, ImportReport], None] | None = ...) -> list[ImportReport]: ...

    def status(self) -> list[PostSyncStatus]: ...

    def alerts(self, *, include_resolved: bool = ...) -> list[Alert]: ...

    def seen_at_several_posts(self, *, limit: int = ...) -> list[SeenAtPosts]: ...

    def restored_posts(self) -> list[str]: ...

    def lost_in_restore(self, *, post_code: str) -> list[LostCase]: ...

    def write_lost_cases(self, *, post_code: str, path: Path, language: str = ...) -> Path: ...


class UsersPort(Protocol):
    """Inside an open store: the admin's users, one's own account and password, and the officers of a post
    (services.users.UserService)."""

    def list_users(self, *, include_inactive: bool = ...) -> list[UserInfo]: ...

    def unknown_logins(self) -> list[UnknownLogin]: ...

    def own_account(self) -> UserInfo | None: ...

    def post_officers(self, *, post_code: str) -> list[Officer]: ...

    def add_user(self, *, username: str, password: str, role: Role | str, post_code: str = ...,
                 full_name: str = ..., rank: str = ..., agency: str = ...) -> UserInfo: ...

    def update_user(self, *, username: str, full_name: str, rank: str, agency: str) -> UserInfo: ...

    def remove_user(self, *, username: str) -> None: ...

    def reset_password(self, *, username: str, new_password: str) -> None: ...

    def change_password(self, *, old_password: str, new_password: str) -> None: ...

    def unlock(self, *, username: str) -> None: ...

    def create_recovery_code(self, *, escrow_to: str = ...) -> str: ...

    def recovery_sheet(self, *, code: str, language: str) -> bytes: ...


class BackupPort(Protocol):
    """Backups of the open store: by hand, after a finalize and daily (services.backup.BackupService)."""

    def status(self) -> BackupStatus: ...

    def configure(self, *, folder: str, keep: int = ...) -> BackupStatus: ...

    def backup(self, *, folder: Path, progress: Callable[[int, int], None] | None = ...,
               reason: str = ...) -> BackupResult: ...

    def auto_backup(self, *, reason: str, progress: Callable[[int, int], None] | None = ...) -> BackupResult | None:
        ...


class AuditPort(Protocol):
    """The audit trail: its head, its check and its events (services.audit.AuditService)."""

    def head(self) -> AuditHead: ...

    def verify(self, *, progress: Callable[[int, int], None] | None = ...) -> AuditReport: ...

    def check_recent(self) -> AuditReport: ...

    def events(self, *, limit: int = ..., offset: int = ..., target: str = ...) -> list[AuditEvent]: ...


class TickReport(Protocol):
    """What one delivery tick did, as far as the status bar cares (services.delivery.TickResult)."""

    @property
    def reachable(self) -> bool | None: ...

    @property
    def delivered(self) -> int: ...

    @property
    def collected(self) -> tuple[CollectedShare, ...]: ...


class DeliveryPort(Protocol):
    """The outbox delivered by upload to HQ's intake service (services.delivery.DeliveryService)."""

    backoff: Backoff  # the desk gives up sooner than a command (it sets its own)

    @property
    def stop_requested(self) -> threading.Event: ...

    def config(self) -> object | None: ...

    def probe(self) -> bool: ...

    def tick(self, *, export: bool = ..., send: bool = ...) -> TickReport: ...

    def status(self) -> DeliveryStatus: ...


class SealerPort(Protocol):
    """Seals and unseals bytes with the store's data key (storage.crypto.Sealer)."""

    def seal(self, data: bytes, *, purpose: str) -> bytes: ...

    def unseal(self, blob: bytes, *, purpose: str) -> bytes: ...

    def is_sealed(self, blob: bytes) -> bool: ...


class StoreSettings(Protocol):
    """The settings the store was opened with, as far as the desk reads them (config.Settings)."""

    @property
    def data_dir(self) -> Path: ...


class SharingPort(Protocol):
    """The counterpart channel: paired posts, redaction profiles, preview, share (services.sharing)."""

    def counterparts(self) -> list[Counterpart]: ...

    def write_card(self, *, path: Path, languages: tuple[str, ...] = ...) -> tuple[Path, str]: ...

    def read_card(self, *, path: Path) -> tuple[CounterpartCard, str]: ...

    def add_counterpart(self, *, path: Path, fingerprint: str) -> Counterpart: ...

    def revoke(self, *, post_code: str) -> bool: ...

    def profiles(self) -> dict[str, RedactionProfile]: ...

    def preview_lines(self, *, references: list[str], profile: str = ...,
                      language: str | None = ...) -> list[tuple[str, list[tuple[str, str]]]]: ...

    def share_preview(self, *, references: list[str], profile: str = ...,
                      language: str | None = ...) -> list[SharePreview]: ...

    def share(self, *, references: list[str], to: str, profile: str = ..., reason: str = ..., legal_basis: str = ...,
              out: Path | None = ...) -> ShareResult: ...

    def cover_letter(self, *, message_id: str, path: Path, language: str | None = ...) -> Path: ...

    def default_folder(self) -> Path: ...

    def relay_configured(self) -> bool: ...

    def send_via_hq(self, *, path: Path) -> RelayedShare: ...

    def shared_records(self, *, text: str = ..., limit: int | None = ...) -> list[SharedRecord]: ...

    def record_lines(self, *, record_id: str, language: str | None = ...) -> list[tuple[str, str]]: ...

    def import_share(self, *, path: Path) -> ShareMessage: ...

    def shared_record(self, *, record_id: str) -> SharedRecord: ...

    def shared_photo(self, *, record_id: str, sha256: str) -> bytes: ...

    def request(self, *, to: str, about: str, text: str, due: date | None = ...,
                out: Path | None = ...) -> ShareResult: ...

    def answer(self, *, request_id: str, text: str, out: Path | None = ...) -> ShareResult: ...

    def requests(self) -> list[ShareMessage]: ...

    def link(self, *, record_id: str, case_reference: str, relation: LinkRelation = ...) -> SharedLink: ...

    def unlink(self, *, record_id: str, case_reference: str) -> bool: ...

    def links(self, *, record_id: str | None = ..., case_reference: str | None = ...) -> list[SharedLink]: ...

    def hq_traffic(self, *, post_code: str = ..., date_from: date | None = ...,
                   date_to: date | None = ...) -> list[PairTraffic]: ...

    def hq_traffic_events(self, *, post_code: str = ..., date_from: date | None = ...,
                          date_to: date | None = ...) -> list[TrafficEvent]: ...


class ServicesPort(Protocol):
    """The services of one open store, all running as `principal` (services.registry.Services); close() once."""

    @property
    def settings(self) -> StoreSettings: ...

    @property
    def principal(self) -> Principal: ...

    @property
    def cases(self) -> CasesPort: ...

    @property
    def reference(self) -> ReferencePort: ...

    @property
    def attachments(self) -> AttachmentsPort: ...

    @property
    def printing(self) -> PrintingPort: ...

    @property
    def sync(self) -> SyncPort: ...

    @property
    def hq(self) -> HqPort: ...

    @property
    def users(self) -> UsersPort: ...

    @property
    def audit(self) -> AuditPort: ...

    @property
    def delivery(self) -> DeliveryPort | None: ...

    @property
    def sealer(self) -> SealerPort | None: ...

    @property
    def exports(self) -> DataExportPort | None: ...

    @property
    def backup(self) -> BackupPort | None: ...

    @property
    def sharing(self) -> SharingPort | None: ...

    def close(self) -> None: ...


class PasswordRules(Protocol):
    """The password rules a form checks before it asks the service (services.accounts.PasswordPolicy)."""

    @property
    def min_length(self) -> int: ...

    def check_password(self, password: str) -> None: ...


class AccountsPort(Protocol):
    """The door to a store: first start, first admin, login, then the user's services (services.accounts)."""

    @property
    def policy(self) -> PasswordRules: ...

    @property
    def principal(self) -> Principal | None: ...

    @property
    def integrity(self) -> AuditReport | None: ...

    def first_start(self) -> bool: ...

    def create_first_admin(self, *, username: str, password: str, full_name: str = ...,
                           post_code: str = ...) -> Principal: ...

    def login(self, *, username: str, password: str) -> Principal: ...

    def recover(self, *, code: str, new_password: str, username: str = ...) -> Principal: ...

    def log_out(self) -> None: ...

    def open_services(self, *, as_system: bool = ...) -> ServicesPort: ...


class LoadDemo(Protocol):
    """Enters the demo cases through `cases` and returns them as saved (services.demo.load_demo)."""

    def __call__(self, *, cases: CasesPort) -> list[Case]: ...


class RestoreBackup(Protocol):
    """Writes a backup into a new data folder, to be recorded as a restore at the first login
    (services.backup.restore_backup); returns the date the backup was taken."""

    def __call__(self, *, data_dir: Path, backup: Path, hq_status: Path | None = ...,
                 progress: Callable[[int, int], None] | None = ...) -> str: ...


class SelfTest(Protocol):
    """The self-test steps; `report(line)` is called per step; True when all passed (services.selftest.run)."""

    def __call__(self, *, report: Callable[[str], None], language: str = ...) -> bool: ...
