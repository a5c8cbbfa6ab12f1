"""`kiosk outbox status|list`: let staff and IT see what is waiting to be sent, without personal data.

Only metadata is shown (states, times, local references, dossier codes, errors); payloads stay
encrypted. Opening never creates a store or a key: a missing store is reported, not made.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.cli.common import add_config_option, config_from_args
from offline_store.errors import OutboxError
from offline_store.outbox import STATES, VIETNAM_TZ, Outbox

EXIT_OK = 0
EXIT_CONFIG_ERROR = 2
EXIT_STORE_ERROR = 3


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("outbox", help="inspect the offline outbox")
    commands = parser.add_subparsers(dest="outbox_command", required=True)
    status = commands.add_parser("status", help="counts by state, oldest waiting, last error")
    listing = commands.add_parser("list", help="recent entries (metadata only)")
    for sub in (status, listing):
        add_config_option(sub)
        sub.add_argument("--json", action="store_true", help="machine-readable output")
        sub.add_argument("--data-dir", metavar="DIR", help="the kiosk's data folder (as for run)")
        sub.add_argument("--db", type=Path, default=None,
                         help="outbox database (default: <data dir>/outbox.sqlite3)")
        sub.add_argument("--key", type=Path, default=None,
                         help="payload key file (default: beside the database, outbox.key)")
    listing.add_argument("--state", action="append", choices=STATES, default=None,
                         help="only these states (repeatable)")
    listing.add_argument("--limit", type=int, default=50)
    status.set_defaults(func=_status)
    listing.set_defaults(func=_list)


def _open(args: argparse.Namespace) -> Outbox | int:
    """The kiosk's outbox as `kiosk run` would find it, or an exit code after printing why not.
    Never creates anything, never moves a damaged file (that is the kiosk's job at start-up)."""
    config = config_from_args(args, {"store.data_dir": args.data_dir} if args.data_dir else {})
    if config is None:
        return EXIT_CONFIG_ERROR
    db = args.db or config.data_path() / "outbox.sqlite3"
    key = args.key or db.with_name("outbox.key")  # the key always sits beside its database
    try:
        return Outbox.open(db, key, create=False, move_corrupt_aside=False,
                           busy_timeout_s=config.store.busy_timeout_s)
    except OutboxError as exc:
        print(f"outbox: {exc}", file=sys.stderr)
        return EXIT_STORE_ERROR


def _status(args: argparse.Namespace) -> int:
    outbox = _open(args)
    if isinstance(outbox, int):
        return outbox
    try:
        with outbox:
            stats = outbox.stats()
    except OutboxError as exc:
        print(f"outbox: {exc}", file=sys.stderr)
        return EXIT_STORE_ERROR
    if args.json:
        print(json.dumps(asdict(stats), ensure_ascii=False))
        return EXIT_OK
    for state in STATES:
        print(f"{state:<16} {stats.counts.get(state, 0)}")
    age = stats.oldest_queued_age_s
    print(f"oldest waiting   {'-' if age is None else _duration(age)}")
    print(f"last error       {stats.last_error or '-'}")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    outbox = _open(args)
    if isinstance(outbox, int):
        return outbox
    try:
        with outbox:
            entries = outbox.list(states=args.state, limit=args.limit)
    except OutboxError as exc:
        print(f"outbox: {exc}", file=sys.stderr)
        return EXIT_STORE_ERROR
    rows = [{
        "id": e.id, "local_ref": e.local_ref, "procedure_code": e.procedure_code,
        "state": e.state, "created_at": _iso(e.created_at), "attempts": e.attempts,
        "dossier_code": e.dossier_code, "last_error": e.last_error,
    } for e in entries]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return EXIT_OK
    for r in rows:
        print(f"{r['id']:>6} {r['local_ref']} {r['state']:<16} {r['procedure_code']:<10} "
              f"{r['created_at']} tries={r['attempts']} {r['dossier_code'] or ''}")
    return EXIT_OK


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, VIETNAM_TZ).isoformat(timespec="seconds")


def _duration(seconds: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(seconds)) if seconds < 86400 else \
        f"{seconds / 86400:.1f} days"
