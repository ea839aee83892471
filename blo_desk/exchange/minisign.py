"""Minisign's key and signature formats on top of cryptography's Ed25519, checkable with the stock tool."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat, PublicFormat

from blo_desk.exchange.errors import BadSignatureError, KeyFileError, SignatureFormatError
from blo_desk.i18n import N_

ALG_ED = b"Ed"  # Ed25519 over the message itself (legacy)
ALG_ED_PREHASHED = b"ED"  # Ed25519 over BLAKE2b-512 of the message (minisign's default since 0.8)
KDF_NONE = b"\x00\x00"
CHK_BLAKE2B = b"B2"
MAX_COMMENT = 1024


def key_id_text(key_id: bytes) -> str:
    """The key id as minisign prints it: the little-endian 64-bit number in upper-case hex."""
    return key_id[::-1].hex().upper()


@dataclass(frozen=True, slots=True)
class PublicKey:
    key_id: bytes  # 8 bytes, as stored in minisign's files
    raw: bytes  # 32 bytes

    @property
    def key_id_text(self) -> str:
        return key_id_text(self.key_id)

    def to_file_text(self) -> str:
        body = base64.b64encode(ALG_ED + self.key_id + self.raw).decode("ascii")
        return f"untrusted comment: minisign public key {self.key_id_text}\n{body}\n"

    def verify_raw(self, signature: bytes, message: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.raw).verify(signature, message)
        except InvalidSignature:
            return False
        return True


@dataclass(frozen=True, slots=True)
class SecretKey:
    key_id: bytes
    seed: bytes  # the 32-byte Ed25519 private key
    public: bytes

    @classmethod
    def generate(cls) -> SecretKey:
        private = Ed25519PrivateKey.generate()
        seed = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
        public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return cls(key_id=os.urandom(8), seed=seed, public=public)

    @property
    def public_key(self) -> PublicKey:
        return PublicKey(key_id=self.key_id, raw=self.public)

    def sign_raw(self, message: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.seed).sign(message)

    def to_file_text(self) -> str:
        """An unencrypted minisign secret key file (what `minisign -G -W` writes); keep it 0600."""
        sk = self.seed + self.public
        checksum = hashlib.blake2b(ALG_ED + self.key_id + sk, digest_size=32).digest()
        blob = ALG_ED + KDF_NONE + CHK_BLAKE2B + bytes(32) + bytes(8) + bytes(8) + self.key_id + sk + checksum
        return "untrusted comment: minisign secret key\n" + base64.b64encode(blob).decode("ascii") + "\n"


PUBLIC_KEY_FORMAT = N_("The public key file is not in minisign's format.")
SECRET_KEY_FORMAT = N_("The secret key file is not in minisign's format.")


def _second_line(text: str, message: str) -> bytes:
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < 2 or not lines[0].startswith("untrusted comment:"):
        raise KeyFileError(message)
    try:
        return base64.b64decode(lines[1].strip(), validate=True)
    except binascii.Error as exc:
        raise KeyFileError(message) from exc


def parse_public_key(text: str) -> PublicKey:
    """Read a minisign public key file (two lines) or the bare base64 line `minisign -P` takes."""
    stripped = text.strip()
    if "\n" not in stripped:
        stripped = "untrusted comment: minisign public key\n" + stripped
    raw = _second_line(stripped, PUBLIC_KEY_FORMAT)
    if len(raw) != 42 or raw[:2] != ALG_ED:
        raise KeyFileError(PUBLIC_KEY_FORMAT)
    return PublicKey(key_id=raw[2:10], raw=raw[10:42])


def parse_secret_key(text: str) -> SecretKey:
    raw = _second_line(text, SECRET_KEY_FORMAT)
    if len(raw) != 158 or raw[:2] != ALG_ED or raw[4:6] != CHK_BLAKE2B:
        raise KeyFileError(SECRET_KEY_FORMAT)
    if raw[2:4] != KDF_NONE:
        raise KeyFileError(N_("The secret key is protected by a password; BLO Desk needs an unencrypted key."))
    key_id, sk, checksum = raw[54:62], raw[62:126], raw[126:158]
    # minisign 0.11 leaves the checksum zero in an unencrypted key (-W); the derived public key checks it then.
    if checksum != bytes(32) and hashlib.blake2b(ALG_ED + key_id + sk, digest_size=32).digest() != checksum:
        raise KeyFileError(N_("The secret key file is damaged (checksum mismatch)."))
    key = SecretKey(key_id=key_id, seed=sk[:32], public=sk[32:])
    derived = Ed25519PrivateKey.from_private_bytes(key.seed).public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    if derived != key.public:
        raise KeyFileError(N_("The secret key file is damaged (checksum mismatch)."))
    return key


def _clean_comment(comment: str) -> str:
    if "\n" in comment or "\r" in comment or len(comment) > MAX_COMMENT:
        raise ValueError("a minisign comment is one short line")
    return comment


def sign(message: bytes, key: SecretKey, *, trusted_comment: str, untrusted_comment: str = "") -> str:
    """A minisign signature file for `message` (prehashed `ED` variant, what minisign 0.8+ writes)."""
    prehash = hashlib.blake2b(message, digest_size=64).digest()
    signature = key.sign_raw(prehash)
    trusted = _clean_comment(trusted_comment).encode("utf-8")
    global_signature = key.sign_raw(signature + trusted)
    untrusted = _clean_comment(untrusted_comment or f"signature from BLO Desk secret key {key.public_key.key_id_text}")
    return (
        f"untrusted comment: {untrusted}\n"
        f"{base64.b64encode(ALG_ED_PREHASHED + key.key_id + signature).decode('ascii')}\n"
        f"trusted comment: {trusted.decode('utf-8')}\n"
        f"{base64.b64encode(global_signature).decode('ascii')}\n"
    )


@dataclass(frozen=True, slots=True)
class SignatureFile:
    algorithm: bytes
    key_id: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes

    @property
    def key_id_text(self) -> str:
        return key_id_text(self.key_id)


def parse_signature(data: bytes) -> SignatureFile:
    """Split a minisign signature file into its parts; raises SignatureFormatError on anything odd."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SignatureFormatError() from exc
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    lines = [line.rstrip("\r") for line in lines]
    if len(lines) != 4 or not lines[0].startswith("untrusted comment:") or not lines[2].startswith("trusted comment: "):
        raise SignatureFormatError()
    try:
        body = base64.b64decode(lines[1], validate=True)
        global_signature = base64.b64decode(lines[3], validate=True)
    except binascii.Error as exc:
        raise SignatureFormatError() from exc
    if len(body) != 74 or body[:2] not in (ALG_ED, ALG_ED_PREHASHED) or len(global_signature) != 64:
        raise SignatureFormatError()
    return SignatureFile(
        algorithm=body[:2],
        key_id=body[2:10],
        signature=body[10:74],
        trusted_comment=lines[2][len("trusted comment: ") :],
        global_signature=global_signature,
    )


def verify(message: bytes, signature: SignatureFile, key: PublicKey) -> None:
    """Check both the signature of the message and the global signature over the trusted comment."""
    if signature.key_id != key.key_id:
        raise BadSignatureError()
    payload = hashlib.blake2b(message, digest_size=64).digest() if signature.algorithm == ALG_ED_PREHASHED else message
    if not key.verify_raw(signature.signature, payload):
        raise BadSignatureError()
    if not key.verify_raw(signature.global_signature, signature.signature + signature.trusted_comment.encode("utf-8")):
        raise BadSignatureError()
