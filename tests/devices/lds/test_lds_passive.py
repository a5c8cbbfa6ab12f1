"""EF.SOD and passive authentication: hashes, signed attributes, signature, chain, validity."""

from __future__ import annotations

import datetime as dt

import pytest
from asn1crypto import cms
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from devices.card.errors import MalformedData, VerificationFailed
from devices.card.lds import _tlv, passive, sod
from devices.card.lds._cms import digest, signed_data
from devices.card.lds.build_chip_files import Forgery, build_chip_files
from devices.card.lds.csca import CscaStore, build_master_list
from devices.card.lds.pki import TEST_PKI_DIR, derive_ec_key, issue_certificate, pki_name
from devices.card.lds.passive import Status


def _read(chip) -> dict[int, bytes]:
    return {n: data for n, data in chip.dgs.items() if n not in chip.protected}


def _statuses(report) -> dict[str, Status]:
    return {c.name: c.status for c in report.checks}


def test_sod_parse_and_build(chip, pki):
    parsed = sod.parse(chip.sod)
    assert parsed.digest_alg == "sha256"
    assert set(parsed.dg_hashes) == set(chip.dgs)
    assert parsed.dg_hashes[13] == digest("sha256", chip.dgs[13])
    assert parsed.signer_cert == pki.ds_cert.public_bytes(_der_encoding())
    assert parsed.message_digest == digest("sha256", parsed.econtent)
    assert sod.build(parsed) == chip.sod


def _der_encoding():
    from cryptography.hazmat.primitives.serialization import Encoding

    return Encoding.DER


def test_good_chip_passes(chip, store, now):
    report = passive.verify(chip.sod, _read(chip), store, now=now)
    assert report.ok, report.problems()
    assert set(_statuses(report)) == {
        "sod_format", "dg_hash[1]", "dg_hash[2]", "dg_hash[13]", "dg_hash[14]", "dg_hash[15]",
        "message_digest", "sod_signature", "ds_certificate_chain", "ds_validity", "csca_validity"}
    assert report.not_read == (3,)
    report.raise_if_failed()


def test_tampered_dg_fails_only_its_hash(chip, store, now):
    dgs = _read(chip)
    dgs[13] = dgs[13][:-1] + bytes([dgs[13][-1] ^ 0x20])
    report = passive.verify(chip.sod, dgs, store, now=now)
    assert not report.ok
    assert [c.name for c in report.problems()] == ["dg_hash[13]"]
    assert "changed after issue" in report.check("dg_hash[13]").reason
    with pytest.raises(VerificationFailed):
        report.raise_if_failed()


def test_builder_forgeries(anh, pki, store, now):
    expected = {
        Forgery.TAMPERED_DG: ("dg_hash[13]", Status.FAILED),
        Forgery.BAD_SIGNATURE: ("sod_signature", Status.FAILED),
        Forgery.UNTRUSTED_SIGNER: ("ds_certificate_chain", Status.FAILED),
    }
    for forgery, (name, status) in expected.items():
        chip = build_chip_files(anh, pki, forgery=forgery)
        report = passive.verify(chip.sod, _read(chip), store, now=now)
        assert not report.ok
        assert report.check(name).status is status, (forgery, report.problems())


def test_dg_read_but_not_in_sod(chip, store, now):
    dgs = {**_read(chip), 11: b"\x6b\x00"}
    report = passive.verify(chip.sod, dgs, store, now=now)
    assert report.check("dg_hash[11]").status is Status.FAILED
    assert "no signed hash" in report.check("dg_hash[11]").reason


def test_unknown_csca_is_not_done(chip, now):
    report = passive.verify(chip.sod, _read(chip), CscaStore(), now=now)
    assert not report.ok
    assert report.check("ds_certificate_chain").status is Status.NOT_DONE
    assert "CSCA" in report.check("ds_certificate_chain").reason
    assert report.check("sod_signature").status is Status.PASSED  # the rest is still checked


def test_expired_and_future_ds(chip, store):
    late = dt.datetime(2040, 1, 1, tzinfo=dt.UTC)
    report = passive.verify(chip.sod, _read(chip), store, now=late)
    assert report.check("ds_validity").status is Status.FAILED
    assert "expired" in report.check("ds_validity").reason
    early = dt.datetime(2020, 6, 1, tzinfo=dt.UTC)
    assert passive.verify(chip.sod, _read(chip), store, now=early).check(
        "ds_validity").status is Status.FAILED


def _signer(pki, key, *, not_after=dt.datetime(2037, 1, 1, tzinfo=dt.UTC), serial=0x3001):
    ski = pki.csca_cert.extensions.get_extension_for_class(
        __import__("cryptography").x509.SubjectKeyIdentifier).value.digest
    return issue_certificate(pki_name("Document Signer 2"), key.public_key(),
                             pki.csca_cert.subject, pki.csca_key, serial=serial,
                             not_before=dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
                             not_after=not_after, ca=False, issuer_ski=ski, hash_name="sha384")


@pytest.mark.parametrize(("kind", "pss", "hash_name"), [
    ("rsa", False, "sha256"), ("rsa", True, "sha256"), ("rsa", True, "sha512"),
    ("p256", False, "sha256"), ("bp384", False, "sha384"),
])
def test_signature_algorithms(chip, pki, store, now, kind, pss, hash_name):
    key = {"rsa": lambda: rsa.generate_private_key(65537, 2048),
           "p256": lambda: ec.generate_private_key(ec.SECP256R1()),
           "bp384": lambda: derive_ec_key(b"t", "ds", ec.BrainpoolP384R1())}[kind]()
    cert = _signer(pki, key)
    raw = sod.sign(_read(chip), key, cert, hash_name=hash_name, pss=pss)
    report = passive.verify(raw, _read(chip), store, now=now)
    assert report.ok, report.problems()
    algo = sod.parse(raw).signature_algorithm_id().signature_algo
    assert algo == ("rsassa_pss" if pss else "rsassa_pkcs1v15" if kind == "rsa" else "ecdsa")


def test_expired_ds_signed_by_csca(chip, pki, store, now):
    key = derive_ec_key(b"t", "old-ds", ec.BrainpoolP256R1())
    cert = _signer(pki, key, not_after=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    report = passive.verify(sod.sign(_read(chip), key, cert), _read(chip), store, now=now)
    assert _statuses(report)["ds_certificate_chain"] is Status.PASSED
    assert _statuses(report)["ds_validity"] is Status.FAILED


def test_forged_signature_with_wrong_key(chip, pki, store, now):
    raw = sod.sign(_read(chip), derive_ec_key(b"x", "y", ec.BrainpoolP256R1()), pki.ds_cert)
    report = passive.verify(raw, _read(chip), store, now=now)
    assert report.check("sod_signature").status is Status.FAILED
    assert report.check("ds_certificate_chain").status is Status.PASSED


def test_altered_security_object_breaks_message_digest(chip, pki, store, now):
    parsed = sod.parse(chip.sod)
    hashes = dict(parsed.dg_hashes)
    hashes[13] = digest("sha256", b"forged")
    honest = sod.parse(sod.sign(_read(chip), pki.ds_key, pki.ds_cert, dg_hashes=hashes))
    # splice the honest signer info onto the original hash list: digest no longer matches
    info = cms.ContentInfo.load(honest.content_info)
    info["content"]["encap_content_info"]["content"] = parsed.econtent
    spliced = _tlv.encode(0x77, info.dump(force=True))
    report = passive.verify(spliced, _read(chip), store, now=now)
    assert report.check("message_digest").status is Status.FAILED


def test_malformed_sod_is_a_report_not_an_exception(chip, store, now):
    report = passive.verify(b"\x77\x03\x30\x01\x00", _read(chip), store, now=now)
    assert not report.ok
    assert report.check("sod_format").status is Status.FAILED
    assert report.check("dg_hash[1]").status is Status.NOT_DONE
    with pytest.raises(MalformedData):
        sod.parse(b"\x77\x03\x30\x01\x00")


def test_wrong_content_type(pki, chip):
    info = signed_data("1.2.3.4", b"\x30\x00", pki.ds_key, pki.ds_cert)
    with pytest.raises(MalformedData):
        sod.parse(_tlv.encode(0x77, info))


def test_store_from_folder_ignores_keys(tmp_path, pki):
    assert len(CscaStore.from_folder(TEST_PKI_DIR / "csca")) == 1
    mixed = CscaStore.from_folder(TEST_PKI_DIR)  # only the DS cert, and private keys
    assert len(mixed) == 0 and mixed.not_ca == 1 and mixed.skipped == 0
    (tmp_path / "broken.der").write_bytes(b"\x30\x03\x02\x01\x01")
    assert CscaStore.from_folder(tmp_path).skipped == 1


def test_store_from_master_list(chip, pki, now):
    other = derive_ec_key(b"t", "other-csca", ec.SECP256R1())
    other_cert = issue_certificate(pki_name("Other CSCA"), other.public_key(), pki_name("Other CSCA"),
                                   other, serial=7, not_before=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
                                   not_after=dt.datetime(2040, 1, 1, tzinfo=dt.UTC), ca=True)
    der = build_master_list([other_cert, pki.csca_cert], other, other_cert)
    store = CscaStore.from_master_list(der)
    assert len(store) == 2
    assert passive.verify(chip.sod, _read(chip), store, now=now).ok
    with pytest.raises(MalformedData):
        CscaStore.from_master_list(signed_data("1.2.3", b"\x30\x00", other, other_cert))
    with pytest.raises(MalformedData):
        CscaStore.from_master_list(b"\x30\x80garbage")


def test_store_matches_by_issuer_and_key_identifier(pki):
    store = CscaStore([pki.csca_cert])
    assert store.issuers_of(pki.ds_cert) == [pki.csca_cert]
    assert store.issuers_of(pki.csca_cert) == [pki.csca_cert]  # self-signed
    stranger = issue_certificate(pki_name("Document Signer"), pki.ds_key.public_key(),
                                 pki.csca_cert.subject, pki.ds_key, serial=9,
                                 not_before=dt.datetime(2021, 1, 1, tzinfo=dt.UTC),
                                 not_after=dt.datetime(2030, 1, 1, tzinfo=dt.UTC), ca=False,
                                 issuer_ski=b"\x01" * 20)
    assert store.issuers_of(stranger) == []


def test_unsupported_ds_key_is_not_done(chip, store, now):
    brainpool_p256 = bytes.fromhex("06092B2403030208010107")
    assert chip.sod.count(brainpool_p256) == 1
    odd = chip.sod.replace(brainpool_p256, bytes.fromhex("06092A2403030208010107"))
    report = passive.verify(odd, _read(chip), store, now=now)
    assert report.check("sod_signature").status is Status.NOT_DONE
    assert report.check("ds_certificate_chain").status is Status.FAILED  # the cert was altered
    assert not report.ok


def test_naive_now_is_a_programming_error(chip, store):
    with pytest.raises(ValueError):
        passive.verify(chip.sod, _read(chip), store, now=dt.datetime(2026, 1, 1))


def test_ds_certificate_with_duplicate_extension(chip, store, now):
    key_usage = bytes.fromhex("0603551D0F0101FF")
    assert chip.sod.count(key_usage) == 1
    odd = chip.sod.replace(key_usage, bytes.fromhex("0603551D0E0101FF"))  # a second SKI
    report = passive.verify(odd, _read(chip), store, now=now)
    assert not report.ok
    assert report.check("ds_certificate_chain").status is not Status.PASSED
