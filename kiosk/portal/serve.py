"""Command-line running of the reference portal: shared by `kiosk portal ...` and `python -m`.

Why here and not in kiosk/cli: `python -m kiosk.portal.server` must work on its own (tests start it
as a subprocess), and the CLI only adds these arguments to its own sub-commands.
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import logging
import signal
import ssl
import sqlite3
import sys
import threading
from pathlib import Path
from typing import Any

from kiosk.domain import paths
from kiosk.domain.codes import UNIT_CODE_RE

__all__ = ["add_serve_arguments", "add_stats_arguments", "main", "run_serve", "run_stats"]

log = logging.getLogger("kiosk.portal")


def default_db_path() -> Path:
    return paths.default_data_dir() / "portal" / "portal.sqlite3"


def _rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"rate must be between 0 and 1, got {text}")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value


def _port(text: str) -> int:
    value = _non_negative_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError("port must be 0..65535")
    return value


def _unit_code(text: str) -> str:
    if not UNIT_CODE_RE.fullmatch(text):
        raise argparse.ArgumentTypeError("unit code must match [A-Z0-9][A-Z0-9.]{0,31}, e.g. H12.22.10")
    return text


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=_port, default=8080, help="TCP port (default 8080; 0 = any free)")
    parser.add_argument("--db", type=Path, default=None, help="SQLite file (default <data dir>/portal/portal.sqlite3)")
    parser.add_argument("--token", default="demo-kiosk-token",
                        help="bearer token kiosks must send (default demo-kiosk-token; '' = no auth)")
    parser.add_argument("--procedures-dir", type=Path, default=None, help="folder of procedure *.json files")
    parser.add_argument("--unit-code", type=_unit_code, default=None,
                        help="accept dossiers only for this unit code (default: any)")
    parser.add_argument("--latency-ms", type=_non_negative_int, default=0, help="delay every response")
    parser.add_argument("--fail-rate", type=_rate, default=0.0, help="share of requests answered 503")
    parser.add_argument("--drop-rate", type=_rate, default=0.0, help="share of connections dropped unanswered")
    parser.add_argument("--garbage-rate", type=_rate, default=0.0, help="share answered 200 with non-JSON")
    parser.add_argument("--seed", type=int, default=None, help="seed for the fault dice")
    parser.add_argument("--trickle-ms", type=_non_negative_int, default=0,
                        help="send every answer one byte at a time, this many ms apart")
    parser.add_argument("--pad-bytes", type=_non_negative_int, default=0,
                        help="pad every JSON answer with this many spaces (an oversized answer)")
    parser.add_argument("--tls-cert", type=Path, default=None, help="serve https with this certificate")
    parser.add_argument("--tls-key", type=Path, default=None, help="... and its key")
    parser.add_argument("--client-ca", type=Path, default=None,
                        help="require kiosk client certificates signed by this CA (mutual TLS)")
    parser.add_argument("--kiosk-credentials-only", action="store_true",
                        help="refuse the shared --token: each kiosk needs its own credential")
    parser.add_argument("--misroute", action="store_true",
                        help="answer everything with a proxy's HTML 404 page (a wrong portal path)")


def add_stats_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", type=Path, default=None, help="SQLite file (default <data dir>/portal/portal.sqlite3)")
    parser.add_argument("--json", action="store_true", help="print JSON")


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def run_serve(args: argparse.Namespace, *, ready: threading.Event | None = None,
              stop: threading.Event | None = None) -> int:
    """Serve until SIGINT/SIGTERM (or `stop` is set); `ready` is set once connections are accepted."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not _is_loopback(args.host):
        log.warning("!!! The reference portal is binding %s, reachable from other machines. It is a TEST "
                    "server: use it only on a trusted network. !!!", args.host)
    from kiosk.portal.embedded import EmbeddedPortal  # the server, the store and the forms: only here
    from kiosk.portal.server import Faults

    faults = Faults(latency_ms=args.latency_ms, fail_rate=args.fail_rate, drop_rate=args.drop_rate,
                    garbage_rate=args.garbage_rate, seed=args.seed,
                    trickle_s=args.trickle_ms / 1000.0, pad_bytes=args.pad_bytes,
                    misroute=args.misroute)
    stop = stop or threading.Event()
    portal = EmbeddedPortal(args.db or default_db_path(), token=args.token or None, host=args.host,
                            port=args.port, faults=faults, procedures_dir=args.procedures_dir,
                            unit_code=args.unit_code, tls=_tls(args),
                            kiosk_credentials_only=args.kiosk_credentials_only)
    try:
        url = portal.start()
    except OSError as exc:
        log.error("cannot listen on %s:%s (%s): is another portal running? Pick another --port.",
                  args.host, args.port, exc.strerror or exc)
        return 2
    previous = _install_signal_handlers(stop)
    try:
        log.info("reference portal listening on %s (db %s, %d procedures)", url, portal.store.path,
                 len(portal.procedures))
        if ready is not None:
            ready.set()
        stop.wait()
        log.info("reference portal stopping")
    finally:
        portal.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return 0


def _tls(args: argparse.Namespace) -> ssl.SSLContext | None:
    if args.tls_cert is None:
        return None
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.tls_cert, args.tls_key)
    if args.client_ca is not None:
        context.load_verify_locations(args.client_ca)
        context.verify_mode = ssl.CERT_REQUIRED
    return context


def _install_signal_handlers(stop: threading.Event) -> dict[signal.Signals, Any]:
    if threading.current_thread() is not threading.main_thread():
        return {}  # signals only reach the main thread; the caller stops us with `stop`
    previous: dict[signal.Signals, Any] = {}
    for signum in (signal.SIGINT, signal.SIGTERM):
        previous[signum] = signal.signal(signum, lambda *_: stop.set())
    return previous


def run_stats(args: argparse.Namespace) -> int:
    db = args.db or default_db_path()
    if not Path(db).exists():
        print(f"No portal database at {db}: start `portal serve` first or pass --db.", file=sys.stderr)
        return 1
    try:
        from kiosk.portal.store import PortalStore

        stats = PortalStore(db).stats()
    except sqlite3.DatabaseError as exc:
        print(f"{db} is not a readable portal database ({exc}): check the --db path.", file=sys.stderr)
        return 1
    data = {"dossiers": stats.dossiers, "idempotency_keys": stats.idempotency_keys,
            "keys_with_multiple_dossiers": stats.keys_with_multiple_dossiers,
            "attachments": stats.attachments}
    if args.json:
        print(json.dumps(data))
    else:
        for name, value in data.items():
            print(f"{name}: {value}")
    return 0 if stats.keys_with_multiple_dossiers == 0 else 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kiosk.portal.server",
                                     description="Run the reference dossier portal.")
    add_serve_arguments(parser)
    return run_serve(parser.parse_args(argv))
