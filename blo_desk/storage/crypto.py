"""Keys at rest: a random data key, wrapped per user under an argon2id-derived key; AES-GCM sealing of bytes."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from blo_desk.durable import write_atomically

DATA_KEY_BYTES = 32
NONCE_BYTES = 12
SEAL_MAGIC = b"BLOSEAL1"
SEALED_SUFFIX = ".sealed"  # a key file sealed with the data key: <name>.sealed beside where the plain one would be
KEYRING_FORMAT = 1
RECOVERY_ENTRY = "@recovery"  # the keyring's name for the recovery key (and its lock-out counters)


@dataclass(frozen=True, slots=True)
class KdfParams:
    """argon2id cost; OWASP's floor is 19 MiB and 2 passes, the default is RFC 9106's low-memory choice."""

    memory_kib: int = 65536
    time_cost: int = 3
    parallelism: int = 4

    def at_least(self, other: KdfParams) -> bool:
        return (self.memory_kib >= other.memory_kib and self.time_cost >= other.time_cost
                and self.parallelism >= other.parallelism)


MINIMUM_KDF = KdfParams(memory_kib=19456, time_cost=2, parallelism=1)
DEFAULT_KDF = KdfParams()


class UnwrapError(Exception):
    """The password does not open this wrapped key (or the entry was altered)."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def derive_kek(password: str, salt: bytes, params: KdfParams) -> bytes:
    """The key-encryption key of one user: argon2id raw output over the password."""
    return hash_secret_raw(
        password.encode("utf-8"), salt, time_cost=params.time_cost, memory_cost=params.memory_kib,
        parallelism=params.parallelism, hash_len=32, type=Type.ID,
    )


class DataKey:
    """The store's random 256-bit key: SQLCipher uses it raw; photos, sealed files and the audit seal use sub-keys."""

    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        if len(key) != DATA_KEY_BYTES:
            raise ValueError("a data key has 32 bytes")
        self._key = bytes(key)

    @classmethod
    def generate(cls) -> DataKey:
        return cls(secrets.token_bytes(DATA_KEY_BYTES))

    @property
    def raw(self) -> bytes:
        return self._key

    def sqlcipher_pragma(self) -> str:
        """PRAGMA key with a raw key: no SQLCipher KDF on open (the key is already random)."""
        return f"PRAGMA key = \"x'{self._key.hex()}'\""

    def subkey(self, purpose: str) -> bytes:
        return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                    info=f"blo-desk/{purpose}".encode()).derive(self._key)

    def __repr__(self) -> str:
        return "DataKey(<hidden>)"


class Sealer:
    """AES-256-GCM with a sub-key of the data key; `purpose` is authenticated, so a sealed blob cannot be moved."""

    def __init__(self, key: DataKey, *, purpose_prefix: str = "seal") -> None:
        self._aead = AESGCM(key.subkey(purpose_prefix))

    def seal(self, data: bytes, *, purpose: str) -> bytes:
        nonce = secrets.token_bytes(NONCE_BYTES)
        return SEAL_MAGIC + nonce + self._aead.encrypt(nonce, data, purpose.encode("utf-8"))

    def unseal(self, blob: bytes, *, purpose: str) -> bytes:
        if not blob.startswith(SEAL_MAGIC) or len(blob) < len(SEAL_MAGIC) + NONCE_BYTES + 16:
            raise ValueError("not a sealed blob")
        nonce = blob[len(SEAL_MAGIC):len(SEAL_MAGIC) + NONCE_BYTES]
        try:
            return self._aead.decrypt(nonce, blob[len(SEAL_MAGIC) + NONCE_BYTES:], purpose.encode("utf-8"))
        except InvalidTag as exc:
            raise ValueError("sealed blob altered or sealed under another key") from exc

    @staticmethod
    def is_sealed(blob: bytes) -> bool:
        return blob.startswith(SEAL_MAGIC)


MAX_QUEUED_LOGINS = 1000  # login events kept for the audit trail while the store is closed
MAX_QUEUED_NAME = 64  # characters of a typed (perhaps unknown) username that are kept
MAX_UNKNOWN_NAMES = 200  # unknown usernames counted one by one; any further ones are counted together


def _aad(store_id: str, username: str) -> bytes:
    return f"blo-desk keyring v{KEYRING_FORMAT}|{store_id}|{username}".encode("utf-8")


class Keyring:
    """`keyring.json` beside the store: per user, the data key wrapped under that user's password.

    It also holds the login-failure counters, since before a login the encrypted store cannot be written.
    Nothing in it reveals the data key without a password; a user removed here can no longer open the store.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._data = self._load()

    def _load(self) -> dict:
        if not self.path.exists():
            return {"format": KEYRING_FORMAT, "store_id": "", "check": "", "users": {}, "logins": {}}
        data = json.loads(self.path.read_text("utf-8"))
        data.setdefault("logins", {})
        return data

    def reload(self) -> None:
        self._data = self._load()

    @property
    def exists(self) -> bool:
        return self.path.exists() and bool(self._data["users"])

    @property
    def store_id(self) -> str:
        return self._data["store_id"]

    def has(self, username: str) -> bool:
        return username in self._data["users"]

    def create(self, key: DataKey) -> None:
        """Start a keyring for a new store (no user yet: add one before saving)."""
        self._data = {"format": KEYRING_FORMAT, "store_id": secrets.token_hex(16),
                      "check": hmac.new(key.subkey("keyring-check"), b"check", hashlib.sha256).hexdigest(),
                      "users": {}, "logins": {}}

    def matches(self, key: DataKey) -> bool:
        expected = hmac.new(key.subkey("keyring-check"), b"check", hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, self._data.get("check", ""))

    def wrap_for(self, username: str, password: str, key: DataKey, params: KdfParams = DEFAULT_KDF) -> None:
        salt = secrets.token_bytes(16)
        nonce = secrets.token_bytes(NONCE_BYTES)
        kek = derive_kek(password, salt, params)
        wrapped = AESGCM(kek).encrypt(nonce, key.raw, _aad(self.store_id, username))
        self._data["users"][username] = {
            "kdf": "argon2id", "m": params.memory_kib, "t": params.time_cost, "p": params.parallelism,
            "salt": b64(salt), "nonce": b64(nonce), "wrapped": b64(wrapped),
        }

    def params_of(self, username: str) -> KdfParams:
        entry = self._data["users"][username]
        return KdfParams(memory_kib=entry["m"], time_cost=entry["t"], parallelism=entry["p"])

    def unwrap(self, username: str, password: str) -> DataKey:
        """The data key under `username`'s password; UnwrapError when it does not open. A username nobody has costs
        the same argon2id work as a wrong password (a stand-in entry, see `_stand_in`): how long the refusal takes
        does not tell which usernames exist."""
        entry = self._data["users"].get(username)
        key = self._open(entry if entry is not None else self._stand_in(username), password, username)
        if entry is None:  # cannot happen (a stand-in opens under no password): be sure
            raise UnwrapError(username)
        return key

    def _open(self, entry: dict, secret: str, name: str) -> DataKey:
        """The data key wrapped in `entry` under argon2id(`secret`); UnwrapError when it does not open."""
        params = KdfParams(memory_kib=entry["m"], time_cost=entry["t"], parallelism=entry["p"])
        kek = derive_kek(secret, unb64(entry["salt"]), params)
        try:
            raw = AESGCM(kek).decrypt(unb64(entry["nonce"]), unb64(entry["wrapped"]), _aad(self.store_id, name))
        except InvalidTag as exc:
            raise UnwrapError(name) from exc
        return DataKey(raw)

    def _stand_in(self, username: str) -> dict:
        """A wrapped entry for a username nobody has: the argon2id cost the keyring's users have (the most common
        one), a salt of its own per store and name (the same on each try, as a real user's is), and a wrapped value
        that opens under no password. Nothing of it is stored."""
        costs = [(e["m"], e["t"], e["p"]) for e in self._data["users"].values()]
        m, t, p = max(set(costs), key=costs.count) if costs else (DEFAULT_KDF.memory_kib, DEFAULT_KDF.time_cost,
                                                                   DEFAULT_KDF.parallelism)
        seed = hmac.new(f"blo-desk stand-in|{self.store_id}".encode(), username.encode("utf-8"),
                        hashlib.sha256).digest()
        return {"m": m, "t": t, "p": p, "salt": b64(seed[:16]), "nonce": b64(seed[16:16 + NONCE_BYTES]),
                "wrapped": b64(secrets.token_bytes(DATA_KEY_BYTES + 16))}

    # --- the recovery key (a code printed on paper) and HQ's escrow copy ---------------------------
    @property
    def has_recovery(self) -> bool:
        return "recovery" in self._data

    def wrap_recovery(self, code: str, key: DataKey, params: KdfParams = DEFAULT_KDF) -> None:
        """Also wrap the data key under a recovery code (normalized by domain.recovery), replacing any earlier."""
        salt = secrets.token_bytes(16)
        nonce = secrets.token_bytes(NONCE_BYTES)
        kek = derive_kek(code, salt, params)
        wrapped = AESGCM(kek).encrypt(nonce, key.raw, _aad(self.store_id, RECOVERY_ENTRY))
        self._data["recovery"] = {
            "kdf": "argon2id", "m": params.memory_kib, "t": params.time_cost, "p": params.parallelism,
            "salt": b64(salt), "nonce": b64(nonce), "wrapped": b64(wrapped),
        }

    def unwrap_recovery(self, code: str) -> DataKey:
        entry = self._data.get("recovery")
        if entry is None:
            raise UnwrapError(RECOVERY_ENTRY)
        return self._open(entry, code, RECOVERY_ENTRY)

    def set_escrow(self, *, recipient: str, armored: str) -> None:
        """The data key encrypted to HQ's age recipient (HQ can open this store if it is sent there)."""
        self._data["escrow"] = {"recipient": recipient, "age": armored}

    @property
    def escrow(self) -> dict | None:
        return self._data.get("escrow")

    def remove(self, username: str) -> None:
        self._data["users"].pop(username, None)
        self._data["logins"].pop(username, None)

    # --- login failures (kept here because the store is closed until a login succeeds) -------------
    def login_state(self, username: str) -> dict:
        return dict(self._data["logins"].get(username, {"failures": 0, "locked_until": "", "unreported": 0}))

    def set_login_state(self, username: str, state: dict) -> None:
        self._data["logins"][username] = state

    # --- login events waiting for the store (failures happen before the data key is unwrapped) -------------
    def queue_login_event(self, *, kind: str, username: str, known: bool, count: int, at: str,
                          details: dict | None = None) -> None:
        """Keep a login event (failed, locked, refused while locked) until a login opens the store and the audit
        trail records it (flush_login_events). Numbered, so an event is never recorded twice; at most
        MAX_QUEUED_LOGINS are kept, and the ones beyond are counted."""
        queue = self._data.setdefault("login_queue", [])
        number = int(self._data.get("login_queue_next", 1))
        self._data["login_queue_next"] = number + 1
        if len(queue) >= MAX_QUEUED_LOGINS:
            self._data["login_queue_dropped"] = int(self._data.get("login_queue_dropped", 0)) + 1
            return
        queue.append({"n": number, "kind": kind, "username": username[:MAX_QUEUED_NAME], "known": known,
                      "count": count, "at": at, **(details or {})})

    def queued_login_events(self) -> tuple[list[dict], int]:
        """The queued login events, oldest first, and how many were counted but not kept."""
        return [dict(e) for e in self._data.get("login_queue", [])], int(self._data.get("login_queue_dropped", 0))

    def forget_login_events(self, *, up_to: int, dropped: int) -> None:
        """The audit trail recorded the events numbered up to `up_to` and `dropped` uncounted ones."""
        self._data["login_queue"] = [e for e in self._data.get("login_queue", []) if int(e["n"]) > up_to]
        self._data["login_queue_dropped"] = max(0, int(self._data.get("login_queue_dropped", 0)) - dropped)

    def unknown_count(self, username: str) -> int:
        """Failed attempts so far under this unknown username (counted across logins; bounded list)."""
        unknown = self._data.setdefault("unknown_logins", {})
        name = username[:MAX_QUEUED_NAME]
        if name not in unknown and len(unknown) >= MAX_UNKNOWN_NAMES:
            name = ""  # every further unknown name is counted together
        unknown[name] = int(unknown.get(name, 0)) + 1
        return unknown[name]

    def save(self) -> None:
        """Write atomically (temporary file, fsync, rename) so a crash never leaves half a keyring."""
        write_atomically(self.path, json.dumps(self._data, indent=1, sort_keys=True).encode("utf-8"), mode=0o600)
