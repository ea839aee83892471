"""`blo-desk reference offence add|list`: the offence articles a protocol may cite, which an administrator extends."""

from __future__ import annotations

from blo_desk.i18n import _, active_language


def register(subparsers) -> None:
    parser = subparsers.add_parser("reference", help=_("reference lists: the offence articles per country"))
    sub = parser.add_subparsers(dest="reference_command", required=True, metavar="LIST")
    offence = sub.add_parser("offence", help=_("the articles of the codes that a protocol may cite"))
    actions = offence.add_subparsers(dest="offence_command", required=True, metavar="ACTION")
    add = actions.add_parser("add", help=_("administrators: add an article, or give one new short titles"))
    add.add_argument("--country", required=True, help=_("country of a post, e.g. TM"))
    add.add_argument("--law", required=True, help=_("the law's code within the country, e.g. CC (Criminal Code)"))
    add.add_argument("--article", required=True, help=_("article number, e.g. 254 or 200.1"))
    add.add_argument("--part", default="", help=_("part of the article, e.g. 1 (optional)"))
    add.add_argument("--title-uz", required=True, help=_("the article's short title in Uzbek"))
    add.add_argument("--title-ru", required=True, help=_("the article's short title in Russian"))
    add.add_argument("--title-en", required=True, help=_("the article's short title in English"))
    add.add_argument("--law-uz", default="", help=_("a new law's name in Uzbek (for a law the country lacks)"))
    add.add_argument("--law-ru", default="", help=_("a new law's name in Russian (for a law the country lacks)"))
    add.add_argument("--law-en", default="", help=_("a new law's name in English (for a law the country lacks)"))
    add.set_defaults(handler=_add)
    listed = actions.add_parser("list", help=_("list the articles (code and citation), of one country or all"))
    listed.add_argument("--country", default="", help=_("only this country's articles, e.g. TM"))
    listed.set_defaults(handler=_list)


def _open(settings, args):
    from blo_desk.commands.session import open_session

    return open_session(settings, args)


def _add(args, settings) -> int:
    services = _open(settings, args)
    try:
        item = services.reference.save_offence_article(
            country=args.country, law=args.law, article=args.article, part=args.part, title_uz=args.title_uz,
            title_ru=args.title_ru, title_en=args.title_en, law_uz=args.law_uz, law_ru=args.law_ru,
            law_en=args.law_en)
    finally:
        services.close()
    print(_("Saved {code}: {label}").format(code=item.code, label=item.label(active_language())))
    return 0


def _list(args, settings) -> int:
    services = _open(settings, args)
    try:
        items = services.reference.offence_articles(country=args.country)
    finally:
        services.close()
    for item in items:
        print(f"{item.code}\t{item.label(active_language())}")
    if not items:
        print(_("No offence articles for {country} yet: an administrator adds them with "
                "blo-desk reference offence add.").format(country=args.country.upper() or "–"))
    return 0
