"""Document photo errors, ordered by phase. Messages are for the staff member taking the photo.

::

    DocumentError                 anything the document layer cannot do (encoding failed)
     +-- PageNotFound             finding: no page edges in the photo          (retake)

The size limit of an attachment is ``kiosk.domain.attachments``' (``AttachmentRejected``).
"""

from __future__ import annotations

__all__ = ["DocumentError", "PageNotFound", "human_size"]


class DocumentError(Exception):
    default_message = "The document photo could not be processed. Please take it again."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class PageNotFound(DocumentError):
    default_message = (
        "The edges of the page were not found. Lay the whole page flat on a dark surface, with all "
        "four corners in view, and take the photo again."
    )


def human_size(size: int) -> str:
    """1536 -> '1.5 KB': what the screen shows next to an attachment."""
    value = float(size)
    for unit in ("bytes", "KB", "MB"):
        if value < 1024 or unit == "MB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    raise AssertionError("unreachable")
