"""The `blo-desk` command: parse arguments, then hand over to a command module (no logic here)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from blo_desk import __version__
from blo_desk.commands import argparse_i18n
from blo_desk.config import DEFAULT_LANGUAGE, LANGUAGES, load_settings
from blo_desk.i18n import _, set_language

# Each module exposes register(subparsers); its parsers set `handler(args, settings) -> int`.
COMMAND_MODULES = (
    "blo_desk.commands.cases",
    "blo_desk.commands.demo",
    "blo_desk.commands.users",
    "blo_desk.commands.audit",
    "blo_desk.commands.printing",
    "blo_desk.commands.screenshots",
    "blo_desk.commands.post",
    "blo_desk.commands.bundle",
    "blo_desk.commands.hq",
    "blo_desk.commands.delivery",
    "blo_desk.commands.export",
    "blo_desk.commands.backup",
    "blo_desk.commands.share",
    "blo_desk.commands.reference",
)


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The whole parser; without `commands`, only the global options (enough to start the desk, and quicker)."""
    parser = argparse.ArgumentParser(prog="blo-desk", description=_("BLO Desk: seizure case logger for Border Liaison Offices"),
                                     formatter_class=argparse.HelpFormatter if commands else _formatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--data-dir", help=_("folder for the store, photos and keys (default: the user's data folder)"))
    parser.add_argument("--db", dest="db_url", help=_("database URL (default: a SQLite file in the data folder)"))
    parser.add_argument("--lang", choices=LANGUAGES, help=_("language of messages and printouts"))
    parser.add_argument("--selftest", action="store_true", help=_("run the built-in self-test and exit"))
    parser.add_argument("--user", help=_("log in as this user (password from BLO_DESK_PASSWORD or asked)"))
    if not commands:
        parser.set_defaults(command=None)
        return parser
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def _formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's own formatter, given the terminal width so that it does not import shutil (and bz2, lzma) for it:
    starting the desk builds a parser before its first window is painted."""
    try:
        columns = int(os.environ.get("COLUMNS", "0")) or os.get_terminal_size(sys.stderr.fileno()).columns
    except (ValueError, OSError):
        columns = 80
    return argparse.HelpFormatter(prog, width=columns - 2)


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # The language must be set before the parser is built, so that --help is translated too. It is read as
    # load_settings reads it, without looking up the default data folder (platformdirs) before the first window.
    set_language(_initial_language(args_list))
    argparse_i18n.install()
    # Starting the desk (no command, no --help) does not need the command modules: skip importing them.
    if _names_a_command(args_list) or any(a in ("-h", "--help") for a in args_list):
        args = build_parser().parse_args(args_list)
    else:
        args = build_parser(commands=False).parse_args(args_list)
    settings = load_settings(data_dir=args.data_dir, db_url=args.db_url, language=args.lang)
    try:
        if args.command is None:
            from blo_desk.app import run_gui

            return run_gui(settings, selftest=args.selftest, user=args.user,
                           language_chosen=bool(args.lang or os.environ.get("BLO_DESK_LANG")))
        return int(args.handler(args, settings) or 0)
    except Exception as exc:
        from blo_desk.domain.errors import DomainError  # imported here: not needed before the desk's first paint

        if not isinstance(exc, DomainError):
            raise
        print(_("Error: {message}").format(message=exc.translated()), file=sys.stderr)
        return 2


_GLOBAL_WITH_VALUE = ("--data-dir", "--db", "--lang", "--user")


def _names_a_command(argv: list[str]) -> bool:
    """Whether a word that is not a global option or its value is present (a subcommand and its arguments)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
            continue
        if arg in _GLOBAL_WITH_VALUE:
            skip = True
            continue
        if not arg.startswith("-"):
            return True
    return False


def _initial_language(argv: list[str]) -> str:
    """--lang, else BLO_DESK_LANG, else the default (as load_settings decides it)."""
    language = _peek_lang(argv) or os.environ.get("BLO_DESK_LANG") or DEFAULT_LANGUAGE
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def _peek_lang(argv: list[str]) -> str | None:
    for index, arg in enumerate(argv):
        if arg == "--lang" and index + 1 < len(argv):
            return argv[index + 1] if argv[index + 1] in LANGUAGES else None
        if arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
            return value if value in LANGUAGES else None
    return None


if __name__ == "__main__":
    raise SystemExit(main())
