"""`kiosk card readers|emulate|read`: check the PC/SC setup, play a test card, read a real chip.

- ``readers``: the PC/SC readers pcscd sees (IT's first check when "the reader does nothing").
- ``emulate``: put a virtual CCCD built from a profile on vsmartcard's virtual reader (vpcd), so
  the kiosk, or ``card read``, can be tried end to end without a card. TEST-ONLY keys.
- ``read``: read and verify a chip (PACE-CAN from the ID, else BAC with every valid expiry);
  prints the identity, which of passive, active and chip authentication were done and passed,
  what could not be used, and warnings (the portrait only as a size). Exit 0 only if the chip
  verified. ``-v`` adds the failing step, status word and detail of an error, and the APDUs.

Personal data is masked by default (``mask_personal``: name initials, ID as ``***345``, birth year
only, addresses and other free text left out) because a command's stdout lands in journald
when it runs under systemd; ``--show-personal-data`` prints it in full for staff at a terminal.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from devices.card import errors
from kiosk.app.cli.card_report import mask_personal

__all__ = ["EXIT_CARD_ERROR", "EXIT_NO_READER", "EXIT_NOT_VERIFIED", "EXIT_OK", "EXIT_USAGE",
           "SHOW_PERSONAL_HELP", "main", "mask_personal", "register"]

EXIT_OK = 0
EXIT_NOT_VERIFIED = 1
EXIT_USAGE = 2
EXIT_NO_READER = 3
EXIT_CARD_ERROR = 4

SHOW_PERSONAL_HELP = ("print names, ID numbers and addresses in full (staff at a terminal only; "
                      "under systemd the output goes to the journal)")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("card", help="card readers, the virtual chip, chip reading")
    commands = parser.add_subparsers(dest="card_command", required=True)
    readers = commands.add_parser("readers", help="list the PC/SC readers")
    readers.set_defaults(func=_readers)

    emulate = commands.add_parser("emulate", help="serve a virtual CCCD chip to vpcd (TEST keys)")
    emulate.add_argument("--vpcd", default="127.0.0.1:35963", metavar="HOST:PORT",
                         help="the vpcd reader to plug into (default: %(default)s)")
    emulate.add_argument("--profile", required=True, type=Path, help="a card-holder TOML file")
    emulate.add_argument("--hostile", metavar="MODE[:AFTER[:PARAM]]",
                         help="misbehave: wrong-mac, truncate, oversize, wrong-sw, remove, slow")
    emulate.add_argument("--bac-only", action="store_true", help="no PACE (no EF.CardAccess)")
    emulate.add_argument("--aa", choices=("rsa", "ecdsa"), default="rsa")
    emulate.add_argument("--clone", action="store_true", help="answer AA with the wrong key")
    emulate.add_argument("--forgery", choices=("none", "tampered_dg", "bad_signature",
                                               "untrusted_signer"), default="none")
    emulate.add_argument("--ca", choices=("ecdh-aes128", "ecdh-3des", "dh-aes128", "dh-3des",
                                          "none"), default="ecdh-aes128",
                         help="chip authentication in DG14 (default: %(default)s)")
    emulate.add_argument("--ca-clone", action="store_true",
                         help="a chip-authentication key that is not DG14's (a clone)")
    emulate.add_argument("--no-sfi", metavar="SW", type=lambda t: int(t, 16),
                         help="answer reads by short file identifier with this status (6A82...)")
    emulate.add_argument("--extended-length", action="store_true",
                         help="announce extended-length APDUs (ATR and EF.ATR/INFO)")
    emulate.add_argument("--broken", choices=("dg2", "dg13"), action="append", default=[],
                         help="a data group written badly but signed")
    emulate.set_defaults(func=_emulate)

    read = commands.add_parser("read", help="read and verify the chip on a reader")
    read.add_argument("--reader", help="the reader's name, or part of it (default: first with a card)")
    read.add_argument("--can", help="the 6-digit CAN (the last 6 digits of the ID number)")
    read.add_argument("--id", dest="id_number", help="the 12-digit ID number")
    read.add_argument("--dob", help="date of birth YYMMDD (for BAC)")
    read.add_argument("--expiry", help="expiry YYMMDD (for BAC; guessed from the renewal ages)")
    read.add_argument("--csca", type=Path, help="trusted CSCAs: a folder (certificates and .ml "
                      "master lists), a certificate, or an ICAO master list (.ml)")
    read.add_argument("--crl", type=Path, help="revocation lists: a folder of CRLs or one CRL")
    read.add_argument("--block-size", type=lambda t: int(t, 0), default=0xDF)
    read.add_argument("--extended", choices=("auto", "on", "off"), default="auto",
                      help="extended-length APDUs: when the reader and the chip say so (auto), "
                      "when the chip says so (on), never (off)")
    read.add_argument("-v", "--verbose", dest="detail", action="store_true",
                      help="print the failing step, status word and detail, and the APDUs")
    read.add_argument("--timeout", type=float, default=30.0, help="seconds for the whole read")
    read.add_argument("--json", action="store_true", help="machine-readable output")
    read.add_argument("--show-personal-data", action="store_true", help=SHOW_PERSONAL_HELP)
    read.set_defaults(func=_read)


def _readers(args: argparse.Namespace) -> int:
    from devices.card.transport import list_readers

    try:
        names = list_readers()
    except errors.NoReader as exc:
        print(f"card: {exc}", file=sys.stderr)
        return EXIT_NO_READER
    if not names:
        print("No card reader is connected (pcscd is running).")
        return EXIT_NO_READER
    for name in names:
        print(name)
    return EXIT_OK


def _emulate(args: argparse.Namespace) -> int:
    from devices.card.chip.builder import chip_from_profile
    from devices.card.chip.hostile import Hostile
    from devices.card.chip.vpcd import VpcdClient
    from devices.card.lds.build_chip_files import Forgery
    from devices.card.profiles import ProfileError, load_profile

    host, _, port = args.vpcd.rpartition(":")
    try:
        hostile = Hostile.parse(args.hostile) if args.hostile else None
        profile = load_profile(args.profile)
        if not port.isdigit():
            raise ValueError(f"--vpcd must be HOST:PORT, not {args.vpcd!r}")
    except (ValueError, ProfileError) as exc:
        print(f"card emulate: {exc}", file=sys.stderr)
        return EXIT_USAGE
    from devices.card.chip.quirks import Quirks

    chip = chip_from_profile(profile, aa=args.aa, forgery=Forgery(args.forgery), clone=args.clone,
                             pace=not args.bac_only, hostile=hostile, ca=args.ca,
                             ca_clone=args.ca_clone, broken=frozenset(args.broken),
                             quirks=Quirks(sfi_status=args.no_sfi),
                             extended_length=args.extended_length)
    client = VpcdClient(chip, host or "127.0.0.1", int(port))
    try:
        client.start()
    except errors.NoReader as exc:
        print(f"card emulate: {exc}", file=sys.stderr)
        return EXIT_NO_READER
    print(f"Virtual card on {args.vpcd} (TEST keys only). Ctrl+C removes it.", flush=True)
    return _serve_until_signal(client)


def _serve_until_signal(client: Any) -> int:
    done = threading.Event()
    previous = {sig: signal.signal(sig, lambda *_: done.set())
                for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        while not done.wait(0.2):
            if not client.running:  # vpcd closed the connection, or a hostile chip 'left'
                print("The virtual card was disconnected.", file=sys.stderr)
                return EXIT_CARD_ERROR
        return EXIT_OK
    finally:
        client.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _key(args: argparse.Namespace) -> Any:
    from devices.card.access_key import AccessKey

    for name in ("dob", "expiry"):
        value = getattr(args, name)
        if value is not None and not (len(value) == 6 and value.isdigit()):
            raise ValueError(f"--{name} must be six digits YYMMDD")
    if args.id_number:
        return AccessKey.from_id(args.id_number, args.dob, args.expiry)
    if args.can:
        if not (args.can.isdigit() and len(args.can) == 6):
            raise ValueError("--can must be 6 digits")
        return AccessKey(can=args.can)
    raise ValueError("give --can CAN, or --id ID12 (with --dob YYMMDD for BAC)")


def _trust(args: argparse.Namespace) -> Any:
    """The CSCA store and CRLs the options name (None: none given; chips read unchecked)."""
    if not (args.csca or args.crl):
        return None
    from devices.card.reader_session import load_csca

    return load_csca(args.csca, args.crl)


def _read(args: argparse.Namespace) -> int:
    from devices.card.transport import PcscTransport

    try:
        key = _key(args)
        csca = _trust(args)
    except (ValueError, OSError, errors.MalformedData) as exc:  # MalformedData: a refused list
        print(f"card read: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        with PcscTransport.open(args.reader) as transport:  # no reader or card: said at once
            from devices.card.reader_session import read_document

            if args.extended == "on":
                transport.extended_length = True
            doc = read_document(transport, key, csca=csca, block_size=args.block_size,
                                extended=False if args.extended == "off" else None,
                                timeout=args.timeout)
    except errors.CardError as exc:
        print(f"card read: {exc}", file=sys.stderr)
        if args.detail:
            sw = "none" if exc.sw is None else f"{exc.sw:04X}"
            print(f"  step: {exc.step or 'unknown'}\n  status word: {sw}\n"
                  f"  detail: {exc.detail or type(exc).__name__}", file=sys.stderr)
        return EXIT_NO_READER if isinstance(exc, errors.NoReader) else EXIT_CARD_ERROR
    from kiosk.app.cli.card_report import print_text, report

    result = report(doc, show_personal=args.show_personal_data)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_text(result, verbose=args.detail)
    return EXIT_OK if doc.verified else EXIT_NOT_VERIFIED


def main(argv: list[str] | None = None) -> int:
    """``python -m kiosk.app.cli.card card ...``: the same commands without the rest of the kiosk."""
    parser = argparse.ArgumentParser(prog="kiosk")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
