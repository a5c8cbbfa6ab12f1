"""The relay from the outbox to the portal: at-least-once sending, made exactly-once by the portal's
idempotency keys and by asking the portal before re-sending anything whose outcome is unknown.

`SyncEngine.step()` does at most one entry and says what happened, so tests and the thread drive it
the same way. `SyncThread` loops `step()` while work is due and otherwise sleeps on an Event until the
next due time, the idle interval, or `wake()` (after an enqueue or when the network returns): no
busy polling, no sleeps that ignore new work.

Failures: PortalRejected (and an undecryptable payload) -> needs_attention, except 401/403 and
PortalConfigError, which are the kiosk's fault, not the dossier's, and are retried; anything
retryable -> failed_retryable with full-jitter backoff (honouring Retry-After); an unexpected
exception during a send is treated as "outcome unknown" and retried, because losing a submission is
worse than asking. A lookup that fails is retried too: nothing is re-sent blindly after an unknown
outcome (re-sending would still be safe, the portal dedupes by key, but asking is cheaper).
"""

from __future__ import annotations

import enum
import logging
import random
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kiosk.portal.errors import PortalConfigError, PortalError
from offline_store.errors import OutboxError, PayloadUnreadable
from offline_store.outbox import Outbox, OutboxEntry

log = logging.getLogger(__name__)

Observer = Callable[[int, str], None]


class _Dossier(Protocol):
    code: str


class PortalLike(Protocol):
    """The part of `kiosk.portal.client.PortalClient` the engine uses; it raises the errors of
    `kiosk.portal.errors`, which decide what happens to the entry."""

    def submit_dossier(self, payload: dict, idempotency_key: str) -> _Dossier: ...

    def find_by_idempotency_key(self, key: str) -> _Dossier | None: ...


class StepKind(enum.Enum):
    IDLE = "idle"
    SENT = "sent"
    RETRY_SCHEDULED = "retry_scheduled"
    NEEDS_ATTENTION = "needs_attention"


@dataclass(frozen=True)
class StepResult:
    kind: StepKind
    entry_id: int | None = None
    delay_s: float | None = None        # retry: how long until the next attempt
    dossier_code: str | None = None     # sent: the portal's code
    found_by_lookup: bool = False       # sent: an earlier, unknown-outcome attempt had reached it
    error: str | None = None            # retry / needs_attention: why (no personal data)


def _describe(exc: BaseException) -> str:
    """Error class, message and the portal's field/code if any. Portal and store messages never
    carry request bodies or field values, so this is safe to store and show to staff."""
    extra = [f"{name}={value}" for name in ("field", "error_code")
             if isinstance(value := getattr(exc, name, None), str) and value]
    return f"{type(exc).__name__}: {exc}" + (f" [{', '.join(extra)}]" if extra else "")


def _kiosk_side(exc: PortalError) -> bool:
    return isinstance(exc, PortalConfigError) or exc.status in (401, 403)


class SyncEngine:
    def __init__(self, outbox: Outbox, client: PortalLike, *, clock: Callable[[], float] = time.time,
                 rng: random.Random | None = None, backoff_base_s: float = 1.0,
                 backoff_cap_s: float = 300.0) -> None:
        self._outbox = outbox
        self._client = client
        self._clock = clock
        self._rng = rng if rng is not None else random.Random()
        self._base = backoff_base_s
        self._cap = backoff_cap_s
        self._observers: list[Observer] = []
        self._observers_lock = threading.Lock()

    def subscribe(self, callback: Observer) -> Callable[[], None]:
        """Call `callback(entry_id, new_state)` after each state change (on the stepping thread).
        Returns a function that unsubscribes."""
        with self._observers_lock:
            self._observers.append(callback)

        def unsubscribe() -> None:
            with self._observers_lock:
                if callback in self._observers:
                    self._observers.remove(callback)

        return unsubscribe

    def backoff(self, attempts: int, retry_after: float | None = None) -> float:
        """Full jitter: uniform(0, min(cap, base * 2**attempts)); never sooner than Retry-After."""
        ceiling = min(self._cap, self._base * 2.0 ** min(attempts, 62))
        delay = self._rng.uniform(0.0, ceiling)
        if retry_after is not None:
            delay = max(delay, float(retry_after))
        return delay

    def next_due_in(self) -> float | None:
        """Seconds until an entry can be claimed (0 if now), or None if nothing is pending."""
        due = self._outbox.next_due_at()
        return None if due is None else max(0.0, due - self._clock())

    def step(self) -> StepResult:
        for entry_id in self._outbox.requeue_expired_leases():
            self._notify(entry_id, "queued")
        try:
            entry = self._outbox.claim_next()
        except PayloadUnreadable as exc:
            return self._needs_attention(exc.entry_id, _describe(exc))
        if entry is None:
            return StepResult(StepKind.IDLE, delay_s=self.next_due_in())
        self._notify(entry.id, "sending")
        return self._attempt(entry)

    # -- internals -------------------------------------------------------------------------------

    def _attempt(self, entry: OutboxEntry) -> StepResult:
        from_lookup = False
        try:
            dossier = None
            if entry.outcome_unknown:
                dossier = self._client.find_by_idempotency_key(entry.idempotency_key)
                from_lookup = dossier is not None
            if dossier is None:
                assert entry.payload is not None  # claim_next always decrypts
                dossier = self._client.submit_dossier(entry.payload, entry.idempotency_key)
        except Exception as exc:  # noqa: BLE001 - classified below; nothing may escape unrecorded
            return self._failed(entry, exc)
        self._outbox.mark_sent(entry.id, dossier.code)
        self._notify(entry.id, "sent")
        return StepResult(StepKind.SENT, entry.id, dossier_code=dossier.code,
                          found_by_lookup=from_lookup)

    def _failed(self, entry: OutboxEntry, exc: Exception) -> StepResult:
        error = _describe(exc)
        if not isinstance(exc, PortalError):  # a bug or an unwrapped transport failure
            # Its message is not ours to vouch for (it might quote the payload): keep the type only.
            error = f"{type(exc).__name__} (unexpected; see the kiosk log)"
            log.error("unexpected %s while sending outbox entry %d; will ask the portal before "
                      "retrying", type(exc).__name__, entry.id)
            unknown = True
        elif _kiosk_side(exc):
            # Bad token or config: not this dossier's fault; parking every queued dossier in
            # needs_attention would strand them all. Keep retrying (slowly) until IT fixes it.
            log.error("portal refused the kiosk itself (%s); IT must fix the configuration",
                      type(exc).__name__)
            unknown = False
        elif not exc.retryable:
            return self._needs_attention(entry.id, error)
        else:
            unknown = exc.outcome_unknown
        delay = self.backoff(entry.attempts, getattr(exc, "retry_after", None))
        self._outbox.mark_retryable(entry.id, error, self._clock() + delay, outcome_unknown=unknown)
        log.info("outbox entry %d: attempt %d failed (%s); retry in %.1f s", entry.id,
                 entry.attempts + 1, type(exc).__name__, delay)
        self._notify(entry.id, "failed_retryable")
        return StepResult(StepKind.RETRY_SCHEDULED, entry.id, delay_s=delay, error=error)

    def _needs_attention(self, entry_id: int, reason: str) -> StepResult:
        self._outbox.mark_needs_attention(entry_id, reason)
        log.warning("outbox entry %d needs staff attention", entry_id)
        self._notify(entry_id, "needs_attention")
        return StepResult(StepKind.NEEDS_ATTENTION, entry_id, error=reason)

    def _notify(self, entry_id: int, state: str) -> None:
        with self._observers_lock:
            observers = list(self._observers)
        for callback in observers:
            try:
                callback(entry_id, state)
            except Exception:  # noqa: BLE001 - one bad observer must not stop the relay
                log.exception("outbox observer failed for entry %d", entry_id)


class SyncThread(threading.Thread):
    """Runs the engine in the background until `stop()`; never dies silently."""

    def __init__(self, engine: SyncEngine, *, idle_interval_s: float = 5.0,
                 error_pause_s: float | None = None) -> None:
        super().__init__(name="outbox-sync", daemon=True)
        self._engine = engine
        self._idle = idle_interval_s
        self._error_pause = idle_interval_s if error_pause_s is None else error_pause_s
        self._wake = threading.Event()
        self._stopping = threading.Event()

    def wake(self) -> None:
        """Look for work now (after an enqueue, or when connectivity returns)."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> bool:
        """Ask the loop to end and join it; False if it is still inside a portal call at timeout."""
        self._stopping.set()
        self._wake.set()
        if self.is_alive():
            self.join(timeout)
        if self.is_alive():
            log.warning("sync thread did not stop within %.1f s (a portal call is still running)",
                        timeout)
            return False
        return True

    def run(self) -> None:
        while not self._stopping.is_set():
            pause = self._cycle()
            if pause is None:
                continue  # did some work: look for more straight away
            self._wake.wait(pause)
            self._wake.clear()

    def _cycle(self) -> float | None:
        """One step; returns how long to wait, or None to step again immediately."""
        try:
            result = self._engine.step()
            if result.kind is not StepKind.IDLE:
                return None
            due = self._engine.next_due_in()
        except Exception as exc:  # noqa: BLE001 - log (no personal data) and keep the relay alive
            # Store errors carry messages we wrote (no personal data); anything else: type only,
            # with the stack frames (code locations, no values) for IT.
            text = str(exc) if isinstance(exc, OutboxError) else "unexpected"
            log.error("outbox sync step failed: %s (%s); pausing %.1f s\n%s", type(exc).__name__,
                      text, self._error_pause, "".join(traceback.format_tb(exc.__traceback__)))
            return self._error_pause
        return self._idle if due is None else min(due, self._idle)
