"""`kiosk outbox status|list|retry|lost|recover|export|import|sync`: the outbox for staff and IT.

`status` and `list` show metadata only (states, times, local references, dossier codes, errors);
payloads stay encrypted. `export` is the one command that writes personal data out (to a new file,
mode 0600, encrypted under a passphrase) so a kiosk being replaced can hand its queue to another with
`import`. The passphrase is typed at a prompt (twice at export), or read from the first line of
`--passphrase-file FILE` for scripts; never from the command line, where `ps` and shell history
would show it.
`sync` drains the queue from the command line (safe beside a running kiosk: entries are leased).
Opening never creates a store or a key (except `import`, which may fill a new kiosk): a missing
store is reported, not made.

`retry ID`, `retry --all` and `lost --resolve` are staff actions: written to the audit log under
`--by STAFF_ID`. `lost` and `recover` are in `kiosk.app.cli.outbox_recovery`.

Exit codes: 0 done, 2 configuration error, 3 store/file error, 4 `sync` stopped with entries left,
5 `retry` refused (no such entry, or not in a state staff can retry), 6 `status --check`: entries
are lost or stuck, a damaged copy waits, or the path to the portal is wrong (details printed).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.app.cli import outbox_recovery as recovery_cli
from kiosk.app.cli._common_groups import add_command_group
from kiosk.app.cli.common import audit_action, config_from_args
from kiosk.domain.config import Config
from kiosk.domain.portal_contract import PortalError
from offline_store.errors import EntryNotFound, InvalidTransition, OutboxError
from offline_store.outbox import STATES, VIETNAM_TZ, Outbox
from offline_store.records import OutboxEntry, OutboxStats
from offline_store.sync import StepKind, SyncEngine
from offline_store.transfer import MIN_PASSPHRASE_CHARS, export_unsent, import_file

EXIT_OK = 0
EXIT_CONFIG_ERROR = 2
EXIT_STORE_ERROR = 3
EXIT_NOT_EMPTY = 4
EXIT_REFUSED = 5
EXIT_ATTENTION = 6

EXPORT_WARNING = (
    "NOTE: {path} holds citizens' personal data, encrypted under the passphrase you gave. Give "
    "the passphrase to the person importing it by another channel than the file, import it on "
    "the new kiosk, then delete the file securely (shred)."
)


def register(subparsers: Any) -> None:
    subs = add_command_group(subparsers, "outbox", "inspect the offline outbox", {
        "status": ("counts by state, oldest waiting, breaker, last error", _status),
        "list": ("recent entries (metadata only)", _list),
        "retry": ("send a needs_attention entry again, or --all of them (staff action)", _retry),
        "lost": ("what a damaged outbox lost, by reference; --resolve ID once dealt with",
                 recovery_cli.lost),
        "recover": ("recover damaged outbox files set aside beside this one", recovery_cli.recover),
        "export": ("write unsent entries WITH personal data to a file", _export),
        "import": ("take over the entries of an `export` file", _import),
        "sync": ("send what is queued now, from the command line", _sync),
    }, data_dir_help="the kiosk's data folder (as for run)")
    for sub in subs.values():
        sub.add_argument("--json", action="store_true", help="machine-readable output")
        sub.add_argument("--db", type=Path, default=None,
                         help="outbox database (default: <data dir>/outbox.sqlite3)")
        sub.add_argument("--key", type=Path, default=None,
                         help="payload key file (default: beside the database, outbox.key)")
    _add_command_options(subs)


def _add_command_options(subs: dict[str, argparse.ArgumentParser]) -> None:
    listing, sync = subs["list"], subs["sync"]
    subs["status"].add_argument("--check", action="store_true",
                                help="exit 6 when something needs attention (for monitoring)")
    listing.add_argument("--state", action="append", choices=STATES, default=None,
                         help="only these states (repeatable)")
    listing.add_argument("--limit", type=int, default=50)
    retry = subs["retry"]
    target = retry.add_mutually_exclusive_group(required=True)
    target.add_argument("entry_id", type=int, nargs="?", metavar="ID",
                        help="the entry's id (see `list`)")
    target.add_argument("--all", action="store_true",
                        help="every entry that needs attention or waits out a backoff")
    for command in ("retry", "lost"):
        subs[command].add_argument("--by", default="system", metavar="STAFF_ID",
                                   help="who does this, for the audit log (default: system)")
    recovery_cli.add_options(subs)
    subs["export"].add_argument("-o", "--output", type=Path, required=True, metavar="FILE",
                                help="a NEW file to write (never overwritten)")
    subs["import"].add_argument("file", type=Path, metavar="FILE",
                                help="a file written by `outbox export`")
    for command in ("export", "import"):
        subs[command].add_argument(
            "--passphrase-file", type=Path, default=None, metavar="FILE",
            help="read the export passphrase from the first line of FILE (for scripts); "
                 "default: ask at a prompt")
    sync.add_argument("--until-empty", action="store_true",
                      help="keep going (waiting out backoffs) until nothing is left to send")
    sync.add_argument("--timeout", type=float, default=60.0, metavar="S",
                      help="stop after S seconds in any case (default 60)")
    sync.add_argument("--portal-url", default=None, help="portal to send to (default: config)")


def _config(args: argparse.Namespace) -> Config | None:
    return config_from_args(args, {"store.data_dir": args.data_dir} if args.data_dir else {})


def _open(args: argparse.Namespace, config: Config | None = None, *,
          create: bool = False) -> Outbox | int:
    """The kiosk's outbox as `kiosk run` would find it, or an exit code after printing why not.
    Never creates anything, never moves a damaged file (that is the kiosk's job at start-up)."""
    config = config or _config(args)
    if config is None:
        return EXIT_CONFIG_ERROR
    return _open_store(args, config, create=create)


def _open_store(args: argparse.Namespace, config: Config, *, create: bool = False,
                recover: bool = False) -> Outbox | int:
    """`_open` with the config at hand; `recover`: also recover damaged copies set aside."""
    db = args.db or config.data_path() / "outbox.sqlite3"
    key = args.key or db.with_name("outbox.key")  # the key always sits beside its database
    try:
        return Outbox.open(db, key, create=create, move_corrupt_aside=False, recover=recover,
                           busy_timeout_s=config.store.busy_timeout_s)
    except OutboxError as exc:
        print(f"outbox: {exc}", file=sys.stderr)
        return EXIT_STORE_ERROR


def _run(args: argparse.Namespace, action: Callable[[Outbox], int], *, create: bool = False) -> int:
    """Open, run `action`, close; a store or file error becomes a message and exit code 3."""
    outbox = _open(args, create=create)
    if isinstance(outbox, int):
        return outbox
    try:
        with outbox:
            return action(outbox)
    except OutboxError as exc:
        print(f"outbox: {exc}", file=sys.stderr)
        return EXIT_STORE_ERROR


def _status(args: argparse.Namespace) -> int:
    return _run(args, lambda outbox: _print_status(args, outbox.stats(), outbox))


def _print_status(args: argparse.Namespace, stats: OutboxStats, outbox: Outbox) -> int:
    pending = recovery_cli.pending_files(outbox)
    worry = bool(stats.lost or stats.stuck or stats.alarm or pending)
    if args.json:
        print(json.dumps({**asdict(stats), "set_aside_unrecovered": pending}, ensure_ascii=False))
        return EXIT_ATTENTION if worry and args.check else EXIT_OK
    for state in STATES:
        print(f"{state:<16} {stats.counts.get(state, 0)}")
    age = stats.oldest_queued_age_s
    print(f"oldest waiting   {'-' if age is None else _duration(age)}")
    breaker = stats.breaker
    if stats.breaker_retry_at is not None:
        breaker += f" (next probe {_iso(stats.breaker_retry_at)})"
    print(f"portal breaker   {breaker}")
    print(f"last error       {stats.last_error or '-'}")
    if stats.alarm:
        print(f"ALARM            {ALARM_TEXT.get(stats.alarm, stats.alarm)}")
    if stats.stuck:
        print(f"STUCK            {stats.stuck} not moving for 30 min: {', '.join(stats.stuck_refs)}")
    if stats.lost:
        print(f"LOST             {stats.lost} (a damaged outbox): {', '.join(stats.lost_refs)}; "
              "see `kiosk outbox lost`")
    if pending:
        print(f"NOT RECOVERED    {', '.join(pending)}: start the kiosk or `kiosk outbox recover`")
    return EXIT_ATTENTION if worry and args.check else EXIT_OK


#: What each configuration alarm of the relay means, for IT.
ALARM_TEXT = {
    "misrouted": "the answers do not come from the portal's API: check portal.url, any proxy and "
                 "a captive network login; nothing is parked, sending resumes once it answers",
    "refused": "the portal refuses this kiosk's credential (401/403): re-enrol or rotate it "
               "(`kiosk link ...`); nothing is parked",
    "config": "the kiosk's portal settings cannot work: fix the config; nothing is parked",
}


def _list(args: argparse.Namespace) -> int:
    return _run(args, lambda outbox: _print_entries(
        args, outbox.list(states=args.state, limit=args.limit)))


def _print_entries(args: argparse.Namespace, entries: list[OutboxEntry]) -> int:
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


def _retry(args: argparse.Namespace) -> int:
    def action(outbox: Outbox) -> int:
        if args.all:
            entries = outbox.retry_all()
            audit_action(args, args.by, "outbox.retry_all", "outbox",
                         {"count": len(entries), "local_refs": [e.local_ref for e in entries][:200]})
            _say(args, {"retried": len(entries), "local_refs": [e.local_ref for e in entries]},
                 f"{len(entries)} entries are queued again; the kiosk will send them")
            return EXIT_OK
        try:
            entry = outbox.retry(args.entry_id)
        except (EntryNotFound, InvalidTransition) as exc:
            print(f"outbox: {exc}", file=sys.stderr)
            return EXIT_REFUSED
        audit_action(args, args.by, "outbox.retry", entry.local_ref, {"entry_id": entry.id})
        _say(args, {"id": entry.id, "local_ref": entry.local_ref, "state": entry.state},
             f"entry {entry.id} ({entry.local_ref}) is queued again; the kiosk will send it")
        return EXIT_OK

    return _run(args, action)


class _NoPassphrase(Exception):
    """No passphrase could be read; the message says why (never the passphrase itself)."""


def _passphrase(args: argparse.Namespace, *, confirm: bool) -> str:
    if args.passphrase_file is not None:
        try:
            text = args.passphrase_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise _NoPassphrase(f"cannot read the passphrase file {args.passphrase_file} "
                                f"({type(exc).__name__})") from None
        return text.splitlines()[0] if text.splitlines() else ""
    if not sys.stdin.isatty():
        raise _NoPassphrase("no terminal to ask for the passphrase; pass --passphrase-file FILE")
    first = getpass.getpass("Export passphrase: ")
    if confirm and getpass.getpass("Same passphrase again: ") != first:
        raise _NoPassphrase("the two passphrases differ; nothing was done")
    return first


def _with_passphrase(args: argparse.Namespace, confirm: bool,
                     action: Callable[[Outbox, str], int], *, create: bool = False) -> int:
    try:
        passphrase = _passphrase(args, confirm=confirm)
    except _NoPassphrase as exc:
        print(f"outbox: {exc}", file=sys.stderr)
        return EXIT_CONFIG_ERROR
    if confirm and len(passphrase) < MIN_PASSPHRASE_CHARS:
        print(f"outbox: the passphrase must have at least {MIN_PASSPHRASE_CHARS} characters",
              file=sys.stderr)
        return EXIT_CONFIG_ERROR
    return _run(args, lambda outbox: action(outbox, passphrase), create=create)


def _export(args: argparse.Namespace) -> int:
    def action(outbox: Outbox, passphrase: str) -> int:
        count = export_unsent(outbox, args.output, passphrase)
        print(EXPORT_WARNING.format(path=args.output), file=sys.stderr)
        _say(args, {"exported": count, "file": str(args.output)},
             f"exported {count} unsent entries to {args.output}")
        return EXIT_OK

    return _with_passphrase(args, True, action)


def _import(args: argparse.Namespace) -> int:
    def action(outbox: Outbox, passphrase: str) -> int:
        summary = import_file(outbox, args.file, passphrase)
        _say(args, asdict(summary), f"imported {summary.imported}, skipped {summary.skipped} "
             f"already here, {summary.renamed_refs} local references renamed")
        return EXIT_OK

    # create: a replacement kiosk may not have run yet
    return _with_passphrase(args, False, action, create=True)


def _sync(args: argparse.Namespace) -> int:
    config = _config(args)
    if config is None:
        return EXIT_CONFIG_ERROR
    url = args.portal_url or config.portal.url
    if url == "embedded":
        print("outbox: the embedded portal only runs inside `kiosk run`; pass --portal-url",
              file=sys.stderr)
        return EXIT_CONFIG_ERROR
    outbox = _open(args, config)
    if isinstance(outbox, int):
        return outbox
    from kiosk.services.composition import portal_client  # the HTTP stack, for this command only

    try:
        with outbox, portal_client(config, url) as client:
            engine = SyncEngine(outbox, client, backoff_base_s=config.sync.backoff_base_s,
                                backoff_cap_s=config.sync.backoff_cap_s)
            tally = drain(engine, until_empty=args.until_empty, timeout_s=args.timeout)
            stats = outbox.stats()
    except (OutboxError, PortalError) as exc:
        print(f"outbox: {exc}", file=sys.stderr)
        return EXIT_STORE_ERROR
    left = sum(stats.counts[s] for s in ("queued", "sending", "failed_retryable"))
    _say(args, {**tally, "left": left, "needs_attention": stats.counts["needs_attention"]},
         f"sent {tally['sent']}, retry later {tally['retry_scheduled']}, needs attention "
         f"{tally['needs_attention']}; {left} still waiting")
    return EXIT_NOT_EMPTY if args.until_empty and left else EXIT_OK


def drain(engine: SyncEngine, *, until_empty: bool, timeout_s: float,
          clock: Callable[[], float] = time.monotonic) -> dict[str, int]:
    """Step the engine: once through what is due now, or (`until_empty`) until nothing is pending,
    waiting out backoffs; never longer than `timeout_s`."""
    deadline = clock() + timeout_s
    tally = {kind.value: 0 for kind in StepKind}
    engine.connectivity_restored()  # staff asked for it now: probe and make everything due
    pause = threading.Event()       # never set: a sleep that is easy to read as one
    while clock() < deadline:
        result = engine.step()
        tally[result.kind.value] += 1
        if result.kind not in (StepKind.IDLE, StepKind.WAITING, StepKind.PROBE_FAILED):
            continue
        due = engine.next_due_in()
        if due is None or not until_empty:
            break
        pause.wait(max(0.01, min(due, deadline - clock())))
    return tally


def _say(args: argparse.Namespace, data: dict[str, Any], text: str) -> None:
    print(json.dumps(data, ensure_ascii=False) if args.json else text)
