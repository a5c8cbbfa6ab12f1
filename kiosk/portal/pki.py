"""Certificates for the portal link: a kiosk CA, the portal's server certificate, and per-kiosk
client certificates whose subject common name is the kiosk's `kiosk_id`.

Why X.509 and not only tokens: a client certificate's private key never leaves the kiosk (it is
made there; only a certificate signing request travels), the TLS handshake proves it, and the
portal can bind every dossier to the kiosk that holds the key. Everything here uses the
`cryptography` package (already a dependency): EC P-256 keys, SHA-256 signatures.

Kiosk side: `new_key_and_csr(kiosk_id)`; portal operator: `make_ca`, `sign_csr` (refuses a CSR
whose common name is not the kiosk it is enrolled as), `make_server_cert`; both: `kiosk_id_of`.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

__all__ = ["Issued", "kiosk_id_of", "make_ca", "make_server_cert", "new_key_and_csr", "sign_csr"]


@dataclass(frozen=True)
class Issued:
    """A certificate and its key, PEM-encoded (the key unencrypted: store it 0600)."""

    cert_pem: bytes
    key_pem: bytes


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca(name: str = "Motcua kiosk CA", *, days: int = 3650,
            now: dt.datetime | None = None) -> Issued:
    now = now or dt.datetime.now(dt.UTC)
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(name)).issuer_name(_name(name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False,
                                         False), critical=True)
            .sign(key, hashes.SHA256()))
    return Issued(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


def _load_ca(ca: Issued) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    key = serialization.load_pem_private_key(ca.key_pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError("the CA key must be an EC key")
    return x509.load_pem_x509_certificate(ca.cert_pem), key


def make_server_cert(ca: Issued, hosts: list[str], *, days: int = 825,
                     now: dt.datetime | None = None) -> Issued:
    """The portal's TLS certificate for `hosts` (names or IP addresses), signed by `ca`."""
    now = now or dt.datetime.now(dt.UTC)
    ca_cert, ca_key = _load_ca(ca)
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    for host in hosts:
        try:
            names.append(x509.IPAddress(ipaddress.ip_address(host)))
        except ValueError:
            names.append(x509.DNSName(host))
    cert = (x509.CertificateBuilder().subject_name(_name(hosts[0]))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.SubjectAlternativeName(names), critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return Issued(cert.public_bytes(serialization.Encoding.PEM), _key_pem(key))


def new_key_and_csr(kiosk_id: str) -> tuple[bytes, bytes]:
    """(private key PEM, CSR PEM) for `kiosk_id`: made on the kiosk; only the CSR leaves it."""
    key = ec.generate_private_key(ec.SECP256R1())
    csr = (x509.CertificateSigningRequestBuilder().subject_name(_name(kiosk_id))
           .sign(key, hashes.SHA256()))
    return _key_pem(key), csr.public_bytes(serialization.Encoding.PEM)


def sign_csr(ca: Issued, csr_pem: bytes, kiosk_id: str, *, days: int = 397,
             now: dt.datetime | None = None) -> x509.Certificate:
    """The client certificate for the kiosk enrolled as `kiosk_id`. ValueError for a CSR that is
    not signed by its own key or names another kiosk."""
    now = now or dt.datetime.now(dt.UTC)
    csr = x509.load_pem_x509_csr(csr_pem)
    if not csr.is_signature_valid:
        raise ValueError("the request's signature does not match its key")
    named = [a.value for a in csr.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
    if named != [kiosk_id]:
        raise ValueError(f"the request names {named or 'no kiosk'}, not {kiosk_id!r}")
    ca_cert, ca_key = _load_ca(ca)
    return (x509.CertificateBuilder().subject_name(_name(kiosk_id)).issuer_name(ca_cert.subject)
            .public_key(csr.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=days))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
            .sign(ca_key, hashes.SHA256()))


def kiosk_id_of(cert: x509.Certificate) -> str | None:
    """The kiosk a client certificate names (its subject common name), or None."""
    names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if len(names) == 1 else None
