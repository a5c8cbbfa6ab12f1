"""Profile -> chip files: every profile verifies end to end; hostile variants are caught."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from devices.card.lds import (
    DG_FIDS, FID_COM, FID_SOD, active, com, dg1, dg2, dg13, dg14, dg15, passive, pki as pki_mod,
)
from devices.card.lds.build_chip_files import NO_EXPIRY_TEXT, Forgery, build_chip_files
from devices.card.lds.csca import CscaStore
from kiosk.domain.identity import IdSource

ROOT = Path(__file__).resolve().parents[3]


def _read(chip):
    return {n: d for n, d in chip.dgs.items() if n not in chip.protected}


@pytest.mark.parametrize("aa", ["rsa", "ecdsa"])
def test_every_profile_reads_and_verifies(profiles, pki, store, now, aa):
    for profile in profiles:
        chip = build_chip_files(profile, pki, aa=aa)
        listed = com.parse(chip.com).data_groups
        assert listed == (1, 2, 3, 13, 14, 15) and set(listed) == set(chip.dgs)
        assert passive.verify(chip.sod, _read(chip), store, now=now).ok
        fields = dg13.parse(chip.dgs[13])
        assert dg13.to_identity(fields, dg1.parse(chip.dgs[1])) == profile.identity(IdSource.CHIP)
        if profile.expiry_date is None:
            assert fields.expiry_text == NO_EXPIRY_TEXT and fields.has_expiry is False
        nonce = active.challenge()
        answer = active.sign(chip.aa_private_key, nonce)
        result = active.verify(dg15.parse(chip.dgs[15]), nonce, answer,
                               dg14=dg14.parse(chip.dgs[14]))
        assert result.ok, result
        assert dg2.parse(chip.dgs[2]).images[0].data == profile.portrait_bytes()


def test_ecdsa_chip_declares_aa_algorithm(anh, pki):
    chip = build_chip_files(anh, pki, aa="ecdsa")
    assert dg14.parse(chip.dgs[14]).aa_signature_oid == "0.4.0.127.0.7.1.1.4.1.3"
    assert isinstance(chip.aa_private_key, ec.EllipticCurvePrivateKey)


def test_jpeg2000_portrait(anh, pki):
    chip = build_chip_files(anh, pki, image_format="jp2")
    image = dg2.parse(chip.dgs[2]).images[0]
    assert image.mime == dg2.JP2 and (image.width, image.height) == (240, 320)
    assert dg2.decode_image(image).shape == (320, 240, 3)


@pytest.mark.parametrize("aa", ["rsa", "ecdsa"])
def test_clone_fails_active_but_passes_passive(anh, pki, store, now, aa):
    chip = build_chip_files(anh, pki, aa=aa, clone=True)
    assert passive.verify(chip.sod, _read(chip), store, now=now).ok
    nonce = active.challenge()
    result = active.verify(dg15.parse(chip.dgs[15]), nonce, active.sign(chip.aa_private_key, nonce),
                           dg14=dg14.parse(chip.dgs[14]))
    assert result.status is passive.Status.FAILED and "clone" in result.reason


def test_by_fid_and_repr(chip):
    files = chip.by_fid()
    assert files[FID_COM] == chip.com and files[FID_SOD] == chip.sod
    assert files[DG_FIDS[13]] == chip.dgs[13] and files[0x010D] == chip.dgs[13]
    assert "079195012345" not in repr(chip)


def test_tampered_dg_is_a_plausible_edit(anh, pki):
    chip = build_chip_files(anh, pki, forgery=Forgery.TAMPERED_DG)
    edited = dg13.parse(chip.dgs[13])
    assert edited.residence != anh.residence and edited.id_number == anh.id_number


def test_bad_aa_option(anh, pki):
    with pytest.raises(ValueError):
        build_chip_files(anh, pki, aa="dsa")


def test_make_test_pki_script(tmp_path, profiles, now):
    result = subprocess.run([sys.executable, str(ROOT / "scripts/make_test_pki.py"), "--out",
                             str(tmp_path)], capture_output=True, text=True, timeout=100)
    assert result.returncode == 0, result.stderr
    assert "test keys only" in (tmp_path / "README.md").read_text(encoding="utf-8").lower()
    fresh = pki_mod.load(tmp_path)
    committed = pki_mod.load()
    # EC material is derived from the seed: the same as the files kept in the repository
    assert fresh.csca_key.private_numbers() == committed.csca_key.private_numbers()
    assert fresh.csca_cert == committed.csca_cert and fresh.ds_cert == committed.ds_cert
    chip = build_chip_files(profiles[0], fresh)
    store = CscaStore.from_folder(tmp_path / "csca")
    assert passive.verify(chip.sod, _read(chip), store, now=now).ok
    assert all("TEST" in c.subject.rfc4514_string() for c in (fresh.csca_cert, fresh.ds_cert))
