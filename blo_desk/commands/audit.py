"""`blo-desk audit verify|head|list`: check the hash chain of the audit trail and read its events."""

from __future__ import annotations

import sys

from blo_desk.i18n import _


def register(subparsers) -> None:
    parser = subparsers.add_parser("audit", help=_("check and read the audit trail"))
    sub = parser.add_subparsers(dest="audit_command", required=True, metavar="ACTION")
    verify = sub.add_parser("verify", help=_("check the hash chain; exit code 1 when it was tampered with"))
    verify.set_defaults(handler=_verify)
    head = sub.add_parser("head", help=_("print the chain's length and last hash"))
    head.set_defaults(handler=_head)
    listing = sub.add_parser("list", help=_("print the latest events"))
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--target", default="", help=_("only events about this target, e.g. case:<id>"))
    listing.set_defaults(handler=_list)


def _verify(args, settings) -> int:
    from blo_desk.commands.session import open_session

    services = open_session(settings, args)
    try:
        report = services.audit.verify()
    finally:
        services.close()
    if report.ok:
        print(_("Audit trail intact: {length} events, head {head}.").format(length=report.length, head=report.head))
        return 0
    print(_("The audit trail was tampered with:"), file=sys.stderr)
    for problem in report.problems:
        print(f"- {problem.translated()}", file=sys.stderr)
    return 1


def _head(args, settings) -> int:
    from blo_desk.commands.session import open_session

    services = open_session(settings, args)
    try:
        head = services.audit.head()
    finally:
        services.close()
    print(f"{head.length}\t{head.head}")
    return 0


def _list(args, settings) -> int:
    from blo_desk.commands.session import open_session

    services = open_session(settings, args)
    try:
        for e in services.audit.events(limit=args.limit, target=args.target):
            print("\t".join([str(e.seq), e.at, e.actor, e.role, e.action, e.outcome, e.target]))
    finally:
        services.close()
    return 0
