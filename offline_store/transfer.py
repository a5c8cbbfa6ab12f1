"""Hand a kiosk's unsent queue to another kiosk: `export_unsent` writes it, `import_file` takes it.

Why the idempotency keys travel with the entries: the old kiosk may already have sent some of them
(or sent them and crashed before recording it). The new kiosk sends under the SAME keys and asks the
portal first (imported entries are marked outcome-unknown), so nothing is ever duplicated; an entry
whose key is already in the new outbox is skipped, so importing the same file twice is harmless.

The export file holds personal data in clear (payloads and attachments, decrypted, because the new
kiosk has another key): it is created with mode 0600 and never overwritten; the CLI warns about it.

Format (JSON, UTF-8):
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
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from offline_store.errors import TransferFileError
from offline_store.outbox import STATES, Outbox
from offline_store.records import AdoptedEntry

__all__ = ["FORMAT", "ImportSummary", "export_unsent", "import_file", "parse_export"]

FORMAT = "motcua-outbox-export"
VERSION = 1
MAX_FILE_BYTES = 2 * 1024**3
_UNSENT = ("queued", "sending", "failed_retryable", "needs_attention")


@dataclass(frozen=True)
class ImportSummary:
    imported: int
    skipped: int          # already in this outbox (same idempotency key)
    renamed_refs: int     # local reference already used here: a suffix was added


def export_unsent(outbox: Outbox, path: Path, *, now: datetime | None = None) -> int:
    """Write every unsent entry (with payload and attachments) to a NEW file, mode 0600."""
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
    stamp = (now or datetime.now(timezone.utc)).isoformat(timespec="seconds")
    document = {"format": FORMAT, "version": VERSION, "exported_at": stamp, "entries": entries}
    data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError as exc:
        raise TransferFileError(f"{path} already exists; choose a new file name") from exc
    except OSError as exc:
        raise TransferFileError(f"cannot create {path} ({exc.strerror})") from exc
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    return len(entries)


def import_file(outbox: Outbox, path: Path) -> ImportSummary:
    """Adopt every entry of an export file; entries already present are skipped."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise TransferFileError(f"{path} is too large to be an outbox export")
        raw = path.read_bytes()
    except OSError as exc:
        raise TransferFileError(f"cannot read {path} ({exc.strerror})") from exc
    records = parse_export(raw)
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
    text = {name: item.get(name) for name in ("idempotency_key", "local_ref", "procedure_code")}
    for name, value in text.items():
        if not isinstance(value, str) or not value or len(value) > 255 or not value.isprintable():
            raise bad(name)
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
