"""Helpers shared by the subcommands."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kiosk.domain.config import Config, ConfigError, load_config


def add_config_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--config", metavar="FILE",
                        help="a TOML config file (default: $KIOSK_CONFIG, else built-in defaults)")


def config_from_args(args: argparse.Namespace, overrides: dict[str, Any] | None = None) -> Config | None:
    """The effective config, or None after printing a clear error (the caller exits 2)."""
    try:
        return load_config(getattr(args, "config", None), overrides=overrides or {})
    except ConfigError as exc:
        print(f"kiosk: configuration error: {exc}", file=sys.stderr)
        return None


def audit_action(args: argparse.Namespace, actor: str, action: str, target: str,
                 details: dict[str, Any] | None = None) -> bool:
    """Write a staff action of a command to the kiosk's audit log (as `kiosk staff` does). A
    failure to audit is reported on stderr, never hidden; returns whether the line was written."""
    from kiosk.domain.ops_settings import ops_paths
    from kiosk.services.ops.audit import AuditError, AuditLog

    overrides = {"store.data_dir": args.data_dir} if getattr(args, "data_dir", None) else {}
    config = config_from_args(args, overrides)
    if config is None:
        return False
    paths = ops_paths(config)
    try:
        audit = AuditLog.open(paths.audit_log, paths.audit_key if paths.audit_key.exists() else None)
        audit.append(actor, action, target, details)
    except AuditError as exc:
        print(f"kiosk: the action was done but could not be audited: {exc}", file=sys.stderr)
        return False
    return True
