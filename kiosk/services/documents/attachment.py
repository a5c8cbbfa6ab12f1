"""Save corrected pages as a dossier attachment: one JPEG, or a multi-page PDF for a set.

The PDF writer is a minimal one of our own (about 40 lines): each page is a JPEG embedded as-is with
the DCTDecode filter, so there is no re-encoding, no new dependency and the PDF is barely bigger
than its JPEGs. Page size in points follows the pixels at ``dpi`` (150 by default: an A4 page
photographed at ~1750 px on its long side prints at its real size).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from kiosk.services.documents.errors import AttachmentTooLarge, AttachmentWriteError, DocumentError, human_size

__all__ = ["Attachment", "encode_jpeg", "pdf_bytes", "save_jpeg", "save_pdf"]

DEFAULT_LIMIT = 10 * 1024 * 1024  # bytes: a typical portal limit per attachment


@dataclasses.dataclass(frozen=True, slots=True)
class Attachment:
    path: Path
    size: int  # bytes on disk
    pages: int
    media_type: str  # image/jpeg or application/pdf

    @property
    def size_text(self) -> str:
        return human_size(self.size)


def encode_jpeg(image: np.ndarray, quality: int = 75) -> bytes:
    """Baseline JPEG with 4:2:0 chroma (OpenCV's default): small, and what every PDF reader takes."""
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality), cv2.IMWRITE_JPEG_OPTIMIZE, 1])
    if not ok:
        raise DocumentError("The page could not be encoded as JPEG.")
    return data.tobytes()


def _write(path: Path, data: bytes, pages: int, media_type: str, limit: int) -> Attachment:
    if len(data) > limit:
        raise AttachmentTooLarge(len(data), limit)
    tmp = path.with_name(path.name + ".part")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)  # a reader never sees half a file
    except OSError as exc:
        raise AttachmentWriteError() from exc
    return Attachment(path, len(data), pages, media_type)


def save_jpeg(page: np.ndarray, path: Path, quality: int = 75, limit: int = DEFAULT_LIMIT) -> Attachment:
    return _write(path, encode_jpeg(page, quality), 1, "image/jpeg", limit)


def pdf_bytes(pages: Sequence[tuple[bytes, int, int, int]], dpi: int = 150) -> bytes:
    """A PDF 1.4 with one page per ``(jpeg, width, height, channels)``, each image filling its page."""
    if not pages:
        raise DocumentError("A PDF needs at least one page.")
    objects: list[bytes] = [b"", b""]  # 1 catalog, 2 page tree: filled in below
    kids = []
    for jpeg, width, height, channels in pages:
        w_pt, h_pt = width * 72 / dpi, height * 72 / dpi
        colour = b"/DeviceRGB" if channels == 3 else b"/DeviceGray"
        image = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s /BitsPerComponent 8"
                 b" /Filter /DCTDecode /Length %d >>\nstream\n" % (width, height, colour, len(jpeg)) + jpeg + b"\nendstream")
        content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (w_pt, h_pt)
        objects.append(image)
        objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
        n_image, n_content = len(objects) - 1, len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 %d 0 R >> >>"
                       b" /Contents %d 0 R >>" % (w_pt, h_pt, n_image, n_content))
        kids.append(b"%d 0 R" % len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), len(kids))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def save_pdf(pages: Sequence[np.ndarray], path: Path, quality: int = 75, dpi: int = 150,
             limit: int = DEFAULT_LIMIT) -> Attachment:
    """One PDF for a set of corrected pages (BGR or greyscale arrays)."""
    encoded = []
    for page in pages:
        channels = 1 if page.ndim == 2 else 3
        encoded.append((encode_jpeg(page, quality), page.shape[1], page.shape[0], channels))
    return _write(path, pdf_bytes(encoded, dpi), len(pages), "application/pdf", limit)
