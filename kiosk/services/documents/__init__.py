"""Document photos: find the page, flatten it, even the light, encode it as a JPEG or PDF attachment.

The image work loads OpenCV, so its names are imported on first use: the screens that only show a
size or an error (``errors``) do not load it while the kiosk starts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from kiosk.services.documents.errors import DocumentError, PageNotFound, human_size

if TYPE_CHECKING:
    from kiosk.services.documents.attachment import encode_jpeg, pdf_bytes
    from kiosk.services.documents.page import Page, even_lighting, find_page, process_photo, rectify

__all__ = [
    "DocumentError", "Page", "PageNotFound", "encode_jpeg", "even_lighting", "find_page", "human_size",
    "pdf_bytes", "process_photo", "rectify",
]

_LAZY = {"encode_jpeg": "attachment", "pdf_bytes": "attachment", "Page": "page", "even_lighting": "page",
         "find_page": "page", "process_photo": "page", "rectify": "page"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
