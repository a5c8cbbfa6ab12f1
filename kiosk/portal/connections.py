"""The reference portal's connections: counted, capped, timed, and all cut at shutdown.

Why: `ThreadingHTTPServer` starts a thread per connection without limit, and a socket timeout
only bounds each wait for a byte; a client sending its request one byte every few seconds (or
thousands of them) would hold threads forever. So, as a gateway does: at most `max_connections`
at once (one more is answered `503` at once and closed), and a request whose line, headers and
body have not all arrived within `request_read_s` of its first wait is cut by a reaper thread.
Idle keep-alive connections end after the same time.
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from http.server import ThreadingHTTPServer
from typing import Any

__all__ = ["GuardedHTTPServer"]

_BUSY = json.dumps({"error": {"code": "unavailable", "message": "Too many connections; retry "
                              "shortly.", "field": None}}).encode()


class GuardedHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], handler: Any, *, max_connections: int = 64,
                 request_read_s: float = 30.0) -> None:
        self.max_connections = max_connections
        self.request_read_s = request_read_s
        self._conns: set[socket.socket] = set()
        self._reading: dict[socket.socket, float] = {}  # connection -> read deadline (monotonic)
        self._handler_threads: list[threading.Thread] = []
        self._conn_lock = threading.Lock()
        self._reaper_stop = threading.Event()
        self._reaper_wake = threading.Event()  # a read started, or the server stops
        self._reaper: threading.Thread | None = None
        super().__init__(address, handler)

    #: set to serve TLS (and, with `verify_mode`, ask for client certificates)
    ssl_context: ssl.SSLContext | None = None

    def get_request(self) -> tuple[Any, Any]:
        """Accept; under TLS wrap without handshaking (the handler does it, with a timeout)."""
        sock, address = super().get_request()
        if self.ssl_context is not None:
            sock = self.ssl_context.wrap_socket(sock, server_side=True,
                                                do_handshake_on_connect=False)
        return sock, address

    def start_reaper(self) -> None:
        self._reaper = threading.Thread(target=self._reap, name="portal-reaper", daemon=True)
        self._reaper.start()

    def _reap(self) -> None:
        """Cut each connection whose read deadline has passed; sleeps until the next deadline (or,
        with nothing being read, until a read starts or the server stops)."""
        while not self._reaper_stop.is_set():
            now = time.monotonic()
            with self._conn_lock:
                self._reaper_wake.clear()  # under the lock: a read started after this wakes us
                late = [conn for conn, deadline in self._reading.items() if deadline <= now]
                for conn in late:
                    del self._reading[conn]
                upcoming = min(self._reading.values(), default=None)
            for conn in late:
                try:
                    conn.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
            self._reaper_wake.wait(None if upcoming is None else max(0.0, upcoming - now))

    def read_started(self, conn: socket.socket) -> None:
        with self._conn_lock:
            self._reading[conn] = time.monotonic() + self.request_read_s
            self._reaper_wake.set()

    def read_done(self, conn: socket.socket) -> None:
        with self._conn_lock:
            self._reading.pop(conn, None)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._conn_lock:
            self._handler_threads = [x for x in self._handler_threads if x.is_alive()]
            full = len(self._handler_threads) >= self.max_connections
        if full:
            self._refuse(request)
            return
        t = threading.Thread(target=self.process_request_thread, args=(request, client_address),
                             name="portal-connection", daemon=True)
        with self._conn_lock:
            self._handler_threads.append(t)
            self._conns.add(request)
        t.start()

    def _refuse(self, request: socket.socket) -> None:
        """Answer 503 without reading the request, then close (never blocks the accept loop)."""
        try:
            request.setblocking(False)
            request.send(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                         b"Retry-After: 1\r\nConnection: close\r\nContent-Length: "
                         + str(len(_BUSY)).encode() + b"\r\n\r\n" + _BUSY)
        except OSError:
            pass
        finally:
            self.shutdown_request(request)

    def shutdown_request(self, request: Any) -> None:
        with self._conn_lock:
            self._conns.discard(request)
            self._reading.pop(request, None)
        super().shutdown_request(request)

    def close_connections(self, timeout: float) -> None:
        """Cut every open connection, stop the reaper and join handler threads (bounded)."""
        self._reaper_stop.set()
        self._reaper_wake.set()
        with self._conn_lock:
            conns, threads = list(self._conns), list(self._handler_threads)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        deadline = time.monotonic() + timeout
        if self._reaper is not None:
            self._reaper.join(max(0.0, deadline - time.monotonic()))
        for t in threads:
            t.join(max(0.0, deadline - time.monotonic()))
