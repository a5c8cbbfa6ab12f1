"""Chip authentication in a read (every DG14 variant, a clone), and reads of damaged data groups."""

from __future__ import annotations

import dataclasses

import pytest

from devices.card import errors
from devices.card.base import ChipVerification, Verdict
from devices.card.chip import InProcessTransport, VirtualChip
from devices.card.chip.builder import chip_from_profile
from devices.card.document import to_card_read
from devices.card.icao import tlv
from devices.card.icao.ca import CA_OIDS, choose
from devices.card.icao.ca_keys import load_public_key
from devices.card.lds import dg14
from devices.card.lds.csca import CscaStore
from devices.card.lds.passive import Status
from devices.card.profiles import CardProfile
from devices.card.reader_session import AccessKey, read_document


def read(chip: VirtualChip, profile: CardProfile, csca: CscaStore | None = None):
    return read_document(InProcessTransport(chip), AccessKey.from_id(profile.id_number),
                         csca=csca)


@pytest.mark.parametrize("variant", ["ecdh-aes128", "ecdh-3des", "dh-aes128", "dh-3des"])
def test_chip_authentication_passes_on_a_genuine_chip(profile: CardProfile, csca: CscaStore,
                                                      variant: str) -> None:
    doc = read(chip_from_profile(profile, ca=variant), profile, csca)
    assert doc.chip_auth is not None and doc.chip_auth.status is Status.PASSED
    assert doc.chip_auth.variant.startswith(variant.split("-")[0].upper())
    assert doc.verified and doc.portrait is not None
    done = ChipVerification.from_document(doc).done
    assert done == {"PA": Verdict.PASSED, "AA": Verdict.PASSED, "CA": Verdict.PASSED}


def test_explicit_curve_parameters_in_dg14_are_understood(profile: CardProfile,
                                                          csca: CscaStore) -> None:
    chip = chip_from_profile(profile, ca_explicit=True)
    spki = next(i for i in dg14.parse(chip.files[0x010E]).infos
                if i.kind == "chip_authentication_public_key").required
    assert load_public_key(spki).curve is not None
    doc = read(chip, profile, csca)
    assert doc.chip_auth.status is Status.PASSED and doc.verified


@pytest.mark.parametrize("variant", ["ecdh-aes128", "ecdh-3des", "dh-aes128"])
def test_a_clone_passes_passive_authentication_but_fails_chip_authentication(
        profile: CardProfile, csca: CscaStore, variant: str) -> None:
    doc = read(chip_from_profile(profile, ca=variant, ca_clone=True), profile, csca)
    assert doc.passive.ok  # the copied files are genuine
    assert doc.chip_auth.status is Status.FAILED and "copy" in doc.chip_auth.reason
    assert not doc.verified
    card = to_card_read(doc)  # the data is still read (after opening the channel again)...
    assert card.identity.id_number == profile.id_number and card.portrait is not None
    verification = card.verification
    assert verification.outcome == "failed" and "clone" in verification.summary
    assert verification.done["CA"] is Verdict.FAILED and verification.done["PA"] is Verdict.PASSED


def test_a_chip_without_a_ca_key_has_no_chip_authentication(profile: CardProfile,
                                                            csca: CscaStore) -> None:
    doc = read(chip_from_profile(profile, ca="none"), profile, csca)
    assert doc.chip_auth is None and doc.verified
    assert ChipVerification.from_document(doc).done["CA"] is None


def test_a_withheld_dg14_fails_chip_authentication(profile: CardProfile, csca: CscaStore) -> None:
    chip = chip_from_profile(profile)
    chip.files.pop(0x010E)  # listed in EF.COM and hashed in the SOD, but the chip will not give it
    doc = read(chip, profile, csca)
    assert doc.chip_auth.status is Status.FAILED and not doc.verified


def test_dg14_without_ca_info_gets_the_3des_variant_of_its_key(profile: CardProfile) -> None:
    chip = chip_from_profile(profile, ca="ecdh-3des")
    infos = [i for i in dg14.parse(chip.files[0x010E]).infos if i.kind != "chip_authentication"]
    choice = choose(infos)
    assert choice is not None and choice.cipher == "3des" and CA_OIDS[choice.oid] == ("ECDH", "3des")


def test_dg14_with_an_unusable_key_is_not_done(profile: CardProfile, csca: CscaStore) -> None:
    chip = chip_from_profile(profile)
    parsed = dg14.parse(chip.files[0x010E])
    infos = tuple(dataclasses.replace(i, required=tlv.encode(0x30, b"")) if
                  i.kind == "chip_authentication_public_key" else i for i in parsed.infos)
    with pytest.raises(errors.MalformedData):
        choose(infos)


# -- damaged data groups -------------------------------------------------------------------------
def test_a_dg2_that_is_not_an_image_leaves_the_rest(profile: CardProfile, csca: CscaStore) -> None:
    doc = read(chip_from_profile(profile, broken=frozenset({"dg2"})), profile, csca)
    assert doc.passive.ok  # the issuer signed it as it is
    assert doc.portrait is None and [p.part for p in doc.problems] == ["portrait"]
    card = to_card_read(doc)
    assert card.identity.full_name == profile.full_name and card.portrait is None
    assert [m.part for m in card.missing] == ["portrait"]
    assert card.verification.outcome == "verified"


def test_bad_dg13_fields_are_left_out_with_the_reason(profile: CardProfile,
                                                      csca: CscaStore) -> None:
    doc = read(chip_from_profile(profile, broken=frozenset({"dg13"})), profile, csca)
    assert doc.passive.ok and doc.dg13 is not None
    assert {p.part for p in doc.problems} == {"residence", "issue_date"}
    card = to_card_read(doc)
    assert card.identity.residence is None and card.identity.issue_date is None
    assert card.identity.full_name == profile.full_name
    assert card.identity.date_of_birth == profile.date_of_birth
    for problem in card.missing:
        assert "Lê Lợi" not in problem.reason


def test_dg1_and_dg13_disagreeing_on_the_id_is_a_failed_read(profile: CardProfile,
                                                             csca: CscaStore) -> None:
    """The issuer signed records that contradict each other: shown as failed, with the reason."""
    from devices.card.lds import dg13 as dg13_mod
    from devices.card.lds import pki, sod

    chip = chip_from_profile(profile)
    fields = dg13_mod.parse(chip.files[0x010D])
    chip.files[0x010D] = dg13_mod.build(dataclasses.replace(fields, id_number="001205067890"))
    signing = pki.load()
    dgs = {fid - 0x0100: data for fid, data in chip.files.items() if 0x0101 <= fid <= 0x0110}
    chip.files[0x011D] = sod.sign(dgs, signing.ds_key, signing.ds_cert)
    doc = read(chip, profile, csca)
    assert doc.passive.ok
    assert doc.consistency[0].status is Status.FAILED and not doc.verified
    card = to_card_read(doc)
    assert card.verification.outcome == "failed"
    assert "different ID numbers" in card.verification.summary
