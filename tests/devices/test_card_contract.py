"""One contract suite, run against every card reader backend (virtual, and pcsc via pcscd+vpcd)."""

from __future__ import annotations

import threading

import pytest
from device_helpers import Recorder

from devices.card import CardInserted, CardRead, CardRemoved, ReaderAdded, ReadProgress, errors


def test_not_started_has_no_readers_and_cannot_read(card_harness):
    reader = card_harness.reader
    assert reader.readers() == []
    assert reader.card_present() is False
    with pytest.raises(errors.NoReader):
        reader.read_identity(timeout=1.0)


def test_start_reports_the_reader_on_the_device_thread(card_harness):
    events = Recorder()
    card_harness.reader.subscribe(events)
    card_harness.reader.start()
    events.wait_for(lambda e: e == ReaderAdded(card_harness.reader_name))
    assert card_harness.reader_name in card_harness.reader.readers()
    assert threading.current_thread().name not in events.threads
    assert card_harness.reader.card_present() is False


def test_read_without_card_raises_no_card(card_harness):
    card_harness.reader.start()
    with pytest.raises(errors.NoCard) as info:
        card_harness.reader.read_identity(timeout=2.0)
    assert "reader" in str(info.value)


def test_insert_and_remove_are_reported(card_harness):
    events = card_harness.start_with_card()
    assert card_harness.reader.card_present() is True
    card_harness.remove()
    events.wait_for(lambda e: e == CardRemoved(card_harness.reader_name))
    assert card_harness.reader.card_present() is False
    kinds = [type(e) for e in events.items if isinstance(e, (CardInserted, CardRemoved))]
    assert kinds == [CardInserted, CardRemoved]


def test_read_identity_reads_and_verifies_the_chip(card_harness):
    events = card_harness.start_with_card()
    result = card_harness.reader.read_identity(timeout=10.0, key=card_harness.key)
    assert isinstance(result, CardRead)
    assert result.identity == card_harness.expected_identity
    assert result.read_ms >= 0
    assert result.verified and result.verification.access == "PACE"
    assert result.verification.outcome == "verified" and result.verification.problems == ()
    assert result.portrait is not None and result.portrait_mime == "image/jpeg"
    assert result.portrait_png is not None and result.portrait_png[:8] == b"\x89PNG\r\n\x1a\n"
    progress = events.of(ReadProgress)
    assert {"EF.COM", "DG1", "DG2", "DG13", "EF.SOD"} <= {p.file for p in progress}
    dg2 = [p for p in progress if p.file == "DG2"]
    assert dg2[-1].done == dg2[-1].total > len(result.portrait)
    for text in (card_harness.expected_identity.full_name, card_harness.expected_identity.id_number):
        assert text not in repr(result)
        assert text not in repr(result.verification)


def test_a_wrong_key_is_access_denied(card_harness):
    from devices.card.reader_session import AccessKey

    card_harness.start_with_card()
    with pytest.raises(errors.AccessDenied) as info:
        card_harness.reader.read_identity(timeout=10.0, key=AccessKey(can="000000"))
    assert "ID number" in str(info.value)


def test_unsubscribe_stops_delivery(card_harness):
    kept, dropped = Recorder(), Recorder()
    card_harness.reader.subscribe(kept)
    unsubscribe = card_harness.reader.subscribe(dropped)
    unsubscribe()
    unsubscribe()  # idempotent
    card_harness.reader.start()
    kept.wait_for(lambda e: isinstance(e, ReaderAdded))
    card_harness.insert()
    kept.wait_for(lambda e: isinstance(e, CardInserted))
    assert dropped.items == []


def test_a_failing_callback_does_not_stop_the_reader(card_harness, caplog):
    def explode(event):
        raise RuntimeError("subscriber bug")

    events = Recorder()
    card_harness.reader.subscribe(explode)
    card_harness.reader.subscribe(events)
    card_harness.reader.start()
    card_harness.insert()
    events.wait_for(lambda e: isinstance(e, CardInserted))
    assert "subscriber raised" in caplog.text


def test_stop_is_idempotent_and_the_reader_restarts(card_harness):
    reader = card_harness.reader
    reader.stop()  # never started: no-op
    reader.start()
    reader.start()  # already started: no-op
    reader.stop(timeout=2.0)
    reader.stop(timeout=2.0)
    assert reader.readers() == []
    events = Recorder()
    reader.subscribe(events)
    reader.start()
    events.wait_for(lambda e: e == ReaderAdded(card_harness.reader_name))
