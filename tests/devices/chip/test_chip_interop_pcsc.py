"""Chips that differ from ours, read through the real PC/SC path (pyscard -> pcscd -> vpcd).

Each variant is a behaviour of issued chips (``devices.card.chip.quirks``): no short file
identifiers, the many statuses of a wrong key, answers without DO'99', errors answered without
secure messaging. The reader must read every one of them, or say precisely why not.
"""

from __future__ import annotations

import pytest
from pcsc_harness import VirtualReader

from devices.card import errors
from devices.card.chip import InProcessTransport, Quirks, VirtualChip
from devices.card.chip.builder import chip_from_profile
from devices.card.chip.quirks import WRONG_KEY_STATUSES
from devices.card.lds.csca import CscaStore
from devices.card.profiles import CardProfile
from devices.card.reader_session import AccessKey, read_document
from devices.card.transport import PcscTransport


@pytest.fixture(scope="module")
def genuine(profiles: list[CardProfile]) -> VirtualChip:
    """The first profile's chip, built (and signed) once; variants share its files and keys."""
    return chip_from_profile(profiles[0])


@pytest.fixture(scope="module")
def bac_only(profiles: list[CardProfile]) -> VirtualChip:
    return chip_from_profile(profiles[0], pace=False)


def variant(chip: VirtualChip, **quirks: object) -> VirtualChip:
    return VirtualChip(chip.files, chip.keys, quirks=Quirks(**quirks))  # type: ignore[arg-type]


def read_via_pcscd(reader: VirtualReader, chip: VirtualChip, key: AccessKey,
                   csca: CscaStore | None = None):
    with reader.inserted(chip) as client, PcscTransport.open(reader.name) as transport:
        doc = read_document(transport, key, csca=csca, timeout=20.0)
        return doc, client.apdus


@pytest.mark.parametrize("status", [0x6A82, 0x6A86, 0x6D00, 0x6986])
def test_a_chip_without_short_file_ids_is_read_by_select(
        virtual_reader: VirtualReader, genuine: VirtualChip, profile: CardProfile,
        csca: CscaStore, status: int) -> None:
    key = AccessKey.from_id(profile.id_number)
    doc, apdus = read_via_pcscd(virtual_reader, variant(genuine, sfi_status=status), key, csca)
    assert doc.access == "PACE" and doc.verified
    assert doc.portrait is not None and doc.portrait.data == profile.portrait_bytes()
    # the choice is remembered: one refused SFI read, then SELECT + READ for every file
    _, normal = read_via_pcscd(virtual_reader, variant(genuine), key, csca)
    files = len(doc.raw) + 3  # the DGs read, EF.COM, EF.SOD, EF.CardAccess: a SELECT each
    assert apdus == normal + files + 1  # + the one refused SFI read


@pytest.mark.parametrize("status", WRONG_KEY_STATUSES)
@pytest.mark.parametrize("method", ["PACE", "BAC"])
def test_every_wrong_key_status_means_a_wrong_key(
        virtual_reader: VirtualReader, genuine: VirtualChip, bac_only: VirtualChip,
        profile: CardProfile, status: int, method: str) -> None:
    wrong_id = profile.id_number[:-6] + "000001"
    if method == "PACE":
        chip, key = variant(genuine, wrong_key_sw=status), AccessKey.from_id(wrong_id)
    else:
        dob = profile.date_of_birth.strftime("%y%m%d")
        chip = variant(bac_only, wrong_key_sw=status)
        key = AccessKey.from_id(wrong_id, dob, "350314")
    with pytest.raises(errors.AccessDenied) as caught:
        read_via_pcscd(virtual_reader, chip, key)
    assert type(caught.value) is errors.AccessDenied  # not "this reader cannot read the chip"
    assert caught.value.sw is not None and caught.value.sw & 0xFFF0 == status & 0xFFF0
    assert caught.value.step == method


def test_bac_without_expiry_tries_every_valid_expiry(
        virtual_reader: VirtualReader, bac_only: VirtualChip, profile: CardProfile,
        csca: CscaStore) -> None:
    key = AccessKey.from_id(profile.id_number, profile.date_of_birth.strftime("%y%m%d"))
    doc, _ = read_via_pcscd(virtual_reader, variant(bac_only, wrong_key_sw=0x63C2), key, csca)
    assert doc.access == "BAC" and doc.verified


def test_bac_refused_for_every_expiry_says_which_detail_to_check(
        bac_only: VirtualChip, profile: CardProfile) -> None:
    key = AccessKey.from_id(profile.id_number, "010101")
    with pytest.raises(errors.AccessDenied) as caught:
        read_document(InProcessTransport(variant(bac_only)), key)
    assert "date of birth" in str(caught.value) and "expiry" in str(caught.value)
    assert key.bac_seeds() and len(key.bac_seeds()) == 5  # 14, 25, 40, 60 and no expiry


def test_an_id_without_birth_date_on_a_bac_only_chip_asks_for_it(
        virtual_reader: VirtualReader, bac_only: VirtualChip, profile: CardProfile) -> None:
    with pytest.raises(errors.BirthDateRequired):
        read_via_pcscd(virtual_reader, variant(bac_only), AccessKey.from_id(profile.id_number))


def test_answers_without_do99_are_read(virtual_reader: VirtualReader, genuine: VirtualChip,
                                       profile: CardProfile, csca: CscaStore) -> None:
    doc, _ = read_via_pcscd(virtual_reader, variant(genuine, no_do99=True),
                            AccessKey.from_id(profile.id_number), csca)
    assert doc.verified and doc.active is not None and doc.active.ok


def test_errors_answered_without_secure_messaging_are_understood(
        virtual_reader: VirtualReader, genuine: VirtualChip, profile: CardProfile,
        csca: CscaStore) -> None:
    """Plain 6A82 to every SFI read, plain 6982 for DG3: the read goes on and verifies."""
    chip = variant(genuine, plain_errors=True, sfi_status=0x6A82)
    doc, _ = read_via_pcscd(virtual_reader, chip, AccessKey.from_id(profile.id_number), csca)
    assert doc.verified and doc.not_read == (3,)


def test_an_error_status_inside_the_channel_ends_the_read_with_that_status(
        virtual_reader: VirtualReader, genuine: VirtualChip, profile: CardProfile) -> None:
    """A protected 6A88 in the middle of DG2 is the card's answer, not an interrupted channel."""
    from devices.card.chip import Hostile

    chip = VirtualChip(genuine.files, genuine.keys, hostile=Hostile("wrong-sw", 20, sw=0x6A88))
    with pytest.raises(errors.MalformedData) as caught:
        read_via_pcscd(virtual_reader, chip, AccessKey.from_id(profile.id_number))
    assert caught.value.sw == 0x6A88 and caught.value.step.startswith("read ")
