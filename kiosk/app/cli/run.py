"""``kiosk run``: open the kiosk (the only subcommand that loads Qt)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys

from kiosk.domain.production import describe, production_problems
from kiosk.app.cli.common import add_config_option, config_from_args


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "run", help="open the kiosk",
        description="Open the kiosk. With no config it runs in demo mode: virtual card reader and "
                    "camera, the embedded reference portal on a free loopback port, and the data "
                    "in the per-user data folder. With kiosk.mode = \"production\" it refuses to "
                    "start (exit status 2) while any demo part is configured, naming each setting.")
    add_config_option(parser)
    parser.add_argument("--windowed", action="store_true",
                        help="open in a window instead of full screen")
    parser.add_argument("--devices", choices=("virtual", "pcsc"),
                        help="card reader backend (default from config: virtual)")
    parser.add_argument("--portal", metavar="embedded|URL",
                        help="'embedded' to start a local reference portal, or the portal's URL")
    parser.add_argument("--data-dir", metavar="DIR", help="where the outbox and keys are kept")
    parser.add_argument("--first-frame-file", metavar="FILE",
                        help="write the time the first frame was painted (CLOCK_MONOTONIC seconds) "
                             "to FILE; used by `kiosk bench startup`")
    parser.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    # SIGTERM/SIGINT while the config and Qt load are remembered; the GUI then stops before its
    # event loop starts, with exit status 0 as after a signal later on.
    received: list[int] = []
    previous = {signum: signal.signal(signum, lambda number, _frame: received.append(number))
                for signum in (signal.SIGINT, signal.SIGTERM)}
    try:
        return _start(args, received)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _start(args: argparse.Namespace, received: list[int]) -> int:
    overrides: dict[str, object] = {}
    if args.devices:
        overrides["devices.card_reader"] = args.devices
    if args.portal:
        overrides["portal.url"] = args.portal
    if args.data_dir:
        overrides["store.data_dir"] = args.data_dir
    config = config_from_args(args, overrides)
    if config is None:
        return 2
    from kiosk.domain.ops_settings import ops_paths
    from kiosk.services.ops.logs import configure_logging

    logs = configure_logging(ops_paths(config).log_file, max_bytes=int(config.ops.log_max_bytes),
                             backup_count=int(config.ops.log_backup_count),
                             level=logging.DEBUG if args.verbose else logging.INFO,
                             excepthooks=True)
    try:
        problems = production_problems(config)
        if problems:
            logging.getLogger(__name__).error(
                "Refusing to start in production mode with demo parts configured: %s",
                ", ".join(problem.key for problem in problems))
            print(f"kiosk: {describe(problems)}", file=sys.stderr)
            return 2
        from kiosk.services.composition import preload

        preload(config)  # before Qt (see its docstring)
        from ui.app import main as gui_main  # Qt is loaded here and only here

        return gui_main(config, windowed=args.windowed, signals_received=received,
                        first_frame_file=args.first_frame_file)
    finally:
        logs.close()
