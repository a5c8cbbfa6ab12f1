"""Hand a kiosk's unsent queue to another kiosk: `export_unsent` writes it, `import_file` takes it.

Why the idempotency keys travel with the entries: the old kiosk may already have sent some of them
(or sent them and crashed before recording it). The new kiosk sends under the SAME keys and asks the
portal first (imported entries are marked outcome-unknown), so nothing is ever duplicated; an entry
whose key is already in the new outbox is skipped, so importing the same file twice is harmless.

The export holds personal data (payloads and attachments, decrypted from this kiosk's key, which
the new kiosk does not have), so it is encrypted under a PASSPHRASE the operator types at export and
again at import: AES-256-GCM with a key derived by scrypt (a memory-hard KDF, so guessing a
passphrase from a lost USB stick is slow). The file is also created with mode 0600 and never
overwritten. A wrong passphrase and a damaged file look the same (the GCM tag fails): nothing is
imported.

File (version 2):
```
b"motcua-outbox-export/2\n"
b'{"kdf": "scrypt", "n": 32768, "r": 8, "p": 1, "salt": "<base64>"}\n'   header, one line
12-byte nonce || AES-256-GCM ciphertext+tag       associated data: the two lines above
```
The plaintext is the version 1 document, which older kiosks wrote in clear (still importable):
```
{"format": "motcua-outbox-export", "version": 1, "exported_at": "<ISO 8601>",
 "entries": [{"idempotency_key", "local_ref", "procedure_code", "state", "created_at" (epoch s),
              "attempts", "last_error", "payload": {...}, "attachments": ["<base64>", ...]}]}
```
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import os
import unicodedata
from dataclasses import dataclass
from datetime import datetime, UTC
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from offline_store.errors import TransferFileError
from offline_store.outbox import STATES, Outbox
from offline_store.records import AdoptedEntry

__all__ = ["FORMAT", "MIN_PASSPHRASE_CHARS", "ImportSummary", "decrypt_export", "encrypt_export",
           "export_unsent", "import_file", "parse_export"]

FORMAT = "motcua-outbox-export"
VERSION = 1
MAX_FILE_BYTES = 2 * 1024**3
_UNSENT = ("queued", "sending", "failed_retryable", "needs_attention")
MAGIC = b"motcua-outbox-export/2\n"
MIN_PASSPHRASE_CHARS = 12
#: scrypt cost: 2**15 * 8 * 128 B = 32 MiB and ~0.1-0.3 s per derivation (OWASP's minimum for
#: interactive use is N=2**17 with r=8 at 128 MiB; a kiosk may have little RAM, and the export is
#: short-lived on encrypted media as well). Import accepts N up to 2**17 so it can be raised later.
_SCRYPT = {"n": 2**15, "r": 8, "p": 1}
_MAX_N = 2**17  # 128 MiB: a crafted header cannot make import eat the kiosk's memory


def _derive(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    # NFC: the same Vietnamese passphrase typed on two keyboards can arrive composed differently.
    secret = unicodedata.normalize("NFC", passphrase).encode("utf-8")
    return Scrypt(salt=salt, length=32, n=n, r=r, p=p).derive(secret)


def encrypt_export(document: bytes, passphrase: str) -> bytes:
    """Seal a version 1 document under `passphrase` (see the module docstring for the layout)."""
    if len(passphrase) < MIN_PASSPHRASE_CHARS:
        raise TransferFileError(f"the passphrase must have at least {MIN_PASSPHRASE_CHARS} "
                                "characters; nothing was exported")
    salt, nonce = os.urandom(16), os.urandom(12)
    header = json.dumps({"kdf": "scrypt", **_SCRYPT,
                         "salt": base64.b64encode(salt).decode("ascii")}).encode("ascii") + b"\n"
    key = _derive(passphrase, salt, **_SCRYPT)
    return MAGIC + header + nonce + AESGCM(key).encrypt(nonce, document, MAGIC + header)


def decrypt_export(raw: bytes, passphrase: str) -> bytes:
    """The version 1 document inside an encrypted export; TransferFileError if the passphrase is
    wrong or the file was changed (the two cannot be told apart, by design)."""
    if not raw.startswith(MAGIC):
        raise TransferFileError("the file is not an encrypted outbox export")
    header, newline, rest = raw[len(MAGIC):].partition(b"\n")
    try:
        params: Any = json.loads(header.decode("ascii")) if newline else None
        salt = base64.b64decode(params["salt"], validate=True)
        n, r, p = (params[k] for k in ("n", "r", "p"))
        ok = params["kdf"] == "scrypt" and all(type(v) is int for v in (n, r, p))
    except (ValueError, TypeError, KeyError, UnicodeDecodeError, binascii.Error):
        ok = False
    if not ok or not (2**14 <= n <= _MAX_N and n & (n - 1) == 0 and r == 8 and 1 <= p <= 4
                      and len(salt) >= 16 and len(rest) > 12 + 16):
        raise TransferFileError("the export's header is damaged; nothing was imported")
    key = _derive(passphrase, salt, n, r, p)
    try:
        return AESGCM(key).decrypt(rest[:12], rest[12:], MAGIC + header + b"\n")
    except InvalidTag:
        raise TransferFileError("wrong passphrase, or the export file was damaged or changed; "
                                "nothing was imported") from None


@dataclass(frozen=True)
class ImportSummary:
    imported: int
    skipped: int          # already in this outbox (same idempotency key)
    renamed_refs: int     # local reference already used here: a suffix was added


def export_unsent(outbox: Outbox, path: Path, passphrase: str, *,
                  now: datetime | None = None) -> int:
    """Write every unsent entry (with payload and attachments) to a NEW file, mode 0600,
    encrypted under `passphrase` (at least MIN_PASSPHRASE_CHARS characters)."""
    entries = []
    for listed in reversed(outbox.list(states=_UNSENT, limit=2**62)):  # oldest first
        entry = outbox.get(listed.id, with_payload=True)
        entries.append({
            "idempotency_key": entry.idempotency_key, "local_ref": entry.local_ref,
            "procedure_code": entry.procedure_code, "state": entry.state,
            "created_at": entry.created_at, "attempts": entry.attempts,
            "last_error": entry.last_error, "payload": entry.payload,
            "attachments": [base64.b64encode(a).decode("ascii")
                            for a in outbox.attachments(entry.id)],
        })
    stamp = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    document = {"format": FORMAT, "version": VERSION, "exported_at": stamp, "entries": entries}
    data = encrypt_export(json.dumps(document, ensure_ascii=False).encode("utf-8"), passphrase)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise TransferFileError(f"{path} already exists; choose a new file name") from exc
    except OSError as exc:
        raise TransferFileError(f"cannot create {path} ({exc.strerror})") from exc
    with os.fdopen(fd, "wb") as handle:  # write() loops until every byte is written
        os.fchmod(fd, 0o600)
        handle.write(data)
        handle.flush()
        os.fsync(fd)
    return len(entries)


def import_file(outbox: Outbox, path: Path, passphrase: str) -> ImportSummary:
    """Adopt every entry of an export file; entries already present are skipped. An encrypted
    (version 2) file needs the passphrase given at export; a clear version 1 file from older kiosk
    software is still accepted."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise TransferFileError(f"{path} is too large to be an outbox export")
        raw = path.read_bytes()
    except OSError as exc:
        raise TransferFileError(f"cannot read {path} ({exc.strerror})") from exc
    records = parse_export(decrypt_export(raw, passphrase) if raw.startswith(MAGIC) else raw)
    imported = skipped = renamed = 0
    for record in records:
        entry = outbox.adopt(record)
        if entry is None:
            skipped += 1
            continue
        imported += 1
        renamed += entry.local_ref != record.local_ref
    return ImportSummary(imported, skipped, renamed)


def parse_export(raw: bytes) -> list[AdoptedEntry]:
    """Check the whole file before anything is imported. Messages name the entry and field only."""
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise TransferFileError("the file is not UTF-8 JSON: is it an outbox export?") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise TransferFileError("the file is not an outbox export (no 'format' marker)")
    if document.get("version") != VERSION:
        raise TransferFileError(f"unsupported export version {document.get('version')!r}; "
                                "IT: update the kiosk software")
    entries = document.get("entries")
    if not isinstance(entries, list):
        raise TransferFileError("the export has no 'entries' list")
    records = [_record(item, n) for n, item in enumerate(entries, start=1)]
    keys = [r.idempotency_key for r in records]
    if len(set(keys)) != len(keys):
        raise TransferFileError("the export lists the same idempotency key twice; it is damaged")
    return records


def _record(item: Any, n: int) -> AdoptedEntry:
    def bad(field: str) -> TransferFileError:
        return TransferFileError(f"entry {n} of the export has a missing or invalid {field!r}")

    if not isinstance(item, dict):
        raise bad("entry")
    text: dict[str, str] = {}
    for name in ("idempotency_key", "local_ref", "procedure_code"):
        value = item.get(name)
        if not isinstance(value, str) or not value or len(value) > 255 or not value.isprintable():
            raise bad(name)
        text[name] = value
    if not text["idempotency_key"].isascii():
        raise bad("idempotency_key")
    if item.get("state") not in STATES or item.get("state") == "sent":
        raise bad("state")
    created, attempts = item.get("created_at"), item.get("attempts", 0)
    if isinstance(created, bool) or not isinstance(created, (int, float)) \
            or not math.isfinite(created):
        raise bad("created_at")
    if isinstance(attempts, bool) or not isinstance(attempts, int) or attempts < 0:
        raise bad("attempts")
    last_error = item.get("last_error")
    if last_error is not None and not isinstance(last_error, str):
        raise bad("last_error")
    if not isinstance(item.get("payload"), dict):
        raise bad("payload")
    files = item.get("attachments", [])
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        raise bad("attachments")
    try:
        blobs = tuple(base64.b64decode(f, validate=True) for f in files)
    except (binascii.Error, ValueError) as exc:
        raise bad("attachments") from exc
    return AdoptedEntry(idempotency_key=text["idempotency_key"], local_ref=text["local_ref"],
                        procedure_code=text["procedure_code"], state=item["state"],
                        created_at=float(created), attempts=attempts, last_error=last_error,
                        payload=item["payload"], attachments=blobs)
