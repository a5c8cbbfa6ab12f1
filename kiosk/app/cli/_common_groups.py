"""Command groups (`kiosk staff ...`, `kiosk outbox ...`) whose every command opens the kiosk's
files: the same --config and --data-dir on each, declared once."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from kiosk.app.cli.common import add_config_option

__all__ = ["Handler", "add_command_group"]

Handler = Callable[[argparse.Namespace], int]


def add_command_group(subparsers: Any, name: str, help: str,
                      commands: dict[str, tuple[str, Handler]], *,
                      data_dir_help: str) -> dict[str, argparse.ArgumentParser]:
    """`kiosk NAME COMMAND`: one parser per entry of ``commands`` (command -> help text and the
    function that runs it, stored as ``args.func``), in that order, each with --config and
    --data-dir; the command's name lands in ``args.<name>_command``. Returns the parsers by
    command, for their own options."""
    group = subparsers.add_parser(name, help=help)
    choices = group.add_subparsers(dest=f"{name}_command", required=True)
    parsers = {}
    for command, (text, handler) in commands.items():
        parser = choices.add_parser(command, help=text)
        add_config_option(parser)
        parser.add_argument("--data-dir", metavar="DIR", help=data_dir_help)
        parser.set_defaults(func=handler)
        parsers[command] = parser
    return parsers
