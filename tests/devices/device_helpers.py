"""Helpers for the device tests: an event recorder and a fake card for the vpcd reader.

pcscd itself comes from the shared ``tests/pcsc_harness.py`` (one pcscd per test process: the PC/SC
client library reads its socket path once per process, so suites cannot each bring their own).

The fake card speaks the vpcd socket protocol (vsmartcard's virtual reader driver, loaded by the
real pcscd): 2-byte big-endian length + payload. One-byte payloads are control commands (0 power
off, 1 power on, 2 reset, 4 "send your ATR"); anything longer is a command APDU to answer.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PROFILES_DIR = ROOT / "assets" / "profiles"
TEST_CSCA_DIR = ROOT / "assets" / "test-pki" / "csca"
SAMPLES_DIR = ROOT / "assets" / "samples"
VPCD_READER = "Virtual PCD 00 00"  # slot 00 is ours; the chip tests use slot 01
ATR = bytes.fromhex("3B80800101")  # T=1, no historical bytes
SELECT_EMRTD = bytes.fromhex("00A4040C07A0000002471001")


class Recorder:
    """Collects callback items and lets a test wait for one without sleeping."""

    def __init__(self) -> None:
        self.items: list[Any] = []
        self.threads: list[str] = []
        self._cond = threading.Condition()

    def __call__(self, item: Any) -> None:
        with self._cond:
            self.items.append(item)
            self.threads.append(threading.current_thread().name)
            self._cond.notify_all()

    def wait_for(self, predicate: Callable[[Any], bool], timeout: float = 5.0) -> Any:
        with self._cond:
            found: list[Any] = []

            def check() -> bool:
                found[:] = [i for i in self.items if predicate(i)]
                return bool(found)

            if not self._cond.wait_for(check, timeout=timeout):
                raise AssertionError(f"no matching item within {timeout} s; got {self.items!r}")
            return found[0]

    def of(self, kind: type) -> list[Any]:
        with self._cond:
            return [i for i in self.items if isinstance(i, kind)]


class FakeIcc:
    """A card on the vpcd reader: present while connected; answers SELECT of the eMRTD AID."""

    def __init__(self, port: int, emrtd: bool = True) -> None:
        self.port, self.emrtd = port, emrtd
        self.apdus: list[bytes] = []
        self._sock: socket.socket | None = None
        self._thread: threading.Thread | None = None

    def insert(self) -> None:
        self._sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        self._sock.settimeout(None)
        self._thread = threading.Thread(target=self._serve, args=(self._sock,), name="fake-icc")
        self._thread.start()

    def remove(self) -> None:
        if self._sock is None:
            return
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        assert self._thread is not None
        self._thread.join(timeout=5)
        self._sock = self._thread = None
        wait_until_absent(VPCD_READER)  # so a quick re-insert is seen as a new card

    def _serve(self, sock: socket.socket) -> None:
        try:
            while True:
                header = _recv_exact(sock, 2)
                if header is None:
                    return
                payload = _recv_exact(sock, struct.unpack(">H", header)[0]) or b""
                reply = self._answer(payload)
                if reply is not None:
                    sock.sendall(struct.pack(">H", len(reply)) + reply)
        except OSError:
            return

    def _answer(self, payload: bytes) -> bytes | None:
        if len(payload) == 1:
            return ATR if payload[0] == 4 else None
        self.apdus.append(payload)
        if payload == SELECT_EMRTD and self.emrtd:
            return b"\x90\x00"
        return b"\x6a\x82"


class ChipCard:
    """A real virtual CCCD chip on the vpcd reader (``VpcdClient``), with FakeIcc's insert/remove.

    Each ``insert`` puts a fresh copy of ``chip`` (same files and keys, no session, full PACE
    retry counter) on the reader, so tests do not leak chip state into each other."""

    def __init__(self, port: int, chip: Any) -> None:
        self.port, self.chip = port, chip
        self.client: Any = None

    def insert(self) -> None:
        from devices.card.chip import VirtualChip
        from devices.card.chip.vpcd import VpcdClient

        fresh = VirtualChip(self.chip.files, self.chip.keys, hostile=self.chip.hostile)
        self.client = VpcdClient(fresh, port=self.port)
        self.client.start()

    def remove(self) -> None:
        if self.client is None:
            return
        self.client.stop()
        self.client = None
        wait_until_absent(VPCD_READER)


def _recv_exact(sock: socket.socket, size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def wait_until_absent(reader: str, timeout: float = 5.0) -> None:
    """Block (in PC/SC, not by sleeping) until pcscd reports ``reader`` empty."""
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hresult == scard.SCARD_S_SUCCESS
    try:
        state = scard.SCARD_STATE_UNAWARE
        for _ in range(int(timeout * 10)):
            hresult, states = scard.SCardGetStatusChange(context, 100, [(reader, state)])
            if hresult == scard.SCARD_S_SUCCESS:
                state = states[0][1] & ~scard.SCARD_STATE_CHANGED
            if not state & scard.SCARD_STATE_PRESENT and state != scard.SCARD_STATE_UNAWARE:
                return
        raise AssertionError(f"pcscd still reports a card in {reader!r}")
    finally:
        scard.SCardReleaseContext(context)
