"""``kiosk config show``: print the effective configuration."""

from __future__ import annotations

import argparse
import json

from kiosk.app.cli.common import add_config_option, config_from_args
from kiosk.domain.config import to_toml


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("config", help="show the effective configuration")
    sub = parser.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    show = sub.add_parser("show", help="print the effective config (defaults < file < environment)")
    add_config_option(show)
    show.add_argument("--json", action="store_true", help="print JSON instead of TOML")
    show.set_defaults(func=_show)


def _show(args: argparse.Namespace) -> int:
    config = config_from_args(args)
    if config is None:
        return 2
    if args.json:
        data = config.as_dict()
        data["portal"]["token"] = "***" if data["portal"]["token"] else ""
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(to_toml(config), end="")
    return 0
