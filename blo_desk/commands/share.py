"""`blo-desk counterpart|share|shared`: pair with a counterpart post, share cases, requests and answers."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from blo_desk.i18n import N_, _, active_language, ngettext


def register(subparsers) -> None:
    counterpart = subparsers.add_parser("counterpart", help=_("pair this post with its counterpart posts"))
    sub = counterpart.add_subparsers(dest="counterpart_command", required=True, metavar="ACTION")
    card = sub.add_parser("card", help=_("administrators: write this post's card for a counterpart post"))
    card.add_argument("--out", required=True, help=_("file to write the card to"))
    card.add_argument("--languages", help=_("languages the post reads, comma-separated (default: ru and the "
                                            "country's own)"))
    card.set_defaults(handler=_card)
    add = sub.add_parser("add", help=_("administrators: pair with the post of this card (compare the fingerprint "
                                       "by telephone first)"))
    add.add_argument("file", help=_("the counterpart's card"))
    add.add_argument("--fingerprint", metavar="FP", help=_("the fingerprint the other post read out by telephone; "
                                                           "the card is added only if it matches"))
    add.add_argument("--yes", action="store_true", help=_("for scripts: the fingerprint was compared already; add "
                                                          "without asking"))
    add.set_defaults(handler=_add)
    listing = sub.add_parser("list", help=_("the paired posts"))
    listing.set_defaults(handler=_list)
    revoke = sub.add_parser("revoke", help=_("administrators: end the pairing with a post"))
    revoke.add_argument("post", help=_("the counterpart's post code"))
    revoke.set_defaults(handler=_revoke)
    traffic = sub.add_parser("traffic", help=_("HQ: per pair of posts, the shares, requests and open requests their "
                                               "bundles reported"))
    traffic.set_defaults(handler=_traffic)

    share = subparsers.add_parser(
        "share", help=_("share cases with a counterpart post; share import FILE; share request --to POST --about ID "
                        "--text TEXT --due DATE; share answer ID --text TEXT; share send-hq FILE; share collect"))
    share.add_argument("cases", nargs="*", metavar="CASE", help=_("case numbers or ids to share"))
    share.add_argument("--to", help=_("the counterpart's post code"))
    share.add_argument("--profile", default="non-nominal", help=_("redaction profile: non-nominal (default) or "
                                                                  "operational"))
    share.add_argument("--reason", default="", help=_("why the cases are shared (operational: required)"))
    share.add_argument("--legal-basis", default="", help=_("the legal basis of the exchange (operational: "
                                                           "required)"))
    share.add_argument("--out", help=_("folder to write the share file to"))
    share.add_argument("--about", default="", help=_("request: the shared record (its id) or case number asked "
                                                     "about"))
    share.add_argument("--text", default="", help=_("request or answer: its text"))
    share.add_argument("--due", help=_("request: the answer is due by this date (YYYY-MM-DD)"))
    share.add_argument("--no-letter", action="store_true", help=_("do not write the cover letter (PDF) beside the "
                                                                  "share file"))
    share.add_argument("--preview", action="store_true", help=_("print what would be sent, in the user's language, "
                                                                "and send nothing"))
    share.add_argument("--json", action="store_true", help=_("with --preview: print the records exactly as the "
                                                             "share would carry them (JSON, codes), for scripts"))
    share.add_argument("--via-hq", action="store_true", help=_("also send the file through HQ's intake, which keeps "
                                                               "it encrypted until the counterpart collects it"))
    share.set_defaults(handler=_share)

    shared = subparsers.add_parser("shared", help=_("records counterpart posts shared with this post"))
    shared_sub = shared.add_subparsers(dest="shared_command", required=True, metavar="ACTION")
    shared_list = shared_sub.add_parser("list", help=_("the shared records (newest first)"))
    shared_list.add_argument("--search", default="", help=_("only the records with these words"))
    shared_list.set_defaults(handler=_shared_list)
    show = shared_sub.add_parser("show", help=_("one shared record, read-only"))
    show.add_argument("id", help=_("the shared record's id"))
    show.set_defaults(handler=_shared_show)
    link = shared_sub.add_parser("link", help=_("link a case of this post to a shared record"))
    link.add_argument("id", help=_("the shared record's id"))
    link.add_argument("case", help=_("the case number or id of this post's case"))
    link.add_argument("--as", dest="relation", default="related",
                      choices=["same-vehicle", "same-consignment", "same-person", "related"],
                      help=_("how they relate (default: related)"))
    link.set_defaults(handler=_shared_link)
    requests = shared_sub.add_parser("requests", help=_("requests sent and received, with their status"))
    requests.set_defaults(handler=_requests)


def _open(settings, args):
    """The store, and the times that belong to no case (shared on, received on) in this post's zone, as the desk
    shows them (they were printed in UTC)."""
    from blo_desk.commands.session import open_session
    from blo_desk.domain.zones import zone_for_post
    from blo_desk.i18n import set_local_zone

    services = open_session(settings, args)
    identity = services.sync.identity()
    if identity is not None:
        set_local_zone(zone_for_post(identity.post_code))
    return services


def _card(args, settings) -> int:
    services = _open(settings, args)
    try:
        languages = tuple(x.strip() for x in (args.languages or "").split(",") if x.strip())
        path, fingerprint = services.sharing.write_card(path=Path(args.out), languages=languages)
    finally:
        services.close()
    print(_("Card written to {path}.").format(path=path))
    print(_("Fingerprint to read out by telephone: {fingerprint}").format(fingerprint=fingerprint))
    return 0


def _add(args, settings) -> int:
    """Show the card, and pair only once its fingerprint is confirmed: --fingerprint FP (must match), --yes, or
    typed "yes" at the question; nothing is stored otherwise."""
    import sys

    services = _open(settings, args)
    try:
        sharing = services.sharing
        card, fingerprint = sharing.read_card(path=Path(args.file))
        name = card.names.get(active_language()) or card.names.get("ru") or card.names.get("en", "")
        print(_("Card of post {name} ({post})").format(name=name or card.post_code, post=card.post_code))
        print(_("Key fingerprint: {fingerprint}").format(fingerprint=fingerprint))
        given = args.fingerprint or (fingerprint if args.yes else None)
        if given is None:
            if not sys.stdin.isatty():
                print(_("Compare this fingerprint with the one the other post reads out by telephone, then run again "
                        "with --fingerprint FP (or --yes). Nothing was stored."), file=sys.stderr)
                return 2
            answer = input(_("Does it match, character for character, the fingerprint the other post read out by "
                             "telephone? Type yes to pair: "))
            if answer.strip().casefold() not in {"yes", _("yes").casefold()}:
                print(_("Nothing was stored."))
                return 1
            given = fingerprint
        added = sharing.add_counterpart(path=Path(args.file), fingerprint=given)
    finally:
        services.close()
    print(_("Paired with post {post} (fingerprint {fingerprint}).").format(post=added.post_code,
                                                                          fingerprint=added.fingerprint))
    return 0


def _list(args, settings) -> int:
    services = _open(settings, args)
    try:
        found = services.sharing.counterparts()
    finally:
        services.close()
    if not found:
        print(_("No counterpart post is paired with this post."))
    for c in found:
        state = _("active") if c.active else _("revoked on {date}").format(date=c.revoked_at.date().isoformat())
        name = c.card.names.get(active_language()) or c.card.names.get("en", "")
        print(f"{c.post_code}\t{name}\t{c.fingerprint}\t{state}")
    return 0


def _traffic(args, settings) -> int:
    services = _open(settings, args)
    try:
        pairs = services.sharing.hq_traffic()
    finally:
        services.close()
    if not pairs:
        print(_("No bundle has reported an exchange between posts yet."))
    for p in pairs:
        print(_("{first} \u2194 {second}: shares {first}\u2192{second} {ab}, {second}\u2192{first} {ba} "
                "({cases} cases); requests {requests}, answered {answered}, open {open}, overdue {overdue}; "
                "last {last}").format(first=p.first, second=p.second, ab=p.shares_first_to_second,
                                      ba=p.shares_second_to_first, cases=p.cases, requests=p.requests,
                                      answered=p.answered, open=p.open_requests, overdue=p.overdue,
                                      last=p.last_at[:10]))
    return 0


def _revoke(args, settings) -> int:
    services = _open(settings, args)
    try:
        done = services.sharing.revoke(post_code=args.post)
    finally:
        services.close()
    print(_("The pairing with post {post} is revoked.").format(post=args.post.upper()) if done
          else _("The pairing with post {post} was already revoked.").format(post=args.post.upper()))
    return 0


def _share(args, settings) -> int:
    """`share CASE... --to POST`, or `share import FILE`, `share request ...`, `share answer ID ...`."""
    words = list(args.cases)
    if words and words[0] in ("import", "request", "answer", "send-hq", "collect"):
        return _share_action(words[0], words[1:], args, settings)
    from blo_desk.domain.errors import DomainError

    if not args.to:
        raise DomainError(N_("Name the counterpart post with --to."))
    services = _open(settings, args)
    try:
        if args.preview:
            if args.json:
                print(json.dumps(services.sharing.preview(references=words, profile=args.profile),
                                 ensure_ascii=False, indent=2))
            else:  # the lines the desk's preview shows, and what was masked, in the user's language
                from blo_desk.domain.sharing import preview_text

                print(preview_text(services.sharing.share_preview(references=words, profile=args.profile)))
            return 0
        result = services.sharing.share(references=words, to=args.to, profile=args.profile, reason=args.reason,
                                        legal_basis=args.legal_basis, out=Path(args.out) if args.out else None)
        letter = None if args.no_letter else services.sharing.cover_letter(
            message_id=result.id, path=Path(result.path).with_suffix(".letter.pdf"))
        relayed = _relay(services, Path(result.path)) if args.via_hq else None
    finally:
        services.close()
    print(ngettext("Shared {count} case with post {post} under the profile {profile}: {path}",
                   "Shared {count} cases with post {post} under the profile {profile}: {path}",
                   len(result.references)).format(count=len(result.references), post=result.peer,
                                                  profile=result.profile, path=result.path))
    print(_("Check code (SHA-256): {sha256}").format(sha256=result.sha256))
    if letter is not None:
        print(_("Cover letter: {path}").format(path=letter))
    _print_relayed(relayed)
    return 0


def _relay(services, path: Path):
    """--via-hq, send-hq: hand the written file to HQ's relay (the file stays where it is, for a stick if HQ
    refuses)."""
    return services.sharing.send_via_hq(path=path)


def _print_relayed(relayed) -> None:
    if relayed is not None:
        print(_("Sent through HQ for post {post} ({id}): it is collected at that post's next sync.").format(
            post=relayed.receiver, id=relayed.id[:12]))


def _collect(services) -> int:
    collected = services.sharing.collect_from_hq()
    if not collected:
        print(_("Nothing waits for this post at HQ."))
    failed = 0
    for item in collected:
        if item.kept:
            print(_("Received from post {post}: {kind} {id}.").format(post=item.sender, kind=item.kind, id=item.id))
        else:
            failed += 1
            print(_("Refused the share {id} from post {post}: {reason}").format(id=item.id[:12], post=item.sender,
                                                                            reason=item.reason))
    return 1 if failed else 0


def _share_action(action: str, rest: list[str], args, settings) -> int:
    from blo_desk.domain.errors import DomainError
    from blo_desk.domain.sharing import check_code

    if len(rest) != (0 if action in ("request", "collect") else 1):
        raise DomainError(N_("Usage: blo-desk share import FILE; share request --to POST --about ID --text TEXT "
                             "--due DATE; share answer ID --text TEXT; share send-hq FILE; share collect"))
    if action == "request" and not args.to:
        raise DomainError(N_("Name the counterpart post with --to."))
    services = _open(settings, args)
    out = Path(args.out) if args.out else None
    try:
        sharing = services.sharing
        if action == "send-hq":
            _print_relayed(_relay(services, Path(rest[0])))
            return 0
        if action == "collect":
            return _collect(services)
        if action == "import":
            message = sharing.import_share(path=Path(rest[0]))
            print(_("Received from post {post}: {kind} {id}.").format(post=message.peer, kind=message.kind.label,
                                                                      id=message.id))
            print(_("Check code (SHA-256): {sha256}").format(sha256=check_code(message.sha256)))  # as on the letter
            return 0
        if action == "request":
            due = date.fromisoformat(args.due) if args.due else None
            result = sharing.request(to=args.to, about=args.about, text=args.text, due=due, out=out)
        else:
            result = sharing.answer(request_id=rest[0], text=args.text, out=out)
        relayed = _relay(services, Path(result.path)) if args.via_hq else None
    finally:
        services.close()
    print(_("Written for post {post}: {path} (id {id}).").format(post=result.peer, path=result.path, id=result.id))
    _print_relayed(relayed)
    return 0


def _shared_list(args, settings) -> int:
    services = _open(settings, args)
    try:
        records = services.sharing.shared_records(text=args.search)
    finally:
        services.close()
    if not records:
        print(_("No record has been shared with this post."))
    for r in records:
        print(f"{r.id}\t{r.sender}\t{r.profile}\t{r.reference}\t{r.shared_at.date().isoformat()}")
    return 0


def _shared_show(args, settings) -> int:
    from blo_desk.services.sharing import describe_record, reading_labels

    services = _open(settings, args)
    try:
        record = services.sharing.shared_record(record_id=args.id)
        links = services.sharing.links(record_id=record.id)
        profiles = services.sharing.profiles()
        with services.uow() as uow:
            labels = reading_labels(uow)
    finally:
        services.close()
    for label, value in describe_record(record, labels, active_language(), profiles):
        print(f"{label}: {value}")
    for link in links:
        print(_("Linked case: {case} ({relation})").format(case=link.case_number, relation=link.relation.label))
    return 0


def _shared_link(args, settings) -> int:
    from blo_desk.domain.sharing import LinkRelation

    services = _open(settings, args)
    try:
        link = services.sharing.link(record_id=args.id, case_reference=args.case,
                                     relation=LinkRelation(args.relation))
    finally:
        services.close()
    print(_("Case {case} is linked to the shared record {id} ({relation}).").format(
        case=link.case_number, id=link.record_id, relation=link.relation.label))
    return 0


def _requests(args, settings) -> int:
    services = _open(settings, args)
    try:
        found = services.sharing.requests()
    finally:
        services.close()
    if not found:
        print(_("No request has been sent or received."))
    for m in found:
        direction = _("to {post}").format(post=m.peer) if m.outgoing else _("from {post}").format(post=m.peer)
        status = m.status.label if m.status else ""
        due = m.due.isoformat() if m.due else "-"
        # the answer, once it came, after the question: the asking post reads it here
        print(f"{m.id[:12]}\t{direction}\t{status}\t{due}\t{m.about}\t{m.text}\t{m.answer_text}".rstrip("\t"))
    return 0
