"""Helpers for the operations tests: run one CLI command module on its own parser, and a hand-moved clock."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from types import ModuleType

import pytest


def run_cli(module: ModuleType, argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(prog="kiosk")
    module.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(list(argv))
    return int(args.func(args) or 0)


class StepClock:
    """A clock tests move by hand."""

    def __init__(self, start: float = 1_795_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> StepClock:
    return StepClock()
