"""The outbox's record types: what callers get back (no personal data in any repr)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["AdoptedEntry", "LostEntry", "OutboxEntry", "OutboxStats"]


@dataclass(frozen=True)
class OutboxEntry:
    """One saved submission. The payload (personal data) is never part of the repr."""

    id: int
    idempotency_key: str
    local_ref: str
    procedure_code: str
    state: str
    created_at: float
    updated_at: float
    next_attempt_at: float
    lease_expires_at: float | None
    attempts: int
    outcome_unknown: bool
    last_error: str | None
    dossier_code: str | None
    sent_at: float | None
    purged_at: float | None = None  # retention removed the personal data (payload, attachments)
    #: Set by `claim_next` for its caller only: the proof of holding the lease (`mark_*`).
    lease_token: str | None = field(default=None, repr=False, compare=False)
    payload: dict[str, Any] | None = field(default=None, repr=False, compare=False, hash=False)


@dataclass(frozen=True)
class OutboxStats:
    counts: dict[str, int]
    oldest_queued_age_s: float | None
    last_error: str | None
    breaker: str = "closed"                # the relay's circuit breaker: closed | open | half_open
    breaker_retry_at: float | None = None  # open: when the portal will be probed again
    breaker_reason: str | None = None      # open: the failure that tripped it
    paused_until: float | None = None      # the portal said 429: nothing is sent before this
    stuck: int = 0                         # unsent entries whose state has not changed for long
    stuck_refs: tuple[str, ...] = ()       # ... their local references (the first ten)
    lost: int = 0                          # entries a damaged outbox lost, not yet dealt with
    lost_refs: tuple[str, ...] = ()        # ... their local references ("?" where unknown)
    alarm: str | None = None               # the path to the portal is wrong: "misrouted" (the
                                           # answers are not the portal's API: URL, proxy, captive
                                           # network), "refused" (the kiosk's credential), "config"
    audit_anchor: str | None = None        # the portal refused the audit head: "audit_regressed"
                                           # (the log was cut) or "audit_forked" (rewritten)

@dataclass(frozen=True)
class AdoptedEntry:
    """An unsent entry as another kiosk exported it (see offline_store.transfer)."""

    idempotency_key: str
    local_ref: str
    procedure_code: str
    state: str
    created_at: float
    attempts: int
    last_error: str | None
    payload: dict[str, Any] = field(repr=False)
    attachments: tuple[bytes, ...] = field(default=(), repr=False)


@dataclass(frozen=True)
class LostEntry:
    """An entry a damaged outbox lost: what is known of it (references and times, never a
    payload) and, once staff or IT dealt with it, how."""

    id: int
    source: str                      # the damaged file it was in
    local_ref: str | None            # as on the citizen's receipt, when known
    idempotency_key: str | None      # the portal knows the dossier by it, if it arrived
    procedure_code: str | None
    state: str | None
    created_at: float | None
    reason: str
    found_at: float
    resolved_at: float | None = None
    resolution: str | None = None
