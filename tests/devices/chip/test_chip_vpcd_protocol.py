"""The vpcd wire protocol, with the test playing the vpcd driver on a loopback socket (no pcscd)."""

from __future__ import annotations

import socket
import struct
from collections.abc import Iterator

import pytest
from chip_helpers import CARD_ACCESS, plain_files

from devices.card.chip import ChipKeys, Hostile, VirtualChip
from devices.card.chip.vpcd import VpcdClient


class FakeVpcd:
    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(5)
        self.port = self.server.getsockname()[1]
        self.conn: socket.socket | None = None

    def accept(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.conn, _ = self.server.accept()
        self.conn.settimeout(5)

    def send(self, payload: bytes) -> None:
        assert self.conn is not None
        self.conn.sendall(struct.pack(">H", len(payload)) + payload)

    def receive(self) -> bytes | None:
        assert self.conn is not None
        header = self._exact(2)
        return None if header is None else self._exact(struct.unpack(">H", header)[0])

    def _exact(self, size: int) -> bytes | None:
        assert self.conn is not None
        data = b""
        while len(data) < size:
            chunk = self.conn.recv(size - len(data))
            if not chunk:
                return None
            data += chunk
        return data

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
        self.server.close()


@pytest.fixture
def vpcd() -> Iterator[FakeVpcd]:
    fake = FakeVpcd()
    yield fake
    fake.close()


def test_atr_power_and_apdus(vpcd: FakeVpcd) -> None:
    chip = VirtualChip(plain_files(), ChipKeys())
    with VpcdClient(chip, port=vpcd.port) as client:
        vpcd.accept()
        vpcd.send(b"\x04")
        assert vpcd.receive() == chip.atr
        vpcd.send(b"\x01")  # power on: no answer; the next thing back is the APDU's
        vpcd.send(bytes.fromhex("00A4020C02011C"))
        assert vpcd.receive() == b"\x90\x00"
        vpcd.send(bytes.fromhex("00B0000004"))
        assert vpcd.receive() == CARD_ACCESS[:4] + b"\x90\x00"
        assert client.apdus == 2
        vpcd.send(b"\x02")  # reset forgets the selection
        vpcd.send(bytes.fromhex("00B0000004"))
        assert vpcd.receive() == b"\x69\x85"
    assert not client.running
    assert vpcd.receive() is None  # stop() closed the connection: the card is removed


def test_the_client_sets_tcp_nodelay(vpcd: FakeVpcd) -> None:
    client = VpcdClient(VirtualChip(plain_files(), ChipKeys()), port=vpcd.port)
    client.start()
    try:
        vpcd.accept()
        assert client._sock is not None
        assert client._sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
    finally:
        client.stop()


def test_driver_going_away_ends_the_client_thread(vpcd: FakeVpcd) -> None:
    client = VpcdClient(VirtualChip(plain_files(), ChipKeys()), port=vpcd.port)
    client.start()
    vpcd.accept()
    assert vpcd.conn is not None
    vpcd.conn.close()
    vpcd.conn = None
    assert client._thread is not None
    client._thread.join(timeout=5)
    assert not client.running
    client.stop()


def test_hostile_removal_closes_the_socket(vpcd: FakeVpcd) -> None:
    chip = VirtualChip(plain_files(), ChipKeys(), hostile=Hostile("remove", after=1))
    client = VpcdClient(chip, port=vpcd.port)
    client.start()
    try:
        vpcd.accept()
        vpcd.send(bytes.fromhex("00A4020C02011C"))
        assert vpcd.receive() == b"\x90\x00"
        vpcd.send(bytes.fromhex("00B0000004"))
        assert vpcd.receive() is None
        assert client.removed_by_chip.wait(5)
    finally:
        client.stop()
    client.start()  # the hand puts the card back: the same client reconnects
    try:
        vpcd.accept()
        with pytest.raises(RuntimeError):
            client.start()  # but not twice at once
        vpcd.send(bytes.fromhex("00A4040C07A0000002471001"))
        assert vpcd.receive() is None  # still hostile: the chip counts on, and leaves again
    finally:
        client.stop()
