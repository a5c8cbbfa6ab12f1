"""Handing a queue from one kiosk to another: keys kept, nothing duplicated, bad files refused."""

from __future__ import annotations

import base64
import json
import random
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from offline_store.errors import TransferFileError
from offline_store.outbox import Outbox
from offline_store.records import AdoptedEntry
from offline_store.sync import StepKind, SyncEngine
from offline_store.transfer import (
    FORMAT,
    decrypt_export,
    encrypt_export,
    export_unsent,
    import_file,
    parse_export,
)
from outbox_helpers import ID_NUMBER, NAME, FakeClock, make_payload

PASS = "mật khẩu bàn giao 2026"


def _record(key: str, ref: str, **overrides: object) -> AdoptedEntry:
    fields = dict(idempotency_key=key, local_ref=ref, procedure_code="1.001193", state="queued",
                  created_at=1.0, attempts=0, last_error=None, payload=make_payload())
    fields.update(overrides)
    return AdoptedEntry(**fields)  # type: ignore[arg-type]


def test_colliding_local_reference_gets_a_suffix_and_the_counter_moves_on(outbox: Outbox) -> None:
    own = outbox.enqueue("1.001193", make_payload())
    assert own.local_ref == "Q-261127-0001"
    adopted = outbox.adopt(_record("k-1", "Q-261127-0001"))
    assert adopted is not None and adopted.local_ref == "Q-261127-0001-2"
    far = outbox.adopt(_record("k-2", "Q-261127-0040", state="needs_attention",
                               last_error="PortalRejected 422"))
    assert far is not None and far.state == "needs_attention" and far.last_error
    assert outbox.enqueue("1.001193", make_payload()).local_ref == "Q-261127-0041"
    assert outbox.adopt(_record("k-1", "Q-other")) is None  # same key: skipped


def test_an_entry_the_old_kiosk_already_sent_is_not_sent_twice(
        tmp_path: Path, portal: EmbeddedPortal, client: PortalClient, clock: FakeClock) -> None:
    with Outbox.open(tmp_path / "a.sqlite3", tmp_path / "a.key", clock=clock) as old:
        old.enqueue("1.001193", make_payload(1))
        old.enqueue("1.001193", make_payload(2))
        claimed = old.claim_next()  # sent, then the old kiosk died before recording it
        assert claimed is not None and claimed.payload is not None
        client.submit_dossier(claimed.payload, claimed.idempotency_key)
        assert export_unsent(old, tmp_path / "handover.json", PASS) == 2
    with Outbox.open(tmp_path / "b.sqlite3", tmp_path / "b.key", clock=clock) as new:
        assert import_file(new, tmp_path / "handover.json", PASS).imported == 2
        engine = SyncEngine(new, client, clock=clock, rng=random.Random(2))
        results = [engine.step() for _ in range(3)]
    assert [r.kind for r in results] == [StepKind.SENT, StepKind.SENT, StepKind.IDLE]
    assert results[0].found_by_lookup  # asked first, found it
    stats = portal.store.stats()
    assert stats.dossiers == 2 and stats.keys_with_multiple_dossiers == 0


def _document(entries: list[object]) -> bytes:
    return json.dumps({"format": FORMAT, "version": 1, "exported_at": "x",
                       "entries": entries}).encode()


def test_round_trip_of_a_valid_document() -> None:
    entry = {"idempotency_key": "k", "local_ref": "Q-261127-0001", "procedure_code": "p",
             "state": "failed_retryable", "created_at": 5, "attempts": 2, "last_error": None,
             "payload": {"a": 1}, "attachments": [base64.b64encode(b"\x00\xff").decode()]}
    (record,) = parse_export(_document([entry]))
    assert record.attachments == (b"\x00\xff",) and record.attempts == 2
    assert "'a'" not in repr(record)  # no payload in the repr


@pytest.mark.parametrize("change", [
    {"state": "sent"}, {"state": "weird"}, {"idempotency_key": ""}, {"idempotency_key": "ké"},
    {"created_at": "yesterday"}, {"created_at": float("nan")}, {"attempts": -1},
    {"payload": [1]}, {"attachments": ["***"]}, {"last_error": 3}, {"local_ref": "a\nb"},
])
def test_invalid_entries_are_refused_before_anything_is_imported(change: dict) -> None:
    entry = {"idempotency_key": "k", "local_ref": "Q-1", "procedure_code": "p", "state": "queued",
             "created_at": 5, "attempts": 0, "payload": {}, **change}
    with pytest.raises(TransferFileError, match="entry 1"):
        parse_export(_document([entry]))


def test_duplicate_keys_and_wrong_versions_are_refused() -> None:
    entry = {"idempotency_key": "k", "local_ref": "Q-1", "procedure_code": "p", "state": "queued",
             "created_at": 5, "payload": {}}
    with pytest.raises(TransferFileError, match="twice"):
        parse_export(_document([entry, entry]))
    with pytest.raises(TransferFileError, match="version"):
        parse_export(json.dumps({"format": FORMAT, "version": 2, "entries": []}).encode())


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=20)


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()),
                 st.lists(json_values, max_size=3).map(_document)))
def test_parser_only_ever_raises_its_own_error(raw: bytes) -> None:
    try:
        records = parse_export(raw)
    except TransferFileError:
        return
    assert all(isinstance(r, AdoptedEntry) for r in records)


def test_export_is_encrypted_and_needs_the_passphrase(tmp_path: Path, clock: FakeClock) -> None:
    with Outbox.open(tmp_path / "a.sqlite3", tmp_path / "a.key", clock=clock) as old:
        old.enqueue("1.001193", make_payload(1, id_number=ID_NUMBER), [b"scan of the card"])
        key = old.list()[0].idempotency_key
        assert export_unsent(old, tmp_path / "x.export", PASS) == 1
    raw = (tmp_path / "x.export").read_bytes()
    for clear in (NAME, ID_NUMBER, "scan of the card", key, "full_name"):
        assert clear.encode("utf-8") not in raw
    with Outbox.open(tmp_path / "b.sqlite3", tmp_path / "b.key", clock=clock) as new:
        with pytest.raises(TransferFileError, match="wrong passphrase"):
            import_file(new, tmp_path / "x.export", PASS + "!")
        assert new.list() == []  # nothing imported
        # The same passphrase typed decomposed (another keyboard) still opens it.
        assert import_file(new, tmp_path / "x.export",
                           unicodedata.normalize("NFD", PASS)).imported == 1
        (entry,) = new.list()
        assert new.attachments(entry.id) == [b"scan of the card"]


def test_tampering_and_short_passphrases_are_refused() -> None:
    sealed = encrypt_export(b'{"format": "x"}', PASS)
    assert decrypt_export(sealed, PASS) == b'{"format": "x"}'
    flipped = bytearray(sealed)
    flipped[-1] ^= 1
    with pytest.raises(TransferFileError, match="wrong passphrase"):
        decrypt_export(bytes(flipped), PASS)
    weaker = sealed.replace(b'"p": 1', b'"p": 2')  # header is associated data
    with pytest.raises(TransferFileError, match="wrong passphrase"):
        decrypt_export(weaker, PASS)
    for damaged in (sealed.replace(b'"n": 32768', b'"n": 1073741824'),  # DoS-sized cost
                    sealed[:60], sealed.replace(b"scrypt", b"md5sum")):
        with pytest.raises(TransferFileError):
            decrypt_export(damaged, PASS)
    with pytest.raises(TransferFileError, match="at least"):
        encrypt_export(b"{}", "short")


def test_a_clear_version_1_file_from_older_software_still_imports(
        tmp_path: Path, outbox: Outbox) -> None:
    entry = {"idempotency_key": "k-legacy", "local_ref": "Q-261127-0007", "procedure_code": "p",
             "state": "queued", "created_at": 5, "attempts": 0, "payload": {"a": 1}}
    (tmp_path / "old.json").write_bytes(_document([entry]))
    assert import_file(outbox, tmp_path / "old.json", "").imported == 1


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300), st.dictionaries(st.sampled_from(["kdf", "n", "r", "p", "salt"]),
                                                json_values, max_size=5))
def test_encrypted_header_parser_only_ever_raises_its_own_error(tail: bytes, header: dict) -> None:
    from offline_store.transfer import MAGIC

    for raw in (MAGIC + tail, MAGIC + json.dumps(header).encode() + b"\n" + tail):
        with pytest.raises(TransferFileError):
            decrypt_export(raw, PASS)
