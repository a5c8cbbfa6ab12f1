"""`kiosk audit verify|keygen|tail`: check and read the hash-chained audit log.

Exit codes: 0 chain intact, 1 chain broken (the first bad line is named), 2 configuration error,
3 file or key error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from kiosk.app.cli.common import add_config_option, config_from_args
from kiosk.services.ops.audit import AuditError, create_key_file, load_key_file, verify
from kiosk.domain.ops_settings import ops_paths

EXIT_OK, EXIT_BROKEN, EXIT_CONFIG, EXIT_FILE = 0, 1, 2, 3

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("audit", help="verify or read the audit log")
    commands = parser.add_subparsers(dest="audit_command", required=True)
    ver = commands.add_parser("verify", help="check that no line was edited, deleted, moved or cut")
    ver.add_argument("file", nargs="?", type=Path, metavar="FILE",
                     help="the log (default: <data dir>/audit.jsonl)")
    ver.add_argument("--json", action="store_true", help="machine-readable output")
    ver.add_argument("--portal", action="store_true",
                     help="also check the log against the chain heads the portal keeps (a log "
                          "cut or rewritten, even re-signed with the key, shows there)")
    keygen = commands.add_parser("keygen", help="make the HMAC key file (0600) before first use")
    tail = commands.add_parser("tail", help="print the last lines")
    tail.add_argument("-n", type=int, default=20, metavar="N")
    for sub in (ver, keygen, tail):
        add_config_option(sub)
        sub.add_argument("--data-dir", metavar="DIR", help="the kiosk's data folder")
        sub.add_argument("--key", type=Path, metavar="FILE",
                         help="HMAC key file (default: <data dir>/audit.key if it exists)")
    ver.set_defaults(func=_verify)
    keygen.set_defaults(func=_keygen)
    tail.set_defaults(func=_tail)


def _paths(args: argparse.Namespace) -> tuple[Path, Path] | None:
    config = config_from_args(args, {"store.data_dir": args.data_dir} if args.data_dir else {})
    if config is None:
        return None
    paths = ops_paths(config)
    return paths.audit_log, args.key or paths.audit_key


def _verify(args: argparse.Namespace) -> int:
    paths = _paths(args)
    if paths is None:
        return EXIT_CONFIG
    log_path, key_path = args.file or paths[0], paths[1]
    try:
        key = load_key_file(key_path) if (args.key or key_path.exists()) else None
        result = verify(log_path, key=key)
    except AuditError as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return EXIT_FILE
    except OSError as exc:
        print(f"audit: cannot read {log_path} ({exc.strerror})", file=sys.stderr)
        return EXIT_FILE
    anchored = _against_portal(args, log_path) if args.portal else []
    if anchored is None:
        return EXIT_CONFIG
    ok = result.ok and not anchored
    if args.json:
        print(json.dumps({"file": str(log_path), "ok": ok, "lines": result.lines,
                          "first_bad_line": result.first_bad_line, "reason": result.reason,
                          "keyed": result.keyed, "portal_problems": anchored}))
    else:
        print(f"{log_path}: {result.describe()}")
        for problem in anchored:
            print(f"{log_path}: against the portal: {problem}")
    return EXIT_OK if ok else EXIT_BROKEN


def _against_portal(args: argparse.Namespace, log_path: Path) -> list[str] | None:
    """Problems the portal's kept heads show in the log; None (after a message) if it cannot
    be asked."""
    from kiosk.domain.portal_contract import PortalError
    from kiosk.services.composition import portal_client
    from kiosk.services.ops.audit import verify_anchors

    config = config_from_args(args, {"store.data_dir": args.data_dir} if args.data_dir else {})
    if config is None or config.portal.url == "embedded":
        print("audit: --portal needs the portal's URL in the config", file=sys.stderr)
        return None
    try:
        with portal_client(config, config.portal.url) as client:
            anchors = client.audit_anchors(config.kiosk.kiosk_id)
    except (PortalError, OSError) as exc:
        print(f"audit: the portal could not be asked ({type(exc).__name__}: {exc})",
              file=sys.stderr)
        return None
    return verify_anchors(log_path, anchors)


def _keygen(args: argparse.Namespace) -> int:
    paths = _paths(args)
    if paths is None:
        return EXIT_CONFIG
    try:
        create_key_file(paths[1])
    except (AuditError, OSError) as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return EXIT_FILE
    print(f"wrote {paths[1]} (mode 0600). Back it up: without it the log cannot be verified.")
    return EXIT_OK


def _tail(args: argparse.Namespace) -> int:
    paths = _paths(args)
    if paths is None:
        return EXIT_CONFIG
    try:
        lines = paths[0].read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        print(f"audit: cannot read {paths[0]} ({exc.strerror})", file=sys.stderr)
        return EXIT_FILE
    for line in lines[-max(0, args.n):] if args.n else []:
        print(line)
    return EXIT_OK
