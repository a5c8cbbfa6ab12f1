"""Uploading an outbox entry's document photos before the dossier that lists them.

Why before, and why by SHA-256: the portal refuses (422 `attachment_missing`, nothing stored) a
dossier that lists a document it does not hold, so a dossier is never on the portal without its
documents; and the portal stores each document under its SHA-256, so an upload repeated after a
timeout or a crash is harmless. The dossier itself is still sent exactly once by its idempotency
key: nothing here changes how the POST is retried or asked about.

Each document is first asked about (`has_attachment`, a HEAD: no bytes travel) and uploaded only if
the portal lacks it, so a retry after a failure part-way (a 5xx on photo 2 of 3) sends only what is
missing: on a rural uplink a 1 MB photo takes seconds, a HEAD a round trip. Before each request the
entry's lease is renewed, so a slow set of uploads never outlives the lease and lets another worker
take the entry meanwhile.

Errors (besides the portal client's, which the engine classifies as for the dossier):
```
UploadDamaged (PortalError)          the bytes arrived changed (400 digest_mismatch): retryable
AttachmentRefused (PortalRejected)   the portal refused one document for good (400/413/415): staff
AttachmentsUnsendable (OutboxError)  the outbox lacks a document the payload lists (damaged store
                                     or a bug): retrying cannot help; staff take it on paper
```
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any, Protocol

from kiosk.domain.portal_contract import Dossier, PortalError, PortalRejected
from offline_store.errors import OutboxError
from offline_store.records import OutboxEntry

__all__ = ["AttachmentRefused", "AttachmentsUnsendable", "UploadDamaged", "Uploader",
           "listed_attachments"]

log = logging.getLogger(__name__)


class AttachmentRefused(PortalRejected):
    """The portal refused document `index` (0-based) of `count`: sending it again will not help."""

    def __init__(self, cause: PortalRejected, index: int, count: int) -> None:
        super().__init__(str(cause), status=cause.status, reason=cause.reason,
                         error_code=cause.error_code, field=cause.field)
        self.index = index
        self.count = count


class UploadDamaged(PortalError):
    """The portal received other bytes than the kiosk sent (its SHA-256 differs): something on the
    way damaged them. The kiosk's copy is intact (its hash is the name), so send it again."""

    retryable = True


class AttachmentsUnsendable(OutboxError):
    """The outbox does not hold a document the payload lists: IT should look at the kiosk; staff
    should take the citizen's documents on paper."""

    def __init__(self, entry_id: int, index: int, count: int) -> None:
        super().__init__(f"entry {entry_id}: document {index + 1} of {count} listed in the "
                         "application is not in the kiosk's outbox; staff: take it on paper")
        self.entry_id = entry_id


class _Outbox(Protocol):
    def attachments(self, entry_id: int) -> list[bytes]: ...

    def renew_lease(self, entry_id: int, lease_token: str) -> float: ...


class _Client(Protocol):
    def submit_dossier(self, payload: dict[str, Any], idempotency_key: str) -> Dossier: ...

    def upload_attachment(self, data: bytes, media_type: str) -> str: ...

    def has_attachment(self, sha256: str) -> bool: ...


def listed_attachments(payload: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The documents a payload lists (`payload["attachments"]`); [] if none or malformed (a
    malformed list is the portal's to refuse, with a reason staff can read)."""
    items = (payload or {}).get("attachments")
    if not isinstance(items, list):
        return []
    return [item for item in items if isinstance(item, dict)]


class Uploader:
    """Sends one claimed entry: its documents first, then the dossier (by the engine's rules)."""

    def __init__(self, outbox: _Outbox, client: _Client, *, ask_first: bool = True) -> None:
        self._outbox = outbox
        self._client = client
        self._ask_first = ask_first
        self.uploads = 0  # documents PUT so far by this uploader (tests and the benchmark read it)

    def upload_all(self, entry: OutboxEntry, *, ask_first: bool | None = None) -> int:
        """Make sure the portal holds every document the entry's payload lists; returns how many
        were uploaded now. Raises the client's errors, AttachmentRefused, AttachmentsUnsendable,
        AttachmentUnreadable (a file does not decrypt) or LeaseLost."""
        items = listed_attachments(entry.payload)
        if not items:
            return 0
        ask = self._ask_first if ask_first is None else ask_first
        files = {hashlib.sha256(data).hexdigest(): data
                 for data in self._outbox.attachments(entry.id)}
        sent = 0
        for index, item in enumerate(items):
            data = files.get(item.get("sha256"))  # type: ignore[arg-type]
            if data is None:
                raise AttachmentsUnsendable(entry.id, index, len(items))
            self._renew(entry)
            if ask and self._client.has_attachment(item["sha256"]):
                continue
            self._put(data, item.get("media_type"), index, len(items))
            sent += 1
        return sent

    def submit(self, entry: OutboxEntry) -> Dossier:
        """POST the dossier. If the portal says a listed document is missing (it lost one between
        our upload and the POST), upload them all again without asking and POST once more; a
        second refusal is final (needs_attention)."""
        assert entry.payload is not None  # claim_next always decrypts
        has_documents = bool(listed_attachments(entry.payload))
        if has_documents:
            self._renew(entry)
        try:
            return self._client.submit_dossier(entry.payload, entry.idempotency_key)
        except PortalRejected as exc:
            if exc.error_code != "attachment_missing" or not has_documents:
                raise
        log.warning("outbox entry %d: the portal lacks a document it was sent; uploading again",
                    entry.id)
        self.upload_all(entry, ask_first=False)
        self._renew(entry)
        return self._client.submit_dossier(entry.payload, entry.idempotency_key)

    def _renew(self, entry: OutboxEntry) -> None:
        if entry.lease_token is not None:
            self._outbox.renew_lease(entry.id, entry.lease_token)

    def _put(self, data: bytes, media_type: object, index: int, count: int) -> None:
        try:
            self._client.upload_attachment(data, media_type)  # type: ignore[arg-type]
        except PortalRejected as exc:
            if exc.status in (401, 403):
                raise  # the kiosk's token, not the document: retried like any dossier
            if exc.error_code == "digest_mismatch":
                raise UploadDamaged(f"Document {index + 1} of {count} arrived damaged at the "
                                    "portal; will send it again.", status=exc.status) from None
            raise AttachmentRefused(exc, index, count) from None
        self.uploads += 1
