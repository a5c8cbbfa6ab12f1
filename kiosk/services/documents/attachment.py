"""Encode corrected pages as a dossier attachment, in memory: one JPEG, or a multi-page PDF for a set.

Nothing is written to disk here: the bytes go to the citizen's session (``Flow.attach``) and from
there only into the encrypted outbox (see ``kiosk.domain.attachments``, which also caps the size).

The PDF writer is a minimal one of our own (about 40 lines): each page is a JPEG embedded as-is with
the DCTDecode filter, so there is no re-encoding, no new dependency and the PDF is barely bigger
than its JPEGs. Page size in points follows the pixels at ``dpi`` (150 by default: an A4 page
photographed at ~1750 px on its long side prints at its real size).
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np

from kiosk.services.documents.errors import DocumentError

__all__ = ["encode_jpeg", "pdf_bytes"]


def encode_jpeg(image: np.ndarray, quality: int = 75) -> bytes:
    """Baseline JPEG with 4:2:0 chroma (OpenCV's default): small, and what every PDF reader takes."""
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, int(quality), cv2.IMWRITE_JPEG_OPTIMIZE, 1])
    if not ok:
        raise DocumentError("The page could not be encoded as JPEG.")
    return data.tobytes()


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

