"""Readers as a kiosk has them, through pcscd: several at once, a card there before start-up, the
readers going away and coming back while the kiosk runs; all from pcscd's events.

The shared pcscd has one vpcd device with two slots ("Virtual PCD 00 00" and "00 01": like a
reader with a contact and a contactless slot). The hot-plug test runs its own pcscd (stopped and
started again: every reader vanishes and returns) and the kiosk's reader in a child process.
"""

from __future__ import annotations

import json
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from device_helpers import TEST_CSCA_DIR, ChipCard, Recorder
from pcsc_harness import READER_PORTS, PrivatePcscd, private_pcscd  # noqa: F401 - fixture

from devices.card import CardInserted, CardRemoved, ReaderAdded, open_reader
from devices.card.chip.vpcd import VpcdClient
from devices.card.pcsc import PNP_READER, PcscCardReader
from devices.card.profiles import CardProfile
from devices.card.reader_session import AccessKey

SLOT_0, SLOT_1 = "Virtual PCD 00 00", "Virtual PCD 00 01"
CHILD = Path(__file__).with_name("reader_events_child.py")


@pytest.fixture
def reader(pcsc_service) -> Any:
    r = open_reader("pcsc", reader="Virtual PCD", csca_dir=TEST_CSCA_DIR)
    yield r
    r.stop()


@pytest.fixture
def chip(profile_chip: Any) -> Any:
    return profile_chip


def test_of_two_readers_the_one_with_the_card_is_read(reader: PcscCardReader, chip: Any,
                                                      profiles: list[CardProfile]) -> None:
    events = Recorder()
    reader.subscribe(events)
    reader.start()
    assert {SLOT_0, SLOT_1} <= set(reader.readers())
    card = ChipCard(READER_PORTS[SLOT_1], chip)
    card.insert()
    try:
        events.wait_for(lambda e: e == CardInserted(SLOT_1))
        read = reader.read_identity(timeout=20.0, key=AccessKey.from_id(profiles[0].id_number))
        assert read.verified and read.identity.id_number == profiles[0].id_number
    finally:
        card.client.stop()
    events.wait_for(lambda e: e == CardRemoved(SLOT_1))


def test_with_cards_on_both_slots_the_latest_arrival_is_read(reader: PcscCardReader, chip: Any,
                                                             profiles: list[CardProfile]) -> None:
    from devices.card.chip import VirtualChip

    events = Recorder()
    reader.subscribe(events)
    reader.start()
    first, second = VirtualChip(chip.files, chip.keys), VirtualChip(chip.files, chip.keys)
    with VpcdClient(first, port=READER_PORTS[SLOT_0]):
        events.wait_for(lambda e: e == CardInserted(SLOT_0))
        with VpcdClient(second, port=READER_PORTS[SLOT_1]):
            events.wait_for(lambda e: e == CardInserted(SLOT_1))
            reader.read_identity(timeout=20.0, key=AccessKey.from_id(profiles[0].id_number))
            assert second.apdu_count > 0 and first.apdu_count == 0
        events.wait_for(lambda e: e == CardRemoved(SLOT_1))
        reader.read_identity(timeout=20.0, key=AccessKey.from_id(profiles[0].id_number))
        assert first.apdu_count > 0  # the card still there is read once the other left
    events.wait_for(lambda e: e == CardRemoved(SLOT_0))


def test_a_card_on_the_reader_before_start_up_is_reported(pcsc_service, chip: Any,
                                                          profiles: list[CardProfile]) -> None:
    card = ChipCard(READER_PORTS[SLOT_1], chip)
    card.insert()
    reader = open_reader("pcsc", reader=SLOT_1, csca_dir=TEST_CSCA_DIR)
    events = Recorder()
    reader.subscribe(events)
    try:
        reader.start()
        events.wait_for(lambda e: e == CardInserted(SLOT_1))
        assert reader.card_present()
        read = reader.read_identity(timeout=20.0, key=AccessKey.from_id(profiles[0].id_number))
        assert read.verified
    finally:
        reader.stop()
        card.client.stop()


def test_the_monitor_waits_on_events_including_plug_and_play(reader: PcscCardReader,
                                                             monkeypatch) -> None:
    """No polling: every wait includes pcscd's PnP pseudo-reader and only a long safety timeout."""
    from devices.card import pcsc

    waits: list[tuple[int, list[str]]] = []
    real = pcsc.scard.SCardGetStatusChange
    first = threading.Event()

    def spy(context, timeout_ms, states):
        waits.append((timeout_ms, [name for name, _ in states]))
        first.set()
        return real(context, timeout_ms, states)

    monkeypatch.setattr(pcsc.scard, "SCardGetStatusChange", spy)
    reader.start()
    assert first.wait(5)
    timeout_ms, names = waits[0]
    assert PNP_READER in names and {SLOT_0, SLOT_1} <= set(names)
    assert timeout_ms >= 10_000


# -- readers that go away and come back ------------------------------------------------------------
class _Child:
    """The kiosk's reader in a child process talking to the private pcscd (JSON lines)."""

    def __init__(self, daemon: PrivatePcscd) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(CHILD), PrivatePcscd.NAME, str(TEST_CSCA_DIR)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=daemon.client_env(),
            cwd=Path(__file__).resolve().parents[2])
        self.lines: queue.Queue[dict[str, Any]] = queue.Queue()
        assert self.process.stdout is not None
        self._pump = threading.Thread(target=self._read, name="child-events", daemon=True)
        self._pump.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(json.loads(line))

    def wait_for(self, event: str, reader: str | None = None, timeout: float = 20.0
                 ) -> dict[str, Any]:
        while True:
            item = self.lines.get(timeout=timeout)
            if item["event"] == event and (reader is None or item.get("reader") == reader):
                return item

    def command(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def close(self) -> None:
        if self.process.poll() is None:
            self.command("quit")
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self._pump.join(timeout=10)  # the child is gone: its stdout ends
        for stream in (self.process.stdin, self.process.stdout):  # left open, the garbage
            if stream is not None:  # collector would warn in whichever test runs then
                stream.close()
        self._pump.join(timeout=10)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()


def test_readers_unplugged_and_plugged_again_while_running(private_pcscd: PrivatePcscd, chip: Any,
                                                           profiles: list[CardProfile]) -> None:
    from devices.card.chip import VirtualChip

    slot = f"{PrivatePcscd.NAME} 00 00"
    card = VpcdClient(VirtualChip(chip.files, chip.keys), port=private_pcscd.port)
    card.start()  # on the reader before the kiosk starts
    child = _Child(private_pcscd)
    try:
        child.wait_for("CardInserted", slot)
        child.command(f"read {profiles[0].id_number}")
        assert child.wait_for("Read")["verified"] is True
        private_pcscd.stop()  # every reader goes away, with the card on it
        child.wait_for("CardRemoved", slot)
        child.wait_for("ReaderRemoved", slot)
        card.stop()
        private_pcscd.start()  # ...and comes back
        child.wait_for("ReaderAdded", slot)
        card = VpcdClient(VirtualChip(chip.files, chip.keys), port=private_pcscd.port)
        card.start()
        child.wait_for("CardInserted", slot)
        child.command(f"read {profiles[0].id_number}")
        assert child.wait_for("Read")["verified"] is True
    finally:
        child.close()
        card.stop()
    assert child.process.returncode == 0


def test_reader_added_is_reported_for_each_slot(reader: PcscCardReader) -> None:
    events = Recorder()
    reader.subscribe(events)
    reader.start()
    events.wait_for(lambda e: e == ReaderAdded(SLOT_0))
    events.wait_for(lambda e: e == ReaderAdded(SLOT_1))
