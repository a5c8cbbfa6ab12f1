"""SyncThread: wakes on demand, sleeps otherwise, survives errors, stops and joins cleanly."""

from __future__ import annotations

import logging
import random
import threading
import time

import pytest

from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from offline_store.outbox import Outbox
from offline_store.sync import SyncEngine, SyncThread
from outbox_helpers import StateLog, make_payload


@pytest.fixture
def real_outbox(open_outbox) -> Outbox:
    return open_outbox(clock=time.time)


def test_wake_sends_and_stop_joins(real_outbox: Outbox, client: PortalClient,
                                   portal: EmbeddedPortal) -> None:
    engine = SyncEngine(real_outbox, client)
    log = StateLog()
    engine.subscribe(log)
    thread = SyncThread(engine, idle_interval_s=60.0)  # only a wake() can make it look soon
    thread.start()
    try:
        entry = real_outbox.enqueue("1.001193", make_payload())
        thread.wake()
        assert log.wait_for(lambda ev: (entry.id, "sent") in ev, timeout=10)
    finally:
        started = time.monotonic()
        assert thread.stop(timeout=20.0)
    # Well under the 60 s idle wait: stop() wakes the loop (slack for a loaded CI machine).
    assert not thread.is_alive() and time.monotonic() - started < 20.0
    assert portal.store.stats().dossiers == 1


def test_outage_then_recovery_sends_each_once(real_outbox: Outbox, client: PortalClient,
                                              portal: EmbeddedPortal) -> None:
    engine = SyncEngine(real_outbox, client, rng=random.Random(5), backoff_base_s=0.05,
                        backoff_cap_s=0.2)
    log = StateLog()
    engine.subscribe(log)
    portal.stop()
    ids = [real_outbox.enqueue("1.001193", make_payload(i)).id for i in range(3)]
    thread = SyncThread(engine, idle_interval_s=0.5)
    thread.start()
    try:
        assert log.wait_for(lambda ev: sum(s == "failed_retryable" for _, s in ev) >= 3)
        portal.start()
        thread.wake()  # "connectivity is back"
        assert log.wait_for(lambda ev: {(i, "sent") for i in ids} <= set(ev), timeout=20)
    finally:
        assert thread.stop()
    stats = portal.store.stats()
    assert stats.dossiers == 3 and stats.keys_with_multiple_dossiers == 0
    assert real_outbox.stats().counts["sent"] == 3


class _Flag(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen = threading.Event()
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
        self.seen.set()


def test_errors_in_the_loop_are_logged_and_do_not_kill_the_thread(open_outbox,
                                                                  client: PortalClient) -> None:
    box = open_outbox(clock=time.time)
    box.close()  # every step now raises a store error
    handler = _Flag()
    logger = logging.getLogger("offline_store.sync")
    logger.addHandler(handler)
    thread = SyncThread(SyncEngine(box, client), idle_interval_s=0.05)
    try:
        thread.start()
        assert handler.seen.wait(10)
        assert thread.is_alive()
        handler.seen.clear()
        assert handler.seen.wait(10)  # it carried on and failed again, loudly
        assert thread.is_alive()
    finally:
        assert thread.stop()
        logger.removeHandler(handler)
    assert any("sync step failed" in m for m in handler.messages)


def test_stop_before_start_and_twice_is_harmless(real_outbox: Outbox, client: PortalClient) -> None:
    thread = SyncThread(SyncEngine(real_outbox, client))
    assert thread.stop(timeout=0.1)
    fresh = SyncThread(SyncEngine(real_outbox, client), idle_interval_s=60.0)
    fresh.start()
    assert fresh.stop() and fresh.stop()
