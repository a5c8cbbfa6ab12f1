"""The reference portal operator's commands for kiosk credentials (`kiosk portal ca|kiosk ...`).

`ca init DIR`: a kiosk CA and the portal's server certificate (for `serve --tls-cert ...
--client-ca DIR/ca.pem`); `kiosk token ID`: a per-kiosk token, printed once; `kiosk revoke-token
TOKEN-ID`; `kiosk enrol ID --csr FILE --ca DIR -o FILE`: the kiosk's client certificate from its
request (refused if the request names another kiosk); `kiosk revoke-cert SERIAL`; `kiosk handover
OLD NEW`: the replacement kiosk may send the dossiers it took over. Keys are written 0600.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from kiosk.portal.pki import Issued, make_ca, make_server_cert, sign_csr
from kiosk.portal.registry import KioskRegistry

__all__ = ["add_operator_commands"]


def _write(path: Path, data: bytes, *, private: bool = False) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o644)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _registry(args: argparse.Namespace) -> KioskRegistry:
    from kiosk.portal.serve import default_db_path

    return KioskRegistry(args.db or default_db_path())


def _ca_init(args: argparse.Namespace) -> int:
    folder: Path = args.dir
    if (folder / "ca.key").exists():
        print(f"portal: {folder} already holds a CA; nothing was replaced", file=sys.stderr)
        return 3
    ca = make_ca()
    server = make_server_cert(ca, args.host or ["127.0.0.1", "localhost"])
    _write(folder / "ca.pem", ca.cert_pem)
    _write(folder / "ca.key", ca.key_pem, private=True)
    _write(folder / "server.pem", server.cert_pem)
    _write(folder / "server.key", server.key_pem, private=True)
    print(f"wrote {folder}/ca.pem, ca.key (keep it offline), server.pem, server.key")
    return 0


def _token(args: argparse.Namespace) -> int:
    token_id, token = _registry(args).issue_token(args.kiosk_id, time.time())
    if args.json:
        print(json.dumps({"kiosk_id": args.kiosk_id, "token_id": token_id, "token": token}))
    else:
        print(f"token {token_id} for {args.kiosk_id} (shown once; install it on the kiosk with "
              f"`kiosk link token`):\n{token}")
    return 0


def _revoke_token(args: argparse.Namespace) -> int:
    if not _registry(args).revoke_token(args.token_id, time.time()):
        print(f"portal: no valid token {args.token_id}", file=sys.stderr)
        return 5
    print(f"revoked token {args.token_id}")
    return 0


def _enrol(args: argparse.Namespace) -> int:
    ca = Issued((args.ca / "ca.pem").read_bytes(), (args.ca / "ca.key").read_bytes())
    try:
        cert = sign_csr(ca, args.csr.read_bytes(), args.kiosk_id, days=args.days)
    except ValueError as exc:
        print(f"portal: not enrolled: {exc}", file=sys.stderr)
        return 5
    _write(args.output, cert.public_bytes(serialization.Encoding.PEM))
    _registry(args).record_cert(cert.serial_number, args.kiosk_id)
    print(f"wrote {args.output}: {args.kiosk_id}, serial {cert.serial_number:X}, valid until "
          f"{cert.not_valid_after_utc:%Y-%m-%d}")
    return 0


def _revoke_cert(args: argparse.Namespace) -> int:
    if not _registry(args).revoke_cert(args.serial, time.time()):
        print(f"portal: no valid certificate with serial {args.serial}", file=sys.stderr)
        return 5
    print(f"revoked certificate {args.serial}")
    return 0


def _handover(args: argparse.Namespace) -> int:
    _registry(args).handover(args.old, args.new, time.time())
    print(f"{args.new} may now send and look up the dossiers of {args.old}")
    return 0


def add_operator_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    ca = sub.add_parser("ca", help="make the kiosk CA and the portal's server certificate")
    ca_sub = ca.add_subparsers(dest="ca_command", required=True)
    init = ca_sub.add_parser("init", help="a new CA and server certificate in DIR")
    init.add_argument("dir", type=Path, metavar="DIR")
    init.add_argument("--host", action="append", help="the portal's name or IP (repeatable)")
    init.set_defaults(func=_ca_init)
    kiosk = sub.add_parser("kiosk", help="per-kiosk credentials: tokens, certificates, hand-over")
    k_sub = kiosk.add_subparsers(dest="kiosk_command", required=True)
    commands = {
        "token": ("issue a token for KIOSK_ID (shown once)", _token, ["kiosk_id"]),
        "revoke-token": ("revoke a token by its id", _revoke_token, ["token_id"]),
        "enrol": ("sign a kiosk's certificate request", _enrol, ["kiosk_id"]),
        "revoke-cert": ("revoke a client certificate by serial", _revoke_cert, ["serial"]),
        "handover": ("let NEW send the dossiers of OLD (a replaced kiosk)", _handover,
                     ["old", "new"]),
    }
    for name, (text, func, positionals) in commands.items():
        parser = k_sub.add_parser(name, help=text)
        for positional in positionals:
            parser.add_argument(positional)
        parser.add_argument("--db", type=Path, default=None, help="the portal's database")
        parser.add_argument("--json", action="store_true")
        parser.set_defaults(func=func)
        if name == "enrol":
            parser.add_argument("--csr", type=Path, required=True, help="the kiosk's request")
            parser.add_argument("--ca", type=Path, required=True, help="the folder of `ca init`")
            parser.add_argument("-o", "--output", type=Path, required=True, help="a new file")
            parser.add_argument("--days", type=int, default=397)
