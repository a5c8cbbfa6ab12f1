"""What only the pcsc backend does, through the real stack: pyscard -> pcscd -> vpcd -> VirtualChip.

The virtual chip answers exactly like a CCCD (PACE-CAN, BAC, secure messaging, AA), so these
tests run ``PcscCardReader.read_identity`` end to end: the same code a kiosk runs on real cards.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from device_helpers import SELECT_EMRTD, TEST_CSCA_DIR, VPCD_READER, ChipCard, FakeIcc, Recorder

from devices.card import CardInserted, ReadProgress, errors, open_reader
from devices.card.base import KeyRequired, Verdict
from devices.card.chip import Hostile
from devices.card.chip.builder import chip_from_profile
from devices.card.lds.build_chip_files import Forgery
from devices.card.reader_session import AccessKey
from devices.card.virtual import profile_access_key


@pytest.fixture
def reader(vpcd_port):
    r = open_reader("pcsc", reader=VPCD_READER, csca_dir=TEST_CSCA_DIR)
    yield r
    r.stop()


@contextmanager
def card_on(reader, card) -> Iterator[Recorder]:
    """Start ``reader`` with ``card`` on it; once pcscd reports the card, the body runs; the card
    is taken off afterwards, whatever happened."""
    events = Recorder()
    reader.subscribe(events)
    reader.start()
    card.insert()
    try:
        events.wait_for(lambda e: isinstance(e, CardInserted))
        yield events
    finally:
        card.remove()


@pytest.fixture
def on_reader(vpcd_port, reader):
    """Put a chip on the vpcd reader (started), wait for pcscd to see it; removed afterwards."""
    cards: list[ChipCard] = []
    events = Recorder()
    reader.subscribe(events)
    reader.start()

    def put(chip) -> Recorder:
        card = ChipCard(vpcd_port, chip)
        cards.append(card)
        card.insert()
        events.wait_for(lambda e: isinstance(e, CardInserted))
        return events

    yield put
    for card in cards:
        card.remove()


def test_without_a_key_the_reader_asks_for_the_id_before_touching_the_card(vpcd_port, reader):
    card = FakeIcc(vpcd_port)
    with card_on(reader, card), pytest.raises(KeyRequired) as info:
        reader.read_identity(timeout=5.0)
    assert isinstance(info.value, errors.AccessDenied)
    assert "ID number" in str(info.value) and "QR code" in str(info.value)
    assert card.apdus == []


def test_a_card_that_is_not_an_id_card_is_named_as_such(vpcd_port, reader, profiles):
    card = FakeIcc(vpcd_port, emrtd=False)
    with card_on(reader, card), pytest.raises(errors.UnsupportedOperation) as info:
        reader.read_identity(timeout=5.0, key=profile_access_key(profiles[0]))
    assert SELECT_EMRTD in card.apdus
    assert "not a chip ID card" in str(info.value)


def test_pace_read_verifies_with_progress(on_reader, reader, profiles, profile_chip):
    profile = profiles[0]
    events = on_reader(profile_chip)
    result = reader.read_identity(timeout=10.0, key=AccessKey.from_id(profile.id_number))
    assert result.identity == profile.identity()
    assert result.verified and result.verification.access == "PACE"
    assert result.portrait == profile.portrait_bytes()
    files = {p.file for p in events.of(ReadProgress)}
    assert files == {"EF.COM", "DG1", "DG2", "DG13", "DG14", "DG15", "EF.SOD"}


def test_bac_when_the_chip_has_no_pace(on_reader, reader, profiles):
    profile = profiles[0]
    on_reader(chip_from_profile(profile, pace=False))
    result = reader.read_identity(timeout=10.0, key=profile_access_key(profile))
    assert result.verification.access == "BAC" and result.verified
    assert result.identity == profile.identity()


def test_a_wrong_can_is_access_denied(on_reader, reader, profile_chip):
    on_reader(profile_chip)
    with pytest.raises(errors.AccessDenied) as info:
        reader.read_identity(timeout=10.0, key=AccessKey(can="000000"))
    assert not isinstance(info.value, KeyRequired)
    assert "ID number" in str(info.value)


def test_a_forged_sod_reads_but_passive_authentication_fails(on_reader, reader, profiles):
    profile = profiles[0]
    on_reader(chip_from_profile(profile, forgery=Forgery.BAD_SIGNATURE))
    result = reader.read_identity(timeout=10.0, key=AccessKey.from_id(profile.id_number))
    check = result.verification
    assert not result.verified and check.outcome == "failed"
    failed = [c for c in check.problems if c.status is Verdict.FAILED]
    assert [c.name for c in failed] == ["sod_signature"]
    assert failed[0].reason in check.summary
    assert result.identity == profile.identity()  # read, shown with the warning


def test_a_clone_fails_active_authentication(on_reader, reader, profiles):
    profile = profiles[0]
    on_reader(chip_from_profile(profile, clone=True))
    result = reader.read_identity(timeout=10.0, key=AccessKey.from_id(profile.id_number))
    assert not result.verified
    assert all(c.status is Verdict.PASSED for c in result.verification.passive)
    assert result.verification.active.status is Verdict.FAILED
    assert "clone" in result.verification.summary


def test_card_pulled_mid_read_is_card_removed(on_reader, reader, profiles):
    profile = profiles[0]
    hostile_chip = chip_from_profile(profile, hostile=Hostile("remove", 20))
    on_reader(hostile_chip)
    with pytest.raises(errors.CardRemoved):
        reader.read_identity(timeout=10.0, key=AccessKey.from_id(profile.id_number))


def test_an_unreadable_csca_store_is_reported_for_it(vpcd_port, tmp_path, profiles, profile_chip):
    reader = open_reader("pcsc", reader=VPCD_READER, csca_dir=tmp_path / "missing")
    try:
        with (card_on(reader, ChipCard(vpcd_port, profile_chip)),
              pytest.raises(errors.CardError) as info):
            reader.read_identity(timeout=10.0, key=profile_access_key(profiles[0]))
    finally:
        reader.stop()
    assert "devices.csca_dir" in str(info.value)


def test_reader_filter_hides_other_readers(reader):
    reader.start()
    assert reader.readers() == [VPCD_READER]
    unfiltered = open_reader("pcsc")
    unfiltered.start()
    try:
        assert VPCD_READER in unfiltered.readers()
        assert len(unfiltered.readers()) >= 1
    finally:
        unfiltered.stop()
