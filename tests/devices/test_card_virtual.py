"""What only the virtual reader does: scripted cards, progress, removal mid-read, timeouts."""

from __future__ import annotations

import threading
import time

import pytest
from device_helpers import Recorder

from devices.card import CardInserted, CardRemoved, ReadProgress, errors
from devices.card.virtual import VirtualCardReader, file_sizes


@pytest.fixture
def reader():
    r = VirtualCardReader(read_delay_s=0.05)
    yield r
    r.stop()


def test_read_reports_progress_per_file_with_sizes_from_the_profile(reader, profiles):
    profile = profiles[0]
    events = Recorder()
    reader.subscribe(events)
    reader.start()
    reader.insert(profile)
    result = reader.read_identity(timeout=5.0)
    progress = events.of(ReadProgress)
    sizes = file_sizes(profile)
    assert [p.file for p in progress if p.done == p.total] == ["DG1", "DG2", "DG13"]
    assert {p.file: p.total for p in progress} == sizes
    assert sizes["DG1"] == 5 + 90  # TD1 MRZ in its tag
    assert sizes["DG2"] > len(result.portrait)
    for file in sizes:
        done = [p.done for p in progress if p.file == file]
        assert done == sorted(done) and done[0] == 0 and done[-1] == sizes[file]
    assert result.portrait == profile.portrait.read_bytes()
    assert result.portrait[:3] == b"\xff\xd8\xff"  # JPEG
    assert set(events.threads) == {"virtual-card-reader"}


def test_profiles_with_longer_data_take_longer_files(reader, profiles):
    sizes = [file_sizes(p)["DG13"] for p in profiles]
    assert len(set(sizes)) > 1  # derived from the content, not a constant


def test_removing_the_card_mid_read_raises_card_removed_promptly(profiles):
    reader = VirtualCardReader(read_delay_s=30.0)  # would take 30 s if removal were ignored
    events = Recorder()

    def pull_card_during_dg2(event):
        if isinstance(event, ReadProgress) and event.file == "DG2":
            reader.remove()

    reader.subscribe(pull_card_during_dg2)
    reader.subscribe(events)
    reader.start()
    try:
        reader.insert(profiles[1])
        started = time.monotonic()
        with pytest.raises(errors.CardRemoved) as info:
            reader.read_identity(timeout=60.0)
        assert time.monotonic() - started < 30.0 * 0.5
        assert "leave the card on the reader" in str(info.value)
        events.wait_for(lambda e: isinstance(e, CardRemoved))
        assert not reader.card_present()
    finally:
        reader.stop()


def test_a_slow_read_times_out_and_the_reader_stays_usable(profiles):
    reader = VirtualCardReader(read_delay_s=30.0)
    reader.start()
    try:
        reader.insert(profiles[0])
        started = time.monotonic()
        with pytest.raises(errors.CardTimeout):
            reader.read_identity(timeout=0.2)
        assert time.monotonic() - started < 5.0
        reader.read_delay_s = 0.01
        assert reader.read_identity(timeout=5.0).identity.id_number == profiles[0].id_number
    finally:
        reader.stop()


def test_inserting_another_card_replaces_the_first(reader, profiles):
    events = Recorder()
    reader.subscribe(events)
    reader.start()
    reader.insert(profiles[0])
    reader.insert(profiles[2])
    events.wait_for(lambda e: len([i for i in events.items if isinstance(i, CardInserted)]) == 2)
    kinds = [type(e).__name__ for e in events.items if isinstance(e, (CardInserted, CardRemoved))]
    assert kinds == ["CardInserted", "CardRemoved", "CardInserted"]
    assert reader.read_identity().identity == profiles[2].identity()


def test_a_card_inserted_before_start_is_reported_on_start(reader, profiles):
    events = Recorder()
    reader.subscribe(events)
    reader.insert(profiles[0])
    assert reader.card_present() is False  # the reader is off
    reader.start()
    events.wait_for(lambda e: isinstance(e, CardInserted))
    assert reader.card_present() is True
    reader.stop()
    assert [type(e).__name__ for e in events.items] == ["ReaderAdded", "CardInserted"]
    reader.remove()  # while off: nothing is reported, and nothing stale on the next start
    reader.insert(profiles[1])
    reader.start()
    events.wait_for(lambda e: len(events.of(CardInserted)) == 2)
    reader.stop()
    assert [type(e).__name__ for e in events.items] == ["ReaderAdded", "CardInserted"] * 2


def test_scripted_failure_is_raised_once(reader, profiles):
    reader.start()
    reader.insert(profiles[0])
    reader.fail_next_read(errors.AccessDenied())
    with pytest.raises(errors.AccessDenied):
        reader.read_identity()
    assert reader.read_identity().identity.id_number == profiles[0].id_number


def test_stopping_during_a_read_ends_the_read(profiles):
    reader = VirtualCardReader(read_delay_s=30.0)
    started = Recorder()
    reader.subscribe(started)
    reader.start()
    reader.insert(profiles[0])
    outcome: list[BaseException] = []

    def read():
        try:
            reader.read_identity(timeout=60.0)
        except errors.CardError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=read, name="test-reader-caller")
    worker.start()
    started.wait_for(lambda e: isinstance(e, ReadProgress))
    reader.stop(timeout=2.0)
    worker.join(timeout=5.0)
    assert not worker.is_alive()
    assert isinstance(outcome[0], errors.NoReader)
