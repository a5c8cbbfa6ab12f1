"""``kiosk bench <name> --json``: run a benchmark and print its figures as JSON.

Each benchmark's module is imported only when the command line names it (``kiosk bench --help``
loads neither OpenCV nor the outbox). ``kiosk bench journey`` (``kiosk.app.cli.bench_journey``)
drives the real GUI, the one benchmark that loads Qt, inside the command.
"""

from __future__ import annotations

import argparse

from kiosk.app.bench import BENCHMARKS
from kiosk.app.cli.lazy import add_lazy_parsers


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("bench", help="measure performance (prints JSON)")
    sub = parser.add_subparsers(dest="bench_name", metavar="BENCHMARK", required=True)
    add_lazy_parsers(sub, BENCHMARKS)
