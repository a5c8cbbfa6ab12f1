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
from collections.abc import Callable
from dataclasses import asdict
from typing import Any, TextIO

from kiosk.app.cli._common_groups import add_command_group
from kiosk.app.cli.common import config_from_args
from kiosk.services.ops.audit import AuditError, AuditLog
from kiosk.domain.ops_settings import ops_paths, ops_settings
from kiosk.services.ops.staff import StaffDirectory, StaffError, StaffStoreError

EXIT_OK, EXIT_CONFIG, EXIT_FILE, EXIT_REFUSED = 0, 2, 3, 5

__all__ = ["register", "read_pin"]


def register(subparsers: Any) -> None:
    subs = add_command_group(subparsers, "staff", "manage staff accounts (staff ID + PIN)", {
        "add": ("create an account; the PIN is asked for", _add),
        "remove": ("delete an account", _remove),
        "list": ("accounts, roles and lockouts (never PINs)", _list),
        "reset-pin": ("set a new PIN (also lifts a lockout)", _reset),
        "unlock": ("lift a lockout without changing the PIN", _unlock),
    }, data_dir_help="the kiosk's data folder")
    for command, sub in subs.items():
        sub.add_argument("--by", default="system", metavar="STAFF_ID",
                         help="who is doing this, for the audit log (default: system)")
        if command != "list":
            sub.add_argument("staff_id", metavar="STAFF_ID")
    subs["add"].add_argument("--role", default="staff", choices=("staff", "admin"))
    subs["list"].add_argument("--json", action="store_true")


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
    return _change(args, StaffDirectory.remove, f"removed {args.staff_id}")


def _unlock(args: argparse.Namespace) -> int:
    return _change(args, StaffDirectory.unlock, f"unlocked {args.staff_id}")


def _change(args: argparse.Namespace, method: Callable[..., object], done: str) -> int:
    """``method(directory, staff_id, by=...)``, then ``done`` on stdout."""
    def action(directory: StaffDirectory) -> int:
        method(directory, args.staff_id, by=args.by)
        print(done)
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
