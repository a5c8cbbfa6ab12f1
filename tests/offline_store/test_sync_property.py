"""Whatever the portal does (down, up, failing, dropping, lying), every entry ends on the portal
exactly once. Hypothesis drives a real outbox and the real reference portal over loopback."""

from __future__ import annotations

import random
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from kiosk.portal.server import Faults
from offline_store.outbox import Outbox
from offline_store.sync import StepKind, SyncEngine
from outbox_helpers import TOKEN, FakeClock, make_payload

pytestmark = pytest.mark.slow

rates = st.sampled_from([0.0, 0.3, 0.7, 1.0])


class OutboxAgainstFlakyPortal(RuleBasedStateMachine):
    @initialize()
    def setup(self) -> None:
        self.tmp = tempfile.TemporaryDirectory()
        root = Path(self.tmp.name)
        self.clock = FakeClock()
        self.outbox = Outbox.open(root / "o.sqlite3", root / "o.key", clock=self.clock,
                                  lease_s=30.0)
        self.portal = EmbeddedPortal(root / "p.sqlite3", token=TOKEN)
        self.portal.start()
        self.up = True
        self.client = PortalClient(self.portal.url, TOKEN, connect_timeout=2.0, read_timeout=5.0)
        self.engine = SyncEngine(self.outbox, self.client, clock=self.clock, rng=random.Random(0))
        self.keys: dict[int, str] = {}

    @rule()
    def enqueue(self) -> None:
        entry = self.outbox.enqueue("1.001193", make_payload(len(self.keys)))
        self.keys[entry.id] = entry.idempotency_key

    @rule()
    def toggle_portal(self) -> None:
        if self.up:
            self.portal.stop()
        else:
            self.portal.start()
        self.up = not self.up

    @rule(fail=rates, drop=rates, garbage=rates, seed=st.integers(0, 2**16))
    def set_faults(self, fail: float, drop: float, garbage: float, seed: int) -> None:
        self.portal.faults = Faults(fail_rate=fail, drop_rate=drop, garbage_rate=garbage, seed=seed)

    @rule(steps=st.integers(1, 4))
    def step(self, steps: int) -> None:
        for _ in range(steps):
            self.engine.step()

    @rule(seconds=st.sampled_from([0.5, 5.0, 40.0, 400.0]))
    def advance(self, seconds: float) -> None:
        self.clock.advance(seconds)

    @rule()
    def worker_crashes_mid_send(self) -> None:
        """A worker claims and (maybe) sends, then dies without recording anything."""
        entry = self.outbox.claim_next()
        if entry is not None and self.up:
            try:
                self.client.submit_dossier(entry.payload or {}, entry.idempotency_key)
            except Exception:  # noqa: BLE001 - the crash hides whatever happened
                pass

    @invariant()
    def never_duplicated(self) -> None:
        if hasattr(self, "portal"):
            assert self.portal.store.stats().keys_with_multiple_dossiers == 0

    def teardown(self) -> None:
        if not hasattr(self, "portal"):
            return
        try:
            self._drain_and_check()
        finally:
            self.client.close()
            self.portal.stop()
            self.outbox.close()
            self.tmp.cleanup()

    def _drain_and_check(self) -> None:
        if not self.up:
            self.portal.start()
        self.portal.faults = Faults()
        for _ in range(10 * len(self.keys) + 10):
            self.clock.advance(400.0)  # past any backoff (cap 300 s) and lease (30 s)
            if self.engine.step().kind is StepKind.IDLE and self.engine.next_due_in() is None:
                break
        stats = self.outbox.stats()
        assert stats.counts["sent"] == len(self.keys), stats.counts
        portal_stats = self.portal.store.stats()
        assert portal_stats.dossiers == len(self.keys)
        assert portal_stats.keys_with_multiple_dossiers == 0
        for entry_id, key in self.keys.items():
            on_portal = self.portal.store.find_by_key(key)
            assert on_portal is not None and on_portal["code"] == self.outbox.get(entry_id).dossier_code


OutboxAgainstFlakyPortal.TestCase.settings = settings(
    max_examples=25, stateful_step_count=25, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestOutboxAgainstFlakyPortal = OutboxAgainstFlakyPortal.TestCase
