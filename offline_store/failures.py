"""How the relay classifies a failed attempt, and how it describes it for storage and staff.

Split out of `offline_store.sync` so the engine reads as a sequence of steps. Why sanitise here:
these texts are stored in clear (`last_error`, the breaker's reason), shown on the staff dashboard
and printed on receipts, so they never quote the portal's free text or a foreign exception.
"""

from __future__ import annotations

from kiosk.domain.portal_contract import PortalBusy, PortalConfigError, PortalError, PortalRejected
from offline_store.errors import OutboxError
from offline_store.uploads import AttachmentRefused

__all__ = ["describe", "kiosk_side", "local_fault", "portal_unhealthy"]


def _codes(exc: PortalRejected) -> str:
    extra = [f"{name}={value}" for name in ("error_code", "field")
             if isinstance(value := getattr(exc, name, None), str) and value]
    return f" [{', '.join(extra)}]" if extra else ""


def describe(exc: BaseException) -> str:
    """A description that is safe to store in clear and show to staff and on receipts.

    Portal errors other than a refusal carry texts the client wrote (no request values). A refusal
    (`PortalRejected`) quotes the portal's free-text message, which a real portal may fill with
    the field values it rejected: keep only its status, error code and field name. Store errors are
    texts we wrote. Anything else (a bug, a library's exception) may quote the payload: type only."""
    if isinstance(exc, AttachmentRefused):
        return (f"AttachmentRefused: the portal refused document photo {exc.index + 1} of "
                f"{exc.count}, status {exc.status}{_codes(exc)} (staff: check the document with "
                "the citizen, or take it on paper)")
    if isinstance(exc, PortalRejected):
        what = ("the kiosk (IT: check the kiosk's portal token)" if exc.status in (401, 403)
                else "the dossier (staff: review it)")
        return f"PortalRejected: the portal refused {what}, status {exc.status}{_codes(exc)}"
    if isinstance(exc, (PortalError, OutboxError)):
        return f"{type(exc).__name__}: {exc}"
    return f"{type(exc).__name__} (unexpected; see the kiosk log)"


def local_fault(exc: BaseException) -> bool:
    """A TypeError/ValueError raised by the client before anything was sent (payload not
    JSON-serialisable, malformed key): the entry itself is unsendable; retrying cannot help and
    says nothing about the portal's health."""
    return isinstance(exc, (TypeError, ValueError)) and not isinstance(exc, PortalError)


def kiosk_side(exc: PortalError) -> bool:
    return isinstance(exc, PortalConfigError) or exc.status in (401, 403)


def portal_unhealthy(exc: BaseException) -> bool:
    """Does this failure say the portal (or the path to it) is down? Refusals and "busy" do not."""
    return not isinstance(exc, (PortalRejected, PortalBusy, PortalConfigError))
