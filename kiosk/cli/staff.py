"""`kiosk staff add|remove|list|reset-pin|unlock`: staff accounts for the kiosk's staff mode.

A PIN is read from the terminal without echo (asked twice), or, when stdin is not a terminal, from
the first line of stdin (for provisioning scripts). Never from the command line: argv is visible to
every user in `ps` and lands in shell history. Every change is written to the audit log.

Exit codes: 0 done, 2 configuration error, 3 file error, 5 refused (unknown ID, ID exists, PIN
rules, PINs differ).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import time
from dataclasses import asdict
from typing import Any, TextIO

from kiosk.cli.common import add_config_option, config_from_args
from kiosk.ops.audit import AuditError, AuditLog
from kiosk.ops.settings import ops_paths, ops_settings
from kiosk.ops.staff import StaffDirectory, StaffError, StaffStoreError

EXIT_OK, EXIT_CONFIG, EXIT_FILE, EXIT_REFUSED = 0, 2, 3, 5

__all__ = ["register", "read_pin"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("staff", help="manage staff accounts (staff ID + PIN)")
    commands = parser.add_subparsers(dest="staff_command", required=True)
    add = commands.add_parser("add", help="create an account; the PIN is asked for")
    remove = commands.add_parser("remove", help="delete an account")
    listing = commands.add_parser("list", help="accounts, roles and lockouts (never PINs)")
    reset = commands.add_parser("reset-pin", help="set a new PIN (also lifts a lockout)")
    unlock = commands.add_parser("unlock", help="lift a lockout without changing the PIN")
    for sub in (add, remove, listing, reset, unlock):
        add_config_option(sub)
        sub.add_argument("--data-dir", metavar="DIR", help="the kiosk's data folder")
        sub.add_argument("--by", default="system", metavar="STAFF_ID",
                         help="who is doing this, for the audit log (default: system)")
    for sub in (add, remove, reset, unlock):
        sub.add_argument("staff_id", metavar="STAFF_ID")
    add.add_argument("--role", default="staff", choices=("staff", "admin"))
    listing.add_argument("--json", action="store_true")
    add.set_defaults(func=_add)
    remove.set_defaults(func=_remove)
    listing.set_defaults(func=_list)
    reset.set_defaults(func=_reset)
    unlock.set_defaults(func=_unlock)


def read_pin(stdin: TextIO | None = None) -> str | None:
    """The PIN from a no-echo prompt (twice), or the first line of a non-terminal stdin; None if
    the two entries differ."""
    stdin = stdin or sys.stdin
    if not stdin.isatty():
        return stdin.readline().rstrip("\r\n")
    first = getpass.getpass("PIN (6-12 digits): ")
    second = getpass.getpass("PIN again: ")
    return first if first == second else None


def _directory(args: argparse.Namespace) -> StaffDirectory | None:
    config = config_from_args(args, {"store.data_dir": args.data_dir} if args.data_dir else {})
    if config is None:
        return None
    paths, ops = ops_paths(config), ops_settings(config)
    audit = AuditLog.open(paths.audit_log, paths.audit_key if paths.audit_key.exists() else None)
    return StaffDirectory(paths.staff_db, max_failures=int(ops.staff_max_failures),
                          lockout_s=ops.staff_lockout_s, session_s=ops.staff_session_s,
                          audit=audit)


def _run(args: argparse.Namespace, action: Any) -> int:
    try:
        directory = _directory(args)
        if directory is None:
            return EXIT_CONFIG
        return action(directory)
    except (StaffStoreError, AuditError) as exc:
        print(f"staff: {exc}", file=sys.stderr)
        return EXIT_FILE
    except StaffError as exc:
        print(f"staff: {exc}", file=sys.stderr)
        return EXIT_REFUSED


def _with_pin(args: argparse.Namespace, then: Any) -> int:
    def action(directory: StaffDirectory) -> int:
        pin = read_pin()
        if pin is None:
            print("staff: the two PINs differ; nothing was changed", file=sys.stderr)
            return EXIT_REFUSED
        then(directory, pin)
        return EXIT_OK

    return _run(args, action)


def _add(args: argparse.Namespace) -> int:
    def then(directory: StaffDirectory, pin: str) -> None:
        directory.add(args.staff_id, pin, role=args.role, by=args.by)
        print(f"added {args.staff_id} ({args.role})")

    return _with_pin(args, then)


def _reset(args: argparse.Namespace) -> int:
    def then(directory: StaffDirectory, pin: str) -> None:
        directory.reset_pin(args.staff_id, pin, by=args.by)
        print(f"new PIN set for {args.staff_id}")

    return _with_pin(args, then)


def _remove(args: argparse.Namespace) -> int:
    def action(directory: StaffDirectory) -> int:
        directory.remove(args.staff_id, by=args.by)
        print(f"removed {args.staff_id}")
        return EXIT_OK

    return _run(args, action)


def _unlock(args: argparse.Namespace) -> int:
    def action(directory: StaffDirectory) -> int:
        directory.unlock(args.staff_id, by=args.by)
        print(f"unlocked {args.staff_id}")
        return EXIT_OK

    return _run(args, action)


def _list(args: argparse.Namespace) -> int:
    def action(directory: StaffDirectory) -> int:
        accounts = directory.list()
        if args.json:
            print(json.dumps([asdict(a) for a in accounts]))
        for a in [] if args.json else accounts:
            lock = " LOCKED" if a.locked_until and a.locked_until > time.time() else ""
            print(f"{a.staff_id:<20} {a.role:<6} failures={a.failures}{lock}")
        return EXIT_OK

    return _run(args, action)
