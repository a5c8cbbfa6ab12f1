"""Trusted country signing certificates (CSCA) and revocation lists, as IT configures them.

``CscaStore.from_path`` takes what ``devices.csca_dir`` / ``kiosk card read --csca`` name:

- a folder: every CA certificate in it (``.pem``/``.crt``/``.cer``/``.der``) and every ICAO
  master list (``.ml``), each list checked against the certificates beside it;
- a certificate file;
- a master list file (``.ml``, or anything that is not a certificate).

A master list is accepted only when its CMS signature verifies and its signer was certified by
a CSCA in the list or among the anchors (``master_list``); a forged or unsigned one is refused
with the reason. Certificates ``cryptography`` cannot load (explicit curve parameters, for
instance) are counted in ``skipped``, not fatal. CRLs (``load_crls``: a folder or a file of
DER/PEM CRLs, ICAO PKD style) are kept with the store; passive authentication then checks the
document signer and the CSCA against them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from asn1crypto import core
from asn1crypto import x509 as asn1_x509
from cryptography import x509

from devices.card.errors import MalformedData
from devices.card.lds._cms import signed_data

__all__ = ["CSCA_MASTER_LIST_OID", "CscaStore", "build_master_list", "load_crls"]

CSCA_MASTER_LIST_OID = "2.23.136.1.1.2"
_SUFFIXES = {".der", ".cer", ".crt", ".pem"}
_ML_SUFFIXES = {".ml"}
_CRL_SUFFIXES = {".crl", ".der", ".pem"}


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
    directly would let anyone holding its key skip the country's CA. ``crls`` is None when no
    revocation lists are configured (then revocation is not checked at all)."""

    def __init__(self, certificates: Iterable[x509.Certificate] = (), skipped: int = 0,
                 crls: Iterable[x509.CertificateRevocationList] | None = None) -> None:
        certificates = tuple(certificates)
        self.certificates: tuple[x509.Certificate, ...] = tuple(c for c in certificates if _is_ca(c))
        self.not_ca = len(certificates) - len(self.certificates)
        self.skipped = skipped
        self.crls: tuple[x509.CertificateRevocationList, ...] | None = (
            None if crls is None else tuple(crls))

    def __len__(self) -> int:
        return len(self.certificates)

    def __repr__(self) -> str:
        crls = "none" if self.crls is None else len(self.crls)
        return (f"CscaStore(certificates={len(self.certificates)}, skipped={self.skipped}, "
                f"not_ca={self.not_ca}, crls={crls})")

    def with_crls(self, crls: Iterable[x509.CertificateRevocationList]) -> CscaStore:
        store = CscaStore(self.certificates, self.skipped, crls)
        store.not_ca = self.not_ca
        return store

    @classmethod
    def from_path(cls, path: str | Path, anchors: Iterable[x509.Certificate] = ()) -> CscaStore:
        """A folder, a certificate file or a master list file (module doc)."""
        path = Path(path)
        if path.is_dir():
            return cls.from_folder(path, anchors)
        data = path.read_bytes()
        cert = _certificates(data) if path.suffix.lower() not in _ML_SUFFIXES else None
        if cert:
            return cls(cert)
        return cls.from_master_list(data, anchors)

    @classmethod
    def from_folder(cls, path: str | Path, anchors: Iterable[x509.Certificate] = ()) -> CscaStore:
        certs, skipped, lists = [], 0, []
        for file in sorted(Path(path).iterdir()):
            suffix = file.suffix.lower()
            if not file.is_file() or suffix not in _SUFFIXES | _ML_SUFFIXES:
                continue
            data = file.read_bytes()
            if suffix in _ML_SUFFIXES:
                lists.append(data)
                continue
            if b"-----BEGIN" in data and b"CERTIFICATE-----" not in data:
                continue  # a key or something else, not a certificate
            loaded = _certificates(data)
            if loaded is None:
                skipped += 1
            else:
                certs.extend(loaded)
        trusted = [c for c in certs if _is_ca(c)] + list(anchors)
        for data in lists:
            store = cls.from_master_list(data, trusted)
            certs.extend(store.certificates)
            skipped += store.skipped
        return cls(certs, skipped)

    @classmethod
    def from_master_list(cls, der: bytes, anchors: Iterable[x509.Certificate] = (), *,
                         now: dt.datetime | None = None) -> CscaStore:
        """The certificates of a master list whose signature and signer are trusted;
        ``master_list.UntrustedMasterList`` (a ``MalformedData``) says why a list is refused."""
        from devices.card.lds.master_list import verified_certificates

        certs, skipped = verified_certificates(der, anchors, now=now)
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


def _certificates(data: bytes) -> list[x509.Certificate] | None:
    """The certificate(s) in a PEM or DER file; None if it holds none."""
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data) if b"CERTIFICATE-----" in data else None
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        return None


def load_crls(path: str | Path) -> list[x509.CertificateRevocationList]:
    """Every CRL (DER or PEM) in a folder, or the one(s) in a file; ``MalformedData`` for a file
    that holds none (a configuration mistake IT should hear about)."""
    path = Path(path)
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in
                   _CRL_SUFFIXES) if path.is_dir() else [path]
    crls = []
    for file in files:
        data = file.read_bytes()
        try:
            if b"-----BEGIN" in data:
                crls.append(x509.load_pem_x509_crl(data))
            else:
                crls.append(x509.load_der_x509_crl(data))
        except ValueError:
            if not path.is_dir():
                raise MalformedData(f"{file.name} is not a certificate revocation list.") from None
    return crls


def build_master_list(certs: Iterable[x509.Certificate], signer_key: object,
                      signer_cert: x509.Certificate, *, hash_name: str = "sha256") -> bytes:
    """A master list DER (for tests and for IT tooling that bundles its own anchors)."""
    from cryptography.hazmat.primitives import serialization

    listing = CscaMasterList({"version": 0, "cert_list": [
        asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER)) for c in certs]})
    return signed_data(CSCA_MASTER_LIST_OID, listing.dump(), signer_key, signer_cert,
                       hash_name=hash_name)
