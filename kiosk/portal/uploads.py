"""Document uploads on the reference portal: `PUT` and `HEAD /api/v1/attachments/{sha256}`.

Why content addressing: the kiosk names each document photo by its SHA-256 in the dossier payload,
so the upload's URL is that name and the portal checks the bytes against it. Uploading the same
photo again is harmless (200 instead of 201) and a retry after a dropped connection needs no
bookkeeping. A dossier that lists a photo the portal does not hold is refused (422
`attachment_missing`, see `kiosk.portal.server`), so a dossier never exists without its documents.

The media type is checked twice: the declared `Content-Type` must be one the kiosk makes and must
match what the first bytes say (`kiosk.domain.attachments.sniff_media_type`), so a mislabelled upload is
refused rather than stored under a type that would mislead whoever opens it.
"""

from __future__ import annotations

import hashlib
import re
from email.message import Message
from typing import Any, Protocol

from kiosk.domain.attachments import MEDIA_TYPES, AttachmentRejected, sniff_media_type
from kiosk.portal.replies import Reply, error

__all__ = ["PREFIX", "SHA256_RE", "head_attachment", "put_attachment"]

PREFIX = "/api/v1/attachments/"
SHA256_RE = re.compile(r"[0-9a-f]{64}")


class _Store(Protocol):
    def put_attachment(self, sha256: str, media_type: str, data: bytes, now: float) -> bool: ...

    def attachment_info(self, sha256: str) -> dict[str, Any] | None: ...


def _bad_name() -> Reply:
    return 400, error("invalid_field", "The path must end with the file's SHA-256 as 64 lowercase "
                      "hexadecimal digits.", "sha256"), {}


def put_attachment(store: _Store, headers: Message, sha256: str, body: bytes,
                   now: float) -> Reply:
    """Store one document under its SHA-256 (the size limit is enforced before the body is read)."""
    if not SHA256_RE.fullmatch(sha256):
        return _bad_name()
    declared = headers.get("Content-Type", "").split(";")[0].strip().lower()
    if declared not in MEDIA_TYPES:
        return 415, error("unsupported_media_type", "Send image/jpeg, image/png or application/pdf.",
                          "Content-Type"), {}
    if hashlib.sha256(body).hexdigest() != sha256:
        return 400, error("digest_mismatch", "The body's SHA-256 is not the one in the path (damaged "
                          "or truncated upload); send it again.", "sha256"), {}
    try:
        sniffed = sniff_media_type(body)
    except AttachmentRejected:
        sniffed = None
    if sniffed != declared:
        return 415, error("unsupported_media_type", "The file's content is not of the declared "
                          "Content-Type.", "Content-Type"), {}
    created = store.put_attachment(sha256, declared, body, now)
    info = {"sha256": sha256, "media_type": declared, "size": len(body)}
    return (201 if created else 200), info, {"Location": PREFIX + sha256}


def head_attachment(store: _Store, sha256: str) -> Reply:
    """200 if the portal holds that document, 404 if not (a HEAD answer carries no body)."""
    if not SHA256_RE.fullmatch(sha256):
        return _bad_name()
    info = store.attachment_info(sha256)
    if info is None:
        return 404, error("not_found", "The portal holds no document with that SHA-256."), {}
    return 200, info, {}
