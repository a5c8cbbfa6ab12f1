"""What only the pcsc backend does, against the real pcscd with vsmartcard's vpcd driver."""

from __future__ import annotations

import pytest
from device_helpers import SELECT_EMRTD, VPCD_READER, FakeIcc, Recorder

from devices.card import CardInserted, errors, open_reader


@pytest.fixture
def reader(vpcd_port):
    r = open_reader("pcsc", reader=VPCD_READER, poll_s=0.1)
    yield r
    r.stop()


@pytest.mark.parametrize("emrtd", [True, False])
def test_read_selects_the_emrtd_application_then_offers_the_fallbacks(vpcd_port, reader, emrtd):
    card = FakeIcc(vpcd_port, emrtd=emrtd)
    events = Recorder()
    reader.subscribe(events)
    reader.start()
    card.insert()
    try:
        events.wait_for(lambda e: isinstance(e, CardInserted))
        with pytest.raises(errors.UnsupportedOperation) as info:
            reader.read_identity(timeout=5.0)
    finally:
        card.remove()
    assert SELECT_EMRTD in card.apdus
    message = str(info.value)
    assert "type your ID number" in message or "type\nyour ID number" in message
    assert ("not a chip ID card" in message) is (not emrtd)


def test_reader_filter_hides_other_readers(reader):
    reader.start()
    assert reader.readers() == [VPCD_READER]
    unfiltered = open_reader("pcsc", poll_s=0.1)
    unfiltered.start()
    try:
        assert VPCD_READER in unfiltered.readers()
        assert len(unfiltered.readers()) >= 1
    finally:
        unfiltered.stop()
