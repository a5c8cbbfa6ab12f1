"""The operations settings: the ``[ops]`` section of the kiosk's config, and where the operations
files live for a config (audit log and key, staff file, structured log, outbox and its key).

``ops_settings(config)`` gives the defaults for a config object without an ``ops`` section (tools
and tests that build a partial config).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

__all__ = ["OpsSection", "ops_settings", "ops_paths", "OpsPaths"]


@dataclasses.dataclass(frozen=True)
class OpsSection:
    #: Audit log HMAC key file; "" = <data dir>/audit.key when it exists, else plain SHA-256.
    audit_key: str = ""
    #: Structured log file; "" = <data dir>/logs/kiosk.jsonl.
    log_file: str = ""
    log_max_bytes: float = 5_000_000.0
    log_backup_count: float = 5.0
    metrics_enabled: bool = True
    metrics_host: str = "127.0.0.1"
    #: 0 = any free port (tests).
    metrics_port: float = 9808.0
    staff_max_failures: float = 5.0
    staff_lockout_s: float = 300.0
    staff_session_s: float = 900.0
    #: doctor: warn below this much free disk space.
    min_free_mb: float = 500.0


@dataclasses.dataclass(frozen=True)
class OpsPaths:
    data: Path
    audit_log: Path
    audit_key: Path
    staff_db: Path
    log_file: Path
    outbox: Path
    outbox_key: Path


def ops_settings(config: Any) -> OpsSection:
    return getattr(config, "ops", None) or OpsSection()


def ops_paths(config: Any) -> OpsPaths:
    """Where the operations files live for this config (all inside the data folder by default)."""
    ops = ops_settings(config)
    data = config.data_path()
    return OpsPaths(
        data=data,
        audit_log=data / "audit.jsonl",
        audit_key=Path(ops.audit_key).expanduser() if ops.audit_key else data / "audit.key",
        staff_db=data / "staff.json",
        log_file=Path(ops.log_file).expanduser() if ops.log_file else data / "logs" / "kiosk.jsonl",
        outbox=data / "outbox.sqlite3",
        outbox_key=data / "outbox.key",
    )
