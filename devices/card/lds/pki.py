"""The TEST public-key infrastructure: a test CSCA, a document signer and chip keys.

Nothing here is, or chains to, a real authority: every subject says TEST ONLY, and the keys live in
``assets/test-pki`` in the clear (the demo's virtual reader uses them too). ``scripts/make_test_pki.py`` writes them; ``load`` reads them back
for the chip emulator and the tests. EC keys are derived from a seed and certificates use fixed
dates, serials and deterministic ECDSA, so re-generating gives the same EC material; the RSA
keys are random (``cryptography`` cannot seed RSA generation).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from kiosk.domain.paths import TEST_PKI_DIR

__all__ = ["SigningPki", "TEST_PKI_DIR", "derive_ec_key", "generate", "issue_certificate",
           "load", "pki_name", "write"]

_FILES = {
    "csca_key": "TEST-ONLY-csca.key.pem", "ds_key": "TEST-ONLY-ds.key.pem",
    "aa_rsa_key": "TEST-ONLY-aa-rsa2048.key.pem", "aa_ec_key": "TEST-ONLY-aa-ec.key.pem",
    "clone_rsa_key": "TEST-ONLY-clone-aa-rsa2048.key.pem",
    "clone_ec_key": "TEST-ONLY-clone-aa-ec.key.pem", "ca_key": "TEST-ONLY-chip-auth.key.pem",
}
CSCA_CERT = "csca/TEST-ONLY-csca.cert.pem"   # its own folder: CscaStore.from_folder(...)
DS_CERT = "TEST-ONLY-ds.cert.pem"


@dataclasses.dataclass(frozen=True)
class SigningPki:
    csca_cert: x509.Certificate
    csca_key: ec.EllipticCurvePrivateKey
    ds_cert: x509.Certificate
    ds_key: ec.EllipticCurvePrivateKey
    aa_rsa_key: rsa.RSAPrivateKey
    aa_ec_key: ec.EllipticCurvePrivateKey
    clone_rsa_key: rsa.RSAPrivateKey   # a chip that copied the files but not the AA key
    clone_ec_key: ec.EllipticCurvePrivateKey
    ca_key: ec.EllipticCurvePrivateKey  # chip authentication (DG14), for the emulator

    def __repr__(self) -> str:
        return "SigningPki(TEST ONLY)"


def pki_name(role: str) -> x509.Name:
    return x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "TEST ONLY motcua-kiosk, not an authority"),
        x509.NameAttribute(NameOID.COMMON_NAME, f"TEST {role} (valid for no real document)"),
    ])


def derive_ec_key(seed: bytes, label: str, curve: ec.EllipticCurve) -> ec.EllipticCurvePrivateKey:
    digest = hashlib.sha512(seed + b"/" + label.encode()).digest()
    value = int.from_bytes(digest, "big") % (1 << (curve.key_size - 2)) + 1  # below the order
    return ec.derive_private_key(value, curve)


def issue_certificate(subject: x509.Name, public_key: Any, issuer: x509.Name,
                      issuer_key: Any, *, serial: int, not_before: dt.datetime,
                      not_after: dt.datetime, ca: bool, issuer_ski: bytes | None = None,
                      hash_name: str = "sha256") -> x509.Certificate:
    """A CSCA (``ca=True``) or document signer certificate; also used by tests for odd cases."""
    usage = dict.fromkeys(("digital_signature", "content_commitment", "key_encipherment",
                           "data_encipherment", "key_agreement", "key_cert_sign", "crl_sign",
                           "encipher_only", "decipher_only"), False)
    usage.update(key_cert_sign=ca, crl_sign=ca, digital_signature=not ca)
    builder = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(issuer)
        .public_key(public_key).serial_number(serial)
        .not_valid_before(not_before).not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=0 if ca else None), critical=True)
        .add_extension(x509.KeyUsage(**usage), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
    )
    if issuer_ski is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier(issuer_ski, None, None), critical=False)
    algorithm = getattr(hashes, hash_name.upper())()
    deterministic = True if isinstance(issuer_key, ec.EllipticCurvePrivateKey) else None
    return builder.sign(issuer_key, algorithm, ecdsa_deterministic=deterministic)


def _utc(year: int, month: int = 1, day: int = 1) -> dt.datetime:
    return dt.datetime(year, month, day, tzinfo=dt.UTC)


def generate(seed: bytes = b"motcua-kiosk TEST PKI v1") -> SigningPki:
    csca_key = derive_ec_key(seed, "csca", ec.BrainpoolP384R1())
    ds_key = derive_ec_key(seed, "ds", ec.BrainpoolP256R1())
    csca_ski = x509.SubjectKeyIdentifier.from_public_key(csca_key.public_key()).digest
    csca = issue_certificate(pki_name("CSCA"), csca_key.public_key(), pki_name("CSCA"),
                             csca_key, serial=0x1001, not_before=_utc(2020), not_after=_utc(2045),
                             ca=True, issuer_ski=csca_ski, hash_name="sha384")
    ds = issue_certificate(pki_name("Document Signer"), ds_key.public_key(), csca.subject,
                           csca_key, serial=0x2001, not_before=_utc(2021), not_after=_utc(2037),
                           ca=False, issuer_ski=csca_ski, hash_name="sha384")
    return SigningPki(
        csca_cert=csca, csca_key=csca_key, ds_cert=ds, ds_key=ds_key,
        aa_rsa_key=rsa.generate_private_key(65537, 2048),
        aa_ec_key=derive_ec_key(seed, "aa", ec.BrainpoolP256R1()),
        clone_rsa_key=rsa.generate_private_key(65537, 2048),
        clone_ec_key=derive_ec_key(seed, "clone-aa", ec.BrainpoolP256R1()),
        ca_key=derive_ec_key(seed, "chip-auth", ec.BrainpoolP256R1()),
    )


def write(pki: SigningPki, folder: Path = TEST_PKI_DIR) -> list[Path]:
    (folder / "csca").mkdir(parents=True, exist_ok=True)
    written = []
    for attr, name in _FILES.items():
        key = getattr(pki, attr)
        (folder / name).write_bytes(key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption()))
        written.append(folder / name)
    for cert, name in ((pki.csca_cert, CSCA_CERT), (pki.ds_cert, DS_CERT)):
        (folder / name).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        written.append(folder / name)
    return written


def load(folder: Path = TEST_PKI_DIR) -> SigningPki:
    keys = {attr: serialization.load_pem_private_key((folder / name).read_bytes(), None)
            for attr, name in _FILES.items()}
    return SigningPki(
        csca_cert=x509.load_pem_x509_certificate((folder / CSCA_CERT).read_bytes()),
        ds_cert=x509.load_pem_x509_certificate((folder / DS_CERT).read_bytes()),
        **keys,  # type: ignore[arg-type]
    )
