"""Signed CSCA master lists (trusted or refused, and why), --csca's three forms, and CRLs."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from asn1crypto import cms
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

from devices.card.lds import passive
from devices.card.lds.csca import CscaStore, build_master_list, load_crls
from devices.card.lds.master_list import UntrustedMasterList
from devices.card.lds.passive import Status
from devices.card.lds.pki import SigningPki, derive_ec_key, issue_certificate, pki_name
from devices.card.reader_session import load_csca, trust_store
from devices.card import errors

UTC = dt.UTC
START, END = dt.datetime(2020, 1, 1, tzinfo=UTC), dt.datetime(2040, 1, 1, tzinfo=UTC)


def _csca(label: str) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = derive_ec_key(b"ml-test", label, ec.SECP256R1())
    cert = issue_certificate(pki_name(label), key.public_key(), pki_name(label), key, serial=11,
                             not_before=START, not_after=END, ca=True)
    return key, cert


def _signer(issuer_key: object, issuer: x509.Certificate, label: str = "ML Signer"
            ) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    key = derive_ec_key(b"ml-test", label, ec.SECP256R1())
    cert = issue_certificate(pki_name(label), key.public_key(), issuer.subject, issuer_key,
                             serial=12, not_before=START, not_after=END, ca=False)
    return key, cert


@pytest.fixture(scope="module")
def country() -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    return _csca("Country CSCA")


def _signed_list(pki: SigningPki, country, *, extra=()) -> bytes:
    country_key, country_cert = country
    signer_key, signer_cert = _signer(country_key, country_cert)
    return build_master_list([country_cert, pki.csca_cert, *extra], signer_key, signer_cert)


def _flip_in_content(der: bytes, marker: bytes) -> bytes:
    at = der.index(marker) + len(marker) // 2
    return der[:at] + bytes([der[at] ^ 0x01]) + der[at + 1:]


def test_a_list_signed_by_a_signer_of_a_listed_csca_is_trusted(pki, country, chip, now):
    store = CscaStore.from_master_list(_signed_list(pki, country))
    assert len(store) == 2
    dgs = {n: d for n, d in chip.dgs.items() if n not in chip.protected}
    assert passive.verify(chip.sod, dgs, store, now=now).ok


def test_a_signer_certified_only_by_a_configured_anchor(pki):
    anchor_key, anchor = _csca("Anchor CSCA")
    signer_key, signer_cert = _signer(anchor_key, anchor)
    der = build_master_list([pki.csca_cert], signer_key, signer_cert)
    with pytest.raises(UntrustedMasterList, match="not certified"):
        CscaStore.from_master_list(der)
    assert len(CscaStore.from_master_list(der, [anchor])) == 1


def test_a_list_changed_after_signing_is_refused(pki, country):
    der = _signed_list(pki, country)
    tbs = country[1].public_bytes(serialization.Encoding.DER)[10:40]  # inside the content
    with pytest.raises(UntrustedMasterList, match="changed after it was signed"):
        CscaStore.from_master_list(_flip_in_content(der, tbs))


def test_a_list_with_a_bad_signature_is_refused(pki, country):
    der = _signed_list(pki, country)
    signature = cms.ContentInfo.load(der)["content"]["signer_infos"][0]["signature"].native
    with pytest.raises(UntrustedMasterList, match="signature is not valid"):
        CscaStore.from_master_list(_flip_in_content(der, signature))


def test_an_unsigned_list_is_refused(pki, country):
    info = cms.ContentInfo.load(_signed_list(pki, country))
    info["content"]["signer_infos"] = []
    with pytest.raises(UntrustedMasterList, match="not signed"):
        CscaStore.from_master_list(info.dump())


def test_a_list_whose_signer_chains_to_nothing_is_refused(pki):
    rogue_key, rogue = _csca("Rogue CSCA")
    signer_key, signer_cert = _signer(rogue_key, rogue)
    der = build_master_list([pki.csca_cert], signer_key, signer_cert)
    with pytest.raises(UntrustedMasterList, match="not certified"):
        CscaStore.from_master_list(der)


def test_a_signer_expired_at_signing_is_refused(pki, country):
    country_key, country_cert = country
    key = derive_ec_key(b"ml-test", "old signer", ec.SECP256R1())
    old = issue_certificate(pki_name("Old ML Signer"), key.public_key(), country_cert.subject,
                            country_key, serial=13, not_before=START,
                            not_after=dt.datetime(2021, 1, 1, tzinfo=UTC), ca=False)
    der = build_master_list([country_cert], key, old)
    with pytest.raises(UntrustedMasterList, match="not valid when"):
        CscaStore.from_master_list(der)


def test_csca_takes_a_folder_a_certificate_or_a_master_list(tmp_path: Path, pki, country):
    pem = pki.csca_cert.public_bytes(serialization.Encoding.PEM)
    (tmp_path / "one.pem").write_bytes(pem)
    assert len(load_csca(tmp_path / "one.pem")) == 1
    (tmp_path / "list.ml").write_bytes(_signed_list(pki, country))
    assert len(load_csca(tmp_path / "list.ml")) == 2
    folder = tmp_path / "folder"
    folder.mkdir()
    anchor_key, anchor = _csca("Anchor CSCA")
    signer_key, signer_cert = _signer(anchor_key, anchor)
    (folder / "anchor.pem").write_bytes(anchor.public_bytes(serialization.Encoding.PEM))
    (folder / "pkd.ml").write_bytes(build_master_list([pki.csca_cert], signer_key, signer_cert))
    store = load_csca(folder)  # the folder's certificate is the list's anchor
    assert pki.csca_cert in store.certificates and anchor in store.certificates


def test_a_forged_list_in_the_configuration_is_a_clear_error_for_it(tmp_path: Path, pki,
                                                                     country):
    info = cms.ContentInfo.load(_signed_list(pki, country))
    info["content"]["signer_infos"] = []
    (tmp_path / "forged.ml").write_bytes(info.dump())
    with pytest.raises(errors.CardError) as caught:
        trust_store(tmp_path / "forged.ml")
    assert "devices.csca_dir" in str(caught.value) and "not signed" in caught.value.detail


# -- CRLs -----------------------------------------------------------------------------------------
def _crl(issuer_key: object, issuer: x509.Certificate, serials: list[int], *,
         next_update: dt.datetime = END) -> x509.CertificateRevocationList:
    builder = (x509.CertificateRevocationListBuilder().issuer_name(issuer.subject)
               .last_update(START).next_update(next_update))
    for serial in serials:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(START).build())
    return builder.sign(issuer_key, hashes.SHA256())


def _verify(chip, store, now):
    dgs = {n: d for n, d in chip.dgs.items() if n not in chip.protected}
    return passive.verify(chip.sod, dgs, store, now=now)


def test_without_crls_revocation_is_not_checked(chip, store, now):
    assert _verify(chip, store, now).check("revocation") is None


@pytest.mark.parametrize("revoked,status,words", [
    ([], Status.PASSED, "Neither"),
    ([0x2001], Status.FAILED, "document signer certificate has been revoked"),
    ([0x1001], Status.FAILED, "country signing certificate has been revoked"),
])
def test_the_csca_crl_decides(chip, store, pki, now, revoked, status, words):
    report = _verify(chip, store.with_crls([_crl(pki.csca_key, pki.csca_cert, revoked)]), now)
    check = report.check("revocation")
    assert check.status is status and words in check.reason
    assert report.ok is (status is Status.PASSED)


def test_a_stale_crl_or_one_from_another_key_is_not_enough(chip, store, pki, now):
    stale = _crl(pki.csca_key, pki.csca_cert, [], next_update=dt.datetime(2022, 1, 1, tzinfo=UTC))
    check = _verify(chip, store.with_crls([stale]), now).check("revocation")
    assert check.status is Status.NOT_DONE and "out of date" in check.reason
    rogue_key, _ = _csca("Rogue CSCA")
    forged = _crl(rogue_key, pki.csca_cert, [0x2001])  # says "revoked", but not the CSCA's
    check = _verify(chip, store.with_crls([forged]), now).check("revocation")
    assert check.status is Status.NOT_DONE


def test_crls_load_from_a_folder_or_a_file(tmp_path: Path, pki):
    crl = _crl(pki.csca_key, pki.csca_cert, [5])
    (tmp_path / "a.crl").write_bytes(crl.public_bytes(serialization.Encoding.DER))
    (tmp_path / "b.pem").write_bytes(crl.public_bytes(serialization.Encoding.PEM))
    assert len(load_crls(tmp_path)) == 2
    assert len(load_csca(None, tmp_path / "a.crl").crls) == 1
    (tmp_path / "junk.crl").write_bytes(b"not a crl")
    with pytest.raises(errors.MalformedData):
        load_crls(tmp_path / "junk.crl")
