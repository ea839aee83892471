"""`blo-desk hq status|alerts|trust`: what HQ holds from each post, and which keys it trusts."""

from __future__ import annotations

import sys
from pathlib import Path

from blo_desk.i18n import _, ngettext, translator


def register(subparsers) -> None:
    parser = subparsers.add_parser("hq", help=_("HQ: bundles held per post, gaps, alerts and trusted keys"))
    sub = parser.add_subparsers(dest="hq_command", required=True, metavar="ACTION")
    status = sub.add_parser("status", help=_("each post's last bundle, gaps and alerts"))
    status.set_defaults(handler=_status)
    alerts = sub.add_parser("alerts", help=_("list open alerts"))
    alerts.set_defaults(handler=_alerts)
    trust = sub.add_parser("trust", help=_("the trust store of post keys"))
    trust_sub = trust.add_subparsers(dest="trust_command", required=True, metavar="ACTION")
    add = trust_sub.add_parser("add", help=_("register a post's public key (minisign .pub file)"))
    add.add_argument("--post", required=True, help=_("crossing point code, e.g. UZ-DUS"))
    add.add_argument("--key", required=True, metavar="FILE")
    add.add_argument("--note", default="")
    add.set_defaults(handler=_trust_add)
    revoke = trust_sub.add_parser("revoke", help=_("refuse a key's bundles from a sequence number on"))
    revoke.add_argument("--key-id", required=True)
    revoke.add_argument("--from-seq", type=int, required=True)
    revoke.add_argument("--force", action="store_true",
                        help=_("also loosen an earlier revocation (a later start); needs --reason"))
    revoke.add_argument("--reason", default="", help=_("why, for the audit trail"))
    revoke.set_defaults(handler=_trust_revoke)
    remove = trust_sub.add_parser("remove", help=_("take out a key that never signed an imported bundle "
                                                   "(e.g. registered to the wrong post)"))
    remove.add_argument("--key-id", required=True)
    remove.add_argument("--reason", default="", help=_("why, for the audit trail"))
    remove.set_defaults(handler=_trust_remove)
    listing = trust_sub.add_parser("list", help=_("list trusted keys"))
    listing.set_defaults(handler=_trust_list)
    age_key = sub.add_parser("age-key", help=_("HQ's age key, which opens encrypted bundles: create it if needed "
                                               "and print its recipient (age1...) for the posts"))
    age_key.add_argument("--out", metavar="FILE", help=_("also write the recipient to this file"))
    age_key.add_argument("--secret-out", metavar="FILE",
                         help=_("administrators: write the secret age identity (for `age -d -i` or a second HQ "
                                "machine); keep it as safe as the store"))
    age_key.add_argument("--import", dest="import_file", metavar="FILE",
                         help=_("administrators: keep HQ's existing age identity on this machine"))
    age_key.set_defaults(handler=_age_key)
    post_status = sub.add_parser("post-status", help=_("write HQ's status file for a post, for its restore on a "
                                                       "new laptop (the highest bundle number received)"))
    post_status.add_argument("post", metavar="POST")
    post_status.add_argument("--out", required=True, metavar="FILE")
    post_status.set_defaults(handler=_post_status)
    lost = sub.add_parser("lost-cases", help=_("the cases a restored post lost with its old laptop (received here "
                                               "after its backup was taken)"))
    lost.add_argument("post", metavar="POST")
    lost.set_defaults(handler=_lost_cases)
    from blo_desk.commands.delivery import register_hq

    register_hq(sub)  # hq serve, hq key: delivery by upload (issue 6)


def _open(settings, args=None):
    """Log in (--user / BLO_DESK_USER, password from BLO_DESK_PASSWORD or a prompt); SYSTEM only in the explicit
    plaintext test mode. The services check the role (export, import, keys) and audit refusals."""
    from blo_desk.commands.session import open_session

    return open_session(settings, args)


def _lost_cases(args, settings) -> int:
    services = _open(settings, args)
    try:
        lost = services.hq.lost_in_restore(post_code=args.post)
    finally:
        services.close()
    for case in lost:
        print("\t".join([case.case_number, str(case.revision), case.status, case.saved_at.isoformat()]))
    if not lost:
        print(_("No case of post {post} was lost in a restore.").format(post=args.post.upper()))
    return 0


def _post_status(args, settings) -> int:
    import json

    from blo_desk.durable import write_atomically

    services = _open(settings, args)
    try:
        status = services.hq.post_status_file(post_code=args.post)
    finally:
        services.close()
    write_atomically(Path(args.out), json.dumps(status, sort_keys=True, indent=1).encode("utf-8"))
    print(_("Post {post}: HQ holds bundles up to {seq}; written to {path}.").format(
        post=status["post"], seq=status["last_sequence"], path=args.out))
    return 0


def _status(args, settings) -> int:
    tr = translator(settings.language)
    services = _open(settings, args)
    try:
        rows = services.hq.status()
        for row in rows:
            print("\t".join([row.post_code, str(row.last_sequence), row.summary(tr),
                             ngettext("{count} alert", "{count} alerts", row.alerts).format(count=row.alerts) if row.alerts else ""]).rstrip())
        if not rows:
            print(_("No post has a key or a bundle here yet."))
        for alert in services.hq.alerts():
            print(_("Alert: {message}").format(message=alert.translated(tr)))
    finally:
        services.close()
    return 0


def _alerts(args, settings) -> int:
    tr = translator(settings.language)
    services = _open(settings, args)
    try:
        for alert in services.hq.alerts():
            print(f"{tr.format_datetime(alert.raised_at)}\t{alert.translated(tr)}")
    finally:
        services.close()
    return 0


def _trust_add(args, settings) -> int:
    services = _open(settings, args)
    try:
        key = services.hq.trust_key_file(post_code=args.post, path=Path(args.key), note=args.note)
        print(_("Key {key_id} trusted for post {post}.").format(key_id=key.key_id, post=key.post_code))
    finally:
        services.close()
    return 0


def _trust_revoke(args, settings) -> int:
    services = _open(settings, args)
    try:
        key = services.hq.revoke_key(key_id=args.key_id, from_sequence=args.from_seq, force=args.force,
                                     reason=args.reason)
        print(_("Key {key_id} of post {post} is refused from bundle {seq} on.").format(
            key_id=key.key_id, post=key.post_code, seq=key.revoked_from))
    finally:
        services.close()
    return 0


def _trust_remove(args, settings) -> int:
    services = _open(settings, args)
    try:
        key = services.hq.remove_key(key_id=args.key_id, reason=args.reason)
        print(_("Key {key_id} of post {post} was removed from the trust store.").format(
            key_id=key.key_id, post=key.post_code))
    finally:
        services.close()
    return 0


def _age_key(args, settings) -> int:
    from blo_desk.commands.delivery import _hq_services

    services = _hq_services(settings, args)
    try:
        if args.import_file:
            recipient = services.hq.import_age_identity(path=Path(args.import_file))
        else:
            recipient = services.hq.age_recipient(create=True)
        if args.secret_out:
            path = services.hq.export_age_identity(path=Path(args.secret_out))
            print(_("HQ's secret age identity written to {path}; whoever holds it reads every bundle.").format(
                path=path), file=sys.stderr)
        if args.out:
            Path(args.out).write_text(recipient + "\n", encoding="ascii")
        print(recipient)
    finally:
        services.close()
    return 0


def _trust_list(args, settings) -> int:
    tr = translator(settings.language)
    services = _open(settings, args)
    try:
        for key in services.hq.trusted_keys():
            revoked = "" if key.revoked_from is None else _("revoked from {seq}").format(seq=key.revoked_from)
            print("\t".join([key.post_code, key.key_id, tr.format_datetime(key.added_at), revoked]).rstrip())
    finally:
        services.close()
    return 0
