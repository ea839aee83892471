"""`blo-desk print protocol`, `blo-desk report` and `blo-desk verify-print`: printed paper from the command line."""

from __future__ import annotations

from blo_desk.commands.argparse_i18n import iso_date
from blo_desk.i18n import _
from blo_desk.services.printing import PrintingService

PRINT_LANGUAGES = PrintingService.languages


def register(subparsers) -> None:
    printing = subparsers.add_parser("print", help=_("print a case's protocol to a PDF file"))
    sub = printing.add_subparsers(dest="print_command", required=True, metavar="DOCUMENT")
    protocol = sub.add_parser("protocol", help=_("the protocol of customs inspection and seizure of one case"))
    protocol.add_argument("case", help=_("case id or case number"))
    protocol.add_argument(
        "--lang", dest="print_lang", choices=PRINT_LANGUAGES, help=_("language of the form (uz+ru: both on one page)")
    )
    protocol.add_argument("--out", required=True, help=_("PDF file to write"))
    protocol.set_defaults(handler=_protocol)

    report = subparsers.add_parser("report", help=_("a period report on seizures (PDF) for supervisors"))
    report.add_argument("--from", dest="date_from", type=iso_date, required=True, help=_("first day, e.g. 2024-01-01"))
    report.add_argument("--to", dest="date_to", type=iso_date, required=True, help=_("last day, e.g. 2024-12-31"))
    report.add_argument("--post", action="append", default=[], metavar="CODE", help=_("only this post (repeat for several)"))
    report.add_argument("--lang", dest="print_lang", choices=PRINT_LANGUAGES, help=_("language of the report"))
    report.add_argument("--finalized-only", action="store_true", help=_("leave draft cases out"))
    report.add_argument("--out", required=True, help=_("PDF file to write"))
    report.set_defaults(handler=_report)

    verify = subparsers.add_parser(
        "verify-print", help=_("check a printed protocol's check code against the store"),
        description=_("Check a printed protocol's check code against the store: is this paper the record as it "
                      "stands now?"),
        epilog=_("Exit status: 0 match (the paper is the current revision); 1 mismatch (the paper differs from its "
                 "revision) or unknown case or revision; 2 not a check code, or an error; 3 superseded (the paper "
                 "matches an older revision: a later revision replaced it, named with its date and reason)."),
    )
    verify.add_argument("code", help=_("the check code printed under the QR code (or read from it)"))
    verify.set_defaults(handler=_verify)


def _open(settings, args):
    from blo_desk.commands.session import open_session

    return open_session(settings, args)


def _language(args, settings) -> str:
    return args.print_lang or settings.language


def _protocol(args, settings) -> int:
    services = _open(settings, args)
    try:
        services.printing.protocol(case_id=args.case, lang=_language(args, settings), out=args.out)
    finally:
        services.close()
    print(_("Protocol written to {path}").format(path=args.out))
    return 0


def _report(args, settings) -> int:
    services = _open(settings, args)
    try:
        services.printing.period_report(
            date_from=args.date_from,
            date_to=args.date_to,
            post_codes=args.post,
            lang=_language(args, settings),
            finalized_only=args.finalized_only,
            out=args.out,
        )
    finally:
        services.close()
    print(_("Report written to {path}").format(path=args.out))
    return 0


def _verify(args, settings) -> int:
    services = _open(settings, args)
    try:
        result = services.printing.verify_code(code=args.code)
    finally:
        services.close()
    message, params = result.message()
    print(_(message).format(**params))
    return result.exit_code
