"""Attachments by content hash, encrypted beside the database; orphans; retention purge."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest

from offline_store.errors import AttachmentUnreadable
from offline_store.outbox import Outbox
from outbox_helpers import ID_NUMBER, NAME, FakeClock, make_payload

PHOTO = b"\xff\xd8JPEG " + NAME.encode("utf-8") + b" " + ID_NUMBER.encode() + os.urandom(2000)


def _folder(tmp_path: Path) -> Path:
    return tmp_path / "outbox.attachments"


def test_attachments_round_trip_in_order_and_are_stored_once(outbox: Outbox, tmp_path: Path) -> None:
    a = outbox.enqueue("1.001193", make_payload(1), attachments=[PHOTO, b"second"])
    b = outbox.enqueue("1.001193", make_payload(2), attachments=[PHOTO])
    assert outbox.attachments(a.id) == [PHOTO, b"second"]
    assert outbox.attachments(b.id) == [PHOTO]
    files = sorted(_folder(tmp_path).iterdir())
    assert len(files) == 2  # the shared photo is stored once
    assert stat.S_IMODE(_folder(tmp_path).stat().st_mode) == 0o700
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
        assert len(f.name) == 64 and f.name != hashlib.sha256(PHOTO).hexdigest()  # keyed hash
    assert outbox.attachments(outbox.enqueue("p", {}).id) == []


def test_a_swapped_or_damaged_file_does_not_decrypt(outbox: Outbox, tmp_path: Path) -> None:
    a = outbox.enqueue("p", {}, attachments=[b"one"])
    b = outbox.enqueue("p", {}, attachments=[b"two"])
    name_a = outbox._files.name_for(b"one")
    name_b = outbox._files.name_for(b"two")
    folder = _folder(tmp_path)
    (folder / name_a).write_bytes((folder / name_b).read_bytes())  # b's content under a's name
    with pytest.raises(AttachmentUnreadable) as caught:
        outbox.attachments(a.id)
    assert caught.value.entry_id == a.id and "restore" in str(caught.value)
    (folder / name_b).unlink()
    with pytest.raises(AttachmentUnreadable):
        outbox.attachments(b.id)


def test_orphans_from_a_crash_are_removed_at_open_after_the_grace(open_outbox,
                                                                  tmp_path: Path) -> None:
    box = open_outbox()
    kept = box.enqueue("p", {}, attachments=[b"kept"])
    orphan = box._files.put(b"written, then the kiosk died before the row")
    stale_tmp = _folder(tmp_path) / "abc.123.tmp"
    stale_tmp.write_bytes(b"half")
    box.close()
    assert open_outbox().attachments(kept.id) == [b"kept"]
    assert (_folder(tmp_path) / orphan).exists()  # younger than the grace: maybe in use
    box = open_outbox(orphan_grace_s=0.0)
    assert not (_folder(tmp_path) / orphan).exists() and not stale_tmp.exists()
    assert box.attachments(kept.id) == [b"kept"]


def test_retention_purges_personal_data_of_sent_entries_only(open_outbox, clock: FakeClock,
                                                             tmp_path: Path) -> None:
    box = open_outbox(retention_s=30 * 86400)
    shared = b"shared scan"
    sent = box.enqueue("1.001193", make_payload(1), attachments=[shared, b"only mine"])
    waiting = box.enqueue("1.001193", make_payload(2), attachments=[shared])
    box.claim_next()
    box.mark_sent(sent.id, "H12.22.10-261127-0001")
    clock.advance(30 * 86400 - 1)
    assert box.purge_expired() == 0
    clock.advance(1)
    assert box.purge_expired() == 1
    got = box.get(sent.id, with_payload=True)
    assert got.payload is None and got.purged_at == clock()
    assert (got.dossier_code, got.procedure_code, got.local_ref) == (
        "H12.22.10-261127-0001", "1.001193", sent.local_ref)
    assert got.created_at == sent.created_at and got.sent_at is not None
    assert box.attachments(sent.id) == []
    assert box.attachments(waiting.id) == [shared]  # still needed by an unsent entry
    assert len(list(_folder(tmp_path).iterdir())) == 1
    assert box.get(waiting.id, with_payload=True).payload == make_payload(2)
    assert box.purge_expired() == 0  # idempotent
    raw = box._conn.execute("SELECT length(ciphertext) FROM outbox WHERE id = ?",
                            (sent.id,)).fetchone()[0]
    assert raw == 0


def test_the_engine_purges_on_its_own(open_outbox, clock: FakeClock, client) -> None:
    from offline_store.sync import SyncEngine

    box = open_outbox(retention_s=10.0)
    entry = box.enqueue("1.001193", make_payload(), attachments=[b"x"])
    engine = SyncEngine(box, client, clock=clock, purge_interval_s=5.0)
    engine.step()  # sends it
    assert box.get(entry.id).state == "sent"
    clock.advance(11)
    engine.step()
    assert box.get(entry.id).purged_at is not None and box.attachments(entry.id) == []
