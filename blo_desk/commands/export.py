"""`blo-desk export cases`: the cases a filter selects, as XLSX or CSV sheets or as an international table."""

from __future__ import annotations

import sys

from blo_desk.commands.argparse_i18n import iso_date
from blo_desk.config import LANGUAGES
from blo_desk.i18n import _, ngettext

FORMATS = ("xlsx", "csv", "cen", "ids")
STATUSES = ("draft", "finalized")


def register(subparsers) -> None:
    export = subparsers.add_parser("export", help=_("take cases out as spreadsheets or international tables"))
    sub = export.add_subparsers(dest="export_command", required=True, metavar="WHAT")
    cases = sub.add_parser("cases", help=_("the cases a filter selects, with their items and persons"))
    cases.add_argument("--format", dest="export_format", choices=FORMATS, default="xlsx",
                       help=_("xlsx: one workbook of three sheets; csv: a folder of three files; cen, ids: a "
                              "non-nominal international table (.xlsx or .csv by the file name)"))
    cases.add_argument("--from", dest="date_from", type=iso_date, help=_("first day, e.g. 2024-01-01"))
    cases.add_argument("--to", dest="date_to", type=iso_date, help=_("last day, e.g. 2024-12-31"))
    cases.add_argument("--post", default="", metavar="CODE", help=_("only this post"))
    cases.add_argument("--status", choices=STATUSES, action="append", default=[], help=_("only cases in this status"))
    cases.add_argument("--category", default="", metavar="CODE", help=_("only cases with an item of this category"))
    cases.add_argument("--text", default="", help=_("only cases that a search for this text finds"))
    cases.add_argument("--lang", dest="export_lang", choices=LANGUAGES, help=_("language of the headings and labels"))
    cases.add_argument("--out", required=True, help=_("file to write (a folder for csv)"))
    cases.set_defaults(handler=_cases)


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{done:,}/{total:,}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def _cases(args, settings) -> int:
    from pathlib import Path

    from blo_desk.commands.session import open_session
    from blo_desk.domain.entities import CaseQuery
    from blo_desk.domain.enums import CaseStatus

    query = CaseQuery(text=args.text, statuses=tuple(CaseStatus(s) for s in args.status), date_from=args.date_from,
                      date_to=args.date_to, category=args.category, post_code=args.post.strip().upper())
    services = open_session(settings, args)
    try:
        assert services.exports is not None  # made with every session
        result = services.exports.export(query=query, fmt=args.export_format, out=Path(args.out),
                                         language=args.export_lang or settings.language, progress=_progress)
    finally:
        services.close()
    print(ngettext("{count} case exported to {path}", "{count} cases exported to {path}", result.cases).format(
        count=result.cases, path=", ".join(str(p) for p in result.files)))
    return 0
