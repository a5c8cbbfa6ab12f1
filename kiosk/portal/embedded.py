"""The reference portal running in a background thread of this process (tests, demos, `serve`).

Why a restartable object: tests simulate an outage by stopping the portal and starting a new one on
the same port with the same database, so `stop()` must really release the port and end every
connection, and the database must be the only state that survives.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kiosk.domain import paths
from kiosk.portal.registry import KioskRegistry
from kiosk.portal.schema import load_procedures
from kiosk.portal.serving import QuietServing
from kiosk.portal.server import Faults, PortalApp, PortalHTTPServer
from kiosk.portal.store import PortalStore

__all__ = ["EmbeddedPortal", "Faults"]


class EmbeddedPortal:
    def __init__(
        self,
        db_path: str | Path,
        *,
        token: str | None = "demo-kiosk-token",
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Faults | None = None,
        procedures_dir: str | Path | None = None,
        clock: Callable[[], float] | None = None,
        unit_code: str | None = None,
        max_connections: int = 64,
        request_read_s: float = 30.0,
        tls: ssl.SSLContext | None = None,
        kiosk_credentials_only: bool = False,
    ) -> None:
        """`tls`: serve https with this server context (which may require client
        certificates); per-kiosk tokens and certificates live in `registry` (the same file)."""
        self.host = host
        self.max_connections = max_connections
        self.request_read_s = request_read_s
        self._requested_port = port
        self.store = PortalStore(db_path)
        self.registry = KioskRegistry(db_path)
        self.tls = tls
        procedures = load_procedures(Path(procedures_dir) if procedures_dir else paths.PROCEDURES_DIR)
        self._app = PortalApp(store=self.store, procedures=procedures, token=token,
                              faults=faults or Faults(), clock=clock or time.time, unit_code=unit_code,
                              registry=self.registry,
                              kiosk_credentials_only=kiosk_credentials_only)
        self._server: PortalHTTPServer | None = None
        self._serving: QuietServing | None = None

    @property
    def faults(self) -> Faults:
        """The live fault settings: change their fields and the next request sees them."""
        return self._app.faults

    @faults.setter
    def faults(self, value: Faults) -> None:
        self._app.set_faults(value)

    @property
    def procedures(self) -> dict[str, dict[str, Any]]:
        return self._app.procedures

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("portal not started")
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}"

    def start(self) -> str:
        """Bind, listen and serve in a background thread; connections are accepted once it returns."""
        if self._server is not None:
            raise RuntimeError("portal already started")
        self._app.stopping.clear()
        server = PortalHTTPServer((self.host, self._requested_port), self._app,
                                  max_connections=self.max_connections,
                                  request_read_s=self.request_read_s)
        self._server = server  # bound and listening: the kernel queues connections from now on
        server.ssl_context = self.tls
        server.start_reaper()
        self._requested_port = self.port  # a restart of this object comes back on the same port
        self._serving = QuietServing(server, f"portal-{self.port}")
        self._serving.start()
        return self.url

    def stop(self, timeout: float = 5.0) -> None:
        """Stop accepting, cut open connections, release the port and join every thread."""
        server, serving = self._server, self._serving
        if server is None or serving is None:
            return
        deadline = time.monotonic() + timeout
        self._app.stopping.set()
        serving.stop(max(0.0, deadline - time.monotonic()))  # the accept loop has ended
        server.server_close()  # the listening socket: new connections are refused from here
        server.close_connections(max(0.0, deadline - time.monotonic()))
        self._server = self._serving = None

    def __enter__(self) -> EmbeddedPortal:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
