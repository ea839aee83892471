"""`blo-desk cases list|search|show|add|amend|void`: read and write cases from the command line (JSON in, JSON out)."""

from __future__ import annotations

import json

from blo_desk.domain.canonical import content_dict
from blo_desk.domain.entities import CaseQuery
from blo_desk.domain.enums import CaseStatus
from blo_desk.domain.errors import FieldError
from blo_desk.i18n import N_, _, translator


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
    add = sub.add_parser("add", help=_("save a new case from a JSON file (the form 'cases show' prints)"))
    add.add_argument("file", help=_("JSON file, or - for standard input"))
    add.set_defaults(handler=_add)
    amend = sub.add_parser("amend", help=_("change a case from a JSON file: a finalized case needs --reason; whoever "
                                           "may finalize a case may amend it (the officer who entered it, or a "
                                           "supervisor of its post)"))
    amend.add_argument("case", help=_("case id or case number"))
    amend.add_argument("file", help=_("JSON file, or - for standard input"))
    amend.add_argument("--reason", default="", help=_("why a finalized case is changed"))
    amend.set_defaults(handler=_amend)
    void = sub.add_parser("void", help=_("void a draft entered by mistake: it is kept with its history, sent to HQ "
                                         "and hidden from lists"))
    void.add_argument("case", help=_("case id or case number"))
    void.add_argument("--reason", required=True, help=_("why the draft is voided"))
    void.set_defaults(handler=_void)


def _print_page(page, settings) -> None:
    tr = translator(settings.language)
    for row in page.rows:
        print(
            "\t".join(
                [
                    row.case_number,
                    tr.format_datetime(row.occurred_at, tz=row.timezone),
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


def _read_json(name: str):
    """The parsed JSON document (numbers read exactly, as decimals); a syntax error names its line and column."""
    import sys
    from decimal import Decimal

    from blo_desk.domain.errors import DomainError

    try:
        text = sys.stdin.read() if name == "-" else open(name, encoding="utf-8").read()
    except OSError as exc:
        raise DomainError(N_("The file {file} cannot be read: {reason}"), file=name,
                          reason=exc.strerror or str(exc)) from exc
    except UnicodeDecodeError:
        raise DomainError(N_("The file {file} is not UTF-8 text."), file=name) from None
    try:
        return json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise DomainError(N_("The file {file} is not valid JSON (line {line}, column {column}): {reason}"),
                          file=name, line=exc.lineno, column=exc.colno, reason=exc.msg) from None


def _report_invalid(error) -> int:
    import sys

    from blo_desk.domain.case_json import display_path

    print(error.translated().splitlines()[0], file=sys.stderr)
    for problem in error.errors:
        print(f"  {display_path(problem.field)}: {problem.translated()}", file=sys.stderr)
    print(_("Nothing was saved."), file=sys.stderr)
    return 2


def _case_from_file(name: str, *, post_code: str):
    from blo_desk.domain.case_json import case_from_json
    from blo_desk.domain.zones import zone_for_post

    data = _read_json(name)
    post = data.get("post_code") if isinstance(data, dict) and isinstance(data.get("post_code"), str) else ""
    case = case_from_json(data, default_post=post_code, default_timezone=zone_for_post(post or post_code))
    return case, data


def _add(args, settings) -> int:
    from dataclasses import replace

    from blo_desk.domain.errors import ValidationError

    services = _open(settings, args)
    try:
        try:
            case, _data = _case_from_file(args.file, post_code=services.cases.principal.post_code)
            if case.attachments:  # a photo is a file in the store: it comes in through the desk, not a reference
                raise ValidationError([FieldError("attachments", PHOTOS_FROM_THE_DESK)])
            saved = services.cases.save(case=replace(case, id=None, case_number="", revision=0))
        except ValidationError as error:
            return _report_invalid(error)
        print(_("Saved case {number} (revision {revision}).").format(number=saved.case_number,
                                                                      revision=saved.revision))
    finally:
        services.close()
    return 0


PHOTOS_FROM_THE_DESK = N_("Photos are not added from a file: attach them to the saved case in the desk.")


def _kept_photos(case, current):
    """The case's photos as the file lists them: only photos already attached (their captions may change)."""
    from dataclasses import replace

    from blo_desk.domain.errors import ValidationError

    stored = {attachment.sha256: attachment for attachment in current.attachments}
    errors = [FieldError(f"attachments.{n}.sha256", PHOTOS_FROM_THE_DESK)
              for n, attachment in enumerate(case.attachments) if attachment.sha256 not in stored]
    if errors:
        raise ValidationError(errors)
    return tuple(replace(stored[attachment.sha256], caption=attachment.caption) for attachment in case.attachments)


def _amend(args, settings) -> int:
    from dataclasses import replace

    from blo_desk.domain.errors import DomainError, ValidationError

    services = _open(settings, args)
    try:
        current = services.cases.find(reference=args.case)
        try:
            case, data = _case_from_file(args.file, post_code=current.post_code)
            if case.id not in (None, current.id):
                raise DomainError(N_("The file describes another case ({found}), not {case_number}."),
                                  found=case.case_number or case.id, case_number=current.case_number)
            # The revision the file was taken from: a file older than the stored case is a conflict, not an overwrite.
            revision = data["revision"] if type(data.get("revision")) is int else current.revision
            changed = replace(case, id=current.id, case_number=current.case_number, revision=revision,
                              attachments=_kept_photos(case, current) if "attachments" in data
                              else current.attachments)
            if current.is_finalized:
                saved = services.cases.amend(case=changed, reason=args.reason)
            else:
                saved = services.cases.save(case=changed)
        except ValidationError as error:
            return _report_invalid(error)
        if saved.revision == current.revision:
            print(_("Case {number} is unchanged.").format(number=saved.case_number))
        else:
            print(_("Saved case {number} (revision {revision}).").format(number=saved.case_number,
                                                                          revision=saved.revision))
    finally:
        services.close()
    return 0


def _void(args, settings) -> int:
    from blo_desk.domain.errors import ValidationError

    services = _open(settings, args)
    try:
        current = services.cases.find(reference=args.case)
        try:
            voided = services.cases.void(case_id=current.id, expected_revision=current.revision, reason=args.reason)
        except ValidationError as error:
            return _report_invalid(error)
        print(_("Voided case {number} (revision {revision}).").format(number=voided.case_number,
                                                                      revision=voided.revision))
    finally:
        services.close()
    return 0
