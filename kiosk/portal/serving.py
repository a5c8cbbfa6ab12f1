"""A socketserver's accept loop that sleeps until a connection arrives or it is stopped.

``serve_forever(poll_interval)`` wakes every poll interval to look for a shutdown request: an idle
kiosk would wake its metrics server (and the demo's embedded portal) many times a second, and a
shutdown waits up to one interval. Here the loop waits on the listening socket and on a wake-up
pipe, so it sleeps for as long as nobody connects and ends as soon as ``stop()`` is called.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import socketserver
import threading

__all__ = ["QuietServing"]


class QuietServing:
    """Serves ``server`` on a thread of its own until ``stop()``; ``server_close`` stays the
    caller's (after ``stop``)."""

    def __init__(self, server: socketserver.TCPServer, name: str) -> None:
        self._server = server
        self._wake_read, self._wake_write = os.pipe()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _serve(self) -> None:
        server = self._server
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(server.fileno(), selectors.EVENT_READ, "accept")
                selector.register(self._wake_read, selectors.EVENT_READ, "stop")
                while True:
                    events = {key.data for key, _ in selector.select()}
                    if "stop" in events:
                        return
                    server._handle_request_noblock()  # type: ignore[attr-defined]  # what serve_forever calls
                    server.service_actions()
        finally:
            os.close(self._wake_read)

    def stop(self, timeout: float) -> bool:
        """Wake the loop and wait up to ``timeout`` s for it to end; False if it did not."""
        if self._thread.ident is not None:
            with contextlib.suppress(OSError):
                os.write(self._wake_write, b"x")
            self._thread.join(timeout)
        else:  # never started: the read end is not the thread's to close
            os.close(self._wake_read)
        with contextlib.suppress(OSError):
            os.close(self._wake_write)
        return not self._thread.is_alive()
