"""`blo-desk cases list|search|show`: read the store from the command line."""

from __future__ import annotations

import json

from blo_desk.domain.canonical import content_dict
from blo_desk.domain.entities import CaseQuery
from blo_desk.domain.enums import CaseStatus
from blo_desk.i18n import _, translator


def register(subparsers) -> None:
    parser = subparsers.add_parser("cases", help=_("list, search and show cases"))
    sub = parser.add_subparsers(dest="cases_command", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help=_("list cases, newest first"))
    listing.add_argument("--status", choices=[s.value for s in CaseStatus])
    listing.add_argument("--post", help=_("crossing point code, e.g. UZ-DUS"))
    listing.add_argument("--limit", type=int, default=50)
    listing.set_defaults(handler=_list)
    search = sub.add_parser("search", help=_("full-text search over names, documents, plates, items and narrative"))
    search.add_argument("text")
    search.add_argument("--limit", type=int, default=50)
    search.set_defaults(handler=_search)
    show = sub.add_parser("show", help=_("print one case as JSON"))
    show.add_argument("case", help=_("case id or case number"))
    show.set_defaults(handler=_show)


def _print_page(page, settings) -> None:
    tr = translator(settings.language)
    for row in page.rows:
        print(
            "\t".join(
                [
                    row.case_number,
                    tr.format_datetime(row.occurred_at, "short", tz=row.timezone),
                    row.status.label_in(tr),
                    row.items_summary,
                    tr.format_money(row.total_value, row.currency) if row.total_value is not None else "",
                ]
            )
        )
    print(_("{shown} of {total} cases").format(shown=len(page.rows), total=page.total))


def _open(settings, args=None):
    from blo_desk.commands.session import open_session

    return open_session(settings, args)


def _list(args, settings) -> int:
    services = _open(settings, args)
    try:
        query = CaseQuery(
            statuses=(CaseStatus(args.status),) if args.status else (), post_code=args.post or "", limit=args.limit
        )
        _print_page(services.cases.list_cases(query=query), settings)
    finally:
        services.close()
    return 0


def _search(args, settings) -> int:
    services = _open(settings, args)
    try:
        _print_page(services.cases.search(text=args.text, limit=args.limit), settings)
    finally:
        services.close()
    return 0


def _show(args, settings) -> int:
    services = _open(settings, args)
    try:
        case = services.cases.find(reference=args.case)
        data = content_dict(case)
        data["revision"] = case.revision
        print(json.dumps(data, ensure_ascii=False, indent=2))
    finally:
        services.close()
    return 0
