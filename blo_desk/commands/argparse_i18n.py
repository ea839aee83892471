"""argparse speaks the user's language: its own messages (usage, options, errors) go through our catalogs.

argparse looks up `_` and `ngettext` as module globals when it formats help and errors, so pointing them at our
translator is enough. The texts below are argparse's own msgids (Python 3.11), listed so that they are extracted
into our catalogs; they keep argparse's %-style placeholders, which translators must keep too.
"""

from __future__ import annotations

import argparse
from datetime import date

from blo_desk.i18n import N_, _, ngettext

ARGPARSE_TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("show program's version number and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"),
    N_("expected one argument"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("not allowed with argument %s"),
    N_("one of the arguments %s is required"),
)


def install() -> None:
    """Route argparse's messages through the active language."""
    # argparse looks its gettext functions up as module globals; typeshed does not list them
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]


def iso_date(value: str) -> date:
    """An argparse type: a day written 2024-04-30, refused with a translated message otherwise."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value} is not a date like 2024-04-30").format(value=value)) from None
