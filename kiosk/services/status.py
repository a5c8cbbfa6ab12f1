"""Where is my application? The lookup behind the status screen (no Qt: it runs on a worker).

The citizen types or scans what their receipt shows: the receipt QR (``MCK1|...``), the portal's
dossier code (``UNIT-YYMMDD-NNNN``) or the kiosk's local reference (``Q-YYMMDD-NNNN``, printed
while the submission waited in the outbox). A dossier code is asked of the portal; a local
reference is looked up in this kiosk's outbox first (one indexed row, no payload), and only if the
entry has been sent since is the portal asked about its dossier code.

Answers (``StatusAnswer.kind``)::

    portal        the portal's status of the dossier (``status``, ``received_at``)
    queued        saved on this kiosk, not yet sent (or sent with an unknown outcome)
    attention     the portal refused it: see the staff
    not_found     no such dossier (portal) or reference (this kiosk)
    unreachable   the portal could not be asked now: try later
    bad_code      the text is not a code the kiosk knows (``problem``: a receipt parser code)
"""

from __future__ import annotations

import dataclasses
from typing import Any

from kiosk.domain.codes import LOCAL_REF_RE, is_dossier_code

__all__ = ["StatusAnswer", "look_up", "reference_of"]


@dataclasses.dataclass(frozen=True, slots=True)
class StatusAnswer:
    kind: str
    reference: str
    status: str | None = None
    received_at: str | None = None
    problem: str | None = None


def reference_of(text: str) -> tuple[str | None, str | None]:
    """(reference, None) from a receipt QR text or a typed code; (None, problem code) otherwise."""
    from devices.qr.errors import ReceiptQrError
    from devices.qr.receipt import parse_receipt_qr

    text = text.strip()
    if text.upper().startswith("MCK"):
        try:
            return parse_receipt_qr(text).reference, None
        except ReceiptQrError as exc:
            return None, exc.code
    code = "".join(text.split()).upper()
    if LOCAL_REF_RE.fullmatch(code) or is_dossier_code(code):
        return code, None
    return None, "not_receipt"


def look_up(text: str, client: Any, outbox: Any) -> StatusAnswer:
    """Blocking (portal request bounded by the client's timeouts): call it from the worker."""
    reference, problem = reference_of(text)
    if reference is None:
        return StatusAnswer("bad_code", "", problem=problem)
    if not reference.startswith("Q-"):
        return _ask_portal(reference, client, reference)
    entry = outbox.find_by_local_ref(reference)
    if entry is None:
        return StatusAnswer("not_found", reference)
    if entry.state == "needs_attention":
        return StatusAnswer("attention", reference)
    if entry.state == "sent" and entry.dossier_code:
        answer = _ask_portal(entry.dossier_code, client, reference)
        if answer.kind == "portal":
            return answer
        return StatusAnswer("portal", entry.dossier_code, status="received")
    return StatusAnswer("queued", reference)


def _ask_portal(code: str, client: Any, reference: str) -> StatusAnswer:
    from kiosk.domain.portal_contract import PortalError, PortalRejected

    try:
        dossier = client.dossier_status(code)
    except PortalRejected as exc:
        if exc.status == 404:
            return StatusAnswer("not_found", reference)
        return StatusAnswer("unreachable", reference)
    except (PortalError, ValueError):
        return StatusAnswer("unreachable", reference)
    return StatusAnswer("portal", dossier.code, status=dossier.status,
                        received_at=dossier.received_at)
