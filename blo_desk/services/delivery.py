"""At the post: send waiting bundles to HQ's intake service in chunks that resume after drops, check HQ's receipts."""

from __future__ import annotations

import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx

from blo_desk.domain.delivery import Backoff, DeliveryStatus
from blo_desk.domain.errors import DomainError
from blo_desk.domain.sharing import CollectedShare
from blo_desk.domain.sync import ExportResult, OutboxEntry
from blo_desk.durable import write_atomically
from blo_desk.exchange import minisign
from blo_desk.exchange.errors import KeyFileError, NothingToExportError, PostNotSetUpError
from blo_desk.exchange.receipt import Receipt, ReceiptError, verify_receipt
from blo_desk.i18n import N_
from blo_desk.services.clock import utc_now
from blo_desk.services.sync import SyncService
from blo_desk.storage.delivery_repository import (
    HQ_CA,
    HQ_KEY,
    HQ_URL,
    LAST_CONFIRMED,
    REFERENCE_DIGEST,
    DeliveryRepository,
)
from blo_desk.storage.uow import UnitOfWorkFactory

CHUNK_BYTES = 8 * 1024**2
RECEIPTS_FOLDER = "receipts"
_PIECE = 256 * 1024

# Outcomes of sending one bundle.
DELIVERED = "delivered"  # HQ imported it (or already had it) and its receipt checked out
REFUSED = "refused"  # HQ refused it with a reason (it stays in the outbox; USB still works)
RECEIPT_REJECTED = "receipt_rejected"  # the receipt did not verify: the bundle keeps waiting
MISSING_FILE = "missing_file"  # the bundle file is not where it was written (e.g. exported to a stick)
UNREACHABLE = "unreachable"  # the link failed; the next tick resumes


class DeliveryNotConfiguredError(DomainError):
    message = N_("HQ's address and key are not set; run `blo-desk post hq --url URL --key FILE` first.")


class HqUnreachableError(DomainError):
    message = N_("HQ at {url} cannot be reached: {reason}")


class HqRefusedError(DomainError):
    """HQ's reason, rebuilt from the msgid and parameters it sent, so it shows in the post's language."""

    message = N_("HQ refused bundle {seq}: {reason}")


class InvalidHqUrlError(DomainError):
    message = N_("{url} is not an http:// or https:// address.")


@dataclass(frozen=True, slots=True)
class DeliveryConfig:
    url: str
    key: minisign.PublicKey
    ca_file: str = ""


@dataclass(frozen=True, slots=True)
class SendOutcome:
    sequence: int
    outcome: str
    error: DomainError | None = None
    receipt: Receipt | None = None
    bytes_sent: int = 0
    bytes_resent: int = 0
    drops: int = 0

    @property
    def delivered(self) -> bool:
        return self.outcome == DELIVERED


@dataclass(frozen=True, slots=True)
class TickResult:
    exported: ExportResult | None
    outcomes: tuple[SendOutcome, ...]
    waiting: int
    reachable: bool | None  # None: not configured or nothing to send
    collected: tuple[CollectedShare, ...] = ()  # counterpart shares collected from HQ's relay (issue 16)
    collect_error: DomainError | None = None  # why collecting failed this time (the next tick tries again)

    @property
    def delivered(self) -> int:
        return sum(1 for o in self.outcomes if o.delivered)


@dataclass
class UploadStats:
    bytes_sent: int = 0  # body bytes handed to the socket, all attempts
    drops: int = 0  # attempts that failed (dropped link, HTTP 5xx/429, offset race) and were retried
    attempts: int = 0
    confirmed: int = 0  # the highest offset HQ confirmed holding


class _Retry(Exception):
    """A failure worth another attempt (network, 5xx, 429, the upload vanished)."""


def hq_client(url: str, *, ca_file: str = "", timeout: float = 60.0) -> httpx.Client:
    """An HTTP client for HQ's intake: HQ's own CA when given (pinned at set-up), else the system's trust store; no
    redirects followed."""
    verify: bool | ssl.SSLContext = ssl.create_default_context(cafile=ca_file) if ca_file else True
    return httpx.Client(base_url=url, verify=verify, follow_redirects=False,
                        timeout=httpx.Timeout(timeout, connect=min(timeout, 10.0)),
                        headers={"User-Agent": "blo-desk-post"})


class Uploader:
    """The client side of the intake protocol: create (or find again) the upload, PATCH chunks from the offset HQ
    holds, start over from create after any drop. Returns HQ's JSON answer with the receipt."""

    def __init__(self, url: str, *, chunk_bytes: int = CHUNK_BYTES, backoff: Backoff = Backoff(),
                 timeout: float = 60.0, ca_file: str = "", sleep: Callable[[float], None] = time.sleep,
                 should_stop: Callable[[], bool] | None = None) -> None:
        self.url = url.rstrip("/")
        self.chunk_bytes = chunk_bytes
        self.backoff = backoff
        self._sleep = sleep
        self._should_stop = should_stop or (lambda: False)
        self._client = hq_client(self.url, ca_file=ca_file, timeout=timeout)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> Uploader:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def probe(self, timeout: float = 5.0) -> bool:
        """A cheap GET /health: whether HQ answers at all."""
        try:
            response = self._client.get("/health", timeout=timeout)
        except httpx.HTTPError:
            return False
        return response.status_code == 200

    def upload(self, path: Path, *, post: str, sequence: int, sha256: str, key_id: str,
               reference_digest: str = "", stats: UploadStats | None = None) -> dict:
        stats = stats if stats is not None else UploadStats()
        size = Path(path).stat().st_size
        failures = 0
        last_error = ""
        while True:
            if self._should_stop():
                raise HqUnreachableError(url=self.url, reason=N_("stopped"))
            stats.attempts += 1
            before = stats.confirmed
            try:
                return self._attempt(path, size=size, post=post, sequence=sequence, sha256=sha256, key_id=key_id,
                                     reference_digest=reference_digest, stats=stats)
            except (httpx.TransportError, _Retry) as exc:
                stats.drops += 1
                last_error = str(exc) or type(exc).__name__
                failures = 1 if stats.confirmed > before else failures + 1
                if failures > self.backoff.retries:
                    raise HqUnreachableError(url=self.url, reason=last_error) from None
                self._sleep(self.backoff.delay(failures))

    def _attempt(self, path: Path, *, size: int, post: str, sequence: int, sha256: str, key_id: str,
                 reference_digest: str, stats: UploadStats) -> dict:
        response = self._client.post("/v1/uploads", headers={
            "Upload-Length": str(size), "Blo-Post": post, "Blo-Sequence": str(sequence), "Blo-Sha256": sha256,
            "Blo-Key-Id": key_id, "Blo-Reference-Digest": reference_digest})
        if response.status_code == 200:
            return response.json()
        self._check(response, sequence)
        location = response.headers["Location"]
        offset = int(response.headers["Upload-Offset"])
        stats.confirmed = max(stats.confirmed, offset)
        with open(path, "rb") as fh:
            while True:
                length = min(self.chunk_bytes, size - offset)
                fh.seek(offset)
                response = self._client.patch(location, content=self._body(fh, length, stats), headers={
                    "Upload-Offset": str(offset), "Content-Length": str(length),
                    "Content-Type": "application/offset+octet-stream"})
                if response.status_code == 200:
                    return response.json()
                if response.status_code == 204:
                    offset = int(response.headers["Upload-Offset"])
                    stats.confirmed = max(stats.confirmed, offset)
                    continue
                if response.status_code == 409:  # HQ holds another offset (a stale request wrote on): re-read it
                    raise _Retry("offset")
                self._check(response, sequence)

    @staticmethod
    def _body(fh, length: int, stats: UploadStats) -> Iterator[bytes]:
        left = length
        while left > 0:
            piece = fh.read(min(_PIECE, left))
            if not piece:
                raise OSError("the bundle file shrank while it was sent")
            left -= len(piece)
            stats.bytes_sent += len(piece)
            yield piece

    @staticmethod
    def _check(response: httpx.Response, sequence: int) -> None:
        status = response.status_code
        if status in (200, 201, 204):
            return
        if status == 404 or status == 429 or status >= 500:
            raise _Retry(f"HTTP {status}")
        try:
            data = response.json()
            reason = DomainError(str(data["message"]), **dict(data.get("params") or {}))
        except (ValueError, KeyError, TypeError, AttributeError):
            reason = DomainError(N_("HTTP status {status}"), status=status)
        raise HqRefusedError(seq=sequence, reason=reason)


class DeliveryService:
    """The post's outbox delivered by upload: export what is new, send what waits in sequence order, and mark a
    bundle delivered only when HQ's receipt verifies with the pinned key. No Qt here: the UI calls `tick()`."""

    def __init__(self, *, uow: UnitOfWorkFactory, sync: SyncService, data_dir: Path,
                 clock: Callable[[], datetime] = utc_now, chunk_bytes: int = CHUNK_BYTES,
                 backoff: Backoff = Backoff(), guard=None,
                 collect_shares: Callable[[], list[CollectedShare]] | None = None) -> None:
        self._uow = uow
        self._sync = sync
        self._data_dir = Path(data_dir)
        self._clock = clock
        self.chunk_bytes = chunk_bytes
        self.backoff = backoff
        self._guard = guard
        self._busy = threading.Lock()
        self.stop_requested = threading.Event()
        self.last_stats: UploadStats | None = None
        self._collect_shares = collect_shares  # the counterpart shares waiting at HQ's relay, collected on a sync

    # --- configuration ------------------------------------------------------------------------
    def configure(self, *, url: str, public_key: str, ca_file: str = "") -> DeliveryConfig:
        """Pin HQ's address and its receipt key (the text of HQ's minisign .pub file)."""
        url = url.strip().rstrip("/")
        if not (url.startswith("http://") or url.startswith("https://")) or len(url) > 500:
            raise InvalidHqUrlError(url=url)
        key = minisign.parse_public_key(public_key)
        with self._uow() as uow:
            repo = uow.delivery
            repo.set(HQ_URL, url)
            repo.set(HQ_KEY, key.to_file_text().splitlines()[1])
            repo.set(HQ_CA, ca_file)
            if self._guard is not None:
                self._guard.record(uow, action="delivery.configure", target="delivery",
                                   details={"url": url, "hq_key_id": key.key_id_text})
            uow.commit()
        return DeliveryConfig(url=url, key=key, ca_file=ca_file)

    def configure_from_file(self, *, url: str, key_file: Path, ca_file: str = "") -> DeliveryConfig:
        try:
            text = Path(key_file).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise KeyFileError(N_("The key file {path} cannot be read: {reason}"), path=str(key_file),
                               reason=getattr(exc, "strerror", None) or str(exc)) from exc
        return self.configure(url=url, public_key=text, ca_file=ca_file)

    def config(self) -> DeliveryConfig | None:
        with self._uow() as uow:
            repo = uow.delivery
            url, key, ca = repo.get(HQ_URL), repo.get(HQ_KEY), repo.get(HQ_CA)
        if not url or not key:
            return None
        return DeliveryConfig(url=url, key=minisign.parse_public_key(key), ca_file=ca)

    def status(self) -> DeliveryStatus:
        config = self.config()
        waiting = len(self._sync.outbox())
        cases_waiting = self._sync.cases_waiting()
        identity = self._sync.identity()
        with self._uow() as uow:
            repo = uow.delivery
            confirmed = repo.get(LAST_CONFIRMED)
            revoked = repo.revoked_keys()
        own = revoked.get(identity.key_id) if identity is not None else None
        return DeliveryStatus(
            configured=config is not None, url=config.url if config else "",
            hq_key_id=config.key.key_id_text if config else "", waiting=waiting,
            last_confirmed_at=datetime.fromisoformat(confirmed) if confirmed else None,
            own_key_revoked_from=int(own["from_sequence"]) if own else None, cases_waiting=cases_waiting)

    def uploader(self) -> Uploader:
        config = self.config()
        if config is None:
            raise DeliveryNotConfiguredError()
        return Uploader(config.url, chunk_bytes=self.chunk_bytes, backoff=self.backoff, ca_file=config.ca_file,
                        should_stop=self.stop_requested.is_set)

    def probe(self) -> bool:
        """Whether HQ's intake service answers (GET /health); False when not configured."""
        if self.config() is None:
            return False
        with self.uploader() as uploader:
            return uploader.probe()

    # --- the loop -----------------------------------------------------------------------------
    def export_if_new(self) -> ExportResult | None:
        """Write the next bundle into the outbox when cases changed since the last one (None otherwise)."""
        if self._sync.identity() is None:
            return None
        try:
            return self._sync.export()
        except NothingToExportError:
            return None

    def tick(self, *, export: bool = True, send: bool = True) -> TickResult:
        """One round: bundle what is new, then send what waits. Safe to call from a timer; overlapping calls
        return at once with nothing done."""
        if not self._busy.acquire(blocking=False):
            return TickResult(exported=None, outcomes=(), waiting=len(self._sync.outbox()), reachable=None)
        try:
            exported = self.export_if_new() if export else None
            outcomes: tuple[SendOutcome, ...] = ()
            reachable = None
            if send and self.config() is not None and self._sync.outbox():
                outcomes = tuple(self.send_waiting())
                reachable = not any(o.outcome == UNREACHABLE for o in outcomes)
            collected: tuple[CollectedShare, ...] = ()
            collect_error = None
            if send and reachable is not False and self.config() is not None and self._collect_shares is not None:
                try:
                    collected = tuple(self._collect_shares())
                except DomainError as exc:  # HQ unreachable or refusing: the shares wait there for the next tick
                    collect_error = exc
            return TickResult(exported=exported, outcomes=outcomes, waiting=len(self._sync.outbox()),
                              reachable=reachable, collected=collected, collect_error=collect_error)
        finally:
            self._busy.release()

    def send_waiting(self) -> list[SendOutcome]:
        """Send every waiting bundle in sequence order; stop at the first network failure (the next tick resumes)."""
        config = self.config()
        if config is None:
            raise DeliveryNotConfiguredError()
        identity = self._sync.identity()
        if identity is None:
            raise PostNotSetUpError()
        outcomes = []
        with self.uploader() as uploader:
            for entry in self._sync.outbox():
                outcome = self._send_one(uploader, config, entry, key_id=identity.key_id)
                outcomes.append(outcome)
                if outcome.outcome == UNREACHABLE:
                    break
        return outcomes

    def _send_one(self, uploader: Uploader, config: DeliveryConfig, entry: OutboxEntry, *, key_id: str) -> SendOutcome:
        path = Path(entry.folder) / entry.file_name
        if not path.is_file():
            return SendOutcome(sequence=entry.sequence, outcome=MISSING_FILE)
        with self._uow() as uow:
            digest = uow.delivery.get(REFERENCE_DIGEST)
        stats = UploadStats()
        self.last_stats = stats
        post = entry.file_name.rsplit("-", 1)[0]
        try:
            answer = uploader.upload(path, post=post, sequence=entry.sequence, sha256=entry.sha256, key_id=key_id,
                                     reference_digest=digest, stats=stats)
        except HqUnreachableError as exc:
            return SendOutcome(sequence=entry.sequence, outcome=UNREACHABLE, error=exc, bytes_sent=stats.bytes_sent,
                               drops=stats.drops)
        except HqRefusedError as exc:
            return SendOutcome(sequence=entry.sequence, outcome=REFUSED, error=exc, bytes_sent=stats.bytes_sent,
                               drops=stats.drops)
        resent = max(0, stats.bytes_sent - entry.size)
        try:
            receipt = self.accept_receipt(answer, entry=entry, config=config, post=post)
        except ReceiptError as exc:
            return SendOutcome(sequence=entry.sequence, outcome=RECEIPT_REJECTED, error=exc,
                               bytes_sent=stats.bytes_sent, bytes_resent=resent, drops=stats.drops)
        return SendOutcome(sequence=entry.sequence, outcome=DELIVERED, receipt=receipt, bytes_sent=stats.bytes_sent,
                           bytes_resent=resent, drops=stats.drops)

    # --- receipts -----------------------------------------------------------------------------
    def accept_receipt(self, answer: object, *, entry: OutboxEntry, config: DeliveryConfig, post: str) -> Receipt:
        """Verify HQ's receipt with the pinned key, then (only then) keep it, apply HQ's updates and mark the
        bundle delivered, all in one transaction. A receipt that does not verify changes nothing."""
        if not isinstance(answer, dict) or not isinstance(answer.get("receipt"), str) \
                or not isinstance(answer.get("signature"), str):
            from blo_desk.exchange.receipt import RECEIPT_MALFORMED

            raise ReceiptError(seq=entry.sequence, reason=RECEIPT_MALFORMED)
        receipt = verify_receipt(answer["receipt"].encode("utf-8"), answer["signature"], hq_key=config.key,
                                 post=post, sequence=entry.sequence, bundle_sha256=entry.sha256)
        self._keep(receipt)
        now = self._clock()
        with self._uow() as uow:
            repo = uow.delivery
            applied = self._apply_updates(uow, repo, receipt)
            repo.acknowledge_one(sequence=entry.sequence, at=now)
            repo.set(LAST_CONFIRMED, now.isoformat())
            if self._guard is not None:
                self._guard.record(uow, action="delivery.receipt", target=f"bundle:{entry.sequence}",
                                   after_hash=entry.sha256,
                                   details={"outcome": receipt.outcome, "hq_key_id": receipt.hq_key_id, **applied})
            uow.commit()
        return receipt

    def _keep(self, receipt: Receipt) -> None:
        base = self._data_dir / RECEIPTS_FOLDER / f"{receipt.post}-{receipt.sequence:06d}.receipt.json"
        write_atomically(base, receipt.body)
        write_atomically(base.with_name(base.name + ".minisig"), receipt.signature.encode("ascii"))

    @staticmethod
    def _apply_updates(uow, repo: DeliveryRepository, receipt: Receipt) -> dict:
        """HQ's signed updates, idempotently: revoked keys are merged, missing reference entries added."""
        applied = {"revoked_keys": 0, "reference_added": 0}
        if receipt.revoked_keys:
            known = repo.revoked_keys()
            for key in receipt.revoked_keys:
                entry = {"post": key.post, "from_sequence": key.from_sequence}
                if known.get(key.key_id) != entry:
                    known[key.key_id] = entry
                    applied["revoked_keys"] += 1
            if applied["revoked_keys"]:
                repo.set_revoked_keys(known)
        if receipt.reference is not None and repo.get(REFERENCE_DIGEST) != receipt.reference.digest:
            applied["reference_added"] = uow.reference.seed(list(receipt.reference.posts), receipt.reference.lists)
            repo.set(REFERENCE_DIGEST, receipt.reference.digest)
        return applied


@dataclass
class WatchState:
    """Back-off between ticks of `blo-desk sync run --watch` (and the same rule in the desk app)."""

    interval: float = 60.0
    maximum: float = 900.0
    failures: int = field(default=0)

    def next_delay(self, result: TickResult | None) -> float:
        if result is None or result.reachable is False:
            self.failures += 1
            return min(self.maximum, self.interval * 2 ** min(self.failures - 1, 10))
        self.failures = 0
        return self.interval
