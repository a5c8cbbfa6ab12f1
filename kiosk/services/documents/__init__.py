"""Document photos: find the page, flatten it, even the light, encode it as a JPEG or PDF attachment."""

from __future__ import annotations

from kiosk.services.documents.attachment import encode_jpeg, pdf_bytes
from kiosk.services.documents.errors import DocumentError, PageNotFound, human_size
from kiosk.services.documents.page import Page, even_lighting, find_page, process_photo, rectify

__all__ = [
    "DocumentError", "Page", "PageNotFound", "encode_jpeg", "even_lighting", "find_page", "human_size",
    "pdf_bytes", "process_photo", "rectify",
]
