"""Payloads are encrypted at rest and the key file is guarded."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
from pathlib import Path

import pytest

from offline_store.crypto import PayloadCipher, load_key_file
from offline_store.errors import KeyFileError, KeyMismatch, PayloadUnreadable
from offline_store.outbox import Outbox
from outbox_helpers import ID_NUMBER, NAME, make_payload


def _files(tmp_path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in tmp_path.glob("outbox.sqlite3*")}


def test_payload_plaintext_is_not_in_the_database_or_wal(open_outbox, tmp_path: Path) -> None:
    box = open_outbox()
    entry = box.enqueue("1.001193", make_payload(id_number=ID_NUMBER))
    while_open = _files(tmp_path)
    assert "outbox.sqlite3-wal" in while_open  # the commit sits in the WAL until checkpoint
    needles = [NAME.encode("utf-8"), ID_NUMBER.encode(), b"0912345678", "Lê Lợi".encode()]
    # The metadata is in clear (this proves we are looking at the right bytes) ...
    assert any(entry.local_ref.encode() in data for data in while_open.values())
    box.close()
    for data in [*while_open.values(), *_files(tmp_path).values()]:
        for needle in needles:
            assert needle not in data  # ... the personal data is not


def test_personal_data_is_not_in_the_database_wal_or_attachment_files(open_outbox,
                                                                      tmp_path: Path) -> None:
    box = open_outbox()
    scan = b"%PDF scanned birth certificate of " + NAME.encode("utf-8") + b", " + ID_NUMBER.encode()
    photo = b"\xff\xd8\xff\xe0 JFIF portrait " + ID_NUMBER.encode() + bytes(range(256)) * 8
    box.enqueue("1.001193", make_payload(id_number=ID_NUMBER), attachments=[scan, photo])
    folder = tmp_path / "outbox.attachments"
    files = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert len(files) == 2
    blobs = [*files.values(), *_files(tmp_path).values()]
    assert "outbox.sqlite3-wal" in _files(tmp_path)
    needles = [NAME.encode("utf-8"), ID_NUMBER.encode(), b"%PDF", b"JFIF", photo[-64:],
               hashlib.sha256(scan).hexdigest().encode(), hashlib.sha256(photo).digest()]
    box.close()
    blobs += [*_files(tmp_path).values(), *(p.read_bytes() for p in folder.iterdir())]
    for data in blobs:
        for needle in needles:
            assert needle not in data
    for name in files:  # not even the plain SHA-256 of a document names its file
        assert name not in (hashlib.sha256(scan).hexdigest(), hashlib.sha256(photo).hexdigest())


def test_key_file_created_with_mode_0600(open_outbox, tmp_path: Path) -> None:
    open_outbox()
    key = tmp_path / "outbox.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert len(key.read_bytes()) == 32
    assert stat.S_IMODE((tmp_path / "outbox.sqlite3").stat().st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644])
def test_key_file_readable_by_others_is_refused(open_outbox, tmp_path: Path, mode: int) -> None:
    open_outbox().close()
    key = tmp_path / "outbox.key"
    os.chmod(key, mode)
    with pytest.raises(KeyFileError, match="readable by other users") as caught:
        open_outbox()
    assert "chmod 600" in str(caught.value)


def test_key_file_of_wrong_size_is_refused(tmp_path: Path) -> None:
    key = tmp_path / "k"
    key.write_bytes(b"short")
    os.chmod(key, 0o600)
    with pytest.raises(KeyFileError, match="wrong size"):
        load_key_file(key)


def test_missing_key_with_entries_is_not_silently_replaced(open_outbox, tmp_path: Path) -> None:
    box = open_outbox()
    box.enqueue("p", make_payload())
    box.close()
    (tmp_path / "outbox.key").unlink()
    with pytest.raises(KeyFileError, match="restore the key file"):
        open_outbox()
    assert not (tmp_path / "outbox.key").exists()


def test_key_never_appears_in_reprs_or_messages(open_outbox, tmp_path: Path) -> None:
    box = open_outbox()
    key = (tmp_path / "outbox.key").read_bytes()
    texts = [repr(box), repr(box._cipher), repr(box.enqueue("p", {}))]
    for text in texts:
        assert key.hex() not in text and repr(key) not in text and "_aead" not in text


def test_other_key_is_refused_at_open_and_nothing_is_parked(open_outbox, tmp_path: Path) -> None:
    box = open_outbox()
    entry = box.enqueue("p", make_payload())
    box.close()
    key = tmp_path / "outbox.key"
    original = key.read_bytes()
    key.write_bytes(os.urandom(32))  # another valid 32-byte key
    with pytest.raises(KeyMismatch) as caught:
        open_outbox()
    assert "original outbox.key" in str(caught.value) and "1 unsent" in str(caught.value)
    assert NAME not in str(caught.value)
    key.write_bytes(original)  # IT puts the right key back: the entry is untouched, still queued
    box = open_outbox()
    assert box.get(entry.id).state == "queued" and box.get(entry.id).attempts == 0
    assert box.claim_next().payload == make_payload()


def test_store_without_check_value_learns_it_or_refuses_another_key(open_outbox,
                                                                     tmp_path: Path) -> None:
    """An outbox written before the key check value existed: the payloads decide."""
    box = open_outbox()
    box.enqueue("p", make_payload())
    box.close()
    conn = sqlite3.connect(tmp_path / "outbox.sqlite3", isolation_level=None)
    conn.execute("DELETE FROM meta WHERE name = 'key_check'")
    conn.close()
    key = tmp_path / "outbox.key"
    original = key.read_bytes()
    key.write_bytes(os.urandom(32))
    with pytest.raises(KeyMismatch):
        open_outbox()
    key.write_bytes(original)
    open_outbox().close()  # the right key: accepted, and its check value recorded
    conn = sqlite3.connect(tmp_path / "outbox.sqlite3", isolation_level=None)
    assert conn.execute("SELECT value FROM meta WHERE name = 'key_check'").fetchone()
    conn.close()


def test_ciphertext_is_bound_to_its_idempotency_key(open_outbox, tmp_path: Path) -> None:
    box = open_outbox()
    a = box.enqueue("p", make_payload(1))
    b = box.enqueue("p", make_payload(2))
    box.close()
    conn = sqlite3.connect(tmp_path / "outbox.sqlite3", isolation_level=None)
    try:  # an attacker swaps b's ciphertext into a's row
        nonce, ct = conn.execute("SELECT nonce, ciphertext FROM outbox WHERE id = ?", (b.id,)).fetchone()
        conn.execute("UPDATE outbox SET nonce = ?, ciphertext = ? WHERE id = ?", (nonce, ct, a.id))
    finally:
        conn.close()
    with pytest.raises(PayloadUnreadable):
        open_outbox().get(a.id, with_payload=True)


def test_each_record_gets_a_fresh_nonce() -> None:
    cipher = PayloadCipher(os.urandom(32))
    n1, c1 = cipher.seal({"a": 1}, "k")
    n2, c2 = cipher.seal({"a": 1}, "k")
    assert len(n1) == 12 and n1 != n2 and c1 != c2
    assert cipher.open(n1, c1, "k", 1) == {"a": 1}


def test_key_path_that_is_not_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "dir.key").mkdir()
    with pytest.raises(KeyFileError, match="not a regular file"):
        Outbox.open(tmp_path / "o.sqlite3", tmp_path / "dir.key")
