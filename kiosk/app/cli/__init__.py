"""The ``kiosk`` command: run the kiosk, serve the reference portal, look at the outbox.

Each subcommand lives in its own module with a ``register(subparsers)`` function; handlers take the
parsed arguments and return the exit status. Only the module of the command being run is imported
(``kiosk config show`` never loads the outbox, the portal or the card emulator); the others appear
as placeholders with the same one-line help, so ``kiosk --help`` imports none of them.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from kiosk import __version__
from kiosk.app.cli import lazy
from kiosk.app.cli.lazy import add_lazy_parsers

__all__ = ["build_parser", "main"]


#: (command, module in kiosk.app.cli, the one-line help its register() gives; a test keeps them equal)
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("run", "run", "open the kiosk"),
    ("card", "card", "card readers, the virtual chip, chip reading"),
    ("qr", "qr", "decode QR codes in images, or make one"),
    ("portal", "portal", "run or inspect the reference dossier portal"),
    ("link", "link", "this kiosk's own portal credential"),
    ("outbox", "outbox", "inspect the offline outbox"),
    ("staff", "staff", "manage staff accounts (staff ID + PIN)"),
    ("audit", "audit", "verify or read the audit log"),
    ("doctor", "doctor", "check the kiosk's dependencies and say how to fix"),
    ("devices", "devices", "list card readers, scanners, printers and cameras attached here"),
    ("config", "config", "show the effective configuration"),
    ("bench", "bench", "measure performance (prints JSON)"),
)


def build_parser(*, load_all: bool = True) -> argparse.ArgumentParser:
    """The ``kiosk`` parser; with ``load_all=False`` a command's module is imported only when the
    command line names it."""
    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Một Cửa Kiosk: a touchscreen kiosk for public administrative service centres.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    add_lazy_parsers(subparsers, [(name, f"kiosk.app.cli.{module}", text) for name, module, text in COMMANDS])
    if load_all:
        lazy.load_all(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser(load_all=False).parse_args(argv)
    if args.command != "run":  # `kiosk run` installs redacting, rotated JSON logs instead
        logging.basicConfig(
            level=logging.DEBUG if args.verbose else logging.INFO,
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
