"""The clone check cannot be dodged by withholding DG15, the BAC fallback starts without PACE's
keys, the eMRTD application has one AID, and a plain error under secure messaging ends the read."""

from __future__ import annotations

import pytest
from chip_helpers import ROOT

from devices.card import errors
from devices.card.base import ChipVerification
from devices.card.chip import InProcessTransport, VirtualChip
from devices.card.chip import files as fs
from devices.card.chip.builder import chip_from_profile
from devices.card.icao.apdu import CommandApdu, ResponseApdu
from devices.card.lds import com
from devices.card.lds.csca import CscaStore
from devices.card.lds.passive import Status
from devices.card.profiles import CardProfile
from devices.card.reader_session import AccessKey, read_document

DG15 = fs.dg_fid(15)


class RefusesDg15(VirtualChip):
    """A clone that cannot answer AA with the original's key, so it will not hand out DG15."""

    def _read(self, fid: int | None, offset: int, le: int | None) -> ResponseApdu:
        if fid == DG15:
            return ResponseApdu(b"", fs.SW_SECURITY)
        return super()._read(fid, offset, le)


def _without_dg15_in_com(chip: VirtualChip) -> None:
    listing = com.parse(chip.files[fs.EF_COM])
    groups = tuple(n for n in listing.data_groups if n != 15)
    chip.files[fs.EF_COM] = com.build(com.Com(listing.lds_version, listing.unicode_version, groups))


def _assert_clone_suspected(chip: VirtualChip, profile: CardProfile, csca: CscaStore) -> None:
    doc = read_document(InProcessTransport(chip), AccessKey.from_id(profile.id_number), csca=csca)
    assert doc.passive.ok, "the files are the original card's: passive authentication passes"
    assert doc.active is not None and doc.active.status is Status.FAILED
    assert "DG15" in doc.active.reason
    assert not doc.verified
    verification = ChipVerification.from_document(doc)
    assert verification.outcome == "failed" and not verification.verified
    assert "clone" in verification.summary
    assert 3 in doc.not_read and 15 in doc.not_read


def test_a_chip_that_refuses_dg15_fails_the_clone_check(profile: CardProfile,
                                                        csca: CscaStore) -> None:
    genuine = chip_from_profile(profile, clone=True)
    chip = RefusesDg15(genuine.files, genuine.keys)
    _assert_clone_suspected(chip, profile, csca)


def test_a_chip_without_dg15_file_fails_the_clone_check(profile: CardProfile,
                                                        csca: CscaStore) -> None:
    chip = chip_from_profile(profile, clone=True)
    del chip.files[DG15]  # 6A82, though EF.COM and the SOD both list it
    _assert_clone_suspected(chip, profile, csca)


def test_dg15_left_out_of_ef_com_is_still_read_from_the_sod_list(profile: CardProfile,
                                                                 csca: CscaStore) -> None:
    chip = chip_from_profile(profile, clone=True)
    _without_dg15_in_com(chip)
    doc = read_document(InProcessTransport(chip), AccessKey.from_id(profile.id_number), csca=csca)
    assert 15 in doc.raw, "the SOD hashes DG15, so the reader asks for it"
    assert doc.active is not None and doc.active.status is Status.FAILED  # the clone's AA key
    assert not doc.verified


def test_dg15_left_out_of_ef_com_and_refused_fails_the_clone_check(profile: CardProfile,
                                                                   csca: CscaStore) -> None:
    genuine = chip_from_profile(profile, clone=True)
    chip = RefusesDg15(genuine.files, genuine.keys)
    _without_dg15_in_com(chip)
    _assert_clone_suspected(chip, profile, csca)


def test_a_genuine_chip_still_verifies_with_only_dg3_unread(profile: CardProfile,
                                                            csca: CscaStore) -> None:
    doc = read_document(InProcessTransport(chip_from_profile(profile)),
                        AccessKey.from_id(profile.id_number), csca=csca)
    assert doc.verified and doc.not_read == (3,)
    assert doc.active is not None and doc.active.status is Status.PASSED


class NoAppletUnderPace(VirtualChip):
    """SELECT of the eMRTD application fails inside a PACE channel (seen on odd firmware); the
    PACE session stays open, as a chip's does, until a plain command ends it."""

    def _select(self, cmd: CommandApdu) -> ResponseApdu:
        if cmd.p1 == 0x04 and self.auth_method == "PACE":
            return ResponseApdu(b"", fs.SW_NOT_FOUND)
        return super()._select(cmd)


def test_bac_fallback_after_pace_starts_without_the_pace_channel(profile: CardProfile,
                                                                 csca: CscaStore) -> None:
    genuine = chip_from_profile(profile)
    chip = NoAppletUnderPace(genuine.files, genuine.keys)
    dob = profile.date_of_birth.strftime("%y%m%d")
    doc = read_document(InProcessTransport(chip), AccessKey.from_id(profile.id_number, dob),
                        csca=csca)
    assert doc.access == "BAC" and chip.auth_method == "BAC"
    assert doc.verified


def test_the_emrtd_aid_is_defined_once() -> None:
    literal = "A0000002471001"
    holders = [p.relative_to(ROOT).as_posix() for p in (ROOT / "devices").rglob("*.py")
               if literal in p.read_text(encoding="utf-8").upper()]
    assert holders == ["devices/card/chip/files.py"]
    from devices.card import channel, pcsc
    from devices.card.chip import emulator

    assert channel.EMRTD_AID is fs.EMRTD_AID
    assert pcsc.EMRTD_AID is fs.EMRTD_AID and emulator.EMRTD_AID is fs.EMRTD_AID


class InjectsNotFound(InProcessTransport):
    """A man in the middle answering the first protected READ BINARY with a plain 6A82."""

    def __init__(self, chip: VirtualChip) -> None:
        super().__init__(chip)
        self.injected = False

    def transmit(self, apdu: bytes, timeout: float = 5.0) -> bytes:
        answer = super().transmit(apdu, timeout)
        if not self.injected and apdu[0] & 0x0C == 0x0C and apdu[1] == 0xB0:
            self.injected = True
            return bytes.fromhex("6A82")
        return answer


def test_an_injected_plain_error_under_secure_messaging_ends_the_read(
        profile: CardProfile, csca: CscaStore) -> None:
    transport = InjectsNotFound(chip_from_profile(profile))
    with pytest.raises(errors.SecureMessagingError):
        read_document(transport, AccessKey.from_id(profile.id_number), csca=csca)
    assert transport.injected
