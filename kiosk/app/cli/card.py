"""`kiosk card readers|emulate|read`: check the PC/SC setup, play a test card, read a real chip.

- ``readers``: the PC/SC readers pcscd sees (IT's first check when "the reader does nothing").
- ``emulate``: put a virtual CCCD built from a profile on vsmartcard's virtual reader (vpcd), so
  the kiosk, or ``card read``, can be tried end to end without a card. TEST-ONLY keys.
- ``read``: read and verify a chip (PACE-CAN from the ID, else BAC); prints the identity and the
  verification report (the portrait only as a size). Exit 0 only if the chip verified.

Personal data is masked by default (``mask_personal``: name initials, ID as ``***345``, birth year
only, addresses and other free text left out) because a command's stdout lands in journald
when it runs under systemd; ``--show-personal-data`` prints it in full for staff at a terminal.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import signal
import sys
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from devices.card import errors

EXIT_OK = 0
EXIT_NOT_VERIFIED = 1
EXIT_USAGE = 2
EXIT_NO_READER = 3
EXIT_CARD_ERROR = 4

SHOW_PERSONAL_HELP = ("print names, ID numbers and addresses in full (staff at a terminal only; "
                      "under systemd the output goes to the journal)")
_NAME_KEYS = frozenset({"full_name", "name", "father_name", "mother_name", "spouse_name",
                        "merchant_name"})
_NUMBER_KEYS = frozenset({"id_number", "old_id", "old_id_number", "document_number", "account",
                          "chip_id"})
_BIRTH_KEYS = frozenset({"date_of_birth", "date_of_birth_text", "birth"})
_OMITTED_KEYS = frozenset({"residence", "place_of_origin", "identifying_marks", "extras",
                           "ethnicity", "religion"})


def mask_personal(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields as a log-safe view: names as initials, numbers as ``***`` + last 3, birth
    dates as the year, addresses and other free text omitted, ``raw`` text as its length."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key in _OMITTED_KEYS or value is None:
            continue
        text = str(value)
        if key in _NAME_KEYS:
            out[key] = " ".join(f"{part[0]}." for part in re.split(r"[\s<]+", text) if part)
        elif key in _NUMBER_KEYS:
            out[key] = f"***{text[-3:]}" if len(text) > 3 else "***"
        elif key in _BIRTH_KEYS:
            year = re.search(r"(?<!\d)\d{4}(?!\d)", text)  # dd/mm/yyyy, yyyy-mm-dd
            if len(text) == 6 and text.isdigit():  # the MRZ's YYMMDD
                out[key] = text[:2] + "****"
            else:
                out[key] = year.group() if year else "***"
        elif key == "raw":
            out[key] = f"({len(text)} characters; --show-personal-data prints them)"
        else:
            out[key] = value
    return out


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
    emulate.set_defaults(func=_emulate)

    read = commands.add_parser("read", help="read and verify the chip on a reader")
    read.add_argument("--reader", help="the reader's name, or part of it (default: first with a card)")
    read.add_argument("--can", help="the 6-digit CAN (the last 6 digits of the ID number)")
    read.add_argument("--id", dest="id_number", help="the 12-digit ID number")
    read.add_argument("--dob", help="date of birth YYMMDD (for BAC)")
    read.add_argument("--expiry", help="expiry YYMMDD (for BAC; guessed from the renewal ages)")
    read.add_argument("--csca", type=Path, help="folder of trusted CSCA certificates (DER/PEM)")
    read.add_argument("--block-size", type=lambda t: int(t, 0), default=0xDF)
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
    chip = chip_from_profile(profile, aa=args.aa, forgery=Forgery(args.forgery), clone=args.clone,
                             pace=not args.bac_only, hostile=hostile)
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
    from devices.card.reader_session import AccessKey

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


def _read(args: argparse.Namespace) -> int:
    from devices.card.lds.csca import CscaStore
    from devices.card.reader_session import read_document
    from devices.card.transport import PcscTransport

    try:
        key = _key(args)
        csca = CscaStore.from_folder(args.csca) if args.csca else None
    except (ValueError, OSError) as exc:
        print(f"card read: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        with PcscTransport.open(args.reader) as transport:
            doc = read_document(transport, key, csca=csca, block_size=args.block_size,
                                timeout=args.timeout)
    except errors.NoReader as exc:
        print(f"card read: {exc}", file=sys.stderr)
        return EXIT_NO_READER
    except errors.CardError as exc:
        print(f"card read: {exc}", file=sys.stderr)
        return EXIT_CARD_ERROR
    report = _report(doc, show_personal=args.show_personal_data)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        _print_text(report)
    return EXIT_OK if doc.verified else EXIT_NOT_VERIFIED


def _report(doc: Any, *, show_personal: bool = False) -> dict[str, Any]:
    fields = {}
    if doc.dg13 is not None:
        fields = {f.name: getattr(doc.dg13, f.name) for f in dataclasses.fields(doc.dg13)
                  if f.name not in ("unknown", "version", "oid")}
    mrz = doc.dg1.mrz
    portrait = None if doc.portrait is None else {"mime": doc.portrait.mime,
                                                  "bytes": len(doc.portrait.data)}
    checks = [{"name": c.name, "status": c.status.value, "reason": c.reason}
              for c in doc.passive.checks]
    active = None if doc.active is None else {"status": doc.active.status.value,
                                              "reason": doc.active.reason}
    identity = {k: v for k, v in fields.items() if v is not None}
    mrz_fields = {"document_number": mrz.document_number, "id_number": mrz.id_number,
                  "name": mrz.name, "birth": mrz.birth_yymmdd, "expiry": mrz.expiry_yymmdd}
    if not show_personal:
        identity, mrz_fields = mask_personal(identity), mask_personal(mrz_fields)
    return {
        "access": doc.access, "verified": doc.verified, "read_ms": round(doc.read_ms),
        "personal_data": "shown" if show_personal else "masked",
        "identity": identity, "mrz": mrz_fields,
        "portrait": portrait, "passive_authentication": checks,
        "active_authentication": active, "not_read": list(doc.not_read),
    }


def _print_text(report: dict[str, Any]) -> None:
    print(f"Access: {report['access']}   read in {report['read_ms']} ms")
    if report["personal_data"] == "masked":
        print("  (personal data masked; --show-personal-data prints it in full)")
    for name, value in report["identity"].items():
        print(f"  {name}: {value}")
    portrait = report["portrait"]
    print(f"  portrait: {portrait['mime']}, {portrait['bytes']} bytes" if portrait
          else "  portrait: none")
    print("Verification:")
    for check in report["passive_authentication"]:
        print(f"  [{check['status']}] {check['name']}: {check['reason']}")
    active = report["active_authentication"]
    print(f"  [{active['status']}] active_authentication: {active['reason']}" if active
          else "  [not_done] active_authentication: the chip has no DG15")
    if report["not_read"]:
        names = ", ".join(f"DG{n}" for n in report["not_read"])
        print(f"  not read: {names} (DG3/DG4 need extended access control; any other is "
              "withheld by the chip)")
    print("VERIFIED" if report["verified"] else "NOT VERIFIED")


def main(argv: list[str] | None = None) -> int:
    """``python -m kiosk.app.cli.card card ...``: the same commands without the rest of the kiosk."""
    parser = argparse.ArgumentParser(prog="kiosk")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
