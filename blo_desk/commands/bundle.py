"""`blo-desk bundle export|import|verify|outbox|ack`: signed sync bundles from the command line."""

from __future__ import annotations

import sys
from pathlib import Path

from blo_desk.i18n import _, ngettext, translator


def register(subparsers) -> None:
    parser = subparsers.add_parser("bundle", help=_("export, import and verify signed sync bundles"))
    sub = parser.add_subparsers(dest="bundle_command", required=True, metavar="ACTION")
    export = sub.add_parser("export", help=_("write every case revision since the last bundle to a signed bundle"))
    export.add_argument("--full", action="store_true", help=_("export every revision again (for a lost stick)"))
    export.add_argument("--out", help=_("folder or stick to write to (default: the outbox in the data folder)"))
    export.add_argument("--require-encryption", action="store_true",
                        help=_("refuse to write a bundle that is not encrypted to HQ's age key"))
    export.set_defaults(handler=_export)
    imp = sub.add_parser("import", help=_("verify and import bundles (files or folders)"))
    imp.add_argument("files", nargs="+", metavar="FILE")
    imp.set_defaults(handler=_import)
    verify = sub.add_parser("verify", help=_("check a bundle completely without importing it"))
    verify.add_argument("file", metavar="FILE")
    verify.set_defaults(handler=_verify)
    outbox = sub.add_parser("outbox", help=_("list bundles exported and not yet acknowledged by HQ"))
    outbox.add_argument("--all", action="store_true", help=_("include acknowledged bundles"))
    outbox.set_defaults(handler=_outbox)
    ack = sub.add_parser("ack", help=_("mark bundles up to this number as received by HQ"))
    ack.add_argument("sequence", type=int)
    ack.set_defaults(handler=_ack)
    from blo_desk.commands.delivery import register_bundle

    register_bundle(sub)  # bundle send: upload the outbox (issue 6)


def _open(settings, args=None):
    """Log in (--user / BLO_DESK_USER, password from BLO_DESK_PASSWORD or a prompt); SYSTEM only in the explicit
    plaintext test mode. The services check the role (export, import, keys) and audit refusals."""
    from blo_desk.commands.session import open_session

    return open_session(settings, args)


def print_report(report, settings) -> None:
    tr = translator(settings.language)
    # Whole sentences: a translator sees the file and, once the bundle's manifest was read, its post and number.
    named = dict(file=report.file_name, post=report.post_code, seq=report.sequence)
    if report.outcome == "rejected":
        if report.sequence is None:
            print(_("{file}: rejected: {reason}").format(file=report.file_name, reason=report.reason(tr)))
        else:
            print(_("{file} ({post} #{seq}): rejected: {reason}").format(reason=report.reason(tr), **named))
    elif report.outcome == "verified" and not report.contents_checked:
        print(_("{file} ({post} #{seq}): encrypted for HQ; its envelope signature and ciphertext hash are valid "
                "(the contents can only be checked with HQ's age key)").format(**named))
    elif report.outcome == "already_imported":
        print(_("{file} ({post} #{seq}): already imported, nothing changed").format(**named))
    elif report.outcome == "verified":
        print(ngettext("{file} ({post} #{seq}): valid, {records} record",
                       "{file} ({post} #{seq}): valid, {records} records", report.records).format(
            records=report.records, **named))
    else:
        print(_("{file} ({post} #{seq}): imported: {new} new, {updated} updated, {unchanged} unchanged cases; "
                "{photos} new photos").format(new=report.new, updated=report.updated, unchanged=report.unchanged,
                                              photos=report.attachments_stored, **named))


def _export(args, settings) -> int:
    services = _open(settings, args)
    try:
        result = services.sync.export(folder=Path(args.out) if args.out else None, full=args.full,
                                      require_encryption=True if args.require_encryption else None)
        print(_("Bundle {seq} written to {path}: {records} revisions of {cases} cases, {photos} photos").format(
            seq=result.sequence, path=result.path, records=result.records, cases=result.cases,
            photos=result.attachments))
        if result.encrypted:
            print(_("The bundle is encrypted: only HQ's age key opens it."))
        else:
            print(_("Warning: the bundle is NOT encrypted; anyone who finds the stick can read the cases. Pin HQ's "
                    "age key with `blo-desk post hq --age-recipient age1...`."), file=sys.stderr)
    finally:
        services.close()
    return 0


def _import(args, settings) -> int:
    services = _open(settings, args)
    try:
        reports = services.hq.import_bundles(paths=[Path(f) for f in args.files])
        for report in reports:
            print_report(report, settings)
        if not reports:
            print(_("No bundle found."), file=sys.stderr)
            return 1
        return 1 if any(r.rejected for r in reports) else 0
    finally:
        services.close()


def _verify(args, settings) -> int:
    services = _open(settings, args)
    try:
        report = services.hq.verify(path=Path(args.file))
        print_report(report, settings)
        return 1 if report.rejected else 0
    finally:
        services.close()


def _outbox(args, settings) -> int:
    tr = translator(settings.language)
    services = _open(settings, args)
    try:
        entries = services.sync.outbox(include_acknowledged=args.all)
        for entry in entries:
            state = _("acknowledged") if entry.acknowledged_at else _("waiting")
            print("\t".join([str(entry.sequence), entry.file_name, tr.format_datetime(entry.created_at),
                             str(entry.records), state]))
        print(ngettext("{count} bundle", "{count} bundles", len(entries)).format(count=len(entries)))
    finally:
        services.close()
    return 0


def _ack(args, settings) -> int:
    services = _open(settings, args)
    try:
        count = services.sync.acknowledge(up_to=args.sequence)
        print(ngettext("{count} bundle acknowledged", "{count} bundles acknowledged", count).format(count=count))
    finally:
        services.close()
    return 0
