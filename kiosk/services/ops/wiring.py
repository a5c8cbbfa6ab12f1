"""One call that gives a running kiosk its operations parts: audit log, staff accounts, metrics,
satisfaction ratings.

For the composition root (``Services`` / the main window): ``Operations.start(config, engine,
outbox)`` after the outbox and the sync engine exist, ``close()`` at shutdown. Logging is set up
separately and earlier (``kiosk.services.ops.logs.configure_logging``), before anything logs.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Callable
from typing import Any

from kiosk import __version__
from kiosk.services.ops.audit import AuditKeyError, AuditLog
from kiosk.services.ops.metrics import KioskMetrics, MetricsServer
from kiosk.services.ops.ratings import RatingStore
from kiosk.domain.ops_settings import OpsSection, ops_paths, ops_settings
from kiosk.services.ops.staff import StaffDirectory

log = logging.getLogger(__name__)

__all__ = ["Operations"]


@dataclasses.dataclass
class Operations:
    audit: AuditLog
    staff: StaffDirectory
    metrics: KioskMetrics
    server: MetricsServer | None
    ratings: RatingStore | None = None  # satisfaction ratings, without personal data
    _closers: list[Callable[[], None]] = dataclasses.field(default_factory=list)
    _readers: set[str] = dataclasses.field(default_factory=set)
    _closed: bool = False

    @classmethod
    def start(cls, config: Any, engine: Any, outbox: Any, *,
              clock: Callable[[], float] = time.time, ops: OpsSection | None = None) -> Operations:
        """Open the audit log and staff file, attach metrics to the relay, serve them (unless
        ``ops.metrics_enabled`` is false). A taken port is logged, not fatal: the kiosk must run.
        ``ops`` overrides the config's [ops] section."""
        paths, ops = ops_paths(config), ops or ops_settings(config)
        if getattr(config.kiosk, "mode", "demo") == "production" and not paths.audit_key.exists():
            raise AuditKeyError(f"kiosk.mode is production but there is no audit key "
                                f"({paths.audit_key}): without it anyone who can write the audit "
                                "log can rewrite it. IT: run `kiosk audit keygen` and back the "
                                "key up off the kiosk")
        audit = AuditLog.open(paths.audit_log,
                              paths.audit_key if paths.audit_key.exists() else None, clock=clock)
        staff = StaffDirectory(paths.staff_db, clock=clock, audit=audit,
                               max_failures=int(ops.staff_max_failures),
                               lockout_s=ops.staff_lockout_s, session_s=ops.staff_session_s)
        stuck_after_s = config.sync.stuck_after_s

        def stats() -> Any:
            return engine.stats(stuck_after_s=stuck_after_s)

        metrics = KioskMetrics(stats, clock=clock, kiosk_id=config.kiosk.kiosk_id,
                               version=__version__, audit_seq=audit.last_seq)
        closers = [metrics.attach(engine, outbox)]
        if hasattr(engine, "set_audit_anchor"):  # the chain head goes to the portal as it syncs
            engine.set_audit_anchor(audit.head, config.kiosk.kiosk_id)
        server = None
        if ops.metrics_enabled:
            server = MetricsServer(metrics, ops.metrics_host, int(ops.metrics_port))
            try:
                server.start()
                closers.append(server.stop)
            except OSError as exc:
                log.error("%s", exc)
                server = None
        ratings = RatingStore(config.data_path() / "ratings.sqlite3", clock=clock)
        closers.insert(0, ratings.close)
        audit.append("system", "kiosk.start", details={"version": __version__})
        return cls(audit, staff, metrics, server, ratings, closers)

    def on_reader_event(self, event: Any) -> None:
        """Subscribe this to the card reader: readers present -> ``device_up{card_reader}``."""
        kind, name = type(event).__name__, getattr(event, "name", None)
        if kind == "ReaderAdded" and name:
            self._readers.add(name)
        elif kind == "ReaderRemoved" and name:
            self._readers.discard(name)
        else:
            return
        self.metrics.set_device("card_reader", bool(self._readers))

    def close(self) -> None:
        """Detach and stop the metrics server, newest first. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        while self._closers:
            self._closers.pop()()
        try:
            self.audit.append("system", "kiosk.stop")
        except Exception as exc:  # noqa: BLE001 - shutting down: report and go on
            log.warning("could not audit the shutdown (%s)", type(exc).__name__)
