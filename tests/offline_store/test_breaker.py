"""The relay's circuit breaker: unit rules with a fake clock, then the engine against the real portal."""

from __future__ import annotations

import json
import random
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from kiosk.portal.server import Faults
from offline_store.breaker import BreakerState, CircuitBreaker
from offline_store.outbox import Outbox
from offline_store.sync import StepKind, SyncEngine, SyncThread
from outbox_helpers import TOKEN, FakeClock, StateLog, make_payload


def test_five_consecutive_failures_open_it_for_30_s(clock: FakeClock) -> None:
    breaker = CircuitBreaker(clock=clock)
    for _ in range(4):
        assert not breaker.record_failure("PortalUnreachable: down")
    assert breaker.allow_send()
    assert breaker.record_failure("PortalUnreachable: down")
    snap = breaker.snapshot()
    assert snap.state is BreakerState.OPEN and snap.retry_at == clock() + 30
    assert snap.reason == "PortalUnreachable: down" and snap.consecutive_failures == 5
    assert not breaker.allow_send() and breaker.wait_s() == 30
    clock.advance(29.9)
    assert not breaker.probe_due()
    clock.advance(0.1)
    assert breaker.probe_due() and not breaker.allow_send()
    assert breaker.snapshot().state is BreakerState.HALF_OPEN and breaker.wait_s() == 0.0
    assert breaker.record_failure("still down")  # a failed probe opens it again
    assert breaker.snapshot().retry_at == clock() + 30
    clock.advance(30)
    assert breaker.probe_due()
    assert breaker.record_success()  # the probe succeeded: closed, fresh window
    snap = breaker.snapshot()
    assert snap.state is BreakerState.CLOSED and snap.failure_rate == 0.0 and snap.reason is None
    assert breaker.allow_send() and breaker.wait_s() is None


def test_half_failure_rate_over_the_window_opens_it(clock: FakeClock) -> None:
    breaker = CircuitBreaker(clock=clock, window=10, min_calls=10)
    # F S F S ...: never two failures in a row, so only the rate can trip it.
    opened = [breaker.record_failure("x") if i % 2 == 0 else breaker.record_success()
              for i in range(10)]
    assert not any(opened)  # 5/9 before the window is full does not count; a success never trips
    assert breaker.snapshot().failure_rate == 0.5 and breaker.allow_send()
    assert breaker.record_failure("x")  # rolling window: still 5/10 failures, now on a failure
    assert breaker.snapshot().state is BreakerState.OPEN


def test_below_half_never_opens(clock: FakeClock) -> None:
    breaker = CircuitBreaker(clock=clock, window=10, min_calls=10)
    for i in range(100):  # one failure in three
        breaker.record_failure("x") if i % 3 == 0 else breaker.record_success()
    assert breaker.snapshot().state is BreakerState.CLOSED


def test_probe_now_skips_the_rest_of_the_open_period(clock: FakeClock) -> None:
    breaker = CircuitBreaker(clock=clock, failure_threshold=1)
    breaker.record_failure("x")
    assert not breaker.probe_due()
    breaker.probe_now()
    assert breaker.probe_due()
    with pytest.raises(ValueError):
        CircuitBreaker(clock=clock, failure_rate=0.0)


# -- the engine -----------------------------------------------------------------------------------


def _drain(engine: SyncEngine, limit: int = 100) -> list[StepKind]:
    kinds = []
    for _ in range(limit):
        kind = engine.step().kind
        if kind is StepKind.IDLE:
            break
        kinds.append(kind)
    return kinds


def test_engine_stops_sending_while_open_and_probes_with_health(
        engine: SyncEngine, outbox: Outbox, portal: EmbeddedPortal, clock: FakeClock) -> None:
    ids = [outbox.enqueue("1.001193", make_payload(i)).id for i in range(8)]
    portal.stop()
    kinds = [engine.step().kind for _ in range(5)]
    assert kinds == [StepKind.RETRY_SCHEDULED] * 5
    waiting = engine.step()
    assert waiting.kind is StepKind.WAITING and waiting.delay_s == pytest.approx(30)
    assert sum(outbox.get(i).attempts for i in ids) == 5  # nothing more was sent
    live = engine.stats()
    assert live.breaker == "open" and live.breaker_retry_at == pytest.approx(clock() + 30)
    assert "PortalUnreachable" in (live.breaker_reason or "")
    assert outbox.stats().breaker == "open"  # persisted for `kiosk outbox status`
    assert engine.next_due_in() == pytest.approx(30)
    clock.advance(30)
    probe = engine.step()
    assert probe.kind is StepKind.PROBE_FAILED and "PortalUnreachable" in (probe.error or "")
    assert sum(outbox.get(i).attempts for i in ids) == 5  # a probe is not a send
    portal.start()
    clock.advance(30)
    assert engine.step().kind is StepKind.PROBE_OK
    assert outbox.stats().breaker == "closed"
    clock.advance(400)  # past every backoff
    assert _drain(engine).count(StepKind.SENT) == 8
    assert portal.store.stats().dossiers == 8
    assert portal.store.stats().keys_with_multiple_dossiers == 0


def test_connectivity_restored_drains_at_once(engine: SyncEngine, outbox: Outbox,
                                              portal: EmbeddedPortal, clock: FakeClock) -> None:
    for i in range(6):
        outbox.enqueue("1.001193", make_payload(i))
    portal.stop()
    _drain(engine, limit=6)
    assert engine.stats().breaker == "open"
    portal.start()
    engine.connectivity_restored()  # no clock advance: neither the open period nor backoffs pass
    kinds = _drain(engine)
    assert kinds[0] is StepKind.PROBE_OK and kinds.count(StepKind.SENT) == 6
    assert portal.store.stats().dossiers == 6


def test_rejections_and_garbage_are_classified(engine: SyncEngine, outbox: Outbox,
                                               portal: EmbeddedPortal, clock: FakeClock) -> None:
    for i in range(7):
        outbox.enqueue("1.001193", make_payload(i, id_number="bad"))
    assert _drain(engine).count(StepKind.NEEDS_ATTENTION) == 7
    assert engine.stats().breaker == "closed"  # a healthy portal refusing dossiers
    for i in range(5):
        outbox.enqueue("1.001193", make_payload(i))
    portal.faults = Faults(fail_rate=1.0)  # 503
    _drain(engine, limit=5)
    assert engine.stats().breaker == "open"


class _RateLimited(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass

    def do_POST(self) -> None:  # noqa: N802 - stdlib name
        self.rfile.read(int(self.headers.get("Content-Length", "0")))
        data = json.dumps({"error": {"code": "rate_limited", "message": "slow down"}}).encode()
        self.send_response(429)
        self.send_header("Retry-After", "7")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def rate_limited_url() -> Iterator[str]:
    """A portal front that answers every POST with 429 Retry-After: 7."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RateLimited)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="rate-limited-portal")
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_429_pauses_all_sending_for_retry_after(outbox: Outbox, clock: FakeClock,
                                                rate_limited_url: str) -> None:
    ids = [outbox.enqueue("1.001193", make_payload(i)).id for i in range(3)]
    with PortalClient(rate_limited_url, TOKEN, connect_timeout=2.0, read_timeout=5.0) as client:
        engine = SyncEngine(outbox, client, clock=clock, rng=random.Random(1), backoff_base_s=0.01)
        first = engine.step()
        assert first.kind is StepKind.RETRY_SCHEDULED and first.delay_s >= 7.0
        assert "429" in (first.error or "")
        held = engine.step()  # the other two are due, but the portal asked the kiosk to wait
        assert held.kind is StepKind.WAITING and held.delay_s == pytest.approx(first.delay_s)
        assert [outbox.get(i).attempts for i in ids] == [1, 0, 0]
        assert engine.stats().breaker == "closed" and engine.stats().paused_until is not None
        assert engine.next_due_in() == pytest.approx(first.delay_s)
        clock.advance(first.delay_s)
        assert engine.step().kind is StepKind.RETRY_SCHEDULED  # allowed again, in FIFO order
        assert [outbox.get(i).attempts for i in ids] == [2, 0, 0]


def test_thread_connectivity_restored_skips_the_open_period(open_outbox, client: PortalClient,
                                                            portal: EmbeddedPortal) -> None:
    box = open_outbox(clock=time.time)
    engine = SyncEngine(box, client, backoff_base_s=600.0, backoff_cap_s=600.0,
                        breaker=CircuitBreaker(clock=time.time, failure_threshold=1, open_s=600.0))
    log = StateLog()
    engine.subscribe(log)
    portal.stop()
    ids = [box.enqueue("1.001193", make_payload(i)).id for i in range(3)]
    thread = SyncThread(engine, idle_interval_s=60.0)
    thread.start()
    try:
        thread.wake()
        assert log.wait_for(lambda ev: (ids[0], "failed_retryable") in ev)
        assert engine.breaker.snapshot().state is BreakerState.OPEN
        portal.start()
        thread.connectivity_restored()  # without it nothing would happen for 10 minutes
        assert log.wait_for(lambda ev: {(i, "sent") for i in ids} <= set(ev), timeout=20)
    finally:
        assert thread.stop()
    assert portal.store.stats().dossiers == 3
