"""End to end through the real PC/SC stack: pyscard -> pcscd -> vpcd -> VpcdClient -> VirtualChip."""

from __future__ import annotations

import threading
import time

import pytest
from chip_helpers import CARD_ACCESS, SELECT_AID, plain_files
from pcsc_harness import READER_PORTS, VirtualReader

from devices.card import errors
from devices.card.chip import ChipKeys, Hostile, VirtualChip
from devices.card.chip.vpcd import VpcdClient
from devices.card.transport import PcscTransport, list_readers

SELECT_CARD_ACCESS = bytes.fromhex("00A4020C02011C")


def read_card_access(transport: PcscTransport, block: int = 0xDF) -> bytes:
    out = b""
    while True:
        raw = transport.transmit(bytes([0, 0xB0, len(out) >> 8, len(out) & 0xFF, block]))
        out += raw[:-2]
        if raw[-2:] != b"\x90\x00":
            assert raw[-2:] in (b"\x62\x82", b"\x6b\x00")
            return out


def test_pcscd_lists_both_virtual_readers(virtual_reader: VirtualReader) -> None:
    names = list_readers()
    assert set(READER_PORTS) <= set(names)


def test_insert_read_and_remove_through_pcscd(virtual_reader: VirtualReader) -> None:
    chip = VirtualChip(plain_files(), ChipKeys())
    client = VpcdClient(chip, port=virtual_reader.port)
    assert virtual_reader.wait_card(present=False)
    client.start()
    try:
        assert virtual_reader.wait_card(present=True), "pcscd did not see the card arrive"
        with PcscTransport.open(virtual_reader.name) as transport:
            assert transport.transmit(SELECT_AID) == b"\x90\x00"
            assert transport.transmit(bytes.fromhex("00A4000C023F00")) == b"\x6d\x00"
            assert transport.transmit(SELECT_CARD_ACCESS) == b"\x90\x00"
            assert read_card_access(transport, block=9) == CARD_ACCESS
    finally:
        client.stop()
    assert virtual_reader.wait_card(present=False), "pcscd did not see the card leave"
    with pytest.raises(errors.NoCard):
        PcscTransport.open(virtual_reader.name)


def test_round_trip_time_per_apdu(virtual_reader: VirtualReader, capsys: pytest.CaptureFixture) -> None:
    """200 APDUs in a row all answered (vpcd framing, TCP_NODELAY); the time is only printed:
    without QUICKACK each APDU cost ~44 ms, which `kiosk bench card` would show."""
    with virtual_reader.inserted(VirtualChip(plain_files(), ChipKeys())) as client:
        with PcscTransport.open(virtual_reader.name) as transport:
            transport.transmit(SELECT_CARD_ACCESS)
            times = []
            for _ in range(200):
                started = time.perf_counter()
                transport.transmit(bytes.fromhex("00B00000DF"))
                times.append(time.perf_counter() - started)
        assert client.apdus == 201
    times.sort()
    median_ms = times[100] * 1000
    with capsys.disabled():  # speed is `kiosk bench card`'s job; a loaded CI box is slow
        print(f"\nvpcd round trip per APDU: median {median_ms:.2f} ms, "
              f"p95 {times[189] * 1000:.2f} ms, max {times[-1] * 1000:.2f} ms")


def test_card_pulled_mid_read_raises_card_removed(virtual_reader: VirtualReader) -> None:
    chip = VirtualChip(plain_files(), ChipKeys(), hostile=Hostile("remove", after=2))
    with virtual_reader.inserted(chip) as client:
        with PcscTransport.open(virtual_reader.name) as transport:
            transport.transmit(SELECT_CARD_ACCESS)
            transport.transmit(bytes.fromhex("00B0000004"))
            with pytest.raises(errors.CardRemoved):
                transport.transmit(bytes.fromhex("00B0000404"))
        assert client.removed_by_chip.is_set()


def test_slow_card_times_out_and_stop_still_returns(virtual_reader: VirtualReader) -> None:
    chip = VirtualChip(plain_files(), ChipKeys(), hostile=Hostile("slow", after=1, delay_s=3.0))
    with virtual_reader.inserted(chip) as client:
        transport = PcscTransport.open(virtual_reader.name)
        try:
            assert transport.transmit(SELECT_CARD_ACCESS, timeout=2.0) == b"\x90\x00"
            started = time.monotonic()
            with pytest.raises(errors.CardTimeout):
                transport.transmit(bytes.fromhex("00B0000004"), timeout=0.5)
            # returns without waiting for the 3 s answer; generous bound for a loaded CI box
            assert time.monotonic() - started < 0.5 + 10.0
            with pytest.raises(errors.CardTimeout):  # the card is in an unknown state now
                transport.transmit(SELECT_CARD_ACCESS)
            client.stop()  # wakes the slow answer at once; the stuck transmit returns
        finally:
            transport.close()


class _ScardSpy:
    """The real pyscard module, with the order of Cancel/Disconnect and the transmit worker's
    state at disconnect time written down."""

    def __init__(self, real) -> None:
        self._real = real
        self.calls: list[str] = []
        self.worker_alive_at_disconnect: bool | None = None

    def __getattr__(self, name: str):
        return getattr(self._real, name)

    def SCardCancel(self, context):  # noqa: N802 - pyscard's name
        self.calls.append("cancel")
        return self._real.SCardCancel(context)

    def SCardDisconnect(self, card, mode):  # noqa: N802 - pyscard's name
        self.calls.append("disconnect")
        self.worker_alive_at_disconnect = any(
            t.name == "pcsc-transmit" and t.is_alive() for t in threading.enumerate())
        return self._real.SCardDisconnect(card, mode)


def test_close_after_a_timeout_cancels_and_waits_for_the_transmit(
        virtual_reader: VirtualReader, monkeypatch: pytest.MonkeyPatch) -> None:
    """SCardDisconnect must not run while SCardTransmit still runs on the same handle."""
    from smartcard import scard

    from devices.card import transport as transport_mod

    spy = _ScardSpy(scard)
    monkeypatch.setattr(transport_mod, "_scard", lambda: spy)
    chip = VirtualChip(plain_files(), ChipKeys(), hostile=Hostile("slow", after=1, delay_s=2.0))
    with virtual_reader.inserted(chip):
        transport = PcscTransport.open(virtual_reader.name)
        try:
            transport.transmit(SELECT_CARD_ACCESS, timeout=5.0)
            with pytest.raises(errors.CardTimeout):
                transport.transmit(bytes.fromhex("00B0000004"), timeout=0.2)
        finally:
            transport.close()
        assert spy.calls[:2] == ["cancel", "disconnect"]
        assert spy.worker_alive_at_disconnect is False
        assert not [t for t in threading.enumerate() if t.name == "pcsc-transmit"]


def test_vpcd_client_without_a_reader_says_so() -> None:
    client = VpcdClient(VirtualChip(plain_files(), ChipKeys()), port=1, connect_timeout=1.0)
    with pytest.raises(errors.NoReader):
        client.start()


def test_full_read_through_pcscd(virtual_reader: VirtualReader, capsys: pytest.CaptureFixture) -> None:
    """The kiosk's real code path end to end: PACE, SM reads, passive and active authentication."""
    from pathlib import Path

    from devices.card.chip.builder import chip_from_profile
    from devices.card.lds.csca import CscaStore
    from devices.card.profiles import list_profiles
    from devices.card.reader_session import AccessKey, read_document

    root = Path(__file__).resolve().parents[3]
    profile = list_profiles(root / "assets" / "profiles")[0]
    csca = CscaStore.from_folder(root / "assets" / "test-pki" / "csca")
    with virtual_reader.inserted(chip_from_profile(profile)) as client:
        with PcscTransport.open(virtual_reader.name) as transport:
            doc = read_document(transport, AccessKey.from_id(profile.id_number), csca=csca)
    assert doc.access == "PACE" and doc.verified
    assert doc.portrait is not None and doc.portrait.data == profile.portrait_bytes()
    with capsys.disabled():
        print(f"\nfull CCCD read via pcscd+vpcd: {doc.read_ms:.0f} ms, {client.apdus} APDUs")
