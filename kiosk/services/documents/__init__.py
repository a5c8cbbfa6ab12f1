"""Document photos: find the page, flatten it, even the light, save JPEG or PDF attachments."""

from __future__ import annotations

from kiosk.services.documents.attachment import Attachment, pdf_bytes, save_jpeg, save_pdf
from kiosk.services.documents.errors import (
    AttachmentTooLarge, AttachmentWriteError, DocumentError, PageNotFound, human_size,
)
from kiosk.services.documents.page import Page, even_lighting, find_page, process_photo, rectify

__all__ = [
    "Attachment", "AttachmentTooLarge", "AttachmentWriteError", "DocumentError", "Page", "PageNotFound",
    "even_lighting", "find_page", "human_size", "pdf_bytes", "process_photo", "rectify", "save_jpeg", "save_pdf",
]
