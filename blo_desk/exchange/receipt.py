"""HQ's signed receipt for a delivered bundle (minisign, Ed25519): what it names, how it is made and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from blo_desk.domain.canonical import canonical_json
from blo_desk.domain.errors import DomainError
from blo_desk.exchange import minisign, strict_json
from blo_desk.exchange.errors import BundleRejected, KeyFileError
from blo_desk.exchange.manifest import POST_RE, SHA_RE, TIMESTAMP_RE
from blo_desk.i18n import N_

RECEIPT_FORMAT = "blo-desk-receipt"
RECEIPT_VERSION = 1
MAX_RECEIPT_BYTES = 4 * 1024**2
_OUTCOMES = frozenset({"imported", "already_imported"})
_FIELDS = frozenset({"format", "format_version", "post", "sequence", "bundle_sha256", "outcome", "issued_at",
                     "hq_key_id", "updates"})
_KEY_ID = re.compile(r"^[0-9A-F]{16}$")
_POST_FIELDS = frozenset({"code", "country", "name_uz", "name_ru", "name_en", "region", "kind", "counterpart",
                          "publicly_named_blo", "active"})


class ReceiptError(DomainError):
    """A receipt that cannot be trusted; the bundle it claims to confirm keeps waiting in the outbox."""

    message = N_("HQ's receipt for bundle {seq} cannot be trusted: {reason}")


RECEIPT_BAD_SIGNATURE = N_("it is not signed by the HQ key this post pinned")
RECEIPT_WRONG_BUNDLE = N_("it names another bundle than the one sent")
RECEIPT_MALFORMED = N_("it is not a receipt in the expected format")


@dataclass(frozen=True, slots=True)
class RevokedKey:
    key_id: str
    post: str
    from_sequence: int


@dataclass(frozen=True, slots=True)
class ReferenceUpdate:
    """HQ's reference lists and posts, in the seed layout (`lists`: kind -> [[code, uz, ru, en], ...])."""

    digest: str
    posts: tuple[dict, ...]
    lists: dict[str, list[list[str]]]


@dataclass(frozen=True, slots=True)
class Receipt:
    post: str
    sequence: int
    bundle_sha256: str
    outcome: str  # imported | already_imported
    issued_at: str
    hq_key_id: str
    revoked_keys: tuple[RevokedKey, ...] = ()
    reference: ReferenceUpdate | None = None
    body: bytes = field(default=b"", compare=False, repr=False)
    signature: str = field(default="", compare=False, repr=False)


def trusted_comment(post: str, sequence: int, sha256: str) -> str:
    return f"blo-desk receipt v{RECEIPT_VERSION} post:{post} seq:{sequence} sha256:{sha256}"


def reference_digest(posts: list[dict] | tuple[dict, ...], lists: dict) -> str:
    """A stable fingerprint of a reference snapshot: HQ leaves the snapshot out when the post already has it."""
    import hashlib

    return hashlib.sha256(canonical_json({"posts": list(posts), "lists": lists})).hexdigest()


def make_receipt(*, key: minisign.SecretKey, post: str, sequence: int, bundle_sha256: str, outcome: str,
                 issued_at: str, revoked_keys: list[RevokedKey] | tuple[RevokedKey, ...] = (),
                 reference: ReferenceUpdate | None = None) -> tuple[bytes, str]:
    """The receipt's canonical JSON bytes and their minisign signature by HQ's key."""
    if outcome not in _OUTCOMES:
        raise ValueError(outcome)
    updates: dict = {
        "revoked_keys": [{"key_id": k.key_id, "post": k.post, "from_sequence": k.from_sequence}
                         for k in sorted(revoked_keys, key=lambda k: k.key_id)],
        "reference": None if reference is None else {"digest": reference.digest, "posts": list(reference.posts),
                                                     "lists": reference.lists},
    }
    body = canonical_json({
        "format": RECEIPT_FORMAT,
        "format_version": RECEIPT_VERSION,
        "post": post,
        "sequence": sequence,
        "bundle_sha256": bundle_sha256,
        "outcome": outcome,
        "issued_at": issued_at,
        "hq_key_id": key.public_key.key_id_text,
        "updates": updates,
    }) + b"\n"
    signature = minisign.sign(body, key, trusted_comment=trusted_comment(post, sequence, bundle_sha256),
                              untrusted_comment="BLO Desk HQ receipt")
    return body, signature


def _malformed(sequence: int) -> ReceiptError:
    return ReceiptError(seq=sequence, reason=RECEIPT_MALFORMED)


def verify_receipt(body: bytes, signature: str, *, hq_key: minisign.PublicKey, post: str, sequence: int,
                   bundle_sha256: str) -> Receipt:
    """Check the signature with the pinned key FIRST, then that the receipt names exactly this bundle.

    Raises ReceiptError (the bundle must keep waiting) on a wrong key, an altered body, another post, sequence or
    hash, or anything malformed."""
    if len(body) > MAX_RECEIPT_BYTES or len(signature) > 4096:
        raise _malformed(sequence)
    try:
        parsed_signature = minisign.parse_signature(signature.encode("utf-8"))
        minisign.verify(body, parsed_signature, hq_key)
    except (BundleRejected, KeyFileError, UnicodeError):
        raise ReceiptError(seq=sequence, reason=RECEIPT_BAD_SIGNATURE) from None
    try:
        data = strict_json.loads(body.rstrip(b"\n"), name="receipt")
    except BundleRejected:
        raise _malformed(sequence) from None
    if not isinstance(data, dict) or set(data) != _FIELDS or data["format"] != RECEIPT_FORMAT \
            or data["format_version"] != RECEIPT_VERSION:
        raise _malformed(sequence)
    if canonical_json(data) + b"\n" != body:
        raise _malformed(sequence)
    if not (isinstance(data["post"], str) and POST_RE.match(data["post"])
            and isinstance(data["sequence"], int) and not isinstance(data["sequence"], bool)
            and isinstance(data["bundle_sha256"], str) and SHA_RE.match(data["bundle_sha256"])
            and data["outcome"] in _OUTCOMES
            and isinstance(data["issued_at"], str) and TIMESTAMP_RE.match(data["issued_at"])
            and isinstance(data["hq_key_id"], str) and _KEY_ID.match(data["hq_key_id"])):
        raise _malformed(sequence)
    if (data["post"], data["sequence"], data["bundle_sha256"]) != (post, sequence, bundle_sha256) \
            or parsed_signature.trusted_comment != trusted_comment(post, sequence, bundle_sha256) \
            or data["hq_key_id"] != hq_key.key_id_text:
        raise ReceiptError(seq=sequence, reason=RECEIPT_WRONG_BUNDLE)
    revoked, reference = _updates(data["updates"], sequence)
    return Receipt(post=post, sequence=sequence, bundle_sha256=bundle_sha256, outcome=data["outcome"],
                   issued_at=data["issued_at"], hq_key_id=data["hq_key_id"], revoked_keys=revoked,
                   reference=reference, body=body, signature=signature)


def _updates(updates: object, sequence: int) -> tuple[tuple[RevokedKey, ...], ReferenceUpdate | None]:
    if not isinstance(updates, dict) or set(updates) != {"revoked_keys", "reference"}:
        raise _malformed(sequence)
    revoked = []
    if not isinstance(updates["revoked_keys"], list):
        raise _malformed(sequence)
    for item in updates["revoked_keys"]:
        if not (isinstance(item, dict) and set(item) == {"key_id", "post", "from_sequence"}
                and isinstance(item["key_id"], str) and _KEY_ID.match(item["key_id"])
                and isinstance(item["post"], str) and POST_RE.match(item["post"])
                and isinstance(item["from_sequence"], int) and item["from_sequence"] >= 1):
            raise _malformed(sequence)
        revoked.append(RevokedKey(key_id=item["key_id"], post=item["post"], from_sequence=item["from_sequence"]))
    reference = updates["reference"]
    if reference is None:
        return tuple(revoked), None
    if not (isinstance(reference, dict) and set(reference) == {"digest", "posts", "lists"}
            and isinstance(reference["posts"], list) and isinstance(reference["lists"], dict)):
        raise _malformed(sequence)
    for post in reference["posts"]:
        if not (isinstance(post, dict) and isinstance(post.get("code"), str) and POST_RE.match(post["code"])
                and set(post) <= _POST_FIELDS and all(isinstance(v, (str, bool)) for v in post.values())):
            raise _malformed(sequence)
    for kind, entries in reference["lists"].items():
        if not (isinstance(kind, str) and isinstance(entries, list)
                and all(isinstance(e, list) and len(e) == 4 and all(isinstance(s, str) for s in e) for e in entries)):
            raise _malformed(sequence)
    if reference_digest(reference["posts"], reference["lists"]) != reference["digest"]:
        raise _malformed(sequence)
    return tuple(revoked), ReferenceUpdate(digest=reference["digest"], posts=tuple(reference["posts"]),
                                           lists=reference["lists"])
