"""PACE-CAN, its retry counter, active authentication and profile-built chips, in process."""

from __future__ import annotations

import pytest
from chip_helpers import CAN, SELECT_AID, plain_files, run_terminal, sm_send

from devices.card import errors
from devices.card.chip import ChipKeys, VirtualChip
from devices.card.icao.bac import mrz_key_seed
from devices.card.chip.builder import chip_from_profile, keys_for
from devices.card.chip.files import EF_CARD_ACCESS, dg_fid
from devices.card.icao.apdu import CommandApdu
from devices.card.icao.card_access import pace_infos, parse_security_infos
from devices.card.icao.pace import PASSWORD_CAN, PASSWORD_MRZ, PaceTerminal, can_password
from devices.card.icao.sm import SecureMessaging
from devices.card.lds import active, dg15
from devices.card.lds.passive import Status
from devices.card.profiles import CardProfile


def pace(chip: VirtualChip, can: str, ref: int = PASSWORD_CAN) -> SecureMessaging:
    info = pace_infos(parse_security_infos(chip.files[EF_CARD_ACCESS]))[0]
    password = can_password(can) if ref == PASSWORD_CAN else bytes(20)
    return run_terminal(chip, PaceTerminal(password, ref, info))


@pytest.fixture
def pace_chip() -> VirtualChip:
    chip = VirtualChip(plain_files(), ChipKeys(can=CAN, pace_tries=2))
    chip.process(SELECT_AID)
    return chip


def test_pace_can_opens_the_files(pace_chip: VirtualChip) -> None:
    sm = pace(pace_chip, CAN)
    assert pace_chip.auth_method == "PACE"
    assert sm_send(pace_chip, sm, CommandApdu(0, 0xA4, 2, 0x0C, b"\x01\x01")).sw == 0x9000
    resp = sm_send(pace_chip, sm, CommandApdu(0, 0xB0, 0, 0, le=0xDF))
    assert (resp.sw, resp.data) == (0x9000, plain_files()[dg_fid(1)][:0xDF])


def test_wrong_can_answers_6300_then_the_counter_blocks_pace(pace_chip: VirtualChip) -> None:
    for _ in range(2):
        with pytest.raises(errors.AccessDenied):
            pace(pace_chip, "999999")
    assert pace_chip.pace_tries_left == 0
    with pytest.raises((errors.AccessDenied, errors.UnsupportedOperation)):
        pace(pace_chip, CAN)  # blocked: MSE:Set AT now answers 6982
    assert pace_chip.process(bytes.fromhex("0022C1A40F800A04007F00070202040202830102")) == b"\x69\x82"


def test_a_good_can_resets_the_counter(pace_chip: VirtualChip) -> None:
    with pytest.raises(errors.AccessDenied):
        pace(pace_chip, "999999")
    pace(pace_chip, CAN)
    assert pace_chip.pace_tries_left == 2


def test_pace_with_the_mrz_is_refused_like_the_cccd(pace_chip: VirtualChip) -> None:
    with pytest.raises((errors.AccessDenied, errors.UnsupportedOperation)):
        pace(pace_chip, CAN, ref=PASSWORD_MRZ)
    assert pace_chip.pace_tries_left == 2  # not counted as a wrong CAN


def test_general_authenticate_without_mse_is_refused(pace_chip: VirtualChip) -> None:
    assert pace_chip.process(bytes.fromhex("10860000027C0000"))[-2:] == b"\x69\x85"


def test_internal_authenticate_needs_a_session_and_signs_with_the_aa_key(
    profile: CardProfile,
) -> None:
    chip = chip_from_profile(profile)
    chip.process(SELECT_AID)
    challenge = active.challenge()
    assert chip.process(CommandApdu(0, 0x88, 0, 0, challenge, le=256).to_bytes()) == b"\x69\x82"
    sm = pace(chip, profile.id_number[-6:])
    resp = sm_send(chip, sm, CommandApdu(0, 0x88, 0, 0, challenge, le=256))
    assert resp.sw == 0x9000
    public_key = dg15.parse(chip.files[dg_fid(15)])
    assert active.verify(public_key, challenge, resp.data).status is Status.PASSED
    other = active.challenge()
    assert active.verify(public_key, other, resp.data).status is Status.FAILED


def test_keys_follow_the_profile(profiles: list[CardProfile]) -> None:
    for profile in profiles:
        keys = keys_for(profile)
        assert keys.can == profile.id_number[-6:]
        expiry = "<<<<<<" if profile.expiry_date is None else profile.expiry_date.strftime("%y%m%d")
        assert keys.bac_seed == mrz_key_seed(profile.id_number[3:],
                                             profile.date_of_birth.strftime("%y%m%d"), expiry)
        assert profile.id_number not in repr(keys) and keys.can not in repr(keys)


def test_bac_only_chip_has_no_card_access(profile: CardProfile) -> None:
    chip = chip_from_profile(profile, pace=False)
    assert EF_CARD_ACCESS not in chip.files
    assert chip.process(bytes.fromhex("00A4020C02011C")) == b"\x6a\x82"


@pytest.fixture
def profile(profiles: list[CardProfile]) -> CardProfile:
    return profiles[0]
