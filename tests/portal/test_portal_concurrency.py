"""Many kiosks, one key each, racing: a key never maps to two dossiers and sequences never repeat."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from portal_helpers import TOKEN, make_payload, new_key

from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from kiosk.domain.portal_contract import PortalBusy
from kiosk.portal.schema import canonical_hash
from kiosk.portal.store import PortalStore


def test_racing_duplicates_over_http(portal: EmbeddedPortal) -> None:
    portal.faults.latency_ms = 20
    keys = [new_key() for _ in range(6)]
    codes: dict[str, set[str]] = {k: set() for k in keys}
    lock = threading.Lock()

    def submit(key: str) -> None:
        with PortalClient(portal.url, TOKEN, read_timeout=10) as c:
            try:
                dossier = c.submit_dossier(make_payload(), key)
            except PortalBusy:
                return
            with lock:
                codes[key].add(dossier.code)

    with ThreadPoolExecutor(max_workers=12) as pool:
        list(pool.map(submit, keys * 4))
    assert all(len(found) <= 1 for found in codes.values())
    stats = portal.store.stats()
    assert stats.keys_with_multiple_dossiers == 0 and stats.dossiers == len(keys)
    all_codes = [c for found in codes.values() for c in found]
    assert len(set(all_codes)) == len(all_codes)


def test_two_stores_on_one_file_cannot_split_a_key(tmp_path: Path) -> None:
    """Two portal processes sharing a database (no shared in-memory reservation) race on one key."""
    db = tmp_path / "shared.sqlite3"
    stores = [PortalStore(db), PortalStore(db)]
    barrier = threading.Barrier(len(stores) * 4)
    key, body_hash = new_key(), canonical_hash(make_payload())
    outcomes: list[str] = []

    def create(store: PortalStore) -> None:
        barrier.wait(5)
        result = store.create(key=key, body_hash=body_hash, unit_code="H12", procedure_code="1.001193",
                              kiosk_id="K1", now=1_800_000_000.0)
        outcomes.append(result.outcome)

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(create, stores * 4))
    assert sorted(outcomes) == ["created"] + ["replayed"] * 7
    assert stores[0].stats().dossiers == 1 and stores[1].stats().keys_with_multiple_dossiers == 0
