"""Block-cipher primitives ICAO 9303-11 builds on, over the ``cryptography`` package.

Two-key 3DES keys (16 bytes) are expanded to K1|K2|K1 because the library deprecates the
16-byte form; single DES (for the retail MAC) is K|K|K.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.cmac import CMAC
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

__all__ = [
    "CipherName",
    "KDF_ENC",
    "KDF_MAC",
    "KDF_PACE",
    "aes_cbc_decrypt",
    "aes_cbc_encrypt",
    "aes_ecb_encrypt",
    "aes_cmac",
    "adjust_des_parity",
    "derive_key",
    "pad",
    "retail_mac",
    "tdes_cbc_decrypt",
    "tdes_cbc_encrypt",
    "unpad",
]

CipherName = Literal["3des", "aes128", "aes192", "aes256"]

KDF_ENC = 1
KDF_MAC = 2
KDF_PACE = 3

_KEY_BYTES = {"3des": 16, "aes128": 16, "aes192": 24, "aes256": 32}


def pad(data: bytes, block: int) -> bytes:
    """ISO/IEC 9797-1 padding method 2: ``80`` then zeros up to a whole block (always adds)."""
    data = bytes(data) + b"\x80"
    return data + bytes(-len(data) % block)


def unpad(data: bytes) -> bytes | None:
    """Strip method-2 padding; None when there is none to strip."""
    stripped = bytes(data).rstrip(b"\x00")
    if not stripped or stripped[-1] != 0x80:
        return None
    return stripped[:-1]


def adjust_des_parity(key: bytes) -> bytes:
    """Set each byte's low bit so the byte has odd parity (DES key convention)."""
    out = bytearray()
    for byte in key:
        high = byte & 0xFE
        out.append(high | (bin(high).count("1") + 1) % 2)
    return bytes(out)


def derive_key(shared: bytes, counter: int, cipher: CipherName, nonce: bytes = b"") -> bytes:
    """ICAO 9303-11 §9.7.1: H(shared || nonce || counter32); SHA-1 up to AES-128, else SHA-256."""
    if cipher not in _KEY_BYTES:
        raise ValueError(f"unknown cipher {cipher!r}")
    material = bytes(shared) + bytes(nonce) + counter.to_bytes(4, "big")
    if cipher in ("3des", "aes128"):
        digest = hashlib.sha1(material).digest()
    else:
        digest = hashlib.sha256(material).digest()
    key = digest[: _KEY_BYTES[cipher]]
    return adjust_des_parity(key) if cipher == "3des" else key


def _tdes_key(key: bytes) -> bytes:
    if len(key) == 8:
        return key * 3
    if len(key) == 16:
        return key + key[:8]
    if len(key) == 24:
        return key
    raise ValueError("3DES keys are 8, 16 or 24 bytes")


def tdes_cbc_encrypt(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    enc = Cipher(TripleDES(_tdes_key(key)), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def tdes_cbc_decrypt(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    dec = Cipher(TripleDES(_tdes_key(key)), modes.CBC(iv)).decryptor()
    return dec.update(data) + dec.finalize()


def aes_cbc_encrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def aes_cbc_decrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    dec = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return dec.update(data) + dec.finalize()


def aes_ecb_encrypt(key: bytes, block: bytes) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(block) + enc.finalize()


def retail_mac(key: bytes, data: bytes) -> bytes:
    """ISO/IEC 9797-1 MAC algorithm 3 with DES; ``data`` must already be padded."""
    if len(data) % 8 or not data:
        raise ValueError("retail MAC input must be whole 8-byte blocks")
    k1, k2 = key[:8], key[8:16]
    chained = tdes_cbc_encrypt(k1, data)[-8:]
    return tdes_cbc_encrypt(k1, tdes_cbc_decrypt(k2, chained))


def aes_cmac(key: bytes, data: bytes) -> bytes:
    """Full 16-byte AES-CMAC (NIST SP 800-38B); callers truncate to 8 bytes."""
    mac = CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()
