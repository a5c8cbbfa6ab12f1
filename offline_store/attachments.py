"""Attachment files (scanned papers, photos) stored by content hash, encrypted, beside the database.

Why files and not BLOBs: a few MB per dossier would bloat the WAL and slow every commit the citizen
waits for. Why by content hash: the same scan attached twice is stored once, and a file's name
proves which content it must hold. The name is a KEYED SHA-256 (HMAC-SHA256 of the plaintext's
SHA-256 under a key derived from the outbox key), so someone holding a known document cannot check
whether this kiosk has seen it. Contents are AES-256-GCM with the name as associated data, so a file
renamed onto another name fails to decrypt instead of being attached to the wrong dossier.

Crash safety: a file is written to a temporary name, fsynced, renamed and the folder fsynced BEFORE
the database row that refers to it is committed. A crash in between leaves an unreferenced file
(never a row without its file); `remove_orphans` deletes those at open, after a grace period so a
second process opening the store never deletes a file the kiosk is about to refer to.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import time
from collections.abc import Iterable
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from offline_store.crypto import NONCE_BYTES
from offline_store.errors import AttachmentUnreadable, StoreFull, StoreIOError

__all__ = ["AttachmentStore"]

_MAGIC = b"MKA1"
_TMP_SUFFIX = ".tmp"


def _derive(key: bytes, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=b"motcua-outbox attachments " + purpose).derive(key)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AttachmentStore:
    """Encrypted content-addressed files in one folder; holds derived keys and never shows them."""

    __slots__ = ("folder", "_aead", "_name_key")

    def __init__(self, folder: Path, key: bytes) -> None:
        self.folder = folder
        self._aead = AESGCM(_derive(key, b"content v1"))
        self._name_key = _derive(key, b"name v1")

    def __repr__(self) -> str:
        return f"AttachmentStore({str(self.folder)!r})"

    def name_for(self, data: bytes) -> str:
        return self.name_for_sha256(hashlib.sha256(data).digest())

    def name_for_sha256(self, digest: bytes) -> str:
        """The file name of the content whose SHA-256 is `digest` (a payload lists it: recovery
        finds an entry's files again from its payload alone)."""
        return hmac.new(self._name_key, digest, hashlib.sha256).hexdigest()

    def exists(self, name: str) -> bool:
        return (self.folder / name).is_file()

    def put(self, data: bytes) -> str:
        """Store `data` durably (once per content) and return its name."""
        name = self.name_for(data)
        target = self.folder / name
        if target.exists():
            try:  # fresh mtime: another process's orphan clean-up must not take it before our row
                os.utime(target)
                return name
            except FileNotFoundError:
                pass  # removed meanwhile: write it again
        nonce = os.urandom(NONCE_BYTES)
        blob = _MAGIC + nonce + self._aead.encrypt(nonce, bytes(data), name.encode("ascii"))
        tmp = self.folder / f"{name}.{os.getpid()}{_TMP_SUFFIX}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                os.write(fd, blob)
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(tmp, target)
            _fsync_dir(self.folder)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            if exc.errno == 28:  # ENOSPC
                raise StoreFull() from exc
            raise StoreIOError(f"could not write an attachment file ({exc.strerror}); IT: check "
                               "the disk and the data folder's permissions") from exc
        return name

    def get(self, name: str, entry_id: int) -> bytes:
        try:
            blob = (self.folder / name).read_bytes()
        except OSError as exc:
            raise AttachmentUnreadable(entry_id) from exc
        if not blob.startswith(_MAGIC):
            raise AttachmentUnreadable(entry_id)
        nonce, ciphertext = blob[4:4 + NONCE_BYTES], blob[4 + NONCE_BYTES:]
        try:
            return self._aead.decrypt(nonce, ciphertext, name.encode("ascii"))
        except InvalidTag as exc:
            raise AttachmentUnreadable(entry_id) from exc

    def delete(self, names: Iterable[str]) -> None:
        for name in names:
            (self.folder / name).unlink(missing_ok=True)

    def remove_orphans(self, referenced: set[str], grace_s: float) -> int:
        """Delete files no row refers to (and stale temporaries) older than `grace_s`."""
        if not self.folder.is_dir():
            return 0
        removed = 0
        cutoff = time.time() - grace_s  # file times are wall-clock times, whatever the store's clock
        for path in self.folder.iterdir():
            if path.name in referenced or not path.is_file():
                continue
            try:
                if path.stat().st_mtime <= cutoff:
                    path.unlink()
                    removed += 1
            except FileNotFoundError:
                continue
        return removed
