"""The ``kiosk`` command: run the kiosk, serve the reference portal, look at the outbox.

Each subcommand lives in its own module with a ``register(subparsers)`` function; handlers take the
parsed arguments and return the exit status.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from kiosk import __version__

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    from kiosk.app.cli import config as config_cmd
    from kiosk.app.cli import audit, bench, card, doctor, link, outbox, portal, qr, run, staff

    parser = argparse.ArgumentParser(
        prog="kiosk",
        description="Một Cửa Kiosk: a touchscreen kiosk for public administrative service centres.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (run, card, qr, portal, link, outbox, staff, audit, doctor, config_cmd, bench):
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
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
