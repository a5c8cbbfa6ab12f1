"""The relay from the outbox to the portal: at-least-once sending, made exactly-once by the portal's
idempotency keys and by asking the portal before re-sending anything whose outcome is unknown.

`SyncEngine.step()` does at most one entry (or one health probe) and says what happened, so tests
and the thread drive it the same way. `SyncThread` loops `step()` while work is due and otherwise sleeps on an Event until the
next due time, the idle interval, or `wake()` (after an enqueue or when the network returns): no
busy polling, no sleeps that ignore new work.

Documents first: an entry whose payload lists document photos has them uploaded (only those the
portal lacks; `offline_store.uploads`) before its dossier is POSTed; a failure there is classified
like any other, but cannot have created the dossier, so it never sets "outcome unknown".

Failures (classified in `offline_store.failures`, which also sanitises every stored text):
PortalRejected, a refused document and an unreadable payload or document -> needs_attention, except
401/403 and PortalConfigError (the kiosk's fault, not the dossier's: retried); anything retryable
-> failed_retryable with full-jitter backoff (honouring Retry-After); an unexpected exception after
the POST started counts as "outcome unknown" (asking is cheaper than losing); a TypeError/ValueError
from the client (raised before anything is sent) -> needs_attention, not a portal failure. A worker
whose lease was taken over (LeaseLost) drops its result quietly: the new owner asks first.

Portal health: a `CircuitBreaker` (offline_store.breaker) counts transport failures, 5xx and garbage
(a 4xx is a healthy portal refusing one dossier). Once open, nothing is sent until a health probe
(`client.health()`) succeeds; `connectivity_restored()` probes at once and makes every backed-off
entry due, so the queue drains as soon as the network is back. A 429 pauses ALL sending until its
Retry-After (or a backoff) has passed: the portal asked the kiosk, not one dossier, to slow down.
"""

from __future__ import annotations

import enum
import logging
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from kiosk.domain.portal_contract import Dossier, Health, PortalBusy, PortalError
from offline_store.anchoring import AuditAnchor
from offline_store.breaker import BreakerSnapshot, CircuitBreaker
from offline_store.errors import LeaseLost, OutboxError, PayloadUnreadable
from offline_store.failures import alarm_for, describe, kiosk_side, local_fault, portal_unhealthy
from offline_store.outbox import Outbox, OutboxEntry, OutboxStats
from offline_store.queue_state import MAX_DELAY_S
from offline_store.uploads import AttachmentsUnsendable, Uploader

log = logging.getLogger(__name__)

Observer = Callable[[int, str], None]
HealthObserver = Callable[[BreakerSnapshot, bool], None]


class PortalLike(Protocol):
    """The part of `kiosk.portal.client.PortalClient` the engine uses; it raises the errors of
    `kiosk.domain.portal_contract`, which decide what happens to the entry."""

    def submit_dossier(self, payload: dict[str, Any], idempotency_key: str) -> Dossier: ...

    def find_by_idempotency_key(self, key: str) -> Dossier | None: ...

    def health(self) -> Health: ...

    def upload_attachment(self, data: bytes, media_type: str) -> str: ...

    def has_attachment(self, sha256: str) -> bool: ...


class StepKind(enum.Enum):
    IDLE = "idle"
    SENT = "sent"
    RETRY_SCHEDULED = "retry_scheduled"
    NEEDS_ATTENTION = "needs_attention"
    WAITING = "waiting"              # breaker open or rate-limited: nothing sent; delay_s says how long
    PROBE_OK = "probe_ok"            # half-open health probe succeeded: the breaker closed
    PROBE_FAILED = "probe_failed"    # ... failed: the breaker opened again
    LEASE_LOST = "lease_lost"        # our lease expired and another worker owns the entry now


@dataclass(frozen=True)
class StepResult:
    kind: StepKind
    entry_id: int | None = None
    delay_s: float | None = None        # retry: how long until the next attempt
    dossier_code: str | None = None     # sent: the portal's code
    found_by_lookup: bool = False       # sent: an earlier, unknown-outcome attempt had reached it
    error: str | None = None            # retry / needs_attention: why (no personal data)
    uploaded: int = 0                   # documents uploaded during this step


class SyncEngine:
    def __init__(self, outbox: Outbox, client: PortalLike, *, clock: Callable[[], float] = time.time,
                 rng: random.Random | None = None, backoff_base_s: float = 1.0,
                 backoff_cap_s: float = 300.0, breaker: CircuitBreaker | None = None,
                 purge_interval_s: float = 3600.0, ask_before_upload: bool = True,
                 monotonic: Callable[[], float] | None = None,
                 max_retry_after_s: float = MAX_DELAY_S) -> None:
        """`clock` is the wall clock (stored times); `monotonic` times the engine's own waits (the
        breaker, a 429 pause, the purge), so a wall-clock jump cannot stretch them. It defaults to
        `time.monotonic`, or to `clock` when a test injects one. A Retry-After longer than
        `max_retry_after_s` is cut to it (the outbox treats longer waits as a clock error)."""
        self._outbox = outbox
        self._client = client
        self.uploader = Uploader(outbox, client, ask_first=ask_before_upload)
        self._clock = clock
        self._mono = monotonic if monotonic is not None else (
            time.monotonic if clock is time.time else clock)
        self._rng = rng if rng is not None else random.Random()
        self._base = backoff_base_s
        self._cap = backoff_cap_s
        self._max_retry_after = max_retry_after_s
        self.breaker = breaker if breaker is not None else CircuitBreaker(clock=self._mono)
        self._paused_until: float | None = None    # 429: no sending before this (monotonic) time
        self._purge_interval = purge_interval_s
        self._next_purge_at = self._mono()
        self._alarm: str | None = None             # the path to the portal is wrong (alarm_for)
        self._anchor = AuditAnchor(client, self.breaker, self._mono)
        self._observers: list[Observer] = []
        self._health_observers: list[HealthObserver] = []
        self._observers_lock = threading.Lock()
        self._publish_breaker()

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

    def subscribe_health(self, callback: HealthObserver) -> Callable[[], None]:
        """Call `callback(snapshot, failed)` after every portal-health outcome that is a failure
        (`failed=True`: an attempt or probe failed) or that changed the breaker's state."""
        with self._observers_lock:
            self._health_observers.append(callback)

        def unsubscribe() -> None:
            with self._observers_lock:
                if callback in self._health_observers:
                    self._health_observers.remove(callback)

        return unsubscribe

    def stats(self, *, stuck_after_s: float | None = None) -> OutboxStats:
        """The queue's counts with the LIVE breaker state of this engine (for the UI indicator)."""
        snap = self.breaker.snapshot()
        base = (self._outbox.stats() if stuck_after_s is None
                else self._outbox.stats(stuck_after_s=stuck_after_s))
        return replace(base, breaker=snap.state.value, breaker_retry_at=self._wall(snap.retry_at),
                       breaker_reason=snap.reason, paused_until=self._wall(self._paused_until),
                       alarm=self._alarm, audit_anchor=self.anchor_problem)

    def set_audit_anchor(self, head: Callable[[], tuple[int, str] | None], kiosk_id: str, *,
                         every_s: float = 60.0) -> None:
        """Send the head of the kiosk's audit chain to the portal as the relay syncs
        (`offline_store.anchoring`)."""
        self._anchor.configure(head, kiosk_id, every_s=every_s)

    @property
    def anchor_problem(self) -> str | None:
        """"audit_regressed" or "audit_forked" once the portal refused the audit head."""
        return self._anchor.problem

    def _wall(self, mono: float | None) -> float | None:
        """A time on the engine's monotonic clock as a wall-clock time (for people to read)."""
        return None if mono is None else self._clock() + (mono - self._mono())

    @property
    def alarm(self) -> str | None:
        """"misrouted", "refused" or "config" while the path to the portal is wrong, else None."""
        return self._alarm

    def connectivity_restored(self) -> None:
        """The network is back (or staff asked): probe now and make every backed-off entry due."""
        self.breaker.probe_now()
        self._outbox.make_due_now()

    def backoff(self, attempts: int, retry_after: float | None = None) -> float:
        """Full jitter: uniform(0, min(cap, base * 2**attempts)); never sooner than Retry-After."""
        ceiling = min(self._cap, self._base * 2.0 ** min(attempts, 62))
        delay = self._rng.uniform(0.0, ceiling)
        if retry_after is not None:
            delay = max(delay, min(float(retry_after), self._max_retry_after))
        return delay

    def next_due_in(self) -> float | None:
        """Seconds until a step can do something (0 if now), or None if nothing is pending."""
        due = self._outbox.next_due_at()
        if due is None:
            return None
        wait = max(0.0, due - self._clock())
        return max(wait, self._hold_s() or 0.0)

    def step(self) -> StepResult:
        for entry_id in self._outbox.requeue_expired_leases():
            self._notify(entry_id, "queued")
        self._maybe_purge()
        if self._paused_until is not None and self._mono() < self._paused_until:
            return StepResult(StepKind.WAITING, delay_s=self._paused_until - self._mono())
        if self.breaker.probe_due():
            if self._outbox.next_due_at() is None:
                return StepResult(StepKind.IDLE)  # nothing to send: no need to know yet
            return self._probe()
        if not self.breaker.allow_send():
            return StepResult(StepKind.WAITING, delay_s=self.breaker.wait_s())
        try:
            entry = self._outbox.claim_next()
        except PayloadUnreadable as exc:
            return self._needs_attention(exc.entry_id, None, describe(exc))
        if entry is None:
            self._anchor.maybe(now=False)
            return StepResult(StepKind.IDLE, delay_s=self.next_due_in())
        self._notify(entry.id, "sending")
        result = self._attempt(entry)
        if result.kind is StepKind.SENT:
            self._anchor.maybe(now=True)
        return result

    # -- internals -------------------------------------------------------------------------------

    def _hold_s(self) -> float | None:
        """How long sending is held back by a 429 pause or an open breaker (None: not held)."""
        holds = [self.breaker.wait_s()]
        if self._paused_until is not None:
            holds.append(max(0.0, self._paused_until - self._mono()))
        values = [h for h in holds if h is not None]
        return max(values) if values else None

    def _probe(self) -> StepResult:
        alarm = None
        try:
            healthy = bool(self._client.health().ok)
            error = None if healthy else "portal health check says not ok"
        except Exception as exc:  # noqa: BLE001 - any failure means "still down"
            healthy, error, alarm = False, describe(exc), alarm_for(exc)
        if healthy:
            if self._alarm == "misrouted":
                self._alarm = None  # the portal's own answer came back from this URL
            self._record(None)
            log.info("portal is reachable again: sending resumes")
            return StepResult(StepKind.PROBE_OK)
        if alarm is not None:
            self._alarm = alarm
        self._record(error or "health check failed", trip=alarm is not None)
        log.info("portal still unreachable (%s); next probe in %.0f s", (error or "").split(":")[0],
                 self.breaker.wait_s() or 0.0)
        return StepResult(StepKind.PROBE_FAILED, delay_s=self.breaker.wait_s(), error=error)

    def _record(self, failure: str | None, *, trip: bool = False) -> None:
        """Feed the breaker one portal-health outcome; persist and publish any change. `trip`:
        the failure says the path to the portal is wrong: open at once (and publish the alarm)."""
        if failure is None:
            changed = self.breaker.record_success()
        elif trip:
            changed = self.breaker.trip(failure) or True
        else:
            changed = self.breaker.record_failure(failure)
        if changed:
            self._publish_breaker()
        if changed or failure is not None:
            snap = self.breaker.snapshot()
            with self._observers_lock:
                observers = list(self._health_observers)
            for callback in observers:
                try:
                    callback(snap, failure is not None)
                except Exception:  # noqa: BLE001 - one bad observer must not stop the relay
                    log.exception("outbox health observer failed")

    def _publish_breaker(self) -> None:
        """Write the breaker state where `kiosk outbox status` (another process) can read it."""
        snap = self.breaker.snapshot()
        try:
            self._outbox.set_breaker_state(snap.state.value, self._wall(snap.retry_at), snap.reason,
                                           alarm=self._alarm)
        except OutboxError as exc:  # the indicator is secondary; sending must go on
            log.warning("could not record the breaker state: %s", type(exc).__name__)

    def _maybe_purge(self) -> None:
        if self._mono() < self._next_purge_at:
            return
        self._next_purge_at = self._mono() + self._purge_interval
        try:
            purged = self._outbox.purge_expired()
        except OutboxError as exc:
            log.warning("retention purge failed: %s", type(exc).__name__)
            return
        if purged:
            log.info("retention: removed the personal data of %d sent entries", purged)

    def _attempt(self, entry: OutboxEntry) -> StepResult:
        """Ask first if an earlier attempt may have reached the portal; else upload the listed
        documents (only those the portal lacks), then POST the dossier with its fixed key."""
        from_lookup = posted = False
        uploads_before = self.uploader.uploads
        try:
            dossier = None
            if entry.outcome_unknown:
                dossier = self._client.find_by_idempotency_key(entry.idempotency_key)
                from_lookup = dossier is not None
            if dossier is None:
                self.uploader.upload_all(entry)
                posted = True  # from here a failure may leave the dossier on the portal
                dossier = self.uploader.submit(entry)
        except LeaseLost:
            return self._lease_lost(entry)
        except (PayloadUnreadable, AttachmentsUnsendable) as exc:  # retrying cannot help
            return self._needs_attention(entry.id, entry.lease_token, describe(exc))
        except Exception as exc:  # noqa: BLE001 - classified below; nothing may escape unrecorded
            return self._failed(entry, exc, may_exist=posted)
        self._alarm = None  # an accepted dossier: the path to the portal works
        self._record(None)
        try:
            self._outbox.mark_sent(entry.id, dossier.code, lease_token=entry.lease_token)
        except LeaseLost:
            return self._lease_lost(entry)
        self._notify(entry.id, "sent")
        return StepResult(StepKind.SENT, entry.id, dossier_code=dossier.code,
                          found_by_lookup=from_lookup,
                          uploaded=self.uploader.uploads - uploads_before)

    def _failed(self, entry: OutboxEntry, exc: Exception, *, may_exist: bool = True) -> StepResult:
        """`may_exist`: the failure came after the POST started (else, during the uploads or the
        lookup, this attempt cannot have created the dossier: no new "outcome unknown")."""
        error = describe(exc)  # sanitised BEFORE it reaches the breaker (persisted, shown)
        if local_fault(exc):
            log.error("outbox entry %d cannot be sent: the client refused it (%s)", entry.id,
                      type(exc).__name__)
            return self._needs_attention(entry.id, entry.lease_token,
                                         f"{type(exc).__name__}: the kiosk could not encode "
                                         "this dossier for the portal; IT must look")
        alarm = alarm_for(exc)
        if alarm is not None:  # the URL, a proxy or the credential: every send would fail alike
            self._alarm = alarm
            self._record(error, trip=True)
        elif not isinstance(exc, PortalBusy):  # "busy" says nothing about the portal's health
            self._record(error if portal_unhealthy(exc) else None)
        if not isinstance(exc, PortalError):  # a bug or an unwrapped transport failure
            log.error("unexpected %s while sending outbox entry %d; will ask the portal before "
                      "retrying", type(exc).__name__, entry.id)
            unknown = may_exist
        elif kiosk_side(exc):
            # A wrong URL or proxy, or the kiosk's credential: not this dossier's fault; parking
            # every queued dossier in needs_attention would strand them all. The breaker is open
            # (nothing more is sent until a probe succeeds) and the alarm is raised for IT.
            log.error("the path to the portal is wrong (%s: %s); sending paused until IT fixes it",
                      type(exc).__name__, self._alarm)
            unknown = False
        elif not exc.retryable:
            return self._needs_attention(entry.id, entry.lease_token, error)
        else:
            unknown = exc.outcome_unknown and may_exist
        delay = self.backoff(entry.attempts, getattr(exc, "retry_after", None))
        if isinstance(exc, PortalBusy) and exc.status == 429:
            self._paused_until = self._mono() + delay  # rate-limited: everything waits
        try:
            self._outbox.mark_retryable(entry.id, error, self._clock() + delay,
                                        outcome_unknown=unknown, lease_token=entry.lease_token)
        except LeaseLost:
            return self._lease_lost(entry)
        log.info("outbox entry %d: attempt %d failed (%s); retry in %.1f s", entry.id,
                 entry.attempts + 1, type(exc).__name__, delay)
        self._notify(entry.id, "failed_retryable")
        return StepResult(StepKind.RETRY_SCHEDULED, entry.id, delay_s=delay, error=error)

    def _lease_lost(self, entry: OutboxEntry) -> StepResult:
        """Our lease expired mid-send and the row was re-queued or re-claimed: its owner decides
        (it asks the portal first, so a dossier we created is found, not duplicated)."""
        log.info("outbox entry %d: lease lost to another worker; dropping this result", entry.id)
        return StepResult(StepKind.LEASE_LOST, entry.id)

    def _needs_attention(self, entry_id: int, lease_token: str | None, reason: str) -> StepResult:
        try:
            self._outbox.mark_needs_attention(entry_id, reason, lease_token=lease_token)
        except LeaseLost:
            log.info("outbox entry %d: lease lost to another worker; dropping this result",
                     entry_id)
            return StepResult(StepKind.LEASE_LOST, entry_id)
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


from offline_store.sync_thread import SyncThread as SyncThread  # noqa: E402 - its companion
