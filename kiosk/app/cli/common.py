"""Helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import sys

from kiosk.domain.config import Config, ConfigError, load_config


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE",
                        help="a TOML config file (default: $KIOSK_CONFIG, else built-in defaults)")


def config_from_args(args: argparse.Namespace, overrides: dict | None = None) -> Config | None:
    """The effective config, or None after printing a clear error (the caller exits 2)."""
    try:
        return load_config(getattr(args, "config", None), overrides=overrides or {})
    except ConfigError as exc:
        print(f"kiosk: configuration error: {exc}", file=sys.stderr)
        return None
