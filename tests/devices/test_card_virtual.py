"""What only the virtual reader does: scripted cards, progress, removal mid-read, timeouts."""

from __future__ import annotations

import threading
import time

import pytest
from device_helpers import Recorder

from devices.card import CardInserted, CardRemoved, ReadProgress, errors
from devices.card.base import KeyRequired, Verdict
from devices.card.chip.builder import chip_from_profile
from devices.card.chip.files import EF_COM, EF_SOD, dg_fid
from devices.card.lds.build_chip_files import Forgery
from devices.card.reader_session import AccessKey
from devices.card.virtual import VirtualCardReader

JP2_MAGIC = bytes.fromhex("0000000C6A5020200D0A870A")


@pytest.fixture
def reader():
    r = VirtualCardReader(read_delay_s=0.05)
    yield r
    r.stop()


def test_read_runs_the_real_protocol_with_progress_per_file(reader, profiles, profile_chip):
    profile = profiles[0]
    events = Recorder()
    reader.subscribe(events)
    reader.start()
    reader.insert(profile)
    result = reader.read_identity(timeout=10.0)
    progress = events.of(ReadProgress)
    files = {"EF.COM": profile_chip.files[EF_COM],  # DG14 first: chip authentication
             **{f"DG{n}": profile_chip.files[dg_fid(n)] for n in (14, 1, 2, 13, 15)},
             "EF.SOD": profile_chip.files[EF_SOD]}
    assert [p.file for p in progress if p.done == p.total] == list(files)  # in read order
    assert {p.file: p.total for p in progress} == {name: len(data) for name, data in files.items()}
    for file in files:
        done = [p.done for p in progress if p.file == file]
        assert done == sorted(done) and done[-1] == len(files[file])
    assert len([p for p in progress if p.file == "DG2"]) > 10  # one event per block read
    assert result.identity == profile.identity()
    assert result.portrait == profile.portrait.read_bytes()
    assert result.portrait[:3] == b"\xff\xd8\xff" and result.portrait_mime == "image/jpeg"
    assert result.verification.access == "PACE" and result.verified
    assert set(events.threads) == {"virtual-card-reader"}


def test_access_required_asks_for_the_key_before_touching_the_card(profiles):
    profile = profiles[1]
    reader = VirtualCardReader(read_delay_s=0.0, access="required")
    events = Recorder()
    reader.subscribe(events)
    reader.start()
    try:
        reader.insert(profile)
        with pytest.raises(KeyRequired) as info:
            reader.read_identity(timeout=5.0)
        assert isinstance(info.value, errors.AccessDenied)
        assert "ID number" in str(info.value) and "QR" in str(info.value)
        assert events.of(ReadProgress) == []
        with pytest.raises(errors.AccessDenied):
            reader.read_identity(timeout=5.0, key=AccessKey(can="999999"))
        result = reader.read_identity(timeout=5.0, key=AccessKey.from_id(profile.id_number))
        assert result.identity == profile.identity() and result.verified
    finally:
        reader.stop()
    with pytest.raises(ValueError):
        VirtualCardReader(access="guess")


def test_bac_chip_forged_sod_and_clone_are_read_and_explained(reader, profiles):
    profile = profiles[0]
    reader.start()
    reader.insert(profile, chip=chip_from_profile(profile, pace=False))
    bac = reader.read_identity(timeout=10.0)
    assert bac.verification.access == "BAC" and bac.verified

    reader.insert(profile, chip=chip_from_profile(profile, forgery=Forgery.TAMPERED_DG))
    forged = reader.read_identity(timeout=10.0)
    check = forged.verification
    assert not forged.verified and check.outcome == "failed"
    assert [c.name for c in check.problems] == ["dg_hash[13]"]
    assert check.problems[0].status is Verdict.FAILED
    assert "Data group 13" in check.summary and "supervisor" in check.summary

    reader.insert(profile, chip=chip_from_profile(profile, clone=True))
    clone = reader.read_identity(timeout=10.0)
    assert not clone.verified and clone.verification.outcome == "failed"
    assert clone.verification.active.status is Verdict.FAILED
    assert all(c.status is Verdict.PASSED for c in clone.verification.passive)
    assert "clone" in clone.verification.summary
    assert profile.full_name not in repr(clone.verification)


def test_jpeg2000_portrait_is_also_given_as_png(reader, profiles):
    import cv2
    import numpy as np

    profile = profiles[2]
    reader.start()
    reader.insert(profile, chip=chip_from_profile(profile, image_format="jp2"))
    result = reader.read_identity(timeout=10.0)
    assert result.portrait_mime == "image/jp2" and result.portrait[:12] == JP2_MAGIC
    pixels = cv2.imdecode(np.frombuffer(result.portrait_png, np.uint8), cv2.IMREAD_COLOR)
    original = cv2.imread(str(profile.portrait))
    assert pixels.shape == original.shape


def test_csca_store_comes_from_configuration(profiles, tmp_path):
    empty = tmp_path / "csca"
    empty.mkdir()
    reader = VirtualCardReader(read_delay_s=0.0, csca_dir=empty)
    reader.start()
    try:
        reader.insert(profiles[0])
        result = reader.read_identity(timeout=10.0)
    finally:
        reader.stop()
    assert not result.verified and result.verification.outcome == "unchecked"
    problems = {c.name: c.status for c in result.verification.problems}
    assert problems == {"ds_certificate_chain": Verdict.NOT_DONE, "csca_validity": Verdict.NOT_DONE}
    assert "CSCA" in result.verification.summary

    reader = VirtualCardReader(read_delay_s=0.0, csca_dir=tmp_path / "missing")
    reader.start()
    try:
        reader.insert(profiles[0])
        with pytest.raises(errors.CardError) as info:
            reader.read_identity(timeout=10.0)
    finally:
        reader.stop()
    assert "devices.csca_dir" in str(info.value)


def test_removing_the_card_mid_read_raises_card_removed_promptly(profiles):
    reader = VirtualCardReader(read_delay_s=30.0)  # ~25 s more after DG2 if removal were ignored
    events = Recorder()
    removed_at: list[float] = []

    def pull_card_during_dg2(event):
        if isinstance(event, ReadProgress) and event.file == "DG2" and not removed_at:
            removed_at.append(time.monotonic())
            reader.remove()

    reader.subscribe(pull_card_during_dg2)
    reader.subscribe(events)
    reader.start()
    try:
        reader.insert(profiles[1])
        with pytest.raises(errors.CardRemoved) as info:
            reader.read_identity(timeout=90.0)
        # functional, not a speed check: well under what an ignored removal would take, with
        # room for a loaded CI machine
        assert removed_at and time.monotonic() - removed_at[0] < 10.0
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
        assert time.monotonic() - started < 0.2 + 10.0  # not the 30 s the read would take
        reader.read_delay_s = 0.01
        assert reader.read_identity(timeout=10.0).identity.id_number == profiles[0].id_number
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
    reader = VirtualCardReader(read_delay_s=10.0)
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
