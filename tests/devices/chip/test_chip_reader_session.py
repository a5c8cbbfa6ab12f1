"""read_document against profile-built chips: PACE, BAC fallback, forgeries, clones and hostility."""

from __future__ import annotations

import pytest

from devices.card import errors
from devices.card.base import ReadProgress
from devices.card.chip import ChipKeys, Hostile, InProcessTransport, VirtualChip
from devices.card.chip.builder import chip_from_profile
from devices.card.lds.build_chip_files import Forgery
from devices.card.lds.csca import CscaStore
from devices.card.lds.passive import Status
from devices.card.profiles import CardProfile
from devices.card.reader_session import AccessKey, read_document


def yymmdd(day) -> str:
    return day.strftime("%y%m%d")


def test_pace_read_verifies_and_matches_the_profile(profile: CardProfile, csca: CscaStore) -> None:
    chip = chip_from_profile(profile)
    events: list[ReadProgress] = []
    doc = read_document(InProcessTransport(chip), AccessKey.from_id(profile.id_number),
                        csca=csca, progress=events.append)
    assert doc.access == "PACE" and doc.verified
    assert doc.active is not None and doc.active.status is Status.PASSED
    assert doc.dg1.mrz.id_number == profile.id_number
    assert doc.dg13 is not None and doc.dg13.full_name == profile.full_name
    assert doc.portrait is not None and doc.portrait.data == profile.portrait_bytes()
    assert 3 in doc.com.data_groups and doc.not_read == (3,)
    files = {e.file for e in events}
    assert {"EF.COM", "DG1", "DG2", "DG13", "EF.SOD"} <= files
    dg2_events = [e for e in events if e.file == "DG2"]
    assert dg2_events[-1].done == dg2_events[-1].total == len(doc.raw[2])
    assert profile.id_number not in repr(doc) and profile.full_name not in repr(doc)


def test_bac_when_the_chip_has_no_pace(profile: CardProfile, csca: CscaStore) -> None:
    chip = chip_from_profile(profile, pace=False)
    key = AccessKey.from_id(profile.id_number, yymmdd(profile.date_of_birth))  # expiry guessed
    doc = read_document(InProcessTransport(chip), key, csca=csca, block_size=0x80)
    assert doc.access == "BAC" and doc.verified


def test_wrong_can_is_access_denied(profile: CardProfile) -> None:
    chip = chip_from_profile(profile)
    with pytest.raises(errors.AccessDenied):
        read_document(InProcessTransport(chip), AccessKey(can="000000"))


@pytest.mark.parametrize("forgery", [Forgery.TAMPERED_DG, Forgery.BAD_SIGNATURE,
                                     Forgery.UNTRUSTED_SIGNER])
def test_forged_files_are_read_but_not_verified(
    profile: CardProfile, csca: CscaStore, forgery: Forgery
) -> None:
    chip = chip_from_profile(profile, forgery=forgery)
    doc = read_document(InProcessTransport(chip), AccessKey.from_id(profile.id_number), csca=csca)
    assert not doc.verified and doc.passive.problems()


def test_cloned_chip_fails_active_authentication(profile: CardProfile, csca: CscaStore) -> None:
    chip = chip_from_profile(profile, clone=True)
    doc = read_document(InProcessTransport(chip), AccessKey.from_id(profile.id_number), csca=csca)
    assert doc.passive.ok and doc.active is not None
    assert doc.active.status is Status.FAILED and not doc.verified


def test_without_trust_anchors_the_chain_is_not_verified(profile: CardProfile) -> None:
    chip = chip_from_profile(profile)
    doc = read_document(InProcessTransport(chip), AccessKey.from_id(profile.id_number))
    assert not doc.verified
    assert doc.passive.check("dg_hash[1]").status is Status.PASSED


@pytest.mark.parametrize(
    ("spec", "error"),
    [
        ("remove:30", errors.CardRemoved),
        ("wrong-mac:20", errors.SecureMessagingError),
        ("slow:25:40", errors.CardTimeout),
        ("wrong-sw:25:6F00", errors.CardError),
        ("oversize:25:16", errors.CardError),
        ("truncate:25", errors.CardError),
    ],
)
def test_hostile_chips_give_card_errors(profile: CardProfile, spec: str, error: type) -> None:
    chip: VirtualChip = chip_from_profile(profile, hostile=Hostile.parse(spec))
    with pytest.raises(error):
        read_document(InProcessTransport(chip), AccessKey.from_id(profile.id_number))


def test_the_whole_read_has_one_deadline(profile: CardProfile) -> None:
    ticks = iter(range(0, 10_000, 1))
    chip = chip_from_profile(profile)
    with pytest.raises(errors.CardTimeout):
        read_document(InProcessTransport(chip), AccessKey.from_id(profile.id_number),
                      timeout=20.0, clock=lambda: float(next(ticks)))


def test_block_size_is_checked() -> None:
    with pytest.raises(ValueError):
        read_document(InProcessTransport(VirtualChip({}, ChipKeys())), AccessKey(can="1"),
                      block_size=0x100)


def test_long_files_use_odd_read_binary_past_32767(profile: CardProfile) -> None:
    import os

    from devices.card.lds import dg2

    chip = chip_from_profile(profile)
    jpeg = b"\xff\xd8\xff\xe0" + os.urandom(40_000) + b"\xff\xd9"
    big = dg2.build(dg2.Dg2(images=(dg2.FaceImage("image/jpeg", jpeg),)))
    chip.files[0x0102] = big  # not what the SOD signed: readable, but not verified
    seen: list[bytes] = []
    original = chip.process
    chip.process = lambda apdu: (seen.append(apdu), original(apdu))[1]  # type: ignore[method-assign]
    doc = read_document(InProcessTransport(chip), AccessKey.from_id(profile.id_number))
    assert doc.raw[2] == big and doc.portrait is not None and doc.portrait.data == jpeg
    assert doc.passive.check("dg_hash[2]").status is Status.FAILED
    assert any(apdu[1] == 0xB1 for apdu in seen)


def test_extended_length_reads_in_fewer_apdus(profile: CardProfile, csca: CscaStore) -> None:
    short_chip = chip_from_profile(profile)
    read_document(InProcessTransport(short_chip), AccessKey.from_id(profile.id_number))
    chip = chip_from_profile(profile, extended_length=True)
    doc = read_document(InProcessTransport(chip), AccessKey.from_id(profile.id_number),
                        csca=csca)
    assert doc.verified and chip.apdu_count < short_chip.apdu_count / 2


def test_a_chip_that_overstates_its_extended_length_is_read_with_short_apdus(
        profile: CardProfile, csca: CscaStore) -> None:
    """EF.ATR/INFO says 32 KB answers, the chip's buffer holds 1 KB: 6700, then short reads."""
    from devices.card.chip import Quirks
    from devices.card.chip.emulator import atr_info
    from devices.card.chip.files import EF_ATR_INFO

    built = chip_from_profile(profile)
    files = {**built.files, EF_ATR_INFO: atr_info(0x8000, 0x8000)}
    chip = VirtualChip(files, built.keys, extended_length=True, quirks=Quirks(max_response=0x400))
    doc = read_document(InProcessTransport(chip), AccessKey.from_id(profile.id_number), csca=csca)
    assert doc.verified and not doc.extended
    assert doc.portrait is not None and doc.portrait.data == profile.portrait_bytes()


def test_expiry_candidates_are_the_valid_ones_first_then_expired_then_none() -> None:
    import datetime as dt

    from devices.card.access_key import NO_EXPIRY, candidate_expiries

    # born 14 March 1995, today mid 2026: 2035 (40) and 2055 (60) are still ahead
    assert candidate_expiries("950314", dt.date(2026, 6, 30)) == [
        "350314", "550314", "200314", "090314", NO_EXPIRY]
    # born 29 February 2004: 1 March in a common year (as profiles.expected_expiry), 29 Feb in 2044
    assert candidate_expiries("040229", dt.date(2026, 6, 30))[:2] == ["290301", "440229"]


def test_a_card_without_expiry_opens_with_bac_from_the_id_and_birth_date(
        profiles: list[CardProfile], csca: CscaStore) -> None:
    old = next(p for p in profiles if p.expiry_date is None)
    chip = chip_from_profile(old, pace=False)
    key = AccessKey.from_id(old.id_number, yymmdd(old.date_of_birth))
    doc = read_document(InProcessTransport(chip), key, csca=csca)
    assert doc.access == "BAC" and doc.verified
