"""``kiosk devices list [--json]``: what is attached and which configured device uses it."""

from __future__ import annotations

import argparse
import dataclasses
import json
from typing import Any

from kiosk.app.cli.common import add_config_option, config_from_args

__all__ = ["register"]


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "devices", help="list card readers, scanners, printers and cameras attached here")
    sub = parser.add_subparsers(dest="devices_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="what is attached, and which configured device uses it")
    add_config_option(listing)
    listing.add_argument("--json", action="store_true", help="machine-readable output")
    listing.set_defaults(func=_list)


def _list(args: argparse.Namespace) -> int:
    from devices.inventory import attached_devices

    config = config_from_args(args)
    if config is None:
        return 2
    items, notes = attached_devices(config.devices)
    if args.json:
        print(json.dumps({"devices": [dataclasses.asdict(i) for i in items], "notes": notes},
                         ensure_ascii=False))
        return 0
    if not items:
        print("No devices found.")
    for item in items:
        usb = f" [{item.usb_id}]" if item.usb_id else ""
        used = f"  <- {item.used_by}" if item.used_by else ""
        print(f"{item.kind:<12} {item.node:<28} {item.name}{usb}{used}")
    for kind, note in notes.items():
        print(f"(could not list {kind}: {note})")
    return 0
