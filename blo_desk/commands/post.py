"""`blo-desk post init|show|key`: set up this installation as a post with its signing key."""

from __future__ import annotations

from pathlib import Path

from blo_desk.i18n import _


def register(subparsers) -> None:
    parser = subparsers.add_parser("post", help=_("set up this installation as a post and show its key"))
    sub = parser.add_subparsers(dest="post_command", required=True, metavar="ACTION")
    init = sub.add_parser("init", help=_("give this installation a post code and a new signing key"))
    init.add_argument("--code", required=True, help=_("crossing point code, e.g. UZ-DUS"))
    init.set_defaults(handler=_init)
    show = sub.add_parser("show", help=_("show the post code and the key id"))
    show.set_defaults(handler=_show)
    key = sub.add_parser("key", help=_("write the public key (minisign format) for HQ"))
    key.add_argument("--out", help=_("folder to write the .pub file to (default: print it)"))
    key.set_defaults(handler=_key)
    secret = sub.add_parser("secret-key", help=_("administrators: write the post's secret key in minisign's format"))
    secret.add_argument("--out", required=True, help=_("folder to write the secret key file to (keep it safe)"))
    secret.set_defaults(handler=_secret_key)
    rekey = sub.add_parser("new-key", help=_("administrators: a new signing key for this post (after a stolen "
                                             "laptop); read its id out to HQ"))
    rekey.set_defaults(handler=_new_key)
    from blo_desk.commands.delivery import register_post

    register_post(sub)  # post hq: HQ address and pinned receipt key (issue 6)


def _open(settings, args=None):
    """Log in (--user / BLO_DESK_USER, password from BLO_DESK_PASSWORD or a prompt); SYSTEM only in the explicit
    plaintext test mode. The services check the role (export, import, keys) and audit refusals."""
    from blo_desk.commands.session import open_session

    return open_session(settings, args)


def _new_key(args, settings) -> int:
    services = _open(settings, args)
    try:
        identity = services.sync.new_key()
    finally:
        services.close()
    print(_("Post {post} has a new key {key_id}: read it out to HQ, which trusts it with "
            "blo-desk hq trust add.").format(post=identity.post_code, key_id=identity.key_id))
    return 0


def _init(args, settings) -> int:
    services = _open(settings, args)
    try:
        identity = services.sync.set_up_post(post_code=args.code)
        print(_("Post {post} set up with key {key_id}.").format(post=identity.post_code, key_id=identity.key_id))
        print(_("Public key for HQ: {path}").format(
            path=services.sync.export_public_key(folder=settings.data_dir / "keys")))
    finally:
        services.close()
    return 0


def _show(args, settings) -> int:
    services = _open(settings, args)
    try:
        identity = services.sync.identity()
        if identity is None:
            print(_("This installation is not set up as a post yet."))
            return 1
        print(_("Post {post}, key {key_id}").format(post=identity.post_code, key_id=identity.key_id))
    finally:
        services.close()
    return 0


def _key(args, settings) -> int:
    services = _open(settings, args)
    try:
        if args.out:
            print(services.sync.export_public_key(folder=Path(args.out)))
        else:
            print(services.sync.public_key_text(), end="")
    finally:
        services.close()
    return 0


def _secret_key(args, settings) -> int:
    services = _open(settings, args)
    try:
        path = services.sync.export_secret_key(folder=Path(args.out))
        print(_("Secret key written to {path}; whoever holds it can sign bundles as this post.").format(path=path))
    finally:
        services.close()
    return 0
