"""Counterpart posts and what passes between them: pairings, shared records, requests and their statuses."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from blo_desk.domain.masking import MASK
from blo_desk.i18n import N_, _, translator


class MessageKind(StrEnum):
    SHARE = "share"
    REQUEST = "request"
    ANSWER = "answer"

    @property
    def label(self) -> str:
        return _(KIND_LABELS[self])


KIND_LABELS = {MessageKind.SHARE: N_("shared cases"), MessageKind.REQUEST: N_("request for information"),
               MessageKind.ANSWER: N_("answer to a request")}


def check_code(sha256: str) -> str:
    """A share file's SHA-256 as the cover letter prints it and the import shows it: groups of eight."""
    return " ".join(sha256[i:i + 8] for i in range(0, len(sha256), 8))


def same_fingerprint(given: str, fingerprint: str) -> bool:
    """A card's fingerprint as read out by telephone and typed ("1a2b 3c4d…", dashes, any case) against the card's."""
    def plain(text: str) -> str:
        return "".join(c for c in text.upper() if c.isalnum())

    return bool(plain(given)) and plain(given) == plain(fingerprint)


class RequestStatus(StrEnum):
    SENT = "sent"
    RECEIVED = "received"
    ANSWERED = "answered"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return _(STATUS_LABELS[self])


STATUS_LABELS = {
    RequestStatus.SENT: N_("sent"),
    RequestStatus.RECEIVED: N_("received"),
    RequestStatus.ANSWERED: N_("answered"),
    RequestStatus.OVERDUE: N_("overdue"),
}


def request_status(*, outgoing: bool, answered: bool, due: date | None, today: date) -> RequestStatus:
    """A request's status as each side sees it: answered, else overdue after its due date, else sent/received."""
    if answered:
        return RequestStatus.ANSWERED
    if due is not None and today > due:
        return RequestStatus.OVERDUE
    return RequestStatus.SENT if outgoing else RequestStatus.RECEIVED


class LinkRelation(StrEnum):
    """How a local case relates to a record a counterpart shared."""

    SAME_VEHICLE = "same-vehicle"
    SAME_CONSIGNMENT = "same-consignment"
    SAME_PERSON = "same-person"
    RELATED = "related"

    @property
    def label(self) -> str:
        return _(RELATION_LABELS[self])


RELATION_LABELS = {
    LinkRelation.SAME_VEHICLE: N_("same vehicle"),
    LinkRelation.SAME_CONSIGNMENT: N_("same consignment"),
    LinkRelation.SAME_PERSON: N_("same person"),
    LinkRelation.RELATED: N_("related"),
}


@dataclass(frozen=True, slots=True)
class SharedLink:
    """A local case linked to a shared record."""

    record_id: str
    case_id: str
    case_number: str
    relation: LinkRelation
    linked_at: datetime
    linked_by: str


@dataclass(frozen=True, slots=True)
class CounterpartCard:
    """What one post hands to its counterpart to be paired: who it is and its two public keys."""

    post_code: str
    names: dict[str, str]  # language -> the post's name
    public_key: str  # minisign public key, the base64 line
    key_id: str
    age_recipient: str
    languages: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Counterpart:
    """A paired post: its card as read out and confirmed by telephone, and whether the pairing still holds."""

    card: CounterpartCard
    fingerprint: str
    added_at: datetime
    added_by: str
    revoked_at: datetime | None = None

    @property
    def post_code(self) -> str:
        return self.card.post_code

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True, slots=True)
class ShareMessage:
    """One message of the channel, sent or received: a share of cases, a request, or an answer."""

    id: str
    kind: MessageKind
    outgoing: bool
    peer: str  # the other post
    created_at: datetime
    profile: str = ""
    reason: str = ""
    legal_basis: str = ""
    about: str = ""  # a request: the shared record or message it asks about; an answer: the request
    text: str = ""
    due: date | None = None
    sha256: str = ""  # of the share file
    references: tuple[str, ...] = ()  # a share: the case numbers shared
    photos: int = 0  # a share: how many photos of goods went with it
    answered_at: datetime | None = None
    answer_text: str = ""
    status: RequestStatus | None = None  # a request's status (set when read)


@dataclass(frozen=True, slots=True)
class SharedRecord:
    """A case a counterpart shared with this post, read-only: the redacted content as received."""

    id: str  # <message id>:<n>
    message_id: str
    sender: str
    profile: str
    reference: str  # the sender's case number
    shared_at: datetime
    received_at: datetime
    content: dict[str, Any] = field(default_factory=dict)
    #: what the sender's supervisor stated for an operational share (its message carries them; empty otherwise)
    legal_basis: str = ""
    reason: str = ""


@dataclass(frozen=True, slots=True)
class ShareResult:
    """A share file written: where, its id and hash, and what went into it."""

    id: str
    path: str
    sha256: str
    size: int
    peer: str
    profile: str
    references: tuple[str, ...]
    photos: int


@dataclass(frozen=True, slots=True)
class SharePreview:
    """One case as a share would carry it, read in the user's language: its number, one (label, value) line per
    field sent, and where its free text was masked: (the field's label, how many spots)."""

    reference: str
    lines: tuple[tuple[str, str], ...]
    masked: tuple[tuple[str, int], ...] = ()

    @property
    def masked_spots(self) -> int:
        return sum(count for _label, count in self.masked)


def mask_notice(previews: list[SharePreview], language: str | None = None) -> str:
    """What the officer reads before sending when free text was masked: how many spots, in which fields (and
    cases, when there are several); empty when nothing was masked."""
    tr = translator(language)
    total = sum(p.masked_spots for p in previews)
    if not total:
        return ""
    head = tr.ngettext(
        "{count} spot of free text is masked ({mask}) before sending: a name, number or plate the profile "
        "withholds, or a token shaped like a plate or a passport number.",
        "{count} spots of free text are masked ({mask}) before sending: names, numbers or plates the profile "
        "withholds, or tokens shaped like a plate or a passport number.", total).format(
        count=tr.format_number(total), mask=MASK)
    several = sum(1 for p in previews if p.masked) > 1
    lines = [head]
    for p in previews:
        for label, count in p.masked:
            where = f"{p.reference} \u2013 {label}" if several else label
            lines.append(f"  \u2022 {where}: {tr.format_number(count)}")
    return "\n".join(lines)


def preview_text(previews: list[SharePreview], language: str | None = None, *, notice: bool = True) -> str:
    """The preview as plain text (the desk's preview and `blo-desk share --preview`): the masking notice (unless
    shown apart: the desk's dialog has a label for it), then each case's number and one "label: value" line per
    field sent."""
    said = mask_notice(previews, language) if notice else ""
    blocks = [said] if said else []
    for p in previews:
        blocks.append("\n".join([f"== {p.reference} ==", *(f"{label}: {value}" for label, value in p.lines)]))
    return "\n\n".join(blocks)


@dataclass(frozen=True, slots=True)
class PairTraffic:
    """At HQ, one pair of posts: what passed between them as their bundles reported it, and what is still open."""

    first: str
    second: str
    shares_first_to_second: int
    shares_second_to_first: int
    cases: int  # distinct cases: a case shared twice counts once
    requests: int
    answered: int
    open_requests: int
    overdue: int
    last_at: str


@dataclass(frozen=True, slots=True)
class TrafficEvent:
    """At HQ, one share, request or answer between two posts, as their bundles reported it (never its content)."""

    id: str
    kind: MessageKind
    sender: str
    receiver: str
    at: str  # when the sender wrote it (canonical UTC text)
    profile: str = ""
    cases: int = 0
    photos: int = 0
    due: str = ""  # a request's due date
    about: str = ""  # an answer: the request it answers
    status: RequestStatus | None = None  # a request: answered, overdue, or still open (SENT)
    reported_by: tuple[str, ...] = ()  # the posts whose bundles told HQ of it
    references: tuple[str, ...] | None = None  # a share: its case numbers (None: the bundles did not say)

    def involves(self, post: str) -> bool:
        return post in (self.sender, self.receiver)


def traffic_events(events: list[dict[str, Any]], *, today: date) -> list[TrafficEvent]:
    """Each message once, from the share events of every post's bundles (its sender, its receiver or both may have
    reported it), oldest first; a request is answered once either side reported its answer, overdue after its due
    date while unanswered."""
    merged: dict[str, dict[str, Any]] = {}
    for event in events:
        sender, receiver = ((event["reporter"], event["peer"]) if event["direction"] == "sent"
                            else (event["peer"], event["reporter"]))
        held = merged.setdefault(event["id"], {**event, "sender": sender, "receiver": receiver, "reporters": set()})
        held["reporters"].add(event["reporter"])
        if held.get("references") is None and event.get("references") is not None:  # one side's bundle named them
            held["references"] = event["references"]
    answered = {m["about"] for m in merged.values() if m["kind"] == MessageKind.ANSWER}
    found = []
    for m in merged.values():
        status = None
        if m["kind"] == MessageKind.REQUEST:
            status = request_status(outgoing=True, answered=m["id"] in answered,
                                    due=date.fromisoformat(m["due"]) if m["due"] else None, today=today)
        found.append(TrafficEvent(id=m["id"], kind=MessageKind(m["kind"]), sender=m["sender"],
                                  receiver=m["receiver"], at=m["at"], profile=m["profile"], cases=m["cases"],
                                  photos=m["photos"], due=m["due"], about=m["about"], status=status,
                                  reported_by=tuple(sorted(m["reporters"])),
                                  references=tuple(m["references"]) if m.get("references") is not None else None))
    return sorted(found, key=lambda e: (e.at, e.id))


def pairs_of(messages: list[TrafficEvent]) -> list[PairTraffic]:
    """The traffic per pair of posts of these messages: shares each way, distinct cases shared (a case shared twice
    counts once; a share whose cases no bundle named counts its number of cases), requests answered, open, overdue."""
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for m in messages:
        first, second = sorted((m.sender, m.receiver))
        pair = pairs.setdefault((first, second), {"ab": 0, "ba": 0, "cases": set(), "unnamed": 0, "requests": 0,
                                                  "answered": 0, "open": 0, "overdue": 0, "last": ""})
        pair["last"] = max(pair["last"], m.at)
        if m.kind == MessageKind.SHARE:
            pair["ab" if m.sender == first else "ba"] += 1
            if m.references is None:
                pair["unnamed"] += m.cases
            else:
                pair["cases"].update(m.references)
        elif m.kind == MessageKind.REQUEST:
            pair["requests"] += 1
            if m.status == RequestStatus.ANSWERED:
                pair["answered"] += 1
            else:
                pair["open"] += 1
                if m.status == RequestStatus.OVERDUE:
                    pair["overdue"] += 1
    return [PairTraffic(first=a, second=b, shares_first_to_second=p["ab"], shares_second_to_first=p["ba"],
                        cases=len(p["cases"]) + p["unnamed"], requests=p["requests"], answered=p["answered"], open_requests=p["open"],
                        overdue=p["overdue"], last_at=p["last"]) for (a, b), p in sorted(pairs.items())]


def pair_traffic(events: list[dict[str, Any]], *, today: date) -> list[PairTraffic]:
    """The traffic per pair from the share events of every post's bundles (each message counted once)."""
    return pairs_of(traffic_events(events, today=today))


@dataclass(frozen=True, slots=True)
class CollectedShare:
    """A share collected from HQ's relay: kept (`message`), or refused with the reason, in the user's language."""

    id: str
    sender: str
    kind: str
    message: ShareMessage | None = None
    reason: str = ""

    @property
    def kept(self) -> bool:
        return self.message is not None


@dataclass(frozen=True, slots=True)
class RelayedShare:
    """A share waiting at HQ: who sent it, to whom, what kind, its size and hash (HQ knows nothing more of it)."""

    id: str
    sender: str
    receiver: str
    kind: str
    created_at: str
    size: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "from": self.sender, "to": self.receiver, "kind": self.kind,
                "created_at": self.created_at, "size": self.size, "sha256": self.sha256}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> RelayedShare:
        return cls(id=str(data["id"]), sender=str(data["from"]), receiver=str(data["to"]), kind=str(data["kind"]),
                   created_at=str(data["created_at"]), size=int(data["size"]), sha256=str(data["sha256"]))
