"""A total deadline for one HTTP call, whatever the server does, and a size limit on its answer.

Why: connect and read timeouts bound each wait for a byte, not the call. A server (or a proxy, or
a captive network) that sends one byte every 1.5 s keeps a call alive for minutes under a 3 s read
timeout, and the kiosk's whole queue waits behind it; one that sends 300 MB fills the kiosk's
memory. So every call runs under a `Deadline`: a watchdog thread that, when the time is up, shuts
the call's socket down (the blocked read or write returns at once and the call fails), and the
answer is read in chunks and refused past `max_bytes`.

How the socket is found: `DeadlineAdapter` is a `requests` transport adapter whose connection
pools hand each connection they give out to the deadline watching the current thread's call
(`_get_conn`, the one place urllib3 takes a connection, new or kept alive, for a request).
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

__all__ = ["Deadline", "DeadlineAdapter", "watching"]

_current = threading.local()


class Deadline:
    """Cuts the connection of the call it watches once `seconds` have passed."""

    def __init__(self, seconds: float) -> None:
        if not seconds > 0:
            raise ValueError("a deadline must be positive")
        self.seconds = seconds
        self.expired = False
        self._done = threading.Event()
        self._conns: list[Any] = []
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._watch, name="portal-deadline", daemon=True)

    def attach(self, conn: Any) -> None:
        with self._lock:
            self._conns.append(conn)
            if self.expired:
                self._cut(conn)

    def _watch(self) -> None:
        if self._done.wait(self.seconds):
            return
        with self._lock:
            self.expired = True
            conns = list(self._conns)
        for conn in conns:
            self._cut(conn)
        while not self._done.wait(0.05):  # a connection still being opened: cut it once it is
            with self._lock:
                conns = list(self._conns)
            for conn in conns:
                self._cut(conn)

    @staticmethod
    def _cut(conn: Any) -> None:
        sock = getattr(conn, "sock", None)
        if sock is None:
            return
        try:
            # the plain socket's shutdown, also under TLS: the SSL wrapper's own would drop its
            # state under the reading thread's feet; this makes the blocked read return at once
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass

    def __enter__(self) -> Deadline:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()


@contextmanager
def watching(deadline: Deadline) -> Iterator[Deadline]:
    """Run the block's HTTP call (on this thread) under `deadline`."""
    _current.deadline = deadline
    try:
        with deadline:
            yield deadline
    finally:
        _current.deadline = None


def _register(conn: Any) -> Any:
    deadline = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.attach(conn)
    return conn


class _Pool(HTTPConnectionPool):
    def _get_conn(self, timeout: float | None = None) -> Any:
        return _register(super()._get_conn(timeout))


class _TLSPool(HTTPSConnectionPool):
    def _get_conn(self, timeout: float | None = None) -> Any:
        return _register(super()._get_conn(timeout))


class DeadlineAdapter(HTTPAdapter):
    """`requests` adapter whose connections a `Deadline` can cut."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if manager.pool_classes_by_scheme is not _POOLS and not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = _POOLS
        return manager


_POOLS = {"http": _Pool, "https": _TLSPool}
