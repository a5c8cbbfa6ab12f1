"""A loopback TCP proxy that resets and stalls connections, for the network-fault test.

One thread, one selector: it relays bytes between the kiosk and the portal and, per chunk the kiosk
sends, rolls seeded dice: `reset_rate` forwards the chunk (so the portal may act on it) and then
resets the kiosk's side with an RST; `reset_before_rate` resets without forwarding; `stall_rate`
forwards the chunk and then relays nothing more, closing both sides `stall_s` later (the kiosk sees
a read timeout: outcome unknown). Change the rates at any time; `stop()` closes everything and joins.
"""

from __future__ import annotations

import random
import selectors
import socket
import struct
import threading
import time
from dataclasses import dataclass


@dataclass
class ProxyFaults:
    reset_rate: float = 0.0
    reset_before_rate: float = 0.0
    stall_rate: float = 0.0
    stall_s: float = 1.0


@dataclass
class _Pair:
    client: socket.socket
    upstream: socket.socket
    stalled_until: float | None = None
    closed: bool = False


@dataclass
class ProxyCounts:
    connections: int = 0
    resets: int = 0
    stalls: int = 0
    chunks: int = 0


class FaultyProxy:
    def __init__(self, upstream: tuple[str, int], *, seed: int = 0, name: str = "tcp-proxy") -> None:
        self._upstream = upstream
        self._rng = random.Random(seed)
        self.faults = ProxyFaults()
        self.counts = ProxyCounts()
        self._sel = selectors.DefaultSelector()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.setblocking(False)
        self._sel.register(self._listener, selectors.EVENT_READ, None)
        self._pairs: list[_Pair] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}"

    def start(self) -> str:
        self._thread.start()
        return self.url

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._thread.join(timeout)
        for pair in self._pairs:
            self._close(pair)
        self._sel.close()
        self._listener.close()

    # -- the loop (proxy thread only) -------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopping.is_set():
            for key, _ in self._sel.select(timeout=0.05):
                if key.data is None:
                    self._accept()
                else:
                    pair, from_client = key.data
                    self._relay(pair, from_client)
            now = time.monotonic()
            for pair in [p for p in self._pairs if p.stalled_until and p.stalled_until <= now]:
                self._close(pair)
            self._pairs = [p for p in self._pairs if not p.closed]

    def _accept(self) -> None:
        try:
            client, _ = self._listener.accept()
        except BlockingIOError:
            return
        try:
            upstream = socket.create_connection(self._upstream, timeout=2.0)
        except OSError:
            _reset(client)
            return
        client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        upstream.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        client.settimeout(2.0)
        pair = _Pair(client, upstream)
        self._pairs.append(pair)
        self.counts.connections += 1
        self._sel.register(client, selectors.EVENT_READ, (pair, True))
        self._sel.register(upstream, selectors.EVENT_READ, (pair, False))

    def _relay(self, pair: _Pair, from_client: bool) -> None:
        source, sink = (pair.client, pair.upstream) if from_client else (pair.upstream, pair.client)
        try:
            data = source.recv(65536)
        except OSError:
            data = b""
        if not data:
            self._close(pair)
            return
        action = self._roll() if from_client else "pass"
        if action == "reset_before":
            self.counts.resets += 1
            self._close(pair, reset=True)
            return
        try:
            sink.sendall(data)
        except OSError:
            self._close(pair)
            return
        if action == "reset":
            self.counts.resets += 1
            self._close(pair, reset=True)
        elif action == "stall":
            self.counts.stalls += 1
            self._unwatch(pair)
            pair.stalled_until = time.monotonic() + self.faults.stall_s

    def _roll(self) -> str:
        f = self.faults
        self.counts.chunks += 1
        draw = self._rng.random()
        for action, rate in (("reset", f.reset_rate), ("reset_before", f.reset_before_rate),
                             ("stall", f.stall_rate)):
            if draw < rate:
                return action
            draw -= rate
        return "pass"

    def _unwatch(self, pair: _Pair) -> None:
        for sock in (pair.client, pair.upstream):
            try:
                self._sel.unregister(sock)
            except (KeyError, ValueError):
                pass

    def _close(self, pair: _Pair, *, reset: bool = False) -> None:
        if pair.closed:
            return
        pair.closed = True
        self._unwatch(pair)
        if reset:
            _reset(pair.client)
        else:
            pair.client.close()
        pair.upstream.close()


def _reset(sock: socket.socket) -> None:
    """Close with SO_LINGER 0: the peer gets an RST, not a polite FIN."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    except OSError:
        pass
    sock.close()
