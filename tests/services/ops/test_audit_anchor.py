"""The audit chain anchored outside the kiosk: its head goes to the portal as the relay syncs, and
the portal keeps every head, so cutting the log's tail or rewriting it (even re-signed with the
audit key) is seen, on real files against the reference portal over HTTP."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from kiosk.domain.portal_contract import PortalRejected
from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from kiosk.services.ops.audit import AuditLog, _digest, create_key_file, load_key_file, verify_anchors
from offline_store.outbox import Outbox
from offline_store.sync import StepKind, SyncEngine

TOKEN = "anchor-test-token"
KIOSK = "KIOSK-DEMO-01"
PAYLOAD = {"unit_code": "H12.22.10", "kiosk_id": KIOSK, "procedure_code": "1.001193",
           "applicant": {"id_number": "079195012345", "identified_by": "typed"},
           "form": {"copies": 1}, "submitted_at": "2026-11-27T09:30:00+07:00"}


@pytest.fixture
def portal(tmp_path: Path):
    with EmbeddedPortal(tmp_path / "portal.sqlite3", token=TOKEN) as p:
        yield p


def test_the_portal_keeps_heads_and_refuses_a_cut_or_a_rewrite(portal: EmbeddedPortal) -> None:
    with PortalClient(portal.url, TOKEN) as client:
        client.anchor_audit(KIOSK, 3, "a" * 64)
        client.anchor_audit(KIOSK, 3, "a" * 64)  # the same head again: fine
        client.anchor_audit(KIOSK, 7, "b" * 64)
        for seq, digest, code in ((5, "c" * 64, "audit_regressed"), (7, "d" * 64, "audit_forked")):
            with pytest.raises(PortalRejected) as info:
                client.anchor_audit(KIOSK, seq, digest)
            assert info.value.status == 409 and info.value.error_code == code
        assert [a["seq"] for a in client.audit_anchors(KIOSK)] == [7, 3]


def _log(tmp_path: Path) -> AuditLog:
    create_key_file(tmp_path / "audit.key")
    audit = AuditLog.open(tmp_path / "audit.jsonl", tmp_path / "audit.key")
    for n in range(6):
        audit.append("system", "kiosk.start", details={"n": n})
    return audit


def _sync_once(tmp_path: Path, portal: EmbeddedPortal, audit: AuditLog) -> tuple[SyncEngine, object]:
    box = Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key")
    box.enqueue("1.001193", PAYLOAD)
    client = PortalClient(portal.url, TOKEN)
    engine = SyncEngine(box, client, rng=random.Random(1))
    engine.set_audit_anchor(audit.head, KIOSK)
    try:
        assert engine.step().kind is StepKind.SENT  # the head goes with the sync
        stats = engine.stats()
    finally:
        client.close()
        box.close()
    return engine, stats


def test_a_cut_tail_is_seen_against_the_anchored_head(tmp_path: Path,
                                                      portal: EmbeddedPortal) -> None:
    audit = _log(tmp_path)
    _sync_once(tmp_path, portal, audit)
    anchors = portal.registry.anchors(KIOSK)
    assert anchors[0]["seq"] == 6
    assert verify_anchors(audit.path, anchors) == []
    lines = audit.path.read_bytes().splitlines(keepends=True)
    audit.path.write_bytes(b"".join(lines[:4]))  # the last two lines cut, head file rewritten too
    last = json.loads(lines[3])
    audit.head_path.write_text(json.dumps({"seq": last["seq"], "hash": last["hash"]}))
    assert any("cut from the end" in p for p in verify_anchors(audit.path, anchors))


def test_a_rewrite_re_signed_with_the_key_is_seen(tmp_path: Path, portal: EmbeddedPortal) -> None:
    audit = _log(tmp_path)
    _sync_once(tmp_path, portal, audit)
    key = load_key_file(tmp_path / "audit.key")
    records = [json.loads(x) for x in audit.path.read_text().splitlines()]
    records[1]["details"] = {"n": "something else"}  # an insider with the key rewrites line 2...
    prev = records[0]["hash"]
    for record in records[1:]:  # ...and re-signs every line after it: the chain verifies again
        body = {k: v for k, v in record.items() if k != "hash"}
        body["prev"] = prev
        record.update(prev=prev, hash=_digest(prev, body, key))
        prev = record["hash"]
    audit.path.write_text("".join(json.dumps(r, sort_keys=True, separators=(",", ":"),
                                             ensure_ascii=False) + "\n" for r in records))
    assert any("rewritten" in p for p in verify_anchors(audit.path, portal.registry.anchors(KIOSK)))
    engine, stats = _sync_once(tmp_path, portal, audit)  # the next sync: the head is refused
    assert engine.anchor_problem == "audit_forked" and stats.audit_anchor == "audit_forked"
