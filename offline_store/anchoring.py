"""The audit chain's head, sent to the portal as the relay syncs, so a log cut or rewritten on
the kiosk is seen outside it (the portal keeps every head and refuses one that goes back or
changes a kept hash: docs/operations.md, "Audit log").

Why in the relay: it already holds the kiosk's link to the portal and knows when the portal is
reachable; anchoring rides on it (after an accepted dossier, and when idle at most every
`every_s`), only when the head changed, and can never stop or slow the sending of dossiers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from kiosk.domain.portal_contract import PortalRejected
from offline_store.breaker import CircuitBreaker

__all__ = ["AuditAnchor"]

log = logging.getLogger("offline_store.sync")

Head = Callable[[], "tuple[int, str] | None"]


class AuditAnchor:
    def __init__(self, client: Any, breaker: CircuitBreaker, mono: Callable[[], float]) -> None:
        self._client, self._breaker, self._mono = client, breaker, mono
        self._head: Head | None = None
        self._kiosk_id = ""
        self._every_s = 60.0
        self._next_at = 0.0
        self._anchored: tuple[int, str] | None = None
        #: the portal refused the head: "audit_regressed" (cut) or "audit_forked" (rewritten)
        self.problem: str | None = None

    def configure(self, head: Head, kiosk_id: str, *, every_s: float = 60.0) -> None:
        self._head, self._kiosk_id, self._every_s = head, kiosk_id, every_s

    def maybe(self, *, now: bool) -> None:
        """Send the head if it changed (`now`: right after a sync; else at most every
        `every_s`). Failures are logged and retried later; a refusal is kept in `problem`."""
        send = getattr(self._client, "anchor_audit", None)
        if self._head is None or send is None or not self._breaker.allow_send():
            return
        if not now and self._mono() < self._next_at:
            return
        self._next_at = self._mono() + self._every_s
        try:
            head = self._head()
            if head is None or head == self._anchored:
                return
            send(self._kiosk_id, *head)
        except PortalRejected as exc:
            if exc.error_code in ("audit_regressed", "audit_forked"):
                self.problem = exc.error_code
                log.error("the portal refused this kiosk's audit head (%s): the audit log was "
                          "cut or rewritten; IT: `kiosk audit verify --portal`", exc.error_code)
            return
        except Exception as exc:  # noqa: BLE001 - anchoring must never stop the relay
            log.info("audit head not anchored yet (%s); will try again", type(exc).__name__)
            return
        self._anchored = head
