"""Misbehaviour the reference portal injects per request (latency, 503, dropped connections,
garbage answers, trickled or oversized answers, a proxy's 404 page), split out of `kiosk.portal.server` so the server module stays readable.

Why dice per request and a seed: a test (or a demo) names the rates once and gets the same sequence
of faults every run; tests change the fields while the server runs (`EmbeddedPortal.faults`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

__all__ = ["Faults", "Roll"]


@dataclass
class Faults:
    """Misbehaviour injected per request; tests change the fields while the server runs."""

    latency_ms: int = 0
    fail_rate: float = 0.0
    drop_rate: float = 0.0
    garbage_rate: float = 0.0
    seed: int | None = None
    #: Send every answer one byte at a time, this many seconds apart (status line and headers too):
    #: a link or proxy that trickles. Each byte arrives well within any read timeout.
    trickle_s: float = 0.0
    #: Pad every JSON answer with this many spaces (still valid JSON): an answer far too large.
    pad_bytes: int = 0
    #: Answer everything with a web server's HTML 404 page, as a proxy in front of the portal does
    #: for a wrong path (a typo in the portal URL).
    misroute: bool = False
    #: Test hook: a create that holds its key's reservation waits here (at most `hold_timeout_s`)
    #: before committing, so a test can see a concurrent duplicate answered 409 without racing a
    #: latency window. Only the request that holds the key waits; the duplicate does not.
    hold: threading.Event | None = None
    hold_timeout_s: float = 10.0

    def __post_init__(self) -> None:
        for name in ("fail_rate", "drop_rate", "garbage_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.latency_ms < 0 or self.trickle_s < 0 or self.pad_bytes < 0:
            raise ValueError("latency_ms, trickle_s and pad_bytes must not be negative")
        if not 0.0 < self.hold_timeout_s <= 60.0:
            raise ValueError("hold_timeout_s must be in (0, 60]")


@dataclass(frozen=True)
class Roll:
    """What goes wrong with one request."""

    fail: bool = False
    drop: bool = False
    drop_after: bool = False
    garbage: bool = False

