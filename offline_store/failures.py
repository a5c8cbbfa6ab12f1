"""How the relay classifies a failed attempt, and how it describes it for storage and staff.

Split out of `offline_store.sync` so the engine reads as a sequence of steps. Why sanitise here:
these texts are stored in clear (`last_error`, the breaker's reason), shown on the staff dashboard
and printed on receipts, so they never quote the portal's free text or a foreign exception.
"""

from __future__ import annotations

from kiosk.domain.portal_contract import (
    PortalBusy,
    PortalConfigError,
    PortalError,
    PortalMisrouted,
    PortalRejected,
)
from offline_store.errors import OutboxError
from offline_store.uploads import AttachmentRefused

__all__ = ["alarm_for", "describe", "kiosk_side", "local_fault", "portal_unhealthy"]


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
    """Not this dossier's fault but the path's: its URL, a proxy, the kiosk's credential. Parking
    the dossier would strand the whole queue: the relay stops sending and raises an alarm."""
    return isinstance(exc, PortalConfigError) or exc.status in (401, 403)


def alarm_for(exc: BaseException) -> str | None:
    """The configuration alarm a failure raises (for staff, IT and the metrics), or None:
    "misrouted" (the answers are not the portal's: URL, proxy, captive network), "refused" (the
    portal refused the kiosk's credential) or "config" (the kiosk's settings cannot work)."""
    if isinstance(exc, PortalMisrouted):
        return "misrouted"
    if isinstance(exc, PortalConfigError):
        return "config"
    if isinstance(exc, PortalError) and exc.status in (401, 403):
        return "refused"
    return None


def portal_unhealthy(exc: BaseException) -> bool:
    """Does this failure say the portal (or the path to it) is down? Refusals and "busy" do not."""
    return not isinstance(exc, (PortalRejected, PortalBusy, PortalConfigError))
