"""Errors of the offline store, ordered by the phase in which they happen.

```
OutboxError
 +-- StoreOpenError        opening: file missing/unreadable, or written by a newer kiosk version
 |    +-- StoreCorrupt     opening: integrity check failed; the file was moved aside, never deleted
 |    +-- KeyFileError     opening: key file missing, wrong size or readable by others
 |         +-- KeyMismatch opening: a valid key, but not the one this outbox was written with
 +-- StoreBusy             any write: another process held the lock past the busy timeout
 +-- StoreFull             enqueue/update: the disk is full; the submission was NOT saved
 +-- StoreIOError          any: the operating system reported an I/O error
 +-- EntryNotFound         get/mark: no entry with that id
 +-- InvalidTransition     mark_*: the entry is not in a state that allows the change
 |    +-- LeaseLost        mark_*: another worker holds (or already finished) this entry's lease
 +-- PayloadUnreadable     claim/get: the payload does not decrypt with this kiosk's key
 |    +-- AttachmentUnreadable  an attachment file is missing, damaged or under another key
 +-- TransferFileError     import: the file is not an outbox export (or is damaged)
```
Messages say what staff or IT can do and never contain personal data or the key.
"""

from __future__ import annotations

from pathlib import Path


class OutboxError(Exception):
    """Base of every offline-store error."""


class StoreOpenError(OutboxError):
    """The store could not be opened; nothing was read or written."""


class StoreCorrupt(StoreOpenError):
    """The database failed its integrity check. `moved_to` is where the damaged file now is."""

    def __init__(self, message: str, moved_to: Path | None = None) -> None:
        super().__init__(message)
        self.moved_to = moved_to


class KeyFileError(StoreOpenError):
    """The payload key file is missing, malformed or too widely readable."""


class KeyMismatch(KeyFileError):
    """The key file holds a valid key, but not the one the outbox was written with: nothing was
    read, sent or changed, so no entry is parked for a key problem."""


class StoreBusy(OutboxError):
    """Another writer kept the database locked longer than the busy timeout."""


class StoreFull(OutboxError):
    """SQLITE_FULL: nothing was written."""

    def __init__(self, message: str = "the kiosk's disk is full; the submission was NOT saved; "
                 "tell staff") -> None:
        super().__init__(message)


class StoreIOError(OutboxError):
    """The operating system failed a read or write of the database."""


class EntryNotFound(OutboxError):
    def __init__(self, entry_id: int) -> None:
        super().__init__(f"no outbox entry with id {entry_id}")
        self.entry_id = entry_id


class InvalidTransition(OutboxError):
    def __init__(self, entry_id: int, state: str, wanted: str) -> None:
        super().__init__(f"outbox entry {entry_id} is {state!r}; cannot move it to {wanted!r}")
        self.entry_id = entry_id
        self.state = state
        self.wanted = wanted


class LeaseLost(InvalidTransition):
    """This worker's lease expired and the entry was re-queued or claimed by another worker (e.g.
    `kiosk outbox sync` beside the kiosk): its result must be dropped; the owner decides."""


class PayloadUnreadable(OutboxError):
    def __init__(self, entry_id: int) -> None:
        super().__init__(
            f"the payload of outbox entry {entry_id} cannot be decrypted with this kiosk's key "
            "(key file replaced or record damaged); IT: restore the original key file"
        )
        self.entry_id = entry_id


class AttachmentUnreadable(PayloadUnreadable):
    def __init__(self, entry_id: int) -> None:
        OutboxError.__init__(
            self,
            f"an attachment of outbox entry {entry_id} is missing, damaged or was written under "
            "another key; IT: restore the attachments folder and the key file from backup",
        )
        self.entry_id = entry_id


class TransferFileError(OutboxError):
    """An import file is not an outbox export (or is damaged); nothing was imported from it."""
