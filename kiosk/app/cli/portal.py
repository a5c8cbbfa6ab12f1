"""`kiosk portal serve` and `kiosk portal stats`: run and inspect the reference portal."""

from __future__ import annotations

import argparse

from kiosk.portal.operator import add_operator_commands
from kiosk.portal.serve import add_serve_arguments, add_stats_arguments, run_serve, run_stats

__all__ = ["register"]


def _serve(args: argparse.Namespace) -> int:
    return run_serve(args)


def _stats(args: argparse.Namespace) -> int:
    return run_stats(args)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `portal` command group; each leaf sets `func=(args) -> exit code`."""
    portal = subparsers.add_parser("portal", help="run or inspect the reference dossier portal")
    sub = portal.add_subparsers(dest="portal_command", required=True,
                                metavar="{serve,stats,ca,kiosk}")
    serve = sub.add_parser("serve", help="run the reference portal (stops on Ctrl+C / SIGTERM)")
    add_serve_arguments(serve)
    serve.set_defaults(func=_serve)
    stats = sub.add_parser("stats", help="count dossiers and check idempotency in a portal database")
    add_stats_arguments(stats)
    stats.set_defaults(func=_stats)
    add_operator_commands(sub)
