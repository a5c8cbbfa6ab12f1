"""Submitting a dossier from the kiosk: save first, then try to send, and tell the citizen honestly.

The submission is written durably to the outbox BEFORE any network traffic, so nothing the citizen
entered is lost whatever happens next. Then the sync thread is woken and we wait briefly (on a
Condition fed by the engine's observer, never by polling) for the first attempt: if it succeeds the
receipt carries the portal's dossier code (SENT); if it fails or takes too long the receipt carries
the local reference (QUEUED) and the outbox sends it later, exactly once. A citizen never waits
`wait_s` when the portal is down: the wait ends at once when the relay's circuit breaker is open,
and as soon as ANY attempt or health probe fails (even for an older entry queued ahead of theirs).

Document photos are saved with the submission (encrypted, in the outbox) and the relay uploads
them before the dossier that lists them, so the portal never holds a dossier without its documents.

Errors (both raised before anything is saved or sent):
```
AttachmentMismatch (ValueError)  programming error: the bytes given are not the documents that
                                 payload["attachments"] lists (count, order, SHA-256, size)
SubmissionError                  the submission was NOT saved; `.user_message` is safe to show
 +-- StorageFull                 ... because the kiosk's disk is full (staff/IT must free space)
```
"""

from __future__ import annotations

import enum
import hashlib
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from offline_store.breaker import BreakerState
from offline_store.errors import OutboxError, StoreFull
from offline_store.outbox import VIETNAM_TZ, Outbox, OutboxEntry
from offline_store.sync import SyncEngine, SyncThread

__all__ = ["AttachmentMismatch", "Receipt", "ReceiptStatus", "StorageFull", "SubmissionError",
           "SubmissionService", "check_attachments"]

# States that end the wait for the first attempt's outcome.
_DECIDED = {"sent", "failed_retryable", "needs_attention"}


class SubmissionError(Exception):
    """The submission could not be saved. Nothing was stored; the citizen should ask staff."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class StorageFull(SubmissionError):
    """The disk (or the store's size limit) is full: nothing was saved; IT must free space."""


class AttachmentMismatch(ValueError):
    """The caller's bug: `attachments` must be `flow.attachment_data()` for this very payload (the
    documents `payload["attachments"]` lists, in its order). Nothing was saved."""


def check_attachments(payload: dict[str, Any], attachments: Sequence[bytes]) -> None:
    """Raise AttachmentMismatch unless `attachments` are exactly the documents the payload lists.
    Messages name positions and counts only, never content."""
    listed = payload.get("attachments", [])
    if not isinstance(listed, list):
        raise AttachmentMismatch('payload["attachments"] must be a list')
    if len(listed) != len(attachments):
        raise AttachmentMismatch(f'payload["attachments"] lists {len(listed)} documents but '
                                 f"{len(attachments)} were given (pass flow.attachment_data())")
    for i, (item, data) in enumerate(zip(listed, attachments)):
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise AttachmentMismatch(f"document {i} is not bytes")
        if not isinstance(item, dict) or item.get("sha256") != hashlib.sha256(data).hexdigest():
            raise AttachmentMismatch(f'document {i} is not the one payload["attachments"][{i}] '
                                     "names (SHA-256 differs: wrong order or wrong photo)")
        if item.get("size") != len(data):
            raise AttachmentMismatch(f'payload["attachments"][{i}]["size"] is not its length')


class ReceiptStatus(enum.Enum):
    SENT = "sent"                        # the portal holds it: dossier_code is set
    QUEUED = "queued"                    # saved on the kiosk; it will be sent automatically
    NEEDS_ATTENTION = "needs_attention"  # the portal refused it: staff must look (reason says why)


@dataclass(frozen=True)
class Receipt:
    status: ReceiptStatus
    local_ref: str
    dossier_code: str | None
    procedure_code: str
    created_at: datetime
    reason: str | None


class SubmissionService:
    """One per kiosk; `submit` is called from the UI's worker (it blocks up to `wait_s`)."""

    def __init__(self, outbox: Outbox, sync_thread: SyncThread | None, engine: SyncEngine, *,
                 wait_s: float = 8.0, clock: Callable[[], float] = time.monotonic) -> None:
        self._outbox = outbox
        self._thread = sync_thread
        self._wait_s = wait_s
        self._clock = clock
        self._changed = threading.Condition()
        self._watched: dict[int, str | None] = {}
        self._failures = 0  # portal-health failures seen so far (any entry, or a probe)
        self._engine = engine
        self._unsubscribes = [engine.subscribe(self._on_change),
                              engine.subscribe_health(self._on_health)]

    def close(self) -> None:
        """Stop listening to the engine (the outbox and thread belong to the caller)."""
        for unsubscribe in self._unsubscribes:
            unsubscribe()

    def submit(self, procedure_code: str, payload: dict[str, Any],
               attachments: Sequence[bytes] = ()) -> Receipt:
        """Save durably (with the document photos), try to send, and say what happened.
        `attachments` are the bytes of the documents `payload["attachments"]` lists, in its order
        (`flow.attachment_data()`); AttachmentMismatch (nothing saved) if they are not."""
        check_attachments(payload, attachments)
        entry = self._save(procedure_code, payload, [bytes(a) for a in attachments])
        with self._changed:
            self._watched[entry.id] = None
        try:
            if self._thread is not None and self._thread.is_alive():
                self._thread.wake()
                self._wait_for_first_attempt(entry.id)
            return self._receipt(self._outbox.get(entry.id))
        except OutboxError:
            # Saved, but we cannot read it back right now: it is safely queued.
            return self._receipt(entry)
        finally:
            with self._changed:
                self._watched.pop(entry.id, None)

    # -- internals -------------------------------------------------------------------------------

    def _save(self, procedure_code: str, payload: dict[str, Any],
              attachments: Sequence[bytes]) -> OutboxEntry:
        try:
            return self._outbox.enqueue(procedure_code, payload, attachments)
        except StoreFull as exc:
            raise StorageFull(
                "The kiosk's storage is full, so your application was NOT saved. "
                "Please ask staff for help."
            ) from exc
        except OutboxError as exc:
            raise SubmissionError(
                "The kiosk could not save your application, so it was NOT submitted. "
                "Please try again or ask staff for help."
            ) from exc

    def _on_change(self, entry_id: int, state: str) -> None:
        with self._changed:
            if entry_id in self._watched:
                self._watched[entry_id] = state
                self._changed.notify_all()
            elif state == "failed_retryable":  # an older entry failed: ours would fail too
                self._failures += 1
                self._changed.notify_all()

    def _on_health(self, _snapshot: object, failed: bool) -> None:
        if failed:
            with self._changed:
                self._failures += 1
                self._changed.notify_all()

    def _breaker_open(self) -> bool:
        return self._engine.breaker.snapshot().state is BreakerState.OPEN

    def _wait_for_first_attempt(self, entry_id: int) -> None:
        """Block until the first attempt is decided or `wait_s` passes. The outbox is checked
        once after registering, so a change that happened before we listened is not missed."""
        with self._changed:
            failures_before = self._failures
        if self._outbox.get(entry_id).state in _DECIDED or self._breaker_open():
            return  # decided already, or the portal is known to be down: say "queued" now
        deadline = self._clock() + self._wait_s
        with self._changed:
            while (self._watched.get(entry_id) not in _DECIDED
                   and self._failures == failures_before):
                remaining = deadline - self._clock()
                if remaining <= 0:
                    return
                self._changed.wait(remaining)

    @staticmethod
    def _receipt(entry: OutboxEntry) -> Receipt:
        if entry.state == "sent":
            status = ReceiptStatus.SENT
        elif entry.state == "needs_attention":
            status = ReceiptStatus.NEEDS_ATTENTION
        else:
            status = ReceiptStatus.QUEUED
        return Receipt(
            status=status,
            local_ref=entry.local_ref,
            dossier_code=entry.dossier_code if status is ReceiptStatus.SENT else None,
            procedure_code=entry.procedure_code,
            created_at=datetime.fromtimestamp(entry.created_at, VIETNAM_TZ),
            reason=entry.last_error if status is not ReceiptStatus.SENT else None,
        )
