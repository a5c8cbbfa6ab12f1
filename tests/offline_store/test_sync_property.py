"""Whatever the portal does (down, up, failing, dropping, lying) and however often the kiosk dies
(mid-send, mid-enqueue with its attachment files written but not its row) and restarts, every
entry ends on the portal exactly once and never disappears from the outbox. Hypothesis drives a
real outbox and the real reference portal over loopback."""

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
        self.root = root
        self.clock = FakeClock()
        self.outbox = self._open()
        self.portal = EmbeddedPortal(root / "p.sqlite3", token=TOKEN)
        self.portal.start()
        self.up = True
        self.client = PortalClient(self.portal.url, TOKEN, connect_timeout=2.0, read_timeout=5.0)
        self.engine = self._engine()
        self.keys: dict[int, str] = {}
        self.files: dict[int, list[bytes]] = {}
        self.restarts = 0

    def _open(self) -> Outbox:
        return Outbox.open(self.root / "o.sqlite3", self.root / "o.key", clock=self.clock,
                           lease_s=30.0, orphan_grace_s=0.0, retention_s=600.0)

    def _engine(self) -> SyncEngine:
        return SyncEngine(self.outbox, self.client, clock=self.clock, rng=random.Random(0))

    @rule(files=st.lists(st.sampled_from([b"scan-a", b"scan-b", b"photo"]), max_size=2))
    def enqueue(self, files: list[bytes]) -> None:
        entry = self.outbox.enqueue("1.001193", make_payload(len(self.keys)), attachments=files)
        self.keys[entry.id] = entry.idempotency_key
        self.files[entry.id] = files

    @rule(mid_enqueue=st.booleans())
    def kiosk_dies_and_restarts(self, mid_enqueue: bool) -> None:
        """The process dies without any clean-up (a claimed entry stays `sending`; with
        `mid_enqueue`, an attachment file is on disk but its row never committed), then starts."""
        if mid_enqueue:
            self.outbox._files.put(b"orphan of a submission that was never saved")
        self.outbox.close()
        self.outbox = self._open()
        self.engine = self._engine()
        self.restarts += 1

    @rule()
    def retention_purge(self) -> None:
        self.outbox.purge_expired()

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

    @invariant()
    def never_lost_and_counts_are_true(self) -> None:
        if not hasattr(self, "portal"):
            return
        entries = self.outbox.list(limit=10**9)
        assert {e.id: e.idempotency_key for e in entries} == self.keys
        real = {s: sum(e.state == s for e in entries) for s in self.outbox.stats().counts}
        assert self.outbox.stats().counts == real  # the trigger-kept counts never drift
        for entry in entries:
            if entry.purged_at is None:  # every saved file is still there and decrypts
                assert self.outbox.attachments(entry.id) == self.files[entry.id]

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
    max_examples=40, stateful_step_count=30, deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestOutboxAgainstFlakyPortal = OutboxAgainstFlakyPortal.TestCase
