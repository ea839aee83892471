"""Counterpart shares relayed through HQ's intake: HQ keeps what it cannot read until the addressee collects it.

HQ checks a relayed share's envelope only: signed by a key HQ trusts for the sending post (the key its bundles
carry), its ciphertext the one the envelope names, addressed to another post HQ knows. The content stays encrypted
to the counterpart's age key, which HQ never holds. The addressee proves it is itself (a signature by its own key,
`exchange.share.relay_token`) to list, collect and then clear what waits for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import httpx

from blo_desk.domain.canonical import parse_ts, timestamp_text
from blo_desk.domain.errors import DomainError
from blo_desk.domain.sharing import RelayedShare
from blo_desk.durable import write_private
from blo_desk.exchange import minisign
from blo_desk.exchange.manifest import POST_RE
from blo_desk.exchange.share import (
    ID_RE,
    RELAY_AUTH_MINUTES,
    SUFFIX,
    OpenedShare,
    RelayAuthError,
    ShareRejected,
    check_relay_token,
    relay_token,
)
from blo_desk.i18n import N_
from blo_desk.services.clock import utc_now
from blo_desk.services.delivery import hq_client
from blo_desk.storage.uow import UnitOfWorkFactory

RELAY_FOLDER = "intake/relay"
MAX_RELAY_BYTES = 64 * 1024**2  # one share in one request (10 photos of goods are about 20 MB)
MAX_WAITING = 500  # shares waiting for one post


class RelayRefused(DomainError):
    status = 400
    code = "refused"
    message = N_("HQ's relay refused the share.")


class RelayUnknownSenderError(RelayRefused):
    status = 403
    code = "unknown_sender"
    message = N_("HQ does not trust key {key_id} for post {post}, so it cannot check who sent this share; HQ must "
                 "trust the post's key first (as for its bundles).")


class RelayUnknownAddresseeError(RelayRefused):
    status = 422
    code = "unknown_addressee"
    message = N_("HQ's relay knows no post {post} to keep this share for; send it by USB stick or e-mail instead.")


class RelayTooLargeError(RelayRefused):
    status = 413
    code = "too_large"
    message = N_("The share is {size_mb} MB; HQ's relay takes at most {limit_mb} MB. Send it by USB stick instead.")


class RelayFullError(RelayRefused):
    status = 429
    code = "full"
    message = N_("{count} shares already wait at HQ for post {post}; it must collect them first.")


class RelayShareNotFoundError(RelayRefused):
    status = 404
    code = "not_found"
    message = N_("HQ's relay holds no share {id} for post {post}.")


class RelayForbiddenError(RelayRefused):
    status = 403
    code = "forbidden"
    message = RelayAuthError.message


class RelayUnreachableError(DomainError):
    message = N_("HQ's relay at {url} cannot be reached: {reason}")


class RelayNotConfiguredError(DomainError):
    message = N_("HQ's address is not set, so nothing can go through HQ; run `blo-desk post hq --url URL --key FILE` "
                 "or carry the share file by USB stick.")


class NotOwnShareError(DomainError):
    message = N_("The file {filename} is not a share this post wrote (it is from post {post}); only the sender sends "
                 "it through HQ.")


class ShareRelayBox:
    """At HQ: the shares waiting for each post, one file each under `intake/relay/<post>/` (0600)."""

    def __init__(self, *, uow: UnitOfWorkFactory, data_dir: Path, clock: Callable[[], datetime] = utc_now,
                 max_bytes: int = MAX_RELAY_BYTES, max_waiting: int = MAX_WAITING) -> None:
        self._uow = uow
        self.folder = Path(data_dir) / RELAY_FOLDER
        self._clock = clock
        self.max_bytes = max_bytes
        self.max_waiting = max_waiting

    def _keys(self, post: str) -> dict[str, minisign.PublicKey]:
        """The keys HQ trusts for `post` and has not revoked, by key id."""
        with self._uow() as uow:
            trusted = uow.sync.trusted_keys()
        return {k.key_id: minisign.parse_public_key(k.public_key) for k in trusted
                if k.post_code == post and k.revoked_from is None}

    def _known_posts(self) -> set[str]:
        with self._uow() as uow:
            return {k.post_code for k in uow.sync.trusted_keys() if k.revoked_from is None}

    def _path(self, post: str, share_id: str) -> Path:
        return self.folder / post / f"{share_id}{SUFFIX}"

    def accept(self, data: bytes) -> RelayedShare:
        """Check a share's envelope (never its content, which HQ cannot decrypt) and keep it for its addressee.
        The same share sent twice is kept once."""
        if len(data) > self.max_bytes:
            raise RelayTooLargeError(size_mb=round(len(data) / 1024**2, 1), limit_mb=round(self.max_bytes / 1024**2))
        opened = OpenedShare(Path("relayed" + SUFFIX), data=data)
        env = opened.envelope
        key = self._keys(env.sender).get(env.key_id)
        if key is None:
            raise RelayUnknownSenderError(key_id=env.key_id, post=env.sender)
        opened.check_envelope(public_key=key)
        if env.receiver == env.sender or env.receiver not in self._known_posts():
            raise RelayUnknownAddresseeError(post=env.receiver)
        path = self._path(env.receiver, env.id)
        relayed = RelayedShare(id=env.id, sender=env.sender, receiver=env.receiver, kind=env.kind,
                               created_at=env.created_at, size=len(data), sha256=opened.sha256)
        if path.exists():
            return relayed
        waiting = len(list(path.parent.glob(f"*{SUFFIX}"))) if path.parent.exists() else 0
        if waiting >= self.max_waiting:
            raise RelayFullError(count=waiting, post=env.receiver)
        write_private(path, data, folder_is_ours=True)
        return relayed

    def authenticate(self, *, post: str, at: str, token: str) -> None:
        """The asking post signed who it is and when, with a key HQ trusts for it, less than 15 minutes ago."""
        when = None
        try:
            when = parse_ts(at) if POST_RE.fullmatch(post) else None
        except ValueError:
            pass
        if when is None or abs(self._clock() - when) > timedelta(minutes=RELAY_AUTH_MINUTES):
            raise RelayForbiddenError(post=post, minutes=RELAY_AUTH_MINUTES)
        try:
            check_relay_token(token, post=post, at=at, keys=self._keys(post))
        except RelayAuthError:
            raise RelayForbiddenError(post=post, minutes=RELAY_AUTH_MINUTES) from None

    def waiting(self, post: str) -> list[RelayedShare]:
        """What waits for `post`, oldest first (its envelope read again from each file)."""
        folder = self.folder / post
        found = []
        for path in sorted(folder.glob(f"*{SUFFIX}")) if folder.exists() else []:
            try:
                data = path.read_bytes()
                env = OpenedShare(path, data=data).envelope
            except (OSError, ShareRejected):
                continue
            found.append(RelayedShare(id=env.id, sender=env.sender, receiver=env.receiver, kind=env.kind,
                                      created_at=env.created_at, size=len(data),
                                      sha256=hashlib.sha256(data).hexdigest()))
        return sorted(found, key=lambda r: (r.created_at, r.id))

    def read(self, post: str, share_id: str) -> bytes:
        path = self._found(post, share_id)
        return path.read_bytes()

    def remove(self, post: str, share_id: str) -> None:
        """The addressee collected it: HQ keeps no copy."""
        self._found(post, share_id).unlink()

    def _found(self, post: str, share_id: str) -> Path:
        if not POST_RE.fullmatch(post) or not ID_RE.fullmatch(share_id):
            raise RelayShareNotFoundError(id=share_id[:40], post=post[:20])
        path = self._path(post, share_id)
        if not path.is_file():
            raise RelayShareNotFoundError(id=share_id, post=post)
        return path


class RelayClient:
    """At a post: send a share to HQ's relay, and list, collect and clear what waits there for this post."""

    def __init__(self, url: str, *, post: str, key: minisign.SecretKey, ca_file: str = "", timeout: float = 60.0,
                 clock: Callable[[], datetime] = utc_now) -> None:
        self.url = url.rstrip("/")
        self.post = post
        self._key = key
        self._clock = clock
        self._client = hq_client(self.url, ca_file=ca_file, timeout=timeout)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> RelayClient:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _auth(self) -> dict[str, str]:
        at = timestamp_text(self._clock())
        return {"Blo-Post": self.post, "Blo-Time": at, "Blo-Auth": relay_token(self._key, post=self.post, at=at)}

    def _call(self, method: str, path: str, **kwargs) -> httpx.Response:
        try:
            response = self._client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise RelayUnreachableError(url=self.url, reason=str(exc) or type(exc).__name__) from None
        if response.status_code >= 400:
            try:
                data = response.json()
                raise DomainError(str(data["message"]), **dict(data.get("params") or {}))
            except (ValueError, KeyError, TypeError, AttributeError):
                raise RelayUnreachableError(url=self.url, reason=f"HTTP {response.status_code}") from None
        return response

    def send(self, path: Path) -> RelayedShare:
        data = Path(path).read_bytes()
        response = self._call("POST", "/v1/shares", content=data,
                              headers={"Content-Type": "application/octet-stream"})
        return RelayedShare.from_json(response.json())

    def waiting(self) -> list[RelayedShare]:
        response = self._call("GET", f"/v1/shares/{self.post}", headers=self._auth())
        return [RelayedShare.from_json(x) for x in response.json()["waiting"]]

    def collect(self, share_id: str) -> bytes:
        return self._call("GET", f"/v1/shares/{self.post}/{share_id}", headers=self._auth()).content

    def clear(self, share_id: str) -> None:
        self._call("DELETE", f"/v1/shares/{self.post}/{share_id}", headers=self._auth())
