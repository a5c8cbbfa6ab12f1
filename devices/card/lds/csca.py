"""Trusted country signing certificates (CSCA): from a folder of DER/PEM files or a master list.

An ICAO master list is CMS SignedData whose content is ``CscaMasterList { version, SET OF
Certificate }``. Its own signature is NOT checked here: trust comes from where IT obtained the
file (e.g. the ICAO PKD), which is the usual deployment model. Certificates ``cryptography``
cannot load (explicit curve parameters, for instance) are counted in ``skipped``, not fatal.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from asn1crypto import cms, core
from asn1crypto import x509 as asn1_x509
from cryptography import x509

from devices.card.errors import MalformedData
from devices.card.lds._cms import signed_data

__all__ = ["CSCA_MASTER_LIST_OID", "CscaStore", "build_master_list"]

CSCA_MASTER_LIST_OID = "2.23.136.1.1.2"
_SUFFIXES = {".der", ".cer", ".crt", ".pem"}
_ASN1_ERRORS = (ValueError, TypeError, KeyError, AttributeError, IndexError, OverflowError)


class _CertSet(core.SetOf):
    _child_spec = asn1_x509.Certificate


class CscaMasterList(core.Sequence):
    _fields = [("version", core.Integer), ("cert_list", _CertSet)]


_EXTENSION_ERRORS = (x509.ExtensionNotFound, x509.DuplicateExtension,
                     x509.UnsupportedGeneralNameType, ValueError)


def _extension(cert: x509.Certificate, kind: type) -> object | None:
    """The extension's value, or None when absent or undecodable (a damaged cert then fails its
    signature check instead of crashing the lookup)."""
    try:
        return cert.extensions.get_extension_for_class(kind).value
    except _EXTENSION_ERRORS:
        return None


def _ski(cert: x509.Certificate) -> bytes | None:
    value = _extension(cert, x509.SubjectKeyIdentifier)
    return value.digest if isinstance(value, x509.SubjectKeyIdentifier) else None


def _aki(cert: x509.Certificate) -> bytes | None:
    value = _extension(cert, x509.AuthorityKeyIdentifier)
    return value.key_identifier if isinstance(value, x509.AuthorityKeyIdentifier) else None


def _is_ca(cert: x509.Certificate) -> bool:
    """False only for a certificate that says it is not a CA (a DS cert dropped in by mistake)."""
    value = _extension(cert, x509.BasicConstraints)
    return value.ca if isinstance(value, x509.BasicConstraints) else True


class CscaStore:
    """The trust anchors passive authentication chains document signers to.

    Certificates that declare themselves non-CA are left out: trusting a document signer
    directly would let anyone holding its key skip the country's CA.
    """

    def __init__(self, certificates: Iterable[x509.Certificate] = (), skipped: int = 0) -> None:
        certificates = tuple(certificates)
        self.certificates: tuple[x509.Certificate, ...] = tuple(c for c in certificates if _is_ca(c))
        self.not_ca = len(certificates) - len(self.certificates)
        self.skipped = skipped

    def __len__(self) -> int:
        return len(self.certificates)

    def __repr__(self) -> str:
        return (f"CscaStore(certificates={len(self.certificates)}, skipped={self.skipped}, "
                f"not_ca={self.not_ca})")

    @classmethod
    def from_folder(cls, path: str | Path) -> CscaStore:
        certs, skipped = [], 0
        for file in sorted(Path(path).iterdir()):
            if file.suffix.lower() not in _SUFFIXES or not file.is_file():
                continue
            data = file.read_bytes()
            if b"-----BEGIN" in data and b"CERTIFICATE-----" not in data:
                continue  # a key or something else, not a certificate
            try:
                if b"-----BEGIN" in data:
                    certs.extend(x509.load_pem_x509_certificates(data))
                else:
                    certs.append(x509.load_der_x509_certificate(data))
            except ValueError:
                skipped += 1
        return cls(certs, skipped)

    @classmethod
    def from_master_list(cls, der: bytes) -> CscaStore:
        try:
            info = cms.ContentInfo.load(der, strict=True)
            econtent = info["content"]["encap_content_info"]
            if econtent["content_type"].dotted != CSCA_MASTER_LIST_OID:
                raise MalformedData("The file is not an ICAO CSCA master list.")
            listing = CscaMasterList.load(econtent["content"].native, strict=True)
            ders = [c.dump() for c in listing["cert_list"]]
        except MalformedData:
            raise
        except _ASN1_ERRORS as exc:
            raise MalformedData("The CSCA master list could not be decoded.") from exc
        certs, skipped = [], 0
        for item in ders:
            try:
                certs.append(x509.load_der_x509_certificate(item))
            except ValueError:
                skipped += 1
        return cls(certs, skipped)

    def issuers_of(self, cert: x509.Certificate) -> list[x509.Certificate]:
        """Candidate CSCAs: subject == the cert's issuer and, when both are present, SKI == AKI."""
        aki = _aki(cert)
        out = []
        for ca in self.certificates:
            if ca.subject != cert.issuer:
                continue
            ski = _ski(ca)
            if aki is not None and ski is not None and aki != ski:
                continue
            out.append(ca)
        return out


def build_master_list(certs: Iterable[x509.Certificate], signer_key: object,
                      signer_cert: x509.Certificate, *, hash_name: str = "sha256") -> bytes:
    """A master list DER (for tests and for IT tooling that bundles its own anchors)."""
    from cryptography.hazmat.primitives import serialization

    listing = CscaMasterList({"version": 0, "cert_list": [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in certs]})
    return signed_data(CSCA_MASTER_LIST_OID, listing.dump(), signer_key, signer_cert,
                       hash_name=hash_name)
