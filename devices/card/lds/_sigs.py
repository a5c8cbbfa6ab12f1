"""Signature checking for CMS and X.509 algorithm identifiers (RSA PKCS#1 v1.5, RSA-PSS, ECDSA).

One place maps an asn1crypto ``SignedDigestAlgorithm`` to a ``cryptography`` verify call, so the
SOD signature and the certificate chain accept the same algorithms, brainpool curves included.
"""

from __future__ import annotations

from asn1crypto import algos
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from devices.card.errors import UnsupportedOperation

__all__ = ["HASHES", "hash_for", "verify_signature"]

HASHES: dict[str, type[hashes.HashAlgorithm]] = {
    "sha1": hashes.SHA1, "sha224": hashes.SHA224, "sha256": hashes.SHA256,
    "sha384": hashes.SHA384, "sha512": hashes.SHA512,
}
_PLAIN_ECDSA = {  # BSI TR-03111 ecdsa-plain-* (r||s rather than DER)
    "0.4.0.127.0.7.1.1.4.1.1": "sha1", "0.4.0.127.0.7.1.1.4.1.2": "sha224",
    "0.4.0.127.0.7.1.1.4.1.3": "sha256", "0.4.0.127.0.7.1.1.4.1.4": "sha384",
    "0.4.0.127.0.7.1.1.4.1.5": "sha512",
}


def hash_for(name: str) -> hashes.HashAlgorithm:
    try:
        return HASHES[name]()
    except KeyError:
        raise UnsupportedOperation(f"Hash algorithm {name!s:.20} is not supported.") from None


def _plain_to_der(signature: bytes) -> bytes:
    half = len(signature) // 2
    return encode_dss_signature(int.from_bytes(signature[:half], "big"),
                                int.from_bytes(signature[half:], "big"))


def verify_signature(key: object, algorithm: algos.SignedDigestAlgorithm, signature: bytes,
                     data: bytes, default_hash: str = "sha256") -> None:
    """Raise ``cryptography.exceptions.InvalidSignature`` or ``UnsupportedOperation``."""
    dotted = algorithm["algorithm"].dotted
    if dotted in _PLAIN_ECDSA:
        algorithm_name, hash_name = "ecdsa", _PLAIN_ECDSA[dotted]
        signature = _plain_to_der(signature)
    else:
        algorithm_name = algorithm.signature_algo
        try:
            hash_name = algorithm.hash_algo
        except ValueError:  # e.g. bare "ecdsa": the hash comes from the signer info
            hash_name = default_hash
    if algorithm_name == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signature, data, ec.ECDSA(hash_for(hash_name)))
    elif algorithm_name == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPublicKey):
        key.verify(signature, data, padding.PKCS1v15(), hash_for(hash_name))
    elif algorithm_name == "rsassa_pss" and isinstance(key, rsa.RSAPublicKey):
        params = algorithm["parameters"]
        mgf_hash = params["mask_gen_algorithm"]["parameters"]["algorithm"].native
        pad = padding.PSS(padding.MGF1(hash_for(mgf_hash)), params["salt_length"].native)
        key.verify(signature, data, pad, hash_for(hash_name))
    else:
        raise UnsupportedOperation(
            f"Signature algorithm {algorithm_name!s:.30} does not match the key or is not supported."
        )
