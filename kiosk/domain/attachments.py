"""Document photos attached to an application during a session (no Qt, no files).

The kiosk never writes a citizen's document to disk in the clear: the photo lives in the session
(memory) until the citizen consents, then goes into the encrypted outbox with the application. The
payload refers to each photo by its SHA-256, which is also the name the portal stores it under, so
uploading the same photo twice is harmless and the portal can check what it received.

Errors::

    AttachmentRejected        the bytes are not a photo or PDF the kiosk made, or too large
"""

from __future__ import annotations

import dataclasses
import hashlib

__all__ = ["MAX_ATTACHMENT_BYTES", "MEDIA_TYPES", "AttachmentRejected", "SessionAttachment",
           "sniff_media_type"]

#: one document (all its pages) may not exceed this; the portal refuses larger uploads too
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
MEDIA_TYPES = ("image/jpeg", "image/png", "application/pdf")
_MAGIC = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"),
          (b"%PDF-", "application/pdf"))


class AttachmentRejected(ValueError):
    """Not something the kiosk's document camera could have produced: take the photo again."""


def sniff_media_type(data: bytes) -> str:
    """The media type from the file's first bytes (never trust a declared type)."""
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    raise AttachmentRejected("the document is not a JPEG, PNG or PDF file; please take the photo again")


@dataclasses.dataclass(frozen=True)
class SessionAttachment:
    field_id: str
    data: bytes = dataclasses.field(repr=False)
    pages: int = 1

    def __post_init__(self) -> None:
        if not self.data:
            raise AttachmentRejected("the document photo is empty; please take it again")
        if len(self.data) > MAX_ATTACHMENT_BYTES:
            raise AttachmentRejected(
                f"the document is {len(self.data)} bytes, more than {MAX_ATTACHMENT_BYTES}; "
                "please take the photo again with fewer pages")
        sniff_media_type(self.data)
        if self.pages < 1:
            raise AttachmentRejected("a document has at least one page")

    @property
    def media_type(self) -> str:
        return sniff_media_type(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    def describe(self) -> dict[str, object]:
        """What the payload says about it (the bytes travel separately)."""
        return {"field": self.field_id, "sha256": self.sha256, "media_type": self.media_type,
                "size": len(self.data), "pages": self.pages}
