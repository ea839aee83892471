"""The counterpart share file and counterpart card: a signed envelope around an age ciphertext of a signed message.

A share (`<FROM>-<TO>-<id>.share`) is a ZIP of exactly three stored members, in this order:
`share.age` (age ciphertext, to the receiving post's X25519 recipient, of the inner ZIP), `envelope.json`
(canonical JSON + newline: id, kind, from, to, sender's key id, recipient, time, SHA-256 and size of `share.age`)
and `envelope.json.minisig` (minisign, by the sending post's key). The inner ZIP, what `age -d` gives back,
holds `message.json` (canonical JSON + newline: the redacted records, a request or an answer),
`message.json.minisig` (minisign, same key) and `photos/<sha256>` for each photo the message names.

Who sent it, to whom, and that nothing changed are checked on the envelope before a byte is decrypted (a relay,
HQ included, can check them too and read nothing); the inner signature lets anyone holding the receiving post's
age identity check the content with the stock tools (`age -d`, then `minisign -V`).
"""

from __future__ import annotations

import base64
import hashlib
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from blo_desk.domain.canonical import canonical_json
from blo_desk.domain.errors import DomainError
from blo_desk.domain.sharing import CounterpartCard
from blo_desk.durable import write_private
from blo_desk.exchange import age, minisign, strict_json
from blo_desk.exchange.errors import BadSignatureError, BundleRejected, SignatureFormatError, StrictJsonError
from blo_desk.exchange.manifest import KEY_ID_RE, POST_RE, SHA_RE, TIMESTAMP_RE
from blo_desk.i18n import N_

FORMAT_NAME = "blo-desk-share"
CARD_FORMAT = "blo-desk-counterpart-card"
FORMAT_VERSION = 1
CIPHERTEXT = "share.age"
ENVELOPE = "envelope.json"
ENVELOPE_SIGNATURE = "envelope.json.minisig"
OUTER_MEMBERS = (CIPHERTEXT, ENVELOPE, ENVELOPE_SIGNATURE)
MESSAGE = "message.json"
MESSAGE_SIGNATURE = "message.json.minisig"
PHOTOS = "photos/"
SUFFIX = ".share"
MAX_SHARE_BYTES = 512 * 1024 * 1024
MAX_SMALL = 16 * 1024 * 1024  # message.json; envelope and signatures are far smaller
ID_RE = re.compile(r"^[0-9a-f]{32}$")
KINDS = ("share", "request", "answer")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_ENVELOPE_FIELDS = {"format", "format_version", "id", "kind", "from", "to", "key_id", "recipient", "created_at",
                    "ciphertext_sha256", "ciphertext_size"}


# --- why a share was refused ---------------------------------------------------------------------------------
class ShareRejected(BundleRejected):
    message = N_("The share was refused; nothing of it was kept.")


class NotAShareError(ShareRejected):
    message = N_("The file {filename} is not a complete share from a counterpart post (damaged, truncated or "
                 "another kind of file); nothing of it was kept.")


class ShareFieldError(ShareRejected):
    message = N_("The share's {part} has a missing, extra or invalid field {field}; nothing of it was kept.")


class ShareNotForUsError(ShareRejected):
    message = N_("The share is addressed to post {to}, not to this post ({own}); nothing of it was kept.")


class ShareWrongRecipientError(ShareRejected):
    message = N_("The share is encrypted for another key ({recipient}), not for this post's key; nothing of it was "
                 "kept.")


class ShareUnpairedError(ShareRejected):
    message = N_("The share comes from post {post}, which is not paired with this post; nothing of it was kept.")


class ShareRevokedError(ShareRejected):
    message = N_("The share comes from post {post}, whose pairing was revoked on {date}; nothing of it was kept.")


class ShareBadSignatureError(ShareRejected):
    message = N_("The share's signature does not match: it was altered, or not signed by the key paired for post "
                 "{post}; nothing of it was kept.")


class ShareTamperedError(ShareRejected):
    message = N_("The share's content does not match what its sender signed ({detail}); nothing of it was kept.")


class ShareReplayError(ShareRejected):
    message = N_("This share ({id}) was already received on {date}; it is not taken twice.")


class ShareDecryptError(ShareRejected):
    message = N_("The share cannot be decrypted with this post's key; nothing of it was kept.")


class CardError(DomainError):
    message = N_("The file {filename} is not a counterpart card ({detail}).")


# --- the counterpart card ------------------------------------------------------------------------------------
def card_bytes(card: CounterpartCard) -> bytes:
    return canonical_json({
        "format": CARD_FORMAT, "format_version": FORMAT_VERSION, "post": card.post_code, "names": card.names,
        "public_key": card.public_key, "key_id": card.key_id, "age_recipient": card.age_recipient,
        "languages": list(card.languages),
    }) + b"\n"


def card_fingerprint(card: CounterpartCard) -> str:
    """What the two administrators read out to each other: 20 hex digits over the post and both keys."""
    digest = hashlib.sha256(f"{card.post_code}\n{card.public_key}\n{card.age_recipient}\n".encode()).hexdigest()
    return " ".join(digest[i:i + 4].upper() for i in range(0, 20, 4))


def card_from_bytes(data: bytes, *, filename: str) -> CounterpartCard:
    try:
        value = strict_json.loads(data, name=filename, max_depth=3, max_number_chars=4)
    except StrictJsonError as exc:
        raise CardError(filename=filename, detail="JSON") from exc
    if not isinstance(value, dict) or value.get("format") != CARD_FORMAT or value.get("format_version") != 1:
        raise CardError(filename=filename, detail="format")
    try:
        post = value["post"]
        if not isinstance(post, str) or not POST_RE.match(post):
            raise CardError(filename=filename, detail="post")
        key = minisign.parse_public_key(value["public_key"])
        if key.key_id_text != value["key_id"]:
            raise CardError(filename=filename, detail="key_id")
        names = {str(k): str(v) for k, v in dict(value["names"]).items()}
        languages = tuple(str(x) for x in value["languages"])
        recipient = age.parse_recipient(value["age_recipient"])
    except (KeyError, TypeError, ValueError, DomainError) as exc:
        if isinstance(exc, CardError):
            raise
        raise CardError(filename=filename, detail=type(exc).__name__) from exc
    return CounterpartCard(post_code=post, names=names, public_key=value["public_key"].strip(), key_id=value["key_id"],
                           age_recipient=recipient, languages=languages)


# --- writing ---------------------------------------------------------------------------------------------------
def share_file_name(sender: str, receiver: str, share_id: str) -> str:
    return f"{sender}-{receiver}-{share_id[:12]}{SUFFIX}"


def _trusted(part: str, share_id: str, sender: str, receiver: str, sha256: str) -> str:
    return f"blo-desk share v{FORMAT_VERSION} {part} id:{share_id} from:{sender} to:{receiver} sha256:{sha256}"


def _info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_STORED
    info.external_attr = 0o644 << 16
    return info


@dataclass(frozen=True, slots=True)
class WrittenShare:
    path: Path
    sha256: str
    size: int


def write_share(*, folder: Path, message: dict[str, Any], key: minisign.SecretKey, recipient: str,
                photos: Iterable[tuple[str, Callable[[], bytes]]] = ()) -> WrittenShare:
    """Sign the message, zip it with its photos, encrypt to `recipient`, wrap in a signed envelope, write 0600."""
    share_id, sender, receiver = message["id"], message["from"], message["to"]
    body = canonical_json(message) + b"\n"
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr(_info(MESSAGE), body)
        signature = minisign.sign(body, key, trusted_comment=_trusted(
            "message", share_id, sender, receiver, hashlib.sha256(body).hexdigest()))
        zf.writestr(_info(MESSAGE_SIGNATURE), signature.encode("ascii"))
        for sha256, read in photos:
            data = read()
            if hashlib.sha256(data).hexdigest() != sha256:
                raise ShareTamperedError(detail=f"photo {sha256[:12]}")
            zf.writestr(_info(PHOTOS + sha256), data)
    plain = inner.getvalue()
    cipher = io.BytesIO()
    age.encrypt_stream(io.BytesIO(plain), cipher, recipient=recipient)
    ciphertext = cipher.getvalue()
    cipher_sha = hashlib.sha256(ciphertext).hexdigest()
    envelope = canonical_json({
        "format": FORMAT_NAME, "format_version": FORMAT_VERSION, "id": share_id, "kind": message["kind"],
        "from": sender, "to": receiver, "key_id": key.public_key.key_id_text, "recipient": recipient,
        "created_at": message["created_at"], "ciphertext_sha256": cipher_sha, "ciphertext_size": len(ciphertext),
    }) + b"\n"
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as zf:
        zf.writestr(_info(CIPHERTEXT), ciphertext)
        zf.writestr(_info(ENVELOPE), envelope)
        zf.writestr(_info(ENVELOPE_SIGNATURE), minisign.sign(envelope, key, trusted_comment=_trusted(
            "envelope", share_id, sender, receiver, cipher_sha)).encode("ascii"))
    data = outer.getvalue()
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / share_file_name(sender, receiver, share_id)
    write_private(path, data, folder_is_ours=False)
    return WrittenShare(path=path, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


# --- reading ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ShareEnvelope:
    id: str
    kind: str
    sender: str
    receiver: str
    key_id: str
    recipient: str
    created_at: str
    ciphertext_sha256: str
    ciphertext_size: int


def _members(data: bytes, names: tuple[str, ...] | None, filename: str) -> dict[str, bytes]:
    """The members of a ZIP held in memory: stored, unique, safe names; exactly `names` in order when given."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            listed = [info.filename for info in infos]
            if names is not None and tuple(listed) != names:
                raise NotAShareError(filename=filename)
            if len(set(listed)) != len(listed) or any(
                    info.compress_type != zipfile.ZIP_STORED or info.flag_bits & 0x1 or info.is_dir()
                    or info.file_size > MAX_SHARE_BYTES for info in infos):
                raise NotAShareError(filename=filename)
            return {info.filename: zf.read(info) for info in infos}
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise NotAShareError(filename=filename) from exc


def _json(data: bytes, part: str) -> dict[str, Any]:
    try:
        value = strict_json.loads(data, name=part, max_depth=12, max_number_chars=32)
    except StrictJsonError:
        raise ShareFieldError(part=part, field="JSON") from None
    if not isinstance(value, dict) or canonical_json(value) + b"\n" != data:
        raise ShareFieldError(part=part, field="canonical form")
    return value


def _envelope(data: bytes) -> ShareEnvelope:
    value = _json(data, ENVELOPE)
    for name in sorted(_ENVELOPE_FIELDS ^ set(value)):
        raise ShareFieldError(part=ENVELOPE, field=name)
    checks = {
        "format": value["format"] == FORMAT_NAME,
        "format_version": value["format_version"] == FORMAT_VERSION,
        "id": isinstance(value["id"], str) and bool(ID_RE.match(value["id"])),
        "kind": value["kind"] in KINDS,
        "from": isinstance(value["from"], str) and bool(POST_RE.match(value["from"])),
        "to": isinstance(value["to"], str) and bool(POST_RE.match(value["to"])),
        "key_id": isinstance(value["key_id"], str) and bool(KEY_ID_RE.match(value["key_id"])),
        "recipient": isinstance(value["recipient"], str) and bool(age.RECIPIENT_RE.match(value["recipient"])),
        "created_at": isinstance(value["created_at"], str) and bool(TIMESTAMP_RE.match(value["created_at"])),
        "ciphertext_sha256": isinstance(value["ciphertext_sha256"], str)
        and bool(SHA_RE.match(value["ciphertext_sha256"])),
        "ciphertext_size": isinstance(value["ciphertext_size"], int) and value["ciphertext_size"] > 0,
    }
    for name, ok in checks.items():
        if not ok:
            raise ShareFieldError(part=ENVELOPE, field=name)
    return ShareEnvelope(id=value["id"], kind=value["kind"], sender=value["from"], receiver=value["to"],
                         key_id=value["key_id"], recipient=value["recipient"], created_at=value["created_at"],
                         ciphertext_sha256=value["ciphertext_sha256"], ciphertext_size=value["ciphertext_size"])


def _verify(data: bytes, signature: bytes, key: minisign.PublicKey, expected_comment: str, post: str) -> None:
    try:
        parsed = minisign.parse_signature(signature)
        minisign.verify(data, parsed, key)
    except (SignatureFormatError, BadSignatureError):
        raise ShareBadSignatureError(post=post) from None
    if parsed.trusted_comment != expected_comment:
        raise ShareBadSignatureError(post=post)


class OpenedShare:
    """A share file read and checked step by step: `envelope` first (nothing decrypted), then `open(...)`."""

    def __init__(self, path: Path, *, data: bytes | None = None) -> None:
        """Read the file at `path`, or take its bytes as `data` (a relay holds them in memory; `path` names them)."""
        self.path = Path(path)
        if data is not None:
            if len(data) > MAX_SHARE_BYTES:
                raise NotAShareError(filename=self.path.name)
            self.data = data
        else:
            try:
                size = self.path.stat().st_size
                if size > MAX_SHARE_BYTES:
                    raise NotAShareError(filename=self.path.name)
                self.data = self.path.read_bytes()
            except OSError as exc:
                raise NotAShareError(filename=self.path.name) from exc
        self.sha256 = hashlib.sha256(self.data).hexdigest()
        self._outer = _members(self.data, OUTER_MEMBERS, self.path.name)
        self.envelope = _envelope(self._outer[ENVELOPE])

    def check_envelope(self, *, public_key: minisign.PublicKey) -> None:
        """The envelope's signature by the paired key, and the ciphertext it names (still nothing decrypted)."""
        env = self.envelope
        if public_key.key_id_text != env.key_id:
            raise ShareBadSignatureError(post=env.sender)
        _verify(self._outer[ENVELOPE], self._outer[ENVELOPE_SIGNATURE], public_key,
                _trusted("envelope", env.id, env.sender, env.receiver, env.ciphertext_sha256), env.sender)
        ciphertext = self._outer[CIPHERTEXT]
        if len(ciphertext) != env.ciphertext_size or hashlib.sha256(ciphertext).hexdigest() != env.ciphertext_sha256:
            raise ShareTamperedError(detail=CIPHERTEXT)

    def open(self, *, public_key: minisign.PublicKey, identity) -> tuple[dict[str, Any], dict[str, bytes]]:
        """Decrypt, check the inner signature and every photo; the message and the photos by SHA-256."""
        env = self.envelope
        plain = io.BytesIO()
        try:
            age.decrypt_stream(io.BytesIO(self._outer[CIPHERTEXT]), plain, identity=identity)
        except age.AgeDecryptError as exc:
            if exc.no_key:
                raise ShareWrongRecipientError(recipient=env.recipient) from None
            raise ShareDecryptError() from None
        inner = _members(plain.getvalue(), None, self.path.name)
        body, signature = inner.pop(MESSAGE, None), inner.pop(MESSAGE_SIGNATURE, None)
        if body is None or signature is None:
            raise ShareTamperedError(detail=MESSAGE)
        _verify(body, signature, public_key,
                _trusted("message", env.id, env.sender, env.receiver, hashlib.sha256(body).hexdigest()), env.sender)
        message = _json(body, MESSAGE)
        for name, expected in (("id", env.id), ("kind", env.kind), ("from", env.sender), ("to", env.receiver),
                               ("created_at", env.created_at)):
            if message.get(name) != expected:
                raise ShareTamperedError(detail=name)
        photos: dict[str, bytes] = {}
        named = {p["sha256"] for record in message.get("records", []) for p in record.get("content", {}).get(
            "photos", [])}
        for name, data in inner.items():
            sha = name[len(PHOTOS):] if name.startswith(PHOTOS) else ""
            if not SHA_RE.match(sha) or sha not in named or hashlib.sha256(data).hexdigest() != sha:
                raise ShareTamperedError(detail=name)
            photos[sha] = data
        if named - set(photos):
            raise ShareTamperedError(detail="photos")
        return message, photos


# --- the relay through HQ's intake: a post proves it is itself before it collects what waits for it ----------------
class RelayAuthError(DomainError):
    message = N_("HQ's relay did not recognise post {post}: its signature is missing, wrong, from a key HQ does not "
                 "trust for it, or older than {minutes} minutes.")


RELAY_AUTH_MINUTES = 15


def _relay_statement(post: str, at: str) -> str:
    return f"blo-desk share-relay v{FORMAT_VERSION} collect post:{post} at:{at}"


def relay_token(key: minisign.SecretKey, *, post: str, at: str) -> str:
    """What a post sends with its requests to HQ's relay: its minisign signature, by its own key, of which post it is
    and when it asks (base64 of the signature file, one header line)."""
    statement = _relay_statement(post, at)
    return base64.b64encode(minisign.sign(statement.encode("ascii"), key, trusted_comment=statement)
                            .encode("ascii")).decode("ascii")


def check_relay_token(token: str, *, post: str, at: str, keys: dict[str, minisign.PublicKey]) -> str:
    """The key id that signed a relay token of `post` at `at`, among `keys` (the post's trusted keys by key id);
    RelayAuthError otherwise (the age of `at` is the caller's to check)."""
    statement = _relay_statement(post, at)
    try:
        signature = minisign.parse_signature(base64.b64decode(token.encode("ascii"), validate=True))
        key = keys[signature.key_id_text]
        minisign.verify(statement.encode("ascii"), signature, key)
    except (ValueError, KeyError, UnicodeEncodeError, SignatureFormatError, BadSignatureError):
        raise RelayAuthError(post=post, minutes=RELAY_AUTH_MINUTES) from None
    if signature.trusted_comment != statement:
        raise RelayAuthError(post=post, minutes=RELAY_AUTH_MINUTES)
    return signature.key_id_text
