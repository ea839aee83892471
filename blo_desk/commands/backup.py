"""`blo-desk backup`, `backup verify|auto|status` and `blo-desk restore`: backups of a post's store from the shell."""

from __future__ import annotations

import sys
from pathlib import Path

from blo_desk.i18n import _


def register(subparsers) -> None:
    parser = subparsers.add_parser("backup", help=_("back up the store, photos and keys into one encrypted file"))
    parser.add_argument("--out", metavar="DIR", help=_("folder to write the backup into"))
    parser.set_defaults(handler=_backup)
    sub = parser.add_subparsers(dest="backup_command", metavar="ACTION")
    verify = sub.add_parser("verify", help=_("check a backup file without restoring it"))
    verify.add_argument("file", metavar="FILE")
    verify.set_defaults(handler=_verify)
    auto = sub.add_parser("auto", help=_("back up automatically into a folder after each finalize and daily"))
    auto.add_argument("--folder", required=True, metavar="DIR", help=_("folder or stick ('' turns them off)"))
    auto.add_argument("--keep", type=int, default=7, help=_("how many of the newest backups to keep"))
    auto.set_defaults(handler=_auto)
    status = sub.add_parser("status", help=_("when the last backup was taken, and where automatic ones go"))
    status.set_defaults(handler=_status)
    restore = subparsers.add_parser("restore", help=_("restore a backup into a new data folder"))
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--data-dir", dest="target_dir", required=True, metavar="NEW",
                         help=_("the new, empty data folder"))
    restore.add_argument("--hq-status", metavar="FILE",
                         help=_("HQ's status file for the post (blo-desk hq post-status), or HQ's last receipt"))
    restore.set_defaults(handler=_restore)


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        print(f"\r{done * 100 // max(total, 1):3d} %", end="", file=sys.stderr, flush=True)


def _backup(args, settings) -> int:
    from blo_desk.commands.session import open_session

    if not args.out:
        print(_("Name the folder to write the backup into: blo-desk backup --out DIR"), file=sys.stderr)
        return 2
    services = open_session(settings, args)
    try:
        assert services.backup is not None  # built by open_services
        result = services.backup.backup(folder=Path(args.out), progress=_progress)
    finally:
        services.close()
    print(_("Backup written: {path} ({size} bytes, {count} files)").format(
        path=result.path, size=result.size, count=result.members))
    return 0


def _verify(args, settings) -> int:
    from blo_desk.storage.backup_archive import BackupError, verify_backup

    try:
        info = verify_backup(Path(args.file), progress=_progress)
    except BackupError as exc:
        print(exc.translated(), file=sys.stderr)
        return 1
    print(_("Backup intact: taken {date} at post {post}, {count} files, bundles numbered up to {seq}.").format(
        date=info.created_at, post=info.post_code or "-", count=info.members, seq=info.last_sequence))
    return 0


def _auto(args, settings) -> int:
    from blo_desk.commands.session import open_session

    services = open_session(settings, args)
    try:
        assert services.backup is not None
        state = services.backup.configure(folder=args.folder, keep=args.keep)
    finally:
        services.close()
    if state.auto_folder:
        print(_("Automatic backups go to {folder}; the newest {keep} are kept.").format(
            folder=state.auto_folder, keep=state.keep))
    else:
        print(_("Automatic backups are off."))
    return 0


def _status(args, settings) -> int:
    from blo_desk.commands.session import open_session

    services = open_session(settings, args)
    try:
        assert services.backup is not None
        state = services.backup.status()
    finally:
        services.close()
    if state.last_at is None:
        print(_("No backup was ever taken of this store."))
    else:
        print(_("Last backup: {date} ({path})").format(date=state.last_at.isoformat(timespec="minutes"),
                                                       path=state.last_path))
    print(_("Automatic backups: {folder}").format(folder=state.auto_folder or _("off")))
    return 1 if state.overdue else 0


def _restore(args, settings) -> int:
    import os

    from blo_desk.config import load_settings
    from blo_desk.services.backup import restore_backup

    target = load_settings(data_dir=Path(args.target_dir), language=settings.language)
    info = restore_backup(target, Path(args.file), hq_status=Path(args.hq_status) if args.hq_status else None,
                          progress=_progress)
    print(_("Backup of {date} restored into {folder}.").format(date=info.created_at, folder=target.data_dir))
    if getattr(args, "user", None) or os.environ.get("BLO_DESK_USER") or target.plaintext_store:
        from blo_desk.commands.session import open_session

        services = open_session(target, args)  # the first opening records the restore
        try:
            with services.uow() as uow:
                floor = uow.sync.last_sequence()
        finally:
            services.close()
        print(_("The restore is recorded; the next bundle is number {seq}.").format(seq=floor + 1))
    else:
        print(_("Log in to the restored store (blo-desk --data-dir NEW ...) to record the restore."))
    return 0
