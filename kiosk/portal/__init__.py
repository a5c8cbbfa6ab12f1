"""The dossier portal: the kiosk's HTTP client and a reference portal server to run it against.

Import the server side from `kiosk.portal.embedded` / `kiosk.portal.server`; this package only
re-exports the client side so `python -m kiosk.portal.server` does not import itself twice.
"""

from __future__ import annotations

from kiosk.portal.client import Dossier, Health, PortalClient
from kiosk.domain.portal_contract import (
    PortalBadResponse,
    PortalBusy,
    PortalConfigError,
    PortalError,
    PortalRejected,
    PortalServerError,
    PortalTimeout,
    PortalUnreachable,
)

__all__ = [
    "Dossier",
    "Health",
    "PortalBadResponse",
    "PortalBusy",
    "PortalClient",
    "PortalConfigError",
    "PortalError",
    "PortalRejected",
    "PortalServerError",
    "PortalTimeout",
    "PortalUnreachable",
]
