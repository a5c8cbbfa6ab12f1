"""Encryption at rest for outbox payloads (AES-256-GCM).

Payloads are personal data (names, ID numbers, phones, addresses), so the outbox keeps them only as
ciphertext. Each record gets a fresh random 96-bit nonce; the record's idempotency key is bound in
as associated data, so a ciphertext copied onto another row fails to decrypt instead of being sent
under the wrong key. The 256-bit key lives in its own file (mode 0600) next to the database: a copy
of the database alone reveals nothing. The key never appears in logs, messages or reprs.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from offline_store.errors import KeyFileError, PayloadUnreadable

KEY_BYTES = 32
NONCE_BYTES = 12


def create_key_file(key_path: Path) -> None:
    """Write a new random key with mode 0600, atomically and durably, never overwriting one.

    The key is written and fsynced under a temporary name, then hard-linked to its final name
    (which fails if a key appeared meanwhile): a crash at any point leaves either no key file or a
    complete one, never an empty key file that would lock the kiosk out of its own outbox."""
    key_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = key_path.with_name(f"{key_path.name}.tmp-{os.getpid()}-{os.urandom(4).hex()}")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.fchmod(fd, 0o600)  # the umask may have narrowed it further; never wider
            os.write(fd, AESGCM.generate_key(bit_length=256))
            os.fsync(fd)
        finally:
            os.close(fd)
        os.link(tmp, key_path)
    except FileExistsError as exc:
        raise KeyFileError(f"the key file {key_path} appeared while creating it; try again") from exc
    except OSError as exc:
        raise KeyFileError(
            f"cannot create the outbox key file {key_path} ({exc.strerror}); "
            "IT: check the data folder's permissions"
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)
    dir_fd = os.open(key_path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def load_key_file(key_path: Path) -> bytes:
    """Read the key, refusing a file that group or others could read (it would leak every payload)."""
    try:
        st = key_path.stat()
    except FileNotFoundError as exc:
        raise KeyFileError(f"the outbox key file {key_path} is missing") from exc
    if not stat.S_ISREG(st.st_mode):
        raise KeyFileError(f"the outbox key path {key_path} is not a regular file")
    if st.st_mode & 0o077:
        raise KeyFileError(
            f"the outbox key file {key_path} is readable by other users "
            f"(mode {stat.S_IMODE(st.st_mode):04o}); refusing to use it. "
            f"IT: run `chmod 600 {key_path}` and check who could have copied it"
        )
    try:
        key = key_path.read_bytes()
    except OSError as exc:
        raise KeyFileError(f"cannot read the outbox key file {key_path} ({exc.strerror})") from exc
    if len(key) != KEY_BYTES:
        raise KeyFileError(
            f"the outbox key file {key_path} has the wrong size ({len(key)} bytes, expected "
            f"{KEY_BYTES}); restore it from backup"
        )
    return key


def key_check_value(key: bytes) -> str:
    """A short public fingerprint of the key (HMAC of a fixed text): stored with the outbox, it
    tells at open whether the key file is the one the outbox was written with, without revealing
    the key or needing a payload to try."""
    return hmac.new(key, b"motcua-outbox key check v1", hashlib.sha256).hexdigest()[:32]


class PayloadCipher:
    """Seals and opens payload dicts; holds the key privately and never shows it."""

    __slots__ = ("_aead",)

    def __init__(self, key: bytes) -> None:
        self._aead = AESGCM(key)

    def __repr__(self) -> str:
        return "PayloadCipher(<key hidden>)"

    def seal(self, payload: dict[str, Any], associated: str) -> tuple[bytes, bytes]:
        """Return (nonce, ciphertext) for the payload's canonical JSON."""
        plaintext = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        nonce = os.urandom(NONCE_BYTES)
        return nonce, self._aead.encrypt(nonce, plaintext, associated.encode("ascii"))

    def open(self, nonce: bytes, ciphertext: bytes, associated: str, entry_id: int) -> dict[str, Any]:
        try:
            plaintext = self._aead.decrypt(nonce, ciphertext, associated.encode("ascii"))
        except (InvalidTag, ValueError) as exc:  # ValueError: a damaged nonce of the wrong size
            raise PayloadUnreadable(entry_id) from exc
        result = json.loads(plaintext.decode("utf-8"))
        if not isinstance(result, dict):  # pragma: no cover - we only ever seal dicts
            raise PayloadUnreadable(entry_id)
        return result
