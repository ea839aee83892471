"""Tables of sync bundles: the post's identity and outbox, and at HQ the trust store, bundle log and alerts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from blo_desk.storage.base import Base, UtcDateTime


class SyncIdentityRow(Base):
    """This installation as a post: its code and the public half of its signing key (one row)."""

    __tablename__ = "sync_identity"

    post_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(16))
    public_key: Mapped[str] = mapped_column(String(100))  # base64 line of the minisign public key
    secret_key_file: Mapped[str] = mapped_column(String(500))  # relative to the data folder
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class SyncOutboxRow(Base):
    """Every bundle this post numbered: reserved first, then written; acknowledged once HQ confirms."""

    __tablename__ = "sync_outbox"

    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    post_code: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))  # reserved | written | failed
    file_name: Mapped[str] = mapped_column(String(200))
    folder: Mapped[str] = mapped_column(String(1000), default="")
    sha256: Mapped[str] = mapped_column(String(64), default="")
    previous_sha256: Mapped[str] = mapped_column(String(64), default="")
    size: Mapped[int] = mapped_column(Integer, default=0)
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    records: Mapped[int] = mapped_column(Integer, default=0)
    cases: Mapped[int] = mapped_column(Integer, default=0)
    attachments: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    audit_length: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # the chain it reported
    audit_head: Mapped[str] = mapped_column(String(64), default="", server_default="")


class SyncExportedRow(Base):
    """Which case revision went out in which bundle first: 'since the last bundle' is what is not here."""

    __tablename__ = "sync_exported"

    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sequence: Mapped[int] = mapped_column(Integer, index=True)


class TrustedKeyRow(Base):
    """HQ's trust store: a post's public key, and from which bundle number on it is no longer accepted."""

    __tablename__ = "hq_trusted_key"

    key_id: Mapped[str] = mapped_column(String(16), primary_key=True)
    post_code: Mapped[str] = mapped_column(ForeignKey("post.code"), index=True)
    public_key: Mapped[str] = mapped_column(String(100))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime)
    revoked_from: Mapped[int | None] = mapped_column(Integer, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    note: Mapped[str] = mapped_column(String(500), default="")


class ImportedBundleRow(Base):
    """A bundle HQ applied: one per post and sequence number, never two."""

    __tablename__ = "hq_bundle"

    post_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sha256: Mapped[str] = mapped_column(String(64))
    manifest_sha256: Mapped[str] = mapped_column(String(64))
    previous_sha256: Mapped[str] = mapped_column(String(64), default="")
    key_id: Mapped[str] = mapped_column(String(16))
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[str] = mapped_column(String(40))  # as the manifest says
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime)
    file_name: Mapped[str] = mapped_column(String(500), default="")
    records: Mapped[int] = mapped_column(Integer, default=0)
    new_cases: Mapped[int] = mapped_column(Integer, default=0)
    updated_cases: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    # The post's audit chain as this bundle reported it (length, last hash, checkpoints as canonical JSON).
    audit_length: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    audit_head: Mapped[str] = mapped_column(String(64), default="", server_default="")
    audit_checkpoints: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")


class SyncAlertRow(Base):
    """Something an analyst must look at, such as two different bundles with one sequence number."""

    __tablename__ = "hq_alert"
    __table_args__ = (Index("ix_hq_alert_post_seq", "post_code", "sequence"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    post_code: Mapped[str] = mapped_column(String(16))
    sequence: Mapped[int] = mapped_column(Integer)
    manifest_sha256: Mapped[str] = mapped_column(String(64), default="")
    file_name: Mapped[str] = mapped_column(String(500), default="")
    details: Mapped[str] = mapped_column(Text, default="")  # canonical JSON of the message parameters
    raised_at: Mapped[datetime] = mapped_column(UtcDateTime)
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)


class BundleCopyRow(Base):
    """A container (by the SHA-256 of its file) that HQ verified as carrying a bundle it holds: the post's own
    file, or a re-packaged copy of it. A bundle's identity is what its post signed (`identity_sha256`: the
    manifest's SHA-256, or the envelope's for an encrypted bundle), never its container."""

    __tablename__ = "hq_bundle_copy"

    post_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    sequence: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    identity_sha256: Mapped[str] = mapped_column(String(64))
