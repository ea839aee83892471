"""`blo-desk user add|set|passwd|list|remove|unlock` and `blo-desk login`: accounts from the command line."""

from __future__ import annotations

from blo_desk.domain.errors import AccountNotFoundError, DomainError
from blo_desk.domain.permissions import ACCOUNT_ROLES
from blo_desk.i18n import N_, _, ngettext, translator


class PasswordMismatchError(DomainError):
    message = N_("The two passwords differ.")


def register(subparsers) -> None:
    parser = subparsers.add_parser("user", help=_("add users, change passwords, list and remove users"))
    sub = parser.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = sub.add_parser("add", help=_("add a user (on a new store: the first administrator)"))
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[str(r) for r in ACCOUNT_ROLES])
    add.add_argument("--post", default="", help=_("crossing point code, e.g. UZ-DUS"))
    add.add_argument("--full-name", default="")
    add.add_argument("--rank", default="", help=_("rank or position as written on paper, e.g. Major"))
    add.add_argument("--agency", default="customs", help=_("agency code, e.g. customs or border"))
    add.add_argument("--recovery-sheet", metavar="FILE",
                     help=_("first administrator: also write the recovery sheet (PDF) to this file"))
    add.set_defaults(handler=_add)
    change = sub.add_parser("set", help=_("change a user's full name, rank or agency"))
    change.add_argument("username")
    change.add_argument("--full-name")
    change.add_argument("--rank")
    change.add_argument("--agency")
    change.set_defaults(handler=_set)
    passwd = sub.add_parser("passwd", help=_("change your password, or (admin) set another user's"))
    passwd.add_argument("username", nargs="?")
    passwd.set_defaults(handler=_passwd)
    listing = sub.add_parser("list", help=_("list users"))
    listing.add_argument("--all", action="store_true", help=_("include removed users"))
    listing.set_defaults(handler=_list)
    remove = sub.add_parser("remove", help=_("remove a user (and their copy of the store key)"))
    remove.add_argument("username")
    remove.set_defaults(handler=_remove)
    unlock = sub.add_parser("unlock", help=_("unlock a user locked out by wrong passwords"))
    unlock.add_argument("username")
    unlock.set_defaults(handler=_unlock)
    recovery = sub.add_parser("recovery-code", help=_("administrators: make a new recovery code (the old one stops "
                                                      "working) and print its sheet"))
    recovery.add_argument("--sheet", metavar="FILE", help=_("write the recovery sheet (PDF) to this file"))
    recovery.add_argument("--escrow", action="store_true",
                          help=_("also encrypt the store's key to HQ's age key (HQ can then open this store)"))
    recovery.set_defaults(handler=_recovery_code)
    recover = subparsers.add_parser("recover", help=_("set a new administrator password with the recovery code"))
    how = recover.add_mutually_exclusive_group(required=True)
    how.add_argument("--code", help=_("the code on the recovery sheet"))
    how.add_argument("--escrow-identity", metavar="FILE",
                     help=_("at HQ: HQ's age identity file, which opens the escrow copy of a post's store key"))
    recover.add_argument("--admin", default="", help=_("the administrator to give a new password (may be left out "
                                                       "when there is only one)"))
    recover.set_defaults(handler=_recover)
    login = subparsers.add_parser("login", help=_("check a username and password"))
    login.set_defaults(handler=_login)


def _new_password() -> str:
    from blo_desk.commands.session import ask_password

    first = ask_password(_("New password: "), env="BLO_DESK_NEW_PASSWORD")
    second = ask_password(_("Repeat the new password: "), env="BLO_DESK_NEW_PASSWORD")
    if first != second:
        raise PasswordMismatchError()
    return first


def _add(args, settings) -> int:
    from blo_desk.commands.session import open_session
    from blo_desk.services.accounts import AccountService

    accounts = AccountService(settings)
    if accounts.first_start():
        if args.role != "admin":
            print(_("The first user of a store must be an administrator (--role admin)."))
            return 2
        accounts.create_first_admin(username=args.username, password=_new_password(), full_name=args.full_name,
                                    post_code=args.post)
        print(_("Created the first administrator {username}.").format(username=args.username))
        if accounts.encrypted:
            services = accounts.open_services()
            try:
                _print_recovery(services, settings, sheet=args.recovery_sheet, escrow=False)
            finally:
                services.close()
        return 0
    services = open_session(settings, args)
    try:
        services.users.add_user(username=args.username, password=_new_password(), role=args.role,
                                post_code=args.post, full_name=args.full_name, rank=args.rank, agency=args.agency)
        print(_("Added user {username}.").format(username=args.username))
    finally:
        services.close()
    return 0


def _print_recovery(services, settings, *, sheet: str | None, escrow: bool) -> None:
    from pathlib import Path

    from blo_desk.durable import write_atomically

    recipient = ""
    if escrow:
        recipient = services.sync.hq_recipient() or ""
        if not recipient:
            raise DomainError(N_("HQ's age recipient is not pinned at this post (blo-desk post hq --age-recipient age1...)."))
    code = services.users.create_recovery_code(escrow_to=recipient)
    print(_("Recovery code (keep it in the post's safe, never with the laptop):"))
    print(code)
    if sheet:
        write_atomically(Path(sheet), services.users.recovery_sheet(code=code, language=settings.language))
        print(_("Recovery sheet written to {path}; print it and delete the file.").format(path=sheet))


def _recovery_code(args, settings) -> int:
    from blo_desk.commands.session import open_session

    services = open_session(settings, args)
    try:
        _print_recovery(services, settings, sheet=args.sheet, escrow=args.escrow)
    finally:
        services.close()
    return 0


def _recover(args, settings) -> int:
    from blo_desk.services.accounts import AccountService

    accounts = AccountService(settings)
    if args.escrow_identity:
        from pathlib import Path

        principal = accounts.recover_with_escrow(identity_text=Path(args.escrow_identity).read_text("utf-8"),
                                                 new_password=_new_password(), username=args.admin)
    else:
        principal = accounts.recover(code=args.code, new_password=_new_password(), username=args.admin)
    print(_("Administrator {username} has a new password; the use of the recovery code is recorded.").format(
        username=principal.username))
    return 0


def _set(args, settings) -> int:
    from blo_desk.commands.session import open_session

    services = open_session(settings, args)
    try:
        users = {u.username: u for u in services.users.list_users()}
        user = users.get(args.username.strip().lower())
        if user is None:
            raise AccountNotFoundError(username=args.username)
        services.users.update_user(
            username=user.username,
            full_name=user.full_name if args.full_name is None else args.full_name,
            rank=user.rank if args.rank is None else args.rank,
            agency=user.agency if args.agency is None else args.agency)
        print(_("Changed user {username}.").format(username=user.username))
    finally:
        services.close()
    return 0


def _passwd(args, settings) -> int:
    from blo_desk.commands.session import ask_password, open_session

    services = open_session(settings, args)
    try:
        if args.username and args.username != services.principal.username:
            services.users.reset_password(username=args.username, new_password=_new_password())
        else:
            old = ask_password(_("Current password: "), env="BLO_DESK_PASSWORD")
            services.users.change_password(old_password=old, new_password=_new_password())
        print(_("Password changed."))
    finally:
        services.close()
    return 0


def _list(args, settings) -> int:
    from blo_desk.commands.session import open_session

    services = open_session(settings, args)
    try:
        for user in services.users.list_users(include_inactive=args.all):
            state = _("active") if user.active else _("removed")
            if user.active and user.locked_until is not None:
                state = _("locked until {time}").format(time=translator().format_datetime(user.locked_until, "short"))
            failed = ngettext("{count} failed login", "{count} failed logins", user.failed_logins).format(
                count=user.failed_logins) if user.failed_logins else ""
            print("\t".join([user.username, user.role.label, user.post_code, user.full_name, user.rank, user.agency,
                             state, failed]).rstrip("\t"))
        unknown = services.users.unknown_logins()
        if unknown:
            print()
            print(_("Unknown usernames tried (name, attempts, last recorded):"))
            for attempt in unknown:
                print("\t".join([attempt.username, str(attempt.attempts), attempt.last_recorded]))
    finally:
        services.close()
    return 0


def _remove(args, settings) -> int:
    from blo_desk.commands.session import open_session

    services = open_session(settings, args)
    try:
        services.users.remove_user(username=args.username)
        print(_("Removed user {username}.").format(username=args.username))
    finally:
        services.close()
    return 0


def _unlock(args, settings) -> int:
    from blo_desk.commands.session import open_session

    services = open_session(settings, args)
    try:
        services.users.unlock(username=args.username)
        print(_("Unlocked user {username}.").format(username=args.username))
    finally:
        services.close()
    return 0


def _login(args, settings) -> int:
    from blo_desk.commands.session import open_session

    services = open_session(settings, args)
    try:
        p = services.principal
        print(_("Logged in as {username} ({role}, post {post}).").format(
            username=p.username, role=p.role.label, post=p.post_code or "-"))
    finally:
        services.close()
    return 0
