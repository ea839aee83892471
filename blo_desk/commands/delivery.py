"""`blo-desk hq serve|key`, `blo-desk post hq`, `blo-desk bundle send` and `blo-desk sync run`: delivery by upload."""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

from blo_desk.i18n import _, ngettext, translator


# --- registration (called from the `hq`, `post` and `bundle` commands, and from cli.py for `sync`) ---------
def register(subparsers) -> None:
    sync = subparsers.add_parser("sync", help=_("deliver waiting bundles to HQ over the network"))
    sub = sync.add_subparsers(dest="sync_command", required=True, metavar="ACTION")
    run = sub.add_parser("run", help=_("export what is new and upload what waits (once, or watching)"))
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--once", action="store_true", help=_("one round, then exit (the default)"))
    mode.add_argument("--watch", action="store_true", help=_("keep going: a round every interval, backing off"))
    run.add_argument("--interval", type=float, default=60.0, help=_("seconds between rounds when watching"))
    run.add_argument("--no-export", action="store_true", help=_("only upload what already waits"))
    run.set_defaults(handler=_sync_run)
    status = sub.add_parser("status", help=_("bundles waiting and HQ's last confirmation"))
    status.set_defaults(handler=_sync_status)


def register_hq(sub) -> None:
    serve = sub.add_parser("serve", help=_("run the intake service that receives bundles by upload"))
    serve.add_argument("--db", dest="serve_db", help=_("database URL of HQ's store (default: the global --db)"))
    serve.add_argument("--host", default="127.0.0.1", help=_("address to listen on"))
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--ssl-keyfile", help=_("TLS private key (PEM); with --ssl-certfile, serve HTTPS"))
    serve.add_argument("--ssl-certfile", help=_("TLS certificate chain (PEM)"))
    serve.add_argument("--max-mb", type=int, default=2048, help=_("largest bundle accepted, in MB"))
    serve.add_argument("--uploads-per-post", type=int, default=2, help=_("uploads in progress per post"))
    serve.add_argument("--uploads-per-address", type=int, default=8, help=_("uploads in progress per client address"))
    serve.add_argument("--requests-per-address", type=int, default=16,
                       help=_("requests in flight per client address (a reverse proxy counts as one address)"))
    serve.add_argument("--expire-hours", type=float, default=48.0, help=_("drop unfinished uploads idle this long"))
    serve.add_argument("--imports", type=int, help=_("imports at once (default: 1 on SQLite, 4 on PostgreSQL)"))
    serve.add_argument("--forwarded-allow-ips", help=_("reverse proxy addresses whose X-Forwarded-For is trusted"))
    serve.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"))
    serve.set_defaults(handler=_hq_serve)
    key = sub.add_parser("key", help=_("HQ's receipt key: create it if needed and write its public half"))
    key.add_argument("--out", help=_("folder to write hq-receipts.pub to (default: print it)"))
    key.set_defaults(handler=_hq_key)


def register_post(sub) -> None:
    hq = sub.add_parser("hq", help=_("set HQ's intake address, pin HQ's receipt key and HQ's age key"))
    hq.add_argument("--url", help=_("intake service address, e.g. https://hq.example.org/blo"))
    hq.add_argument("--key", metavar="FILE", help=_("HQ's public receipt key (minisign .pub)"))
    hq.add_argument("--ca", default="", metavar="FILE", help=_("CA certificate to trust for HQ's TLS (PEM)"))
    hq.add_argument("--age-recipient", metavar="AGE1",
                    help=_("HQ's age recipient (age1..., from `blo-desk hq age-key`): bundles are encrypted to it"))
    rule = hq.add_mutually_exclusive_group()
    rule.add_argument("--require-encryption", action="store_true", default=None,
                      help=_("refuse to export a bundle that is not encrypted"))
    rule.add_argument("--allow-plain", dest="require_encryption", action="store_false", default=None,
                      help=_("allow plain (unencrypted) bundles again"))
    hq.set_defaults(handler=_post_hq)


def register_bundle(sub) -> None:
    send = sub.add_parser("send", help=_("upload the bundles that wait in the outbox to HQ"))
    send.set_defaults(handler=_bundle_send)


# --- handlers ---------------------------------------------------------------------------------------------
def _session(settings, args):
    from blo_desk.commands.session import open_session

    return open_session(settings, args)


def _delivery(services):
    from blo_desk.services.delivery import DeliveryService

    return getattr(services, "delivery", None) or DeliveryService(
        uow=services.uow, sync=services.sync, data_dir=services.settings.data_dir, guard=services.guard)


def _hq_services(settings, args):
    """The intake service acts for no person: SYSTEM named hq-intake, unless the store needs a login (SQLCipher)."""
    from blo_desk.domain.permissions import Principal, Role
    from blo_desk.services.registry import open_services

    if settings.encrypted_store or getattr(args, "user", None):
        return _session(settings, args)
    return open_services(settings, principal=Principal(username="hq-intake", role=Role.SYSTEM))


def _hq_serve(args, settings) -> int:
    from blo_desk.intake.app import serve
    from blo_desk.services.intake import IntakeLimits, IntakeService

    if args.serve_db:
        settings = replace(settings, db_url=args.serve_db)
    services = _hq_services(settings, args)
    try:
        limits = IntakeLimits(
            max_upload_bytes=args.max_mb * 1024**2, uploads_per_post=args.uploads_per_post,
            uploads_per_address=args.uploads_per_address, requests_per_address=args.requests_per_address,
            expire_after_s=args.expire_hours * 3600,
            concurrent_imports=args.imports or (1 if settings.is_sqlite else 4))
        intake = IntakeService(hq=services.hq, uow=services.uow, data_dir=settings.data_dir, limits=limits,
                               sealer=services.sealer)
        scheme = "https" if args.ssl_certfile else "http"
        print(_("HQ intake service on {url}, receipt key {key_id}").format(
            url=f"{scheme}://{args.host}:{args.port}", key_id=intake.public_key.key_id_text), flush=True)
        serve(intake, host=args.host, port=args.port, ssl_keyfile=args.ssl_keyfile, ssl_certfile=args.ssl_certfile,
              forwarded_allow_ips=args.forwarded_allow_ips, log_level=args.log_level)
    finally:
        services.close()
    return 0


def _hq_key(args, settings) -> int:
    from blo_desk.services.intake import receipt_key

    # An administrator's task, audited; the key is sealed with the store's data key (a login unseals it).
    services = _hq_services(settings, args)
    try:
        key = receipt_key(services.guard, data_dir=settings.data_dir, sealer=services.sealer)
    finally:
        services.close()
    text = key.public_key.to_file_text()
    if args.out:
        folder = Path(args.out)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "hq-receipts.pub"
        path.write_text(text, encoding="ascii")
        print(path)
    else:
        print(text, end="")
    return 0


def _post_hq(args, settings) -> int:
    if bool(args.url) != bool(args.key) or not (args.url or args.age_recipient or args.require_encryption is not None):
        print(_("Give --url and --key together, and/or --age-recipient (or --require-encryption / --allow-plain)."),
              file=sys.stderr)
        return 2
    services = _session(settings, args)
    try:
        if args.age_recipient or args.require_encryption is not None:
            recipient = services.sync.pin_hq_recipient(recipient=args.age_recipient,
                                                       require_encryption=args.require_encryption)
            if recipient:
                print(_("Bundles are encrypted to HQ's age key {recipient}.").format(recipient=recipient))
            else:
                print(_("No HQ age key is pinned: bundles are NOT encrypted."))
            if services.sync.encryption_required():
                print(_("Plain (unencrypted) bundles are refused."))
        if args.url:
            config = _delivery(services).configure_from_file(url=args.url, key_file=Path(args.key), ca_file=args.ca)
            print(_("Bundles go to {url}; receipts must be signed by HQ key {key_id}.").format(
                url=config.url, key_id=config.key.key_id_text))
            if not services.sync.hq_recipient():
                print(_("Warning: no HQ age key is pinned, so bundles travel NOT encrypted; add "
                        "--age-recipient age1... (from `blo-desk hq age-key`)."), file=sys.stderr)
    finally:
        services.close()
    return 0


def _print_outcomes(result_outcomes) -> int:
    from blo_desk.services.delivery import DELIVERED, MISSING_FILE

    failed = 0
    for outcome in result_outcomes:
        if outcome.outcome == DELIVERED:
            print(_("Bundle {seq} delivered; HQ's receipt checked ({outcome}).").format(
                seq=outcome.sequence, outcome=outcome.receipt.outcome if outcome.receipt else ""))
        elif outcome.outcome == MISSING_FILE:
            print(_("Bundle {seq} is not in the outbox folder (written to a stick?); it keeps waiting.").format(
                seq=outcome.sequence))
        else:
            failed += 1
            print(_("Bundle {seq} keeps waiting: {reason}").format(
                seq=outcome.sequence, reason=outcome.error.translated() if outcome.error else outcome.outcome),
                file=sys.stderr)
    return failed


def _bundle_send(args, settings) -> int:
    services = _session(settings, args)
    try:
        delivery = _delivery(services)
        outcomes = delivery.send_waiting()
        failed = _print_outcomes(outcomes)
        print(_("{count} bundles waiting").format(count=delivery.status().waiting))
    finally:
        services.close()
    return 1 if failed else 0


def _sync_run(args, settings) -> int:
    from blo_desk.services.delivery import DeliveryNotConfiguredError, WatchState

    services = _session(settings, args)
    try:
        delivery = _delivery(services)
        if delivery.config() is None:
            raise DeliveryNotConfiguredError()
        state = WatchState(interval=args.interval)
        while True:
            result = delivery.tick(export=not args.no_export)
            if result.exported is not None:
                print(_("Bundle {seq} written: {records} revisions of {cases} cases").format(
                    seq=result.exported.sequence, records=result.exported.records, cases=result.exported.cases),
                    flush=True)
            failed = _print_outcomes(result.outcomes)
            for item in result.collected:  # counterpart shares collected from HQ's relay (issue 16)
                if item.kept:
                    print(_("Received from post {post}: {kind} {id}.").format(post=item.sender, kind=item.kind,
                                                                              id=item.id), flush=True)
                else:
                    print(_("Refused the share {id} from post {post}: {reason}").format(
                        id=item.id[:12], post=item.sender, reason=item.reason), flush=True)
            print(_("{count} bundles waiting").format(count=result.waiting), flush=True)
            if not args.watch:
                return 1 if failed else 0
            time.sleep(state.next_delay(result))
    except KeyboardInterrupt:
        return 0
    finally:
        services.close()


def _sync_status(args, settings) -> int:
    tr = translator(settings.language)
    services = _session(settings, args)
    try:
        status = _delivery(services).status()
        if not status.configured:
            print(_("HQ's address is not set (blo-desk post hq --url URL --key FILE)."))
        else:
            print(_("HQ {url}, receipt key {key_id}").format(url=status.url, key_id=status.hq_key_id))
        recipient = services.sync.hq_recipient()
        if recipient:
            print(_("Bundles are encrypted to HQ's age key {recipient}.").format(recipient=recipient))
        else:
            print(_("No HQ age key is pinned: bundles are NOT encrypted."))
        print(ngettext("{count} case waiting to be sent", "{count} cases waiting to be sent",
                       status.cases_waiting).format(count=status.cases_waiting))
        print(_("{count} bundles waiting").format(count=status.waiting))
        when = tr.format_datetime(status.last_confirmed_at) if status.last_confirmed_at else _("never")
        print(_("HQ last confirmed a bundle: {when}").format(when=when))
        if status.own_key_revoked_from is not None:
            print(_("HQ revoked this post's key from bundle {seq} on: set up a new key.").format(
                seq=status.own_key_revoked_from))
    finally:
        services.close()
    return 0
