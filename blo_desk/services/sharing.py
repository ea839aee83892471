"""The counterpart channel at a post: pairing, sharing redacted cases, receiving shares, requests and answers."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from blo_desk.cldr import country_name
from blo_desk.config import resources_dir
from blo_desk.domain.audit import value_hash
from blo_desk.domain.canonical import canonical_json, content_dict, parse_ts, timestamp_text
from blo_desk.domain.case_tables import (
    CASE_COLUMNS,
    DATE,
    DATETIME,
    INTEGER,
    ITEM_COLUMNS,
    NUMBER,
    PERSON_COLUMNS,
    Column,
)
from blo_desk.domain.entities import Case, Post
from blo_desk.domain.enums import CaseStatus, Direction, LabelledEnum, PersonRole, Sex
from blo_desk.domain.errors import DomainError, NotFoundError, PermissionDeniedError
from blo_desk.domain.masking import MaskedSpots
from blo_desk.domain.permissions import Action, Role
from blo_desk.domain.redaction import (
    DEFAULT_PROFILE,
    RedactionProfile,
    UnknownProfileError,
    parse_profiles,
    redact_masked,
)
from blo_desk.domain.sharing import (
    CollectedShare,
    Counterpart,
    CounterpartCard,
    LinkRelation,
    MessageKind,
    PairTraffic,
    RelayedShare,
    RequestStatus,
    SharedLink,
    SharedRecord,
    ShareMessage,
    SharePreview,
    ShareResult,
    TrafficEvent,
    pairs_of,
    request_status,
    same_fingerprint,
    traffic_events,
)
from blo_desk.exchange import minisign
from blo_desk.exchange.errors import PostNotSetUpError
from blo_desk.exchange.share import (
    SUFFIX,
    OpenedShare,
    ShareNotForUsError,
    ShareRejected,
    ShareReplayError,
    ShareRevokedError,
    ShareTamperedError,
    ShareUnpairedError,
    ShareWrongRecipientError,
    card_bytes,
    card_fingerprint,
    card_from_bytes,
    share_file_name,
    write_share,
)
from blo_desk.i18n import N_, _, active_language, translator
from blo_desk.reports.cover_letter import CoverLetter, cover_letter_pdf, letter_languages
from blo_desk.services.audit import Guard
from blo_desk.services.bundle_encryption import HqAgeKey
from blo_desk.services.clock import utc_now
from blo_desk.services.share_relay import NotOwnShareError, RelayClient, RelayNotConfiguredError
from blo_desk.services.sync import SyncService
from blo_desk.storage.blobs import BlobStore
from blo_desk.storage.uow import UnitOfWorkFactory

POST_AGE_KEY_FILE = "keys/post-age.key"
RELAY_INBOX = "share-inbox"  # shares collected from HQ's relay, kept only while they are imported
POST_AGE_KEY_PURPOSE = "post-age-identity"
MESSAGE_FORMAT = "blo-desk-share-message"
#: The languages a post reads unless its administrator says otherwise: Russian everywhere, and the country's own.
DEFAULT_LANGUAGES = {"UZ": ("uz", "ru")}


class NotPairedError(DomainError):
    message = N_("Post {post} is not paired with this post; pair with its card first (blo-desk counterpart add).")


class PairingRevokedError(DomainError):
    message = N_("The pairing with post {post} was revoked; nothing can be sent to it.")


class OwnCardError(DomainError):
    message = N_("This is this post's own card; a post is not paired with itself.")


class FingerprintMismatchError(DomainError):
    message = N_("The fingerprint {given} does not match the card's {fingerprint}; nothing was stored. Ask the other "
                 "post to read it out again; if it still differs, the card is not theirs.")


class NothingToShareError(DomainError):
    message = N_("Name at least one case to share.")


class OtherPostCaseError(DomainError):
    message = N_("Case {case} belongs to post {post}; a post shares only its own cases.")


class OperationalNeedsError(DomainError):
    message = N_("The operational profile shares persons, plates and VINs: it needs a supervisor, a stated legal "
                 "basis and a reason.")


class MessageNotFoundError(DomainError):
    message = N_("There is no shared record, request or message {id}.")


class EmptyTextError(DomainError):
    message = N_("The text of a request or an answer cannot be empty.")


class NotAReceivedRequestError(DomainError):
    message = N_("{id} is not a request received from a counterpart post.")


class PhotoNotSharedError(DomainError):
    message = N_("The shared record {reference} has no photo {sha256}.")


class UnknownRequestAnswerError(ShareRejected):
    message = N_("The answer names request {id}, which this post never sent to post {post}; nothing of it was kept.")


def _new_id() -> str:
    return uuid.uuid4().hex


#: Lists of codes (their columns in the analysts' tables are plain text) and the kind of label of each code.
_LIST_LABELS = {"transit_countries": "country", "joint_agencies": "agency",
                "other_detection_methods": "detection_method", "technical_means": "technical_means"}
#: Coded values whose labels come from the domain's enums rather than the reference lists.
_ENUM_LABELS: dict[str, type[LabelledEnum]] = {"status": CaseStatus, "direction": Direction, "role": PersonRole,
                                               "sex": Sex}


def _value_text(column: Column, value: Any, labels: Mapping[str, Mapping[str, Any]], language: str,
                zone: str = "UTC") -> str:
    """A value as the receiving user reads it: a coded value with its label from the reference lists (in the
    user's language), a moment in the case's local time, free text as written."""
    if isinstance(value, list):
        return ", ".join(_value_text(column, v, labels, language, zone) for v in value)
    text = "" if value is None else str(value)
    if column.kind == DATETIME and text:
        try:
            return translator(language).format_datetime(parse_ts(text), tz=zone)
        except (ValueError, LookupError):
            return text
    if column.kind == DATE and text:  # a birth date as the user writes dates, not as the file carries it
        try:
            return translator(language).format_date(date.fromisoformat(text))
        except ValueError:
            return text
    if column.kind in (NUMBER, INTEGER) and text:  # 6,25 kg and 1 200 packages in uz and ru
        try:
            return translator(language).format_number(Decimal(text))
        except (ArithmeticError, ValueError):
            return text
    kind = column.labels or _LIST_LABELS.get(column.key, "")
    if kind == "country" and text:
        return country_name(text, language)  # CLDR's name in the reader's language, as the case page shows it
    enum = _ENUM_LABELS.get(kind)
    if enum is not None and text:
        try:
            return enum(text).label_in(translator(language))
        except ValueError:
            return text
    entry = labels.get(kind, {}).get(text) if kind else None
    if entry is None or not text:
        return text
    # a post reads by its name with its code, as everywhere on the desk; a reference list's code (xray, spare_tyre)
    # means nothing to a reader and stays out
    return f"{entry.label(language)} ({text})" if kind == "post" else entry.label(language)


def describe_content(content: Mapping[str, Any], labels: Mapping[str, Mapping[str, Any]],
                     language: str) -> list[tuple[str, str]]:
    """The fields of a shared case's content as (label, value) lines in the user's language."""
    g = translator(language).gettext
    zone = str(content.get("timezone") or "UTC")
    lines = [(g(c.heading), _value_text(c, content[c.key], labels, language, zone))
             for c in CASE_COLUMNS if c.key in content and content[c.key] not in ("", None, [])]
    for n, item in enumerate(content.get("items", []), start=1):
        lines += [(g(N_("Item {number}: {field}")).format(number=n, field=g(c.heading)),
                   _value_text(c, item[c.key], labels, language))
                  for c in ITEM_COLUMNS if c.key in item and item[c.key] not in ("", None, [])]
    for n, person in enumerate(content.get("persons", []), start=1):
        lines += [(g(N_("Person {number}: {field}")).format(number=n, field=g(c.heading)),
                   _value_text(c, person[c.key], labels, language))
                  for c in PERSON_COLUMNS if c.key in person and person[c.key] not in ("", None, [])]
    if content.get("photos"):
        lines.append((g(N_("Photos")), translator(language).format_number(len(content["photos"]))))
    return lines


_MASKED_COLUMNS = {"case": CASE_COLUMNS, "items": ITEM_COLUMNS, "persons": PERSON_COLUMNS}
#: A free text that has no column of the analysts' tables (what an interpreter spoke).
_OTHER_HEADINGS = {"interpreter_language": N_("Interpreter's language")}


def masked_fields(spots: list[MaskedSpots], language: str) -> list[tuple[str, int]]:
    """Where free text was masked, as the preview names the fields: (label in the user's language, spots)."""
    g = translator(language).gettext
    found = []
    for spot in spots:
        column = next((c for c in _MASKED_COLUMNS.get(spot.part, ()) if c.key == spot.key), None)
        heading = g(column.heading) if column else g(_OTHER_HEADINGS.get(spot.key, spot.key))
        if spot.part == "items":
            heading = g(N_("Item {number}: {field}")).format(number=spot.position, field=heading)
        elif spot.part == "persons":
            heading = g(N_("Person {number}: {field}")).format(number=spot.position, field=heading)
        found.append((heading, spot.count))
    return found


def spots_audit(spots: list[MaskedSpots]) -> dict[str, int]:
    """Where free text was masked, for the audit trail: {"case.concealment_details": 2, "items.1.description": 1}."""
    return {f"case.{s.key}" if s.part == "case" else f"{s.part}.{s.position}.{s.key}": s.count for s in spots}


class _PostLabel:
    """A post as a reference entry: its name in a language (the crossing point and the sender read by name)."""

    def __init__(self, post: Post) -> None:
        self.post = post

    def label(self, language: str) -> str:
        return self.post.name(language)


def reading_labels(uow: Any) -> dict[str, Mapping[str, Any]]:
    """The labels a shared record is read with: the reference lists, and the posts (kind "post") by name."""
    return {**uow.reference.by_kind(), "post": {p.code: _PostLabel(p) for p in uow.reference.posts(
        include_inactive=True)}}


def describe_record(record: SharedRecord, labels: Mapping[str, Mapping[str, Any]], language: str,
                    profiles: Mapping[str, RedactionProfile] | None = None) -> list[tuple[str, str]]:
    """A shared record as (label, value) lines in the user's language: sender, profile (with the legal basis and
    the reason the sender stated for an operational share), then every field."""
    sender = labels.get("post", {}).get(record.sender)
    profile = (profiles or {}).get(record.profile)
    grounds = [(label, value) for label, value in ((_("Legal basis for sharing"), record.legal_basis),
                                                   (_("Reason for sharing"), record.reason)) if value]
    return [(_("Shared by post"), f"{sender.label(language)} ({record.sender})" if sender else record.sender),
            (_("Redaction profile"), profile.name(language) if profile else record.profile),
            *grounds,
            (_("Shared on"), translator(language).format_datetime(record.shared_at)),
            (_("Sender's case"), record.reference),
            *describe_content(record.content, labels, language)]


class SharingService:
    """Pairing with counterpart posts, and the shares, requests and answers that pass between them."""

    def __init__(self, *, uow: UnitOfWorkFactory, guard: Guard, sync: SyncService, blobs: BlobStore,
                 age_key: HqAgeKey, clock: Callable[[], datetime] = utc_now,
                 profiles_file: Path | None = None,
                 relay: Callable[[], tuple[str, str] | None] | None = None, data_dir: Path | None = None) -> None:
        self._uow = uow
        self._guard = guard
        self._sync = sync
        self._blobs = blobs
        self._age_key = age_key
        self._clock = clock
        self._profiles_file = profiles_file or resources_dir() / "redaction" / "profiles.json"
        self._relay = relay  # HQ's intake address and CA file when set (the outbox's), for the relay through HQ
        self._data_dir = Path(data_dir) if data_dir is not None else None

    # --- this post ------------------------------------------------------------------------------------------
    def _post(self) -> str:
        identity = self._sync.identity()
        if identity is None:
            raise PostNotSetUpError()
        return identity.post_code

    def own_recipient(self) -> str | None:
        return self._age_key.recipient()

    def own_card(self, *, languages: tuple[str, ...] = ()) -> CounterpartCard:
        """This post's card for its counterparts (administrators; the post's age key is made on first use)."""
        identity = self._sync.identity()
        if identity is None:
            raise PostNotSetUpError()
        self._guard.require(Action.COUNTERPART_MANAGE, target=f"counterpart-card:{identity.post_code}")
        recipient = self._age_key.recipient()
        if recipient is None:
            recipient = self._age_key.create()
            self._guard.record_alone(action=Action.KEYS_MANAGE, target=f"post-age-key:{identity.post_code}",
                                     after_hash=value_hash(recipient),
                                     details={"op": "create_post_age_key", "recipient": recipient})
        with self._uow() as uow:
            post = next((p for p in uow.reference.posts(include_inactive=True) if p.code == identity.post_code), None)
        names = {lang: post.name(lang) for lang in ("uz", "ru", "en")} if post else {}
        return CounterpartCard(post_code=identity.post_code, names=names, public_key=identity.public_key,
                               key_id=identity.key_id, age_recipient=recipient,
                               languages=languages or DEFAULT_LANGUAGES.get(identity.post_code[:2], ("ru",)))

    def write_card(self, *, path: Path, languages: tuple[str, ...] = ()) -> tuple[Path, str]:
        """Write this post's card; returns the path and the fingerprint to read out by telephone."""
        card = self.own_card(languages=languages)
        path = Path(path)
        path.write_bytes(card_bytes(card))
        self._guard.record_alone(action=Action.COUNTERPART_MANAGE, target=f"counterpart-card:{card.post_code}",
                                 details={"op": "export_card", "to": str(path), "fingerprint": card_fingerprint(card)})
        return path, card_fingerprint(card)

    # --- pairing ---------------------------------------------------------------------------------------------
    def read_card(self, *, path: Path) -> tuple[CounterpartCard, str]:
        """A counterpart's card and its fingerprint, to compare with what is read out before adding it."""
        path = Path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DomainError(N_("The file {path} cannot be read: {reason}"), path=str(path),
                              reason=exc.strerror or str(exc)) from exc
        card = card_from_bytes(data, filename=path.name)
        return card, card_fingerprint(card)

    def add_counterpart(self, *, path: Path, fingerprint: str) -> Counterpart:
        """Administrators: pair with the post of this card (audited), once its fingerprint was compared by telephone:
        `fingerprint` is the one the other post read out (or the one shown and confirmed), and nothing is stored
        unless it matches the card's. A new card for a paired post replaces it."""
        card, held = self.read_card(path=path)
        target = f"counterpart:{card.post_code}"
        self._guard.require(Action.COUNTERPART_MANAGE, target=target)
        if card.post_code == self._post():
            raise OwnCardError()
        if not same_fingerprint(fingerprint, held):
            self._guard.record_alone(action=Action.COUNTERPART_MANAGE, target=target, outcome="denied",
                                     details={"op": "add", "post": card.post_code, "fingerprint": held,
                                              "given": fingerprint.strip()[:64]})
            raise FingerprintMismatchError(given=fingerprint.strip()[:64], fingerprint=held)
        fingerprint = held
        with self._uow() as uow:
            before = uow.shares.counterpart(card.post_code)
            uow.shares.pair(card, fingerprint=fingerprint, at=self._clock(), by=self._guard.principal.username)
            self._guard.record(uow, action=Action.COUNTERPART_MANAGE, target=target,
                               before_hash=value_hash(before.fingerprint) if before else "",
                               after_hash=value_hash(fingerprint),
                               details={"op": "add", "post": card.post_code, "key_id": card.key_id,
                                        "age_recipient": card.age_recipient, "fingerprint": fingerprint})
            uow.commit()
            added = uow.shares.counterpart(card.post_code)
        assert added is not None
        return added

    def counterparts(self) -> list[Counterpart]:
        if not self._guard.allowed(Action.COUNTERPART_MANAGE):
            self._guard.require(Action.SHARE_READ, target="counterparts")
        with self._uow() as uow:
            return uow.shares.counterparts()

    def revoke(self, *, post_code: str) -> bool:
        """Administrators: end the pairing (audited); nothing is sent to or taken from that post afterwards."""
        code = post_code.strip().upper()
        target = f"counterpart:{code}"
        self._guard.require(Action.COUNTERPART_MANAGE, target=target)
        with self._uow() as uow:
            if uow.shares.counterpart(code) is None:
                raise NotPairedError(post=code)
            done = uow.shares.revoke(code, at=self._clock(), by=self._guard.principal.username)
            if done:
                self._guard.record(uow, action=Action.COUNTERPART_MANAGE, target=target,
                                   details={"op": "revoke", "post": code})
            uow.commit()
        return done

    def _active(self, post_code: str) -> Counterpart:
        with self._uow() as uow:
            counterpart = uow.shares.counterpart(post_code.strip().upper())
        if counterpart is None:
            raise NotPairedError(post=post_code)
        if not counterpart.active:
            raise PairingRevokedError(post=post_code)
        return counterpart

    # --- profiles and preview --------------------------------------------------------------------------------
    def profiles(self) -> dict[str, RedactionProfile]:
        return parse_profiles(json.loads(self._profiles_file.read_text("utf-8")))

    def profile(self, code: str = DEFAULT_PROFILE) -> RedactionProfile:
        profiles = self.profiles()
        if code not in profiles:
            raise UnknownProfileError(profile=code, known=", ".join(sorted(profiles)))
        return profiles[code]

    def _redacted(self, references: list[str], profile: str) -> list[tuple[str, dict[str, Any], list[MaskedSpots]]]:
        """Per case: its number, what the profile lets out (free texts masked), and where spots were masked."""
        chosen = self.profile(profile)
        return [(content["case_number"], *redact_masked(content, chosen)) for content in self._contents(references)]

    def preview(self, *, references: list[str], profile: str = DEFAULT_PROFILE) -> list[dict[str, Any]]:
        """Exactly the records a share of these cases would carry (what the dialog shows before sending)."""
        return [{"reference": reference, "content": content}
                for reference, content, _spots in self._redacted(references, profile)]

    def share_preview(self, *, references: list[str], profile: str = DEFAULT_PROFILE,
                      language: str | None = None) -> list[SharePreview]:
        """What the preview shows: per case, its number, exactly the fields that would be sent, labelled in the
        user's language (coded values with their reference labels, countries by name), and which free texts were
        masked and in how many spots."""
        redacted = self._redacted(references, profile)
        with self._uow() as uow:
            labels = reading_labels(uow)
        lang = language or active_language()
        return [SharePreview(reference=reference, lines=tuple(describe_content(content, labels, lang)),
                             masked=tuple(masked_fields(spots, lang)))
                for reference, content, spots in redacted]

    def preview_lines(self, *, references: list[str], profile: str = DEFAULT_PROFILE,
                      language: str | None = None) -> list[tuple[str, list[tuple[str, str]]]]:
        """share_preview's field lines alone: per case, its number and the (label, value) lines."""
        return [(p.reference, list(p.lines))
                for p in self.share_preview(references=references, profile=profile, language=language)]

    def _contents(self, references: list[str]) -> list[dict[str, Any]]:
        if not references:
            raise NothingToShareError()
        post = self._post()
        contents = []
        with self._uow() as uow:
            for reference in references:
                case_id = uow.cases.id_for(reference.strip())
                if case_id is None:
                    raise NotFoundError(case_id=reference)
                case = uow.cases.get(case_id)
                self._guard.require(Action.CASE_READ, post_code=case.post_code, target=f"case:{case.case_number}")
                if case.post_code != post:
                    raise OtherPostCaseError(case=case.case_number, post=case.post_code)
                contents.append(content_dict(case))
        return contents

    # --- sending ---------------------------------------------------------------------------------------------
    def default_folder(self) -> Path:
        return self._sync.default_folder().parent / "shares"

    def _send(self, *, to: str, kind: MessageKind, body: dict[str, Any], out: Path | None,
              photos: Iterable[str] = ()) -> tuple[dict[str, Any], ShareResult]:
        counterpart = self._active(to)
        post = self._post()
        key: minisign.SecretKey = self._sync.signing_key()
        message = {"format": MESSAGE_FORMAT, "format_version": 1, "id": _new_id(), "kind": str(kind), "from": post,
                   "to": counterpart.post_code, "created_at": timestamp_text(self._clock()), **body}
        sources = [(sha, (lambda sha=sha: self._blobs.read_bytes(sha))) for sha in photos]
        written = write_share(folder=Path(out) if out else self.default_folder(), message=message, key=key,
                              recipient=counterpart.card.age_recipient, photos=sources)
        references = tuple(r["reference"] for r in body.get("records", []))
        return message, ShareResult(id=message["id"], path=str(written.path), sha256=written.sha256,
                                    size=written.size, peer=counterpart.post_code, profile=body.get("profile", ""),
                                    references=references, photos=len(sources))

    def share(self, *, references: list[str], to: str, profile: str = DEFAULT_PROFILE, reason: str = "",
              legal_basis: str = "", out: Path | None = None) -> ShareResult:
        """Share these cases of this post with a paired post, redacted by `profile`, signed and encrypted to it."""
        chosen = self.profile(profile)
        target = f"share:{to.strip().upper()}"
        self._guard.require(Action.SHARE_SEND, target=target)
        if chosen.needs_supervisor:
            me = self._guard.principal
            if not me.is_system and me.role != Role.SUPERVISOR:
                self._guard.record_alone(action=Action.SHARE_OPERATIONAL, target=target, outcome="denied",
                                         details={"profile": chosen.code, "references": references})
                raise PermissionDeniedError(OperationalNeedsError.message)
            self._guard.require(Action.SHARE_OPERATIONAL, target=target)
        if chosen.needs_legal_basis and not (reason.strip() and legal_basis.strip()):
            raise OperationalNeedsError()
        redacted = self._redacted(references, chosen.code)
        records: list[dict[str, Any]] = [{"reference": reference, "content": content}
                                          for reference, content, _spots in redacted]
        masked = {f"{reference}:{where}": count for reference, _content, spots in redacted
                  for where, count in spots_audit(spots).items()}
        photos = sorted({p["sha256"] for r in records for p in r["content"]["photos"]})
        body = {"profile": chosen.code, "reason": reason.strip(), "legal_basis": legal_basis.strip(),
                "records": records}
        message, result = self._send(to=to, kind=MessageKind.SHARE, body=body, out=out, photos=photos)
        self._remember_sent(message, result, details={
            "profile": chosen.code, "references": list(result.references), "photos": len(photos),
            "reason": reason.strip(), "legal_basis": legal_basis.strip(), "masked": masked,
            "content_sha256": value_hash(canonical_json(records).decode("utf-8"))},
            action=Action.SHARE_OPERATIONAL if chosen.needs_supervisor else Action.SHARE_SEND)
        return result

    def _remember_sent(self, message: dict[str, Any], result: ShareResult, *, details: dict[str, Any],
                       action: Action = Action.SHARE_SEND) -> None:
        with self._uow() as uow:
            uow.shares.add_message(self._message_of(message, outgoing=True, peer=result.peer, sha256=result.sha256),
                                   received_at=None, actor=self._guard.principal.username)
            self._guard.record(uow, action=action, target=f"share:{result.peer}", after_hash=result.sha256,
                               details={"op": "send", "kind": message["kind"], "id": result.id, "to": result.peer,
                                        "file": Path(result.path).name, **details})
            uow.commit()

    @staticmethod
    def _message_of(message: dict[str, Any], *, outgoing: bool, peer: str, sha256: str) -> ShareMessage:
        due = message.get("due") or ""
        return ShareMessage(
            id=message["id"], kind=MessageKind(message["kind"]), outgoing=outgoing, peer=peer,
            created_at=parse_ts(message["created_at"]) or datetime.min, profile=message.get("profile", ""),
            reason=message.get("reason", ""), legal_basis=message.get("legal_basis", ""),
            about=message.get("about", ""), text=message.get("text", ""),
            due=date.fromisoformat(due) if due else None, sha256=sha256,
            references=tuple(r["reference"] for r in message.get("records", [])),
            photos=len({p["sha256"] for r in message.get("records", []) for p in r["content"].get("photos", [])}))

    def request(self, *, to: str, about: str, text: str, due: date | None = None,
                out: Path | None = None) -> ShareResult:
        """Ask a paired post about a record it shared (its id here, or its case number), answer due by `due`."""
        self._guard.require(Action.SHARE_SEND, target=f"share:{to.strip().upper()}")
        if not text.strip():
            raise EmptyTextError()
        subject = about.strip()
        with self._uow() as uow:
            record = uow.shares.record(subject) if subject else None
        if record is not None:
            subject = record.reference
        body = {"about": subject, "text": text.strip(), "due": due.isoformat() if due else ""}
        message, result = self._send(to=to, kind=MessageKind.REQUEST, body=body, out=out)
        self._remember_sent(message, result, details={"about": subject, "due": body["due"]})
        return result

    def answer(self, *, request_id: str, text: str, out: Path | None = None) -> ShareResult:
        """Answer a request received from a paired post; the request shows as answered on both sides."""
        if not text.strip():
            raise EmptyTextError()
        with self._uow() as uow:
            request = uow.shares.find_message(request_id.strip())
        if request is None or request.kind != MessageKind.REQUEST or request.outgoing:
            raise NotAReceivedRequestError(id=request_id)
        self._guard.require(Action.SHARE_SEND, target=f"share:{request.peer}")
        body = {"about": request.id, "text": text.strip()}
        message, result = self._send(to=request.peer, kind=MessageKind.ANSWER, body=body, out=out)
        self._remember_sent(message, result, details={"about": request.id})
        with self._uow() as uow:
            uow.shares.mark_answered(request.id, answer_id=result.id, at=self._clock())
            uow.commit()
        return result

    def cover_letter(self, *, message_id: str, path: Path, language: str | None = None) -> Path:
        """The cover letter of a share, request or answer this post sent: a page in Russian and one in the
        sender's language (what was shared, with whom, under which profile, and the check code)."""
        self._guard.require(Action.SHARE_SEND, target=f"share-letter:{message_id}")
        with self._uow() as uow:
            message = uow.shares.find_message(message_id)
            if message is None or not message.outgoing:
                raise MessageNotFoundError(id=message_id)
            counterpart = uow.shares.counterpart(message.peer)
            posts = {p.code: p for p in uow.reference.posts(include_inactive=True)}
        own, peer = posts.get(self._post()), posts.get(message.peer)
        profiles = self.profiles()
        profile = profiles.get(message.profile)
        # each post by its name in the letter's language: the reference list's, else the name its card gave
        card_names = dict(counterpart.card.names) if counterpart else {}
        letter = CoverLetter(
            sender=self._post(), receiver=message.peer,
            sender_names={lang: own.name(lang) for lang in ("uz", "ru", "en")} if own else {},
            receiver_names={lang: peer.name(lang) for lang in ("uz", "ru", "en")} if peer else card_names,
            created_at=message.created_at, file_name=self._file_name(message),
            kind=str(message.kind), sha256=message.sha256,
            profile_names=dict(profile.names) if profile else {}, references=message.references, photos=message.photos,
            legal_basis=message.legal_basis, reason=message.reason)
        data = cover_letter_pdf(letter, languages=letter_languages(language or active_language()))
        path = Path(path)
        path.write_bytes(data)
        return path

    def _file_name(self, message: ShareMessage) -> str:
        return share_file_name(self._post(), message.peer, message.id)

    # --- through HQ's relay ------------------------------------------------------------------------------------
    def relay_configured(self) -> bool:
        """Whether shares can go through HQ: its intake address is set (`post hq`), as for bundles."""
        return self._relay is not None and self._relay() is not None

    def _relay_client(self) -> RelayClient:
        config = self._relay() if self._relay is not None else None
        if config is None:
            raise RelayNotConfiguredError()
        url, ca_file = config
        return RelayClient(url, post=self._post(), key=self._sync.signing_key(), ca_file=ca_file, clock=self._clock)

    def send_via_hq(self, *, path: Path) -> RelayedShare:
        """Send a share, request or answer file this post wrote through HQ's intake: HQ checks this post's signature
        on the envelope and whom it is for, keeps it encrypted to the counterpart, and the counterpart collects it
        at its next sync. The file stays where it is (a stick or e-mail still works). Audited."""
        path = Path(path)
        env = OpenedShare(path).envelope
        self._guard.require(Action.SHARE_SEND, target=f"share:{env.receiver}")
        if env.sender != self._post():
            raise NotOwnShareError(filename=path.name, post=env.sender)
        with self._relay_client() as client:
            relayed = client.send(path)
        self._guard.record_alone(action=Action.SHARE_SEND, target=f"share:{env.receiver}", after_hash=relayed.sha256,
                                 details={"op": "relay", "kind": env.kind, "id": env.id, "to": env.receiver,
                                          "via": "hq"})
        return relayed

    def collect_from_hq(self) -> list[CollectedShare]:
        """What waits for this post at HQ's relay: each collected, checked and kept exactly as a file import does,
        then cleared at HQ (a refused share too: its reason is returned and audited, and the sender still holds
        the file). Nothing when HQ's address is not set or this role does not receive shares."""
        if not self.relay_configured() or not self._guard.allowed(Action.SHARE_RECEIVE):
            return []
        with self._uow() as uow:
            if not any(c.active for c in uow.shares.counterparts()):
                return []  # paired with no post: nothing can wait at HQ for this one, HQ is not asked
        inbox = (self._data_dir or self.default_folder().parent) / RELAY_INBOX
        collected = []
        with self._relay_client() as client:
            for waiting in client.waiting():
                data = client.collect(waiting.id)
                path = inbox / f"{waiting.sender}-{self._post()}-{waiting.id[:12]}{SUFFIX}"
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                try:
                    message = self.import_share(path=path)
                    collected.append(CollectedShare(id=waiting.id, sender=waiting.sender, kind=waiting.kind,
                                                    message=message))
                except ShareRejected as exc:
                    collected.append(CollectedShare(id=waiting.id, sender=waiting.sender, kind=waiting.kind,
                                                    reason=exc.translated()))
                finally:
                    path.unlink(missing_ok=True)
                client.clear(waiting.id)
        return collected

    # --- receiving -------------------------------------------------------------------------------------------
    def import_share(self, *, path: Path) -> ShareMessage:
        """Check a share file (pairing, signature, addressee, recipient, replay, content) and keep it; a file that
        fails any check is refused whole with the reason, and nothing of it is kept."""
        path = Path(path)
        self._guard.require(Action.SHARE_RECEIVE, target=f"share-file:{path.name}")
        try:
            return self._import(path)
        except ShareRejected as exc:
            self._guard.record_alone(action=Action.SHARE_RECEIVE, target=f"share-file:{path.name}",
                                     outcome="refused", details={"error": type(exc).__name__,
                                                                 "reason": exc.message, **exc.params})
            exc.params = self._posts_named(exc.params)  # the trail keeps the codes; the user reads the posts
            raise

    def _posts_named(self, params: dict[str, object]) -> dict[str, object]:
        """A refusal's posts as the user reads them: another post by name with its code ("Айбек (UZ-OYB)"), this
        post by its name; a post the reference lists do not know stays a code."""
        keys = [k for k in ("to", "own", "post") if isinstance(params.get(k), str)]
        if not keys:
            return params
        with self._uow() as uow:
            posts = {p.code: p for p in uow.reference.posts(include_inactive=True)}
        language = active_language()
        named = dict(params)
        for key in keys:
            code = str(params[key])
            if code in posts:
                name = posts[code].name(language)
                named[key] = name if key == "own" else f"{name} ({code})"
        return named

    def _import(self, path: Path) -> ShareMessage:
        opened = OpenedShare(path)
        env = opened.envelope
        own = self._post()
        if env.receiver != own:
            raise ShareNotForUsError(to=env.receiver, own=own)
        with self._uow() as uow:
            counterpart = uow.shares.counterpart(env.sender)
            held = uow.shares.message_row(env.id)
            held_at = (held.received_at or held.created_at) if held is not None else None
        if counterpart is None:
            raise ShareUnpairedError(post=env.sender)
        if counterpart.revoked_at is not None:
            raise ShareRevokedError(post=env.sender, date=translator().format_datetime(counterpart.revoked_at))
        public_key = minisign.parse_public_key(counterpart.card.public_key)
        opened.check_envelope(public_key=public_key)
        if env.recipient != self._age_key.recipient():
            raise ShareWrongRecipientError(recipient=env.recipient)
        if held_at is not None:
            raise ShareReplayError(id=env.id, date=translator().format_datetime(held_at))
        identity = self._age_key.identity()
        if identity is None:
            raise ShareWrongRecipientError(recipient=env.recipient)
        message, photos = opened.open(public_key=public_key, identity=identity)
        checked = self._checked(message)
        received = self._message_of(checked, outgoing=False, peer=env.sender, sha256=opened.sha256)
        now = self._clock()
        for data in photos.values():  # content-addressed: a photo stored twice is one file
            self._blobs.put_bytes(data)
        with self._uow() as uow:
            shares = uow.shares
            if received.kind == MessageKind.ANSWER:
                request = shares.message(received.about)
                if request is None or request.kind != MessageKind.REQUEST or not request.outgoing \
                        or request.peer != env.sender:
                    raise UnknownRequestAnswerError(id=received.about, post=env.sender)
            shares.add_message(received, received_at=now, actor=self._guard.principal.username)
            if received.kind == MessageKind.ANSWER:
                shares.mark_answered(received.about, answer_id=received.id, at=now)
            for n, record in enumerate(checked.get("records", []), start=1):
                content = record["content"]
                shares.add_record(
                    SharedRecord(id=f"{received.id[:12]}-{n}", message_id=received.id, sender=env.sender,
                                 profile=received.profile, reference=record["reference"],
                                 shared_at=received.created_at, received_at=now, content=content),
                    content_json=canonical_json(content).decode("utf-8"))
            self._guard.record(uow, action=Action.SHARE_RECEIVE, target=f"share:{env.sender}",
                               after_hash=opened.sha256,
                               details={"op": "receive", "kind": received.kind.value, "id": received.id,
                                        "from": env.sender, "profile": received.profile,
                                        "references": list(received.references), "photos": len(photos),
                                        **{k: v for k, v in (("legal_basis", received.legal_basis),
                                                             ("reason", received.reason)) if v}})
            uow.commit()
        return received

    @staticmethod
    def _checked(message: dict[str, Any]) -> dict[str, Any]:
        """The message's fields by kind, each of the expected type (the sender signed it; the shape is ours)."""
        def need(ok: bool, name: str) -> None:
            if not ok:
                raise ShareTamperedError(detail=name)

        need(message.get("format") == MESSAGE_FORMAT and message.get("format_version") == 1, "format")
        kind = message["kind"]
        if kind == MessageKind.SHARE:
            need(isinstance(message.get("profile"), str) and bool(message["profile"]), "profile")
            need(isinstance(message.get("reason", ""), str) and isinstance(message.get("legal_basis", ""), str),
                 "reason")
            records = message.get("records")
            if not isinstance(records, list) or not records:
                raise ShareTamperedError(detail="records")
            for record in records:
                need(isinstance(record, dict) and isinstance(record.get("reference"), str)
                     and isinstance(record.get("content"), dict), "records")
        else:
            need(isinstance(message.get("about"), str) and isinstance(message.get("text"), str), "text")
            if kind == MessageKind.REQUEST:
                due = message.get("due", "")
                need(isinstance(due, str), "due")
                if due:
                    try:
                        date.fromisoformat(due)
                    except ValueError:
                        need(False, "due")
        return message

    # --- reading ---------------------------------------------------------------------------------------------
    def shared_records(self, *, text: str = "", limit: int | None = None) -> list[SharedRecord]:
        """The records counterparts shared with this post (newest first), those matching `text` when given, by the
        rules of the case search (prefixes, any apostrophe, Latin or Cyrillic, substances by any name)."""
        self._guard.require(Action.SHARE_READ, target="shared")
        with self._uow() as uow:
            return uow.shares.records(text=text, limit=limit)

    def shared_record(self, *, record_id: str) -> SharedRecord:
        self._guard.require(Action.SHARE_READ, target=f"shared:{record_id}")
        with self._uow() as uow:
            record = uow.shares.record(record_id.strip())
        if record is None:
            raise MessageNotFoundError(id=record_id)
        return record

    def shared_photo(self, *, record_id: str, sha256: str) -> bytes:
        """The bytes of a photo the shared record names, as received (kept content-addressed at import); a photo
        the record does not name is refused, whatever else the blob store holds."""
        record = self.shared_record(record_id=record_id)
        named = {p.get("sha256") for p in record.content.get("photos", []) if isinstance(p, Mapping)}
        if sha256 not in named:
            raise PhotoNotSharedError(reference=record.reference, sha256=sha256[:12])
        return self._blobs.read_bytes(sha256)

    def record_lines(self, *, record_id: str, language: str | None = None) -> list[tuple[str, str]]:
        """A shared record as the receiving user reads it: (label, value) lines in their language, then the
        local cases linked to it."""
        record = self.shared_record(record_id=record_id)
        lang = language or active_language()
        with self._uow() as uow:
            labels = reading_labels(uow)
            links = uow.shares.links(record_id=record.id)
        return [*describe_record(record, labels, lang, self.profiles()),
                *((_("Linked case"), f"{link.case_number} ({link.relation.label})") for link in links)]

    def _readable_case(self, uow: Any, case_reference: str) -> tuple[str, Case]:
        """A case of this store (its id, and the case) by its number or id, when this user may read it (linking and
        unlinking)."""
        case_id = uow.cases.id_for(case_reference.strip())
        if case_id is None:
            raise NotFoundError(case_id=case_reference)
        case = uow.cases.get(case_id)
        self._guard.require(Action.CASE_READ, post_code=case.post_code, target=f"case:{case.case_number}")
        return case_id, case

    def link(self, *, record_id: str, case_reference: str,
             relation: LinkRelation = LinkRelation.RELATED) -> SharedLink:
        """Link a case of this post to a shared record ("same vehicle", "same consignment"); audited."""
        record = self.shared_record(record_id=record_id)
        with self._uow() as uow:
            case_id, case = self._readable_case(uow, case_reference)
            if uow.shares.link(record_id=record.id, case_id=case_id, relation=LinkRelation(relation),
                               at=self._clock(), by=self._guard.principal.username):
                self._guard.record(uow, action=Action.SHARE_READ, target=f"shared:{record.id}",
                                   details={"op": "link", "case": case.case_number, "relation": str(relation),
                                            "sender": record.sender, "reference": record.reference})
            uow.commit()
            return next(x for x in uow.shares.links(record_id=record.id) if x.case_id == case_id)

    def unlink(self, *, record_id: str, case_reference: str) -> bool:
        """Remove the link of a case of this post to a shared record (a link made by mistake); audited with the
        relation it had. False when they were not linked."""
        record = self.shared_record(record_id=record_id)
        with self._uow() as uow:
            case_id, case = self._readable_case(uow, case_reference)
            removed = uow.shares.unlink(record_id=record.id, case_id=case_id)
            if removed is not None:
                self._guard.record(uow, action=Action.SHARE_READ, target=f"shared:{record.id}",
                                   details={"op": "unlink", "case": case.case_number,
                                            "relation": str(removed.relation), "sender": record.sender,
                                            "reference": record.reference})
            uow.commit()
        return removed is not None

    def links(self, *, record_id: str | None = None, case_reference: str | None = None) -> list[SharedLink]:
        """The links of a shared record, or of a local case (what its page shows: "shared by the counterpart")."""
        self._guard.require(Action.SHARE_READ, target="shared-links")
        with self._uow() as uow:
            case_id = None
            if case_reference is not None:
                case_id = uow.cases.id_for(case_reference.strip())
                if case_id is None:
                    raise NotFoundError(case_id=case_reference)
            if record_id is not None:
                record = uow.shares.record(record_id.strip())
                if record is None:
                    raise MessageNotFoundError(id=record_id)
                record_id = record.id
            return uow.shares.links(record_id=record_id, case_id=case_id)

    def messages(self, *, kind: MessageKind | None = None) -> list[ShareMessage]:
        """Every message sent and received (requests with their status as of today)."""
        self._guard.require(Action.SHARE_READ, target="share-messages")
        today = self._clock().date()
        with self._uow() as uow:
            found = uow.shares.messages(kind=kind)
            answers = {m.id: m for m in uow.shares.messages(kind=MessageKind.ANSWER)}
            rows = {m.id: uow.shares.message_row(m.id) for m in found if m.kind == MessageKind.REQUEST}
            result = []
            for m in found:
                if m.kind == MessageKind.REQUEST:
                    row = rows[m.id]
                    answer = answers.get(row.answer_id) if row is not None and row.answer_id else None
                    status = request_status(outgoing=m.outgoing, answered=m.answered_at is not None, due=m.due,
                                            today=today)
                    m = ShareMessage(**{**{f: getattr(m, f) for f in m.__dataclass_fields__},
                                        "status": status, "answer_text": answer.text if answer else ""})
                result.append(m)
        return result

    def hq_traffic(self, *, post_code: str = "", date_from: date | None = None,
                   date_to: date | None = None) -> list[PairTraffic]:
        """At HQ: per pair of posts, the shares each way, the requests and how many are open or overdue, as the
        posts' bundles reported them (events and hashes only: HQ never holds a share's content); only the
        messages of `post_code` and between the dates (UTC, inclusive) when given."""
        return pairs_of(self.hq_traffic_events(post_code=post_code, date_from=date_from, date_to=date_to))

    def hq_traffic_events(self, *, post_code: str = "", date_from: date | None = None,
                          date_to: date | None = None) -> list[TrafficEvent]:
        """At HQ: every share, request and answer the posts' bundles reported (who sent what to whom, when, under
        which profile; a request's status as of today), oldest first; those of `post_code` (sent or received)
        and written between the dates (UTC, inclusive) when given."""
        self._guard.require(Action.CASE_READ_ALL_POSTS, target="share-traffic")
        with self._uow() as uow:
            events = uow.shares.hq_events()
        post = post_code.strip().upper()
        low = date_from.isoformat() if date_from else ""
        high = date_to.isoformat() if date_to else ""
        return [m for m in traffic_events(events, today=self._clock().date())
                if (not post or m.involves(post)) and m.at[:10] >= low and (not high or m.at[:10] <= high)]

    def requests(self) -> list[ShareMessage]:
        return self.messages(kind=MessageKind.REQUEST)

    def request_status(self, *, request_id: str) -> RequestStatus | None:
        found = [m for m in self.requests() if m.id.startswith(request_id)]
        return found[0].status if len(found) == 1 else None
