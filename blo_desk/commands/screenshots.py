"""`blo-desk screenshots --out DIR`: render the main screens in each language to PNG files."""

from __future__ import annotations

from pathlib import Path

from blo_desk.i18n import _


def register(subparsers) -> None:
    parser = subparsers.add_parser("screenshots", help=_("render the main screens in each language to PNG files"))
    parser.add_argument("--out", required=True, type=Path, help=_("folder for the PNG files"))
    parser.add_argument("--only", action="append", choices=("uz", "ru", "en"), help=_("only this language"))
    parser.set_defaults(handler=_screenshots)


def _screenshots(args, settings) -> int:
    from blo_desk.app import backend
    from blo_desk.ui.screenshots import render_screenshots

    kwargs = {"languages": tuple(args.only)} if args.only else {}
    written = render_screenshots(settings, args.out, backend=backend(), **kwargs)
    print(_("Wrote {count} screenshots to {path}").format(count=len(written), path=args.out))
    return 0
