"""The portal's contract as the kiosk sees it: its answers (``Dossier``, ``Health``) and its errors.

Here, not beside the HTTP client, so the outbox and its relay decide on a failure without loading
the HTTP stack. The errors are ordered by the phase of a request in which they happen:

```
PortalError
 +-- PortalConfigError    bad URL / TLS settings: fix the config          permanent
 |    +-- PortalMisrouted  the answer did not come from the portal's API   retryable, parks nothing
 |                         (HTML page, redirect, 404/405 on a required route): URL/proxy/network
 +-- PortalUnreachable    could not connect (request never sent)          retryable
 +-- PortalTimeout        sent, no answer in time: outcome UNKNOWN        retryable (ask first)
 +-- PortalServerError    5xx; .retry_after (s) or None                   retryable
 +-- PortalBusy           409 in flight / 429; .retry_after               retryable
 +-- PortalBadResponse    garbage / wrong-shape JSON: outcome UNKNOWN     retryable (ask first)
 +-- PortalRejected       other 4xx; .status, .reason                     permanent -> needs attention
```

"Ask first" means: before sending the same dossier again, look it up with
`PortalClient.find_by_idempotency_key()`; the portal may already hold it.  Resending with the same
idempotency key is also safe, because the portal replays the first answer.

Messages say what staff or IT can do.  They never contain request bodies, because those carry the
citizen's personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Dossier",
    "Health",
    "PortalBadResponse",
    "PortalBusy",
    "PortalConfigError",
    "PortalError",
    "PortalMisrouted",
    "PortalRejected",
    "PortalServerError",
    "PortalTimeout",
    "PortalUnreachable",
]


@dataclass(frozen=True)
class Health:
    ok: bool
    latency_ms: float
    portal_time: str


@dataclass(frozen=True)
class Dossier:
    """A dossier as the portal holds it; ``replayed`` is true when the answer is a replay of an
    earlier submission with the same idempotency key."""

    code: str
    status: str
    received_at: str
    procedure_code: str
    replayed: bool


class PortalError(Exception):
    """Base of every error the portal client raises."""

    retryable: bool = False
    outcome_unknown: bool = False

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r}, status={self.status!r})"


class PortalConfigError(PortalError):
    """The kiosk's portal settings cannot work (URL, token, CA bundle): IT must fix the config."""


class PortalMisrouted(PortalConfigError):
    """The answer did not come from the portal's API: a proxy's or captive network's page (not the
    portal's JSON), a redirect, or 404/405 on a route the portal must have. The URL, a proxy or the
    network is wrong, not the dossier: nothing may be parked for it; the request was not
    processed (4xx/3xx), so the outcome is known. IT must fix the path to the portal."""

    retryable = True


class PortalUnreachable(PortalError):
    """No connection could be made, so the request was never sent; safe to retry later."""

    retryable = True


class PortalTimeout(PortalError):
    """The request was sent but no complete answer came back: the portal may or may not have it."""

    retryable = True
    outcome_unknown = True


class PortalServerError(PortalError):
    """The portal answered 5xx: it is having trouble; retry after `.retry_after` seconds if given."""

    retryable = True


class PortalBusy(PortalError):
    """The portal asked us to wait (409 same request still in flight, or 429 rate limit)."""

    retryable = True


class PortalBadResponse(PortalError):
    """The answer was not what the portal contract promises: the outcome is unknown."""

    retryable = True
    outcome_unknown = True


class PortalRejected(PortalError):
    """The portal refused the request (4xx): sending it again will not help; staff must look."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        reason: str = "",
        error_code: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message, status=status)
        self.reason = reason
        self.error_code = error_code
        self.field = field
