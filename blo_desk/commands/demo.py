"""`blo-desk demo`: load the demo cases, or generate synthetic ones for tests and benchmarks."""

from __future__ import annotations

import sys

from blo_desk.i18n import _, ngettext


def register(subparsers) -> None:
    parser = subparsers.add_parser("demo", help=_("load the demo cases (including the Dustlik case)"))
    parser.add_argument("--generate", type=int, metavar="N", help=_("also add N synthetic cases"))
    parser.add_argument("--seed", type=int, default=1)
    parser.set_defaults(handler=_demo)


def _demo(args, settings) -> int:
    from blo_desk.commands.session import open_session
    from blo_desk.services.demo import generate, load_demo

    services = open_session(settings, args, as_system=True)
    try:
        if not args.generate:
            saved = load_demo(cases=services.cases)
            print(ngettext("Loaded {count} demo case into {path}", "Loaded {count} demo cases into {path}",
                           len(saved)).format(count=len(saved), path=settings.db_url))
            return 0

        def progress(done: int, total: int) -> None:
            print(_("Generated {done} of {total} cases").format(done=done, total=total), file=sys.stderr)

        made = generate(uow=services.uow, count=args.generate, seed=args.seed, progress=progress, guard=services.guard)
        print(ngettext("Added {count} synthetic case", "Added {count} synthetic cases", made).format(count=made))
        return 0
    finally:
        services.close()
