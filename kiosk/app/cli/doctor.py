"""`kiosk doctor [--json]`: check everything the kiosk depends on; exit 1 when something is broken.

Exit codes: 0 everything passed or only warnings, 1 at least one check failed, 2 configuration
error. Qt, printers, pcscd and the camera are asked in child processes with timeouts.
"""

from __future__ import annotations

import argparse
from typing import Any

from kiosk.app.cli.common import add_config_option, config_from_args
from kiosk.app.doctor import DoctorContext, exit_status, format_text, run_checks, to_json

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("doctor", help="check the kiosk's dependencies and say how to fix")
    add_config_option(parser)
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--data-dir", metavar="DIR", help="the kiosk's data folder")
    parser.add_argument("--skip", action="append", default=[], metavar="CHECK",
                        help="leave out a check by name (repeatable), e.g. --skip camera")
    parser.add_argument("--timeout", type=float, default=30.0, metavar="S",
                        help="time limit for each child-process probe (default 30)")
    parser.set_defaults(func=_doctor)


def _doctor(args: argparse.Namespace) -> int:
    from kiosk.app.doctor_checks import DEFAULT_CHECKS

    config = config_from_args(args, {"store.data_dir": args.data_dir} if args.data_dir else {})
    if config is None:
        return 2
    checks = [c for c in DEFAULT_CHECKS if c.__name__.removeprefix("check_") not in args.skip]
    results = run_checks(DoctorContext(config, subprocess_timeout_s=args.timeout), checks)
    print(to_json(results) if args.json else format_text(results))
    return exit_status(results)
