"""`kiosk link request|install|token|status`: this kiosk's own credential for the portal.

Enrolment (mutual TLS): `request` makes the kiosk's private key (EC P-256, 0600, it never leaves
the kiosk) and a certificate request naming `kiosk.kiosk_id`; IT takes the request to the portal
operator, who signs it (`kiosk portal kiosk enrol`); `install CERT` checks that the certificate
names this kiosk and matches the key made here, and puts both in place. Rotation is the same
steps again: the new key waits as `portal-client.next.key` until its certificate is installed, so
the kiosk keeps sending with the old one meanwhile; the old pair is kept as `.prev`.

Token: `token` reads the kiosk's own token (issued by `kiosk portal kiosk token`) from the first
line of stdin into `portal.token` (0600). Rotation: install the new token, then the operator
revokes the old one.

Each command prints the config lines to set (`portal.client_cert`, `portal.client_key`,
`portal.token_file`). Exit codes: 0 done, 2 configuration error, 3 file error, 5 refused (the
certificate names another kiosk, or does not match the key).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import Any

from kiosk.app.cli._common_groups import add_command_group
from kiosk.app.cli.common import audit_action, config_from_args

__all__ = ["register"]

EXIT_OK, EXIT_CONFIG, EXIT_FILE, EXIT_REFUSED = 0, 2, 3, 5


def register(subparsers: Any) -> None:
    subs = add_command_group(subparsers, "link", "this kiosk's own portal credential", {
        "request": ("make the kiosk's key and a certificate request for the portal", _request),
        "install": ("install the certificate the portal signed", _install),
        "token": ("install this kiosk's own token (first line of stdin)", _token),
        "status": ("which credential is installed, and until when", _status),
    }, data_dir_help="the kiosk's data folder")
    subs["install"].add_argument("certificate", type=Path, metavar="CERT")
    for sub in subs.values():
        sub.add_argument("--by", default="system", metavar="STAFF_ID",
                         help="who does this, for the audit log")


def _folder(args: argparse.Namespace) -> tuple[Any, Path] | None:
    config = config_from_args(args, {"store.data_dir": args.data_dir} if args.data_dir else {})
    if config is None:
        return None
    folder = config.data_path()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return config, folder


def _write_private(path: Path, data: bytes) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def _request(args: argparse.Namespace) -> int:
    from kiosk.portal.pki import new_key_and_csr

    found = _folder(args)
    if found is None:
        return EXIT_CONFIG
    config, folder = found
    key_pem, csr_pem = new_key_and_csr(config.kiosk.kiosk_id)
    _write_private(folder / "portal-client.next.key", key_pem)
    (folder / "portal-client.csr").write_bytes(csr_pem)
    audit_action(args, args.by, "link.request", config.kiosk.kiosk_id)
    print(f"wrote {folder / 'portal-client.csr'} for {config.kiosk.kiosk_id}: give it to the "
          "portal operator (`kiosk portal kiosk enrol`), then `kiosk link install CERT`")
    return EXIT_OK


def _install(args: argparse.Namespace) -> int:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    from kiosk.portal.pki import kiosk_id_of

    found = _folder(args)
    if found is None:
        return EXIT_CONFIG
    config, folder = found
    pending = folder / "portal-client.next.key"
    try:
        cert = x509.load_pem_x509_certificate(args.certificate.read_bytes())
        key = serialization.load_pem_private_key(pending.read_bytes(), password=None)
    except (OSError, ValueError) as exc:
        print(f"link: cannot read the certificate or the pending key ({exc}); run "
              "`kiosk link request` first", file=sys.stderr)
        return EXIT_FILE
    if kiosk_id_of(cert) != config.kiosk.kiosk_id:
        print(f"link: the certificate names {kiosk_id_of(cert)!r}, this kiosk is "
              f"{config.kiosk.kiosk_id!r}", file=sys.stderr)
        return EXIT_REFUSED
    der = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if cert.public_key().public_bytes(*der) != key.public_key().public_bytes(*der):
        print("link: the certificate is not for the key this kiosk made", file=sys.stderr)
        return EXIT_REFUSED
    for name in ("portal-client.pem", "portal-client.key"):
        if (folder / name).exists():
            os.replace(folder / name, folder / (name + ".prev"))
    (folder / "portal-client.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    os.replace(pending, folder / "portal-client.key")
    audit_action(args, args.by, "link.install", config.kiosk.kiosk_id,
                 {"serial": f"{cert.serial_number:X}"})
    print(f"installed; valid until {cert.not_valid_after_utc:%Y-%m-%d}. In the config, [portal]:\n"
          f'client_cert = "{folder / "portal-client.pem"}"\n'
          f'client_key = "{folder / "portal-client.key"}"')
    return EXIT_OK


def _token(args: argparse.Namespace) -> int:
    found = _folder(args)
    if found is None:
        return EXIT_CONFIG
    config, folder = found
    token = sys.stdin.readline().strip()
    if not token or any(not 0x21 <= ord(c) <= 0x7E for c in token):
        print("link: give the token on the first line of stdin", file=sys.stderr)
        return EXIT_REFUSED
    target = folder / "portal.token"
    if target.exists():
        os.replace(target, folder / "portal.token.prev")
    _write_private(target, token.encode("ascii") + b"\n")
    audit_action(args, args.by, "link.token", config.kiosk.kiosk_id)
    print(f'installed. In the config, [portal]:\ntoken_file = "{target}"')
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    from cryptography import x509

    found = _folder(args)
    if found is None:
        return EXIT_CONFIG
    config, _folder_path = found
    portal = config.portal
    if portal.client_cert:
        cert = x509.load_pem_x509_certificate(Path(portal.client_cert).read_bytes())
        left = cert.not_valid_after_utc - dt.datetime.now(dt.UTC)
        print(f"client certificate {cert.serial_number:X} until "
              f"{cert.not_valid_after_utc:%Y-%m-%d} ({left.days} days)")
    print(f"token file: {portal.token_file or '-'}")
    if not (portal.client_cert or portal.token_file):
        print("no kiosk credential: the kiosk uses portal.token (shared)")
    return EXIT_OK
