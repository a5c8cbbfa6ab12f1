"""Building CMS SignedData (for the test SOD and test master lists): one signer, signed attributes.

Real documents are signed by the issuing state; this exists so the emulator and the tests have
genuine-looking, verifiable structures made with the test PKI.
"""

from __future__ import annotations

from typing import Any

from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from devices.card.lds._sigs import hash_for
from devices.card.lds._tlv import encode

__all__ = ["digest", "signed_data"]


def digest(name: str, data: bytes) -> bytes:
    h = hashes.Hash(hash_for(name))
    h.update(data)
    return h.finalize()


def _signature_algorithm(key: object, hash_name: str, pss: bool) -> dict[str, Any]:
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return {"algorithm": f"{hash_name}_ecdsa"}
    if not pss:
        return {"algorithm": f"{hash_name}_rsa"}
    return {"algorithm": "rsassa_pss", "parameters": {
        "hash_algorithm": {"algorithm": hash_name},
        "mask_gen_algorithm": {"algorithm": "mgf1", "parameters": {"algorithm": hash_name}},
        "salt_length": hash_for(hash_name).digest_size, "trailer_field": "trailer_field_bc"}}


def _raw_sign(key: object, data: bytes, hash_name: str, pss: bool) -> bytes:
    algorithm = hash_for(hash_name)
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(algorithm, deterministic_signing=True))
    if isinstance(key, rsa.RSAPrivateKey):
        pad = (padding.PSS(padding.MGF1(algorithm), algorithm.digest_size) if pss
               else padding.PKCS1v15())
        return key.sign(data, pad, algorithm)
    raise TypeError("the signer key must be RSA or EC")


def signed_data(content_type: str, econtent: bytes, key: object, cert: x509.Certificate, *,
                hash_name: str = "sha256", pss: bool = False,
                extra_certs: tuple[x509.Certificate, ...] = ()) -> bytes:
    """DER ContentInfo(SignedData) with contentType + messageDigest signed attributes."""
    asn1_cert = asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))
    signer = cms.SignerInfo({
        "version": "v1",
        "sid": cms.SignerIdentifier({"issuer_and_serial_number": {
            "issuer": asn1_cert.issuer, "serial_number": asn1_cert.serial_number}}),
        "digest_algorithm": {"algorithm": hash_name},
        "signed_attrs": [
            {"type": "content_type", "values": [content_type]},
            {"type": "message_digest", "values": [digest(hash_name, econtent)]},
        ],
        "signature_algorithm": _signature_algorithm(key, hash_name, pss),
        "signature": b"",
    })
    to_sign = encode(0x31, signer["signed_attrs"].contents)
    signer["signature"] = _raw_sign(key, to_sign, hash_name, pss)
    others = [asn1_x509.Certificate.load(c.public_bytes(serialization.Encoding.DER))
              for c in extra_certs]
    signed = cms.SignedData({
        "version": "v3", "digest_algorithms": [{"algorithm": hash_name}],
        "encap_content_info": {"content_type": content_type, "content": econtent},
        "certificates": [asn1_cert, *others], "signer_infos": [signer],
    })
    return cms.ContentInfo({"content_type": "signed_data", "content": signed}).dump()
