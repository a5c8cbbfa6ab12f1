"""Network-fault test: 300 submissions (1,000 in the full campaign) through the portal's fault flags (latency, 5xx, dropped
connections, garbage) AND a loopback proxy that resets and stalls connections. Once the faults stop,
every submission is on the portal exactly once: zero lost, zero duplicated. Every tenth carries two
document photos, which go through the same faults (uploads, asks) and must arrive with it."""

from __future__ import annotations

import hashlib
import os
import random
import time
from pathlib import Path

import pytest

from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from kiosk.portal.server import Faults
from kiosk.services.submission import ReceiptStatus, SubmissionService
from offline_store.breaker import CircuitBreaker
from offline_store.outbox import Outbox
from offline_store.sync import SyncEngine, SyncThread
from outbox_helpers import TOKEN, StateLog, make_payload, with_documents
from tcp_proxy import FaultyProxy, ProxyFaults

pytestmark = [pytest.mark.slow, pytest.mark.campaign]

#: 300 in `make test` (~15 s); `make test-campaigns` sends the full 1,000 (~40 s)
SUBMISSIONS = int(os.environ.get("NETFAULT_SUBMISSIONS", "300"))


def documents(i: int) -> dict[str, bytes]:
    """Two small photos unique to submission `i` (every tenth), else none."""
    if i % 10:
        return {}
    return {"housing_proof": b"\xff\xd8\xff\xe0" + f"photo {i} ".encode() * 300,
            "rental_contract": b"%PDF-1.7\n" + f"contract {i} ".encode() * 300}


def submit(service: SubmissionService, i: int):
    docs = documents(i)
    if not docs:
        return service.submit("1.001193", make_payload(i))
    return service.submit("1.004194", with_documents(i, **docs), list(docs.values()))


@pytest.mark.timeout(300)
def test_thousand_submissions_through_faults_arrive_exactly_once(tmp_path: Path) -> None:
    portal = EmbeddedPortal(tmp_path / "portal.sqlite3", token=TOKEN,
                            faults=Faults(latency_ms=2, fail_rate=0.05, drop_rate=0.05,
                                          garbage_rate=0.03, seed=11))
    portal.start()
    proxy = FaultyProxy(("127.0.0.1", portal.port), seed=12)
    proxy.faults = ProxyFaults(reset_rate=0.04, reset_before_rate=0.02, stall_rate=0.02,
                               stall_s=1.0)
    proxy.start()
    box = Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key", lease_s=5.0)
    client = PortalClient(proxy.url, TOKEN, connect_timeout=0.5, read_timeout=0.3)
    engine = SyncEngine(box, client, rng=random.Random(13), backoff_base_s=0.01,
                        backoff_cap_s=0.1, breaker=CircuitBreaker(clock=time.time, open_s=0.1))
    log = StateLog()
    engine.subscribe(log)
    thread = SyncThread(engine, idle_interval_s=0.05)
    thread.start()
    service = SubmissionService(box, thread, engine, wait_s=0.01)
    started = time.monotonic()
    try:
        receipts = [submit(service, i) for i in range(SUBMISSIONS)]
        assert all(r.status is not ReceiptStatus.NEEDS_ATTENTION for r in receipts)
        # Most of the sending happens under the faults too, not only the saving.
        assert log.wait_for(lambda _: box.stats().counts["sent"] >= SUBMISSIONS * 0.8,
                            timeout=150), box.stats()
        faulty_s = time.monotonic() - started
        portal.faults = Faults()
        proxy.faults = ProxyFaults()
        thread.connectivity_restored()
        assert log.wait_for(lambda _: box.stats().counts["sent"] == SUBMISSIONS, timeout=120), \
            box.stats()
    finally:
        service.close()
        assert thread.stop(timeout=10)
        client.close()
        proxy.stop()
        portal.stop()
    entries = box.list(limit=10**9)
    box.close()
    assert len(entries) == SUBMISSIONS and {e.state for e in entries} == {"sent"}
    stats = portal.store.stats()
    assert stats.keys_with_multiple_dossiers == 0 and stats.dossiers == SUBMISSIONS
    for entry in entries:
        found = portal.store.find_by_key(entry.idempotency_key)
        assert found is not None and found["code"] == entry.dossier_code
    for i, entry in enumerate(sorted(entries, key=lambda e: e.id)):  # documents came with it
        held = portal.store.dossier_attachments(entry.dossier_code)
        assert held == {f: hashlib.sha256(d).hexdigest() for f, d in documents(i).items()}
        assert all(portal.store.attachment_data(s) is not None for s in held.values())
    for receipt in receipts:  # a "sent" receipt's code is the code the portal holds
        if receipt.status is ReceiptStatus.SENT:
            assert receipt.dossier_code in {e.dossier_code for e in entries}
    faults_seen = proxy.counts.resets + proxy.counts.stalls
    assert faults_seen >= SUBMISSIONS // 50, proxy.counts  # the proxy really interfered
    print(f"{SUBMISSIONS} submissions in {faulty_s:.1f} s under faults, drained in "
          f"{time.monotonic() - started - faulty_s:.1f} s; proxy {proxy.counts}")
