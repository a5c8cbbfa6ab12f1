"""Subcommands whose modules are imported only when the command line names them.

``kiosk config show`` should not pay for the outbox, the portal and the card emulator, nor
``kiosk bench --help`` for OpenCV. ``add_lazy_parsers`` puts a placeholder parser with the command's
one-line help under each name (enough for ``--help`` and for "invalid choice" messages); the first
time argparse looks a name up to parse it, the placeholder gives way to what the command's module
registers. A test keeps each placeholder's help equal to the module's own.
"""

from __future__ import annotations

from typing import Any

import argparse
import importlib
from collections.abc import Sequence

__all__ = ["add_lazy_parsers", "load_all"]

Entry = tuple[str, str, str]  # (command name, module that has register(subparsers), one-line help)


class _LazyParsers(dict[str, Any]):
    def __init__(self, subparsers: argparse._SubParsersAction[argparse.ArgumentParser], modules: dict[str, str]) -> None:
        super().__init__(subparsers._name_parser_map)
        self._subparsers = subparsers
        self._modules = modules

    def __getitem__(self, name: str) -> argparse.ArgumentParser:
        module = self._modules.pop(name, None)
        if module is not None:
            actions = self._subparsers._choices_actions
            place = next(i for i, action in enumerate(actions) if action.dest == name)
            del actions[place]
            super().__delitem__(name)
            importlib.import_module(module).register(self._subparsers)
            actions.insert(place, actions.pop())  # keep the listed order
        return super().__getitem__(name)

    def load_all(self) -> None:
        for name in list(self._modules):
            self[name]


def add_lazy_parsers(subparsers: argparse._SubParsersAction[argparse.ArgumentParser], entries: Sequence[Entry]) -> None:
    for name, _module, text in entries:
        subparsers.add_parser(name, help=text, add_help=False)
    lazy = _LazyParsers(subparsers, {name: module for name, module, _ in entries})
    subparsers.choices = subparsers._name_parser_map = lazy


def load_all(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Import and register every lazy command now (for tests and documentation)."""
    parsers = subparsers._name_parser_map
    if isinstance(parsers, _LazyParsers):
        parsers.load_all()
