"""age v1 with X25519 recipients through pyrage (rage's Rust implementation): keys, streaming encrypt/decrypt.

The files are plain age files: `age -d -i hq.agekey bundle.age` (the stock Go tool) opens them, and BLO Desk opens
what the stock tool encrypts. Encryption and decryption stream (64 KiB chunks inside age, 1 MiB reads here), so a
1 GB bundle never sits in memory.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Protocol

import pyrage
from pyrage import x25519

from blo_desk.domain.errors import DomainError
from blo_desk.i18n import N_

RECIPIENT_RE = re.compile(r"^age1[02-9ac-hj-np-z]{58}$")
IDENTITY_PREFIX = "AGE-SECRET-KEY-1"


class ByteReader(Protocol):
    """What the age streams read from: a file, or a wrapper that hashes what it hands on."""

    def read(self, n: int = -1, /) -> bytes: ...


class ByteWriter(Protocol):
    """What the age streams (and the zip writer) write into: a file, or a wrapper that hashes or caps."""

    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...


class AgeKeyError(DomainError):
    message = N_("The age key is not an X25519 age key.")


class InvalidRecipientError(AgeKeyError):
    message = N_("{recipient} is not an age X25519 recipient (age1 followed by 58 characters).")


class AgeDecryptError(Exception):
    """pyrage refused the file: no stanza for our identity (`no_key`), or a damaged header or payload."""

    def __init__(self, detail: str, *, no_key: bool) -> None:
        super().__init__(detail)
        self.detail = detail
        self.no_key = no_key


def parse_recipient(text: str) -> str:
    """A checked `age1...` recipient string (lower case, as age writes it)."""
    value = (text or "").strip()
    if not RECIPIENT_RE.match(value):
        raise InvalidRecipientError(recipient=value[:80])
    try:
        x25519.Recipient.from_str(value)
    except Exception as exc:  # noqa: BLE001 - pyrage raises its own RecipientError (or ValueError)
        raise InvalidRecipientError(recipient=value) from exc
    return value


def generate_identity() -> x25519.Identity:
    return x25519.Identity.generate()


def identity_file_text(identity: x25519.Identity, *, created: datetime | None = None) -> str:
    """What `age-keygen` writes: two comment lines, then the secret key. `age -i FILE` reads it as it is."""
    when = (created or datetime.now(timezone.utc)).astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"# created: {when}\n# public key: {identity.to_public()}\n{identity}\n"


def parse_identity(text: str) -> x25519.Identity:
    """The one `AGE-SECRET-KEY-1...` line of an identity file (comments and blank lines ignored)."""
    keys = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if len(keys) != 1 or not keys[0].upper().startswith(IDENTITY_PREFIX):
        raise AgeKeyError()
    try:
        return x25519.Identity.from_str(keys[0])
    except Exception as exc:  # noqa: BLE001 - pyrage's IdentityError
        raise AgeKeyError() from exc


def recipient_of(identity: x25519.Identity) -> str:
    return str(identity.to_public())


def encrypt_stream(reader: ByteReader, writer: ByteWriter, *, recipient: str) -> None:
    """age-encrypt everything `reader` yields (until EOF) into `writer`, for one X25519 recipient."""
    pyrage.encrypt_io(reader, writer, [x25519.Recipient.from_str(recipient)])


def decrypt_stream(reader: ByteReader, writer: ByteWriter, *, identity: x25519.Identity) -> None:
    """Decrypt an age file from `reader` into `writer`; the header is checked before a byte is written."""
    try:
        pyrage.decrypt_io(reader, writer, [identity])
    except pyrage.DecryptError as exc:
        detail = str(exc)
        raise AgeDecryptError(detail, no_key="no matching keys" in detail.lower()) from None
    except OSError as exc:
        if str(exc) != "decryption error":  # pyrage's word for a payload chunk that fails its tag
            raise
        raise AgeDecryptError(str(exc), no_key=False) from None
