"""`kiosk outbox lost` and `kiosk outbox recover`: what a damaged outbox lost, and bringing back
what a set-aside copy still holds.

The kiosk recovers a damaged outbox by itself when it starts (offline_store.recovery); these
commands are for IT afterwards: `recover` for a copy set aside while the kiosk could not recover
it (the key file was missing or wrong: put it back, then run this), and `lost` for the list of
applications that could not be recovered, with the references on the citizens' receipts, so staff
can reach them. `lost --resolve ID --note TEXT` records how one was dealt with (audited); `lost
--check-portal` asks the portal, by each lost entry's idempotency key, whether it arrived after
all, and resolves those it holds.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from typing import Any

from kiosk.app.cli.common import audit_action, config_from_args

__all__ = ["add_options", "lost", "pending_files", "recover"]

EXIT_OK, EXIT_CONFIG, EXIT_STORE, EXIT_REFUSED = 0, 2, 3, 5


def add_options(subs: dict[str, argparse.ArgumentParser]) -> None:
    lost_parser = subs["lost"]
    lost_parser.add_argument("--all", action="store_true", help="also those already resolved")
    lost_parser.add_argument("--resolve", type=int, metavar="ID", default=None,
                             help="record that staff dealt with lost entry ID (needs --note)")
    lost_parser.add_argument("--note", default="", metavar="TEXT",
                             help="how it was dealt with, e.g. 'citizen applied again at the "
                                  "counter' (no personal data)")
    lost_parser.add_argument("--check-portal", action="store_true",
                             help="ask the portal whether each lost entry arrived after all")


def pending_files(outbox: Any) -> list[str]:
    """Damaged copies beside the outbox that it has not recovered (names only)."""
    from offline_store.recovery import pending

    return [p.name for p in pending(outbox._conn, outbox.path)]


def _open(args: argparse.Namespace, *, recover: bool) -> Any:
    from kiosk.app.cli.outbox import _config, _open_store

    config = _config(args)
    if config is None:
        return EXIT_CONFIG
    return _open_store(args, config, recover=recover)


def recover(args: argparse.Namespace) -> int:
    from offline_store.errors import OutboxError

    outbox = _open(args, recover=True)
    if isinstance(outbox, int):
        return outbox
    try:
        with outbox:
            reports = [asdict(r) for r in outbox.recovered]
            left = pending_files(outbox)
    except OutboxError as exc:
        print(f"outbox: {exc}", file=sys.stderr)
        return EXIT_STORE
    if args.json:
        print(json.dumps({"recovered": reports, "not_recovered": left}, ensure_ascii=False))
    for report in [] if args.json else reports:
        print(f"{report['source']}: {report['recovered']} recovered, {report['already_here']} "
              f"already here, {report['lost']} lost"
              + (f" ({', '.join(report['lost_refs'])})" if report["lost_refs"] else ""))
    if not reports and not args.json:
        print("nothing to recover" if not left else f"not recovered: {', '.join(left)}")
    return EXIT_OK


def lost(args: argparse.Namespace) -> int:
    from offline_store.errors import EntryNotFound, OutboxError

    outbox = _open(args, recover=False)
    if isinstance(outbox, int):
        return outbox
    try:
        with outbox:
            if args.resolve is not None:
                if not args.note.strip():
                    print("outbox: say how it was dealt with: --note TEXT", file=sys.stderr)
                    return EXIT_REFUSED
                entry = outbox.resolve_lost(args.resolve, args.note)
                audit_action(args, args.by, "outbox.lost_resolved", entry.local_ref or "?",
                             {"lost_id": entry.id})
            if args.check_portal:
                _check_portal(args, outbox)
            entries = outbox.lost_entries(include_resolved=args.all)
    except EntryNotFound as exc:
        print(f"outbox: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except OutboxError as exc:
        print(f"outbox: {exc}", file=sys.stderr)
        return EXIT_STORE
    rows = [asdict(e) for e in entries]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False))
        return EXIT_OK
    for r in rows:
        done = f"  resolved: {r['resolution']}" if r["resolved_at"] else ""
        print(f"{r['id']:>4} {r['local_ref'] or '?':<16} {r['procedure_code'] or '?':<10} "
              f"{r['reason']}{done}")
    if not rows:
        print("no lost entries")
    return EXIT_OK


def _check_portal(args: argparse.Namespace, outbox: Any) -> None:
    """Resolve the lost entries whose dossier the portal holds (asked by idempotency key)."""
    from kiosk.domain.portal_contract import PortalError
    from kiosk.services.composition import portal_client

    config = config_from_args(args, {"store.data_dir": args.data_dir} if args.data_dir else {})
    if config is None or config.portal.url == "embedded":
        print("outbox: --check-portal needs a portal URL in the config", file=sys.stderr)
        return
    with portal_client(config, config.portal.url) as client:
        for entry in outbox.lost_entries():
            if entry.idempotency_key is None:
                continue
            try:
                found = client.find_by_idempotency_key(entry.idempotency_key)
            except PortalError as exc:
                print(f"outbox: the portal could not be asked ({type(exc).__name__})",
                      file=sys.stderr)
                return
            if found is not None:
                outbox.resolve_lost(entry.id, f"the portal holds it as {found.code}")
                audit_action(args, "system", "outbox.lost_resolved", entry.local_ref or "?",
                             {"lost_id": entry.id, "dossier_code": found.code})
