"""``kiosk bench <name> --json``: run a benchmark and print its figures as JSON."""

from __future__ import annotations

import argparse
import importlib

from kiosk.bench import BENCHMARKS


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("bench", help="measure performance (prints JSON)")
    sub = parser.add_subparsers(dest="bench_name", metavar="BENCHMARK", required=True)
    for name in BENCHMARKS:
        importlib.import_module(f"kiosk.bench.{name}").register(sub)
