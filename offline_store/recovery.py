"""Recovering a damaged outbox file into the live one, and saying exactly what could not be.

When the integrity check fails the file is moved aside (`<name>.corrupt-<UTC time>`, with its
`-wal`); the same open makes a new file and calls `recover_into` for every set-aside file not
recovered yet (the `recovery` table names the ones done), so the kiosk never starts empty beside
one. Rows are salvaged page by page (`offline_store.salvage`) from the file and its WAL:

* an entry counts as recovered only if its payload decrypts (AES-GCM with the idempotency key as
  associated data: a damaged or foreign ciphertext fails), or if the portal already has it (`sent`
  with a dossier code); the newest readable version of each row gives its state;
* it comes back under its own local reference and idempotency key; unsent ones are `queued` (or
  stay `needs_attention`) and marked "outcome unknown", so the relay asks the portal before
  sending: nothing is duplicated even if an attempt was under way when the file broke; its
  document files are found again from the payload (their names derive from each SHA-256);
* an entry whose row is gone or unreadable is listed in `lost_entry` with what is known of it:
  the local reference and idempotency key often survive in the file's index pages even when the
  row itself does not. Staff and IT see them (dashboard, `kiosk outbox lost`, doctor, metrics).

Entries already in the live outbox (same idempotency key) are skipped, so recovering twice, or a
file that overlaps the live one, never makes a second entry. If the file's key check value (or,
in a file without one, every payload) says it was written under another key, `KeyMismatch` is
raised and nothing is recorded: put the right key back and start again.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.domain.codes import LOCAL_REF_RE
from offline_store.errors import KeyMismatch, PayloadUnreadable
from offline_store.salvage import Cell, scan_file
from offline_store.schema import STATES
from offline_store.sql_helpers import free_local_ref, link, short, translated

if TYPE_CHECKING:
    from offline_store.outbox import Outbox

__all__ = ["RecoveryReport", "pending", "recover_into", "set_aside_files"]

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_NUMBER = (int, float)


@dataclass(frozen=True)
class RecoveryReport:
    source: str
    recovered: int
    already_here: int
    lost: int
    lost_refs: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()  # (reference in the file, reference given here)


@dataclass(frozen=True)
class _Version:
    """One readable copy of an outbox row (a page may exist in the file and in the WAL)."""

    rowid: int
    key: str
    local_ref: str
    procedure_code: str
    state: str
    created_at: float
    updated_at: float
    attempts: int
    last_error: str | None
    dossier_code: str | None
    sent_at: float | None
    nonce: bytes
    ciphertext: bytes
    purged_at: float | None
    generation: int


def set_aside_files(path: Path) -> list[Path]:
    """Damaged copies of the outbox at `path` moved aside by `move_aside_corrupt`, oldest first."""
    found = [p for p in path.parent.glob(path.name + ".corrupt-*")
             if not p.name.endswith(("-wal", "-shm")) and p.is_file()]
    return sorted(found, key=lambda p: p.name)


def pending(conn: sqlite3.Connection, path: Path) -> list[Path]:
    """Set-aside files this outbox has not recovered yet."""
    with translated("open"):
        done = {r[0] for r in conn.execute("SELECT source FROM recovery")}
    return [p for p in set_aside_files(path) if p.name not in done]


def _num(value: Any) -> bool:
    return isinstance(value, _NUMBER) and not isinstance(value, bool)


def _float(values: tuple[Any, ...], i: int) -> float | None:
    return float(values[i]) if i < len(values) and _num(values[i]) else None


def _text(values: tuple[Any, ...], i: int) -> str | None:
    return values[i] if i < len(values) and isinstance(values[i], str) else None


def _version(cell: Cell) -> _Version | None:
    """The cell as an outbox row, or None if it is something else (or too damaged to tell).
    Columns in table order (schema.py); rows written before a column was added lack it."""
    v = cell.values
    if cell.kind != "table" or cell.rowid is None or len(v) < 16:
        return None
    key, ref, procedure, state = (_text(v, i) for i in (1, 2, 3, 4))
    created, updated = _float(v, 5), _float(v, 6)
    nonce, ciphertext = v[14], v[15]
    if (key is None or ref is None or procedure is None or state not in STATES or created is None
            or updated is None or not isinstance(nonce, bytes)
            or not isinstance(ciphertext, bytes)):
        return None
    attempts = v[9] if isinstance(v[9], int) and v[9] >= 0 else 0
    return _Version(cell.rowid, key, ref, procedure, str(state), created, updated, attempts,
                    _text(v, 11), _text(v, 12), _float(v, 13), nonce, ciphertext, _float(v, 16),
                    cell.generation)


@dataclass
class _Salvage:
    versions: dict[str, list[_Version]]
    refs: dict[int, str]          # rowid -> local reference (index pages)
    keys: dict[int, str]          # rowid -> idempotency key (index pages)
    sent_rowids: set[int]         # rowids an index says are (or were) sent
    key_checks: set[str]


def _salvage(cells: Iterable[Cell]) -> _Salvage:
    found = _Salvage(defaultdict(list), {}, {}, set(), set())
    for cell in cells:
        version = _version(cell)
        if version is not None:
            found.versions[version.key].append(version)
            continue
        v = cell.values
        if cell.kind == "table" and len(v) == 2 and v[0] == "key_check" and isinstance(v[1], str):
            found.key_checks.add(v[1])
        elif cell.kind == "index" and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], int):
            if LOCAL_REF_RE.fullmatch(v[0]):
                found.refs[v[1]] = v[0]
            elif _UUID.fullmatch(v[0]):
                found.keys[v[1]] = v[0]
        elif (cell.kind == "index" and len(v) == 3 and v[0] == "sent" and isinstance(v[2], int)):
            found.sent_rowids.add(v[2])
    return found


@dataclass(frozen=True)
class _Plan:
    recover: list[tuple[_Version, dict[str, Any] | None, _Version | None]]  # newest, payload, source
    lost: list[dict[str, Any]]


def _plan(outbox: Outbox, found: _Salvage) -> _Plan:
    recover, lost, readable = [], [], 0
    rowids: set[int] = set()
    for key, versions in found.versions.items():
        versions.sort(key=lambda x: (x.updated_at, x.generation), reverse=True)
        rowids.update(x.rowid for x in versions)
        newest, payload, source = versions[0], None, None
        for candidate in versions:
            if not candidate.ciphertext:
                continue
            try:
                payload = outbox._cipher.open(candidate.nonce, candidate.ciphertext, key,
                                              candidate.rowid)
                source = candidate
                readable += 1
                break
            except PayloadUnreadable:
                continue
        sent = any(x.state == "sent" and x.dossier_code for x in versions)
        if payload is not None or sent or (newest.purged_at is not None and newest.state == "sent"):
            recover.append((next((x for x in versions if x.state == "sent"), newest) if sent
                            else newest, payload, source))
        else:
            lost.append({"local_ref": newest.local_ref, "idempotency_key": key,
                         "procedure_code": newest.procedure_code, "state": newest.state,
                         "created_at": newest.created_at,
                         "reason": "its record is damaged: the application's data does not "
                                   "decrypt"})
    _check_key(outbox, found, readable)
    for rowid, ref in sorted(found.refs.items()):
        if rowid in rowids or rowid in found.sent_rowids:
            continue  # recovered above, or already on the portal
        lost.append({"local_ref": ref, "idempotency_key": found.keys.get(rowid),
                     "procedure_code": None, "state": None, "created_at": None,
                     "reason": "its record was destroyed; the reference survived in an index"})
    return _Plan(recover, lost)


def _check_key(outbox: Outbox, found: _Salvage, readable: int) -> None:
    mine = outbox._key_check
    tried = sum(1 for versions in found.versions.values() if any(x.ciphertext for x in versions))
    foreign = bool(found.key_checks) and mine not in found.key_checks
    if readable == 0 and tried and (foreign or tried >= 3):
        raise KeyMismatch(
            "a damaged outbox set aside beside this one was written under another key (none of "
            f"its {tried} applications decrypt with this kiosk's outbox.key); nothing was "
            "recovered yet. IT: put the original outbox.key back and start the kiosk again")


def _insert(conn: sqlite3.Connection, outbox: Outbox, newest: _Version,
            payload: dict[str, Any] | None, source: _Version | None,
            due: dict[str, Any]) -> str:
    """Insert one recovered entry; returns the local reference it got here."""
    ref = free_local_ref(conn, newest.local_ref, outbox._refs)
    now = due["next_attempt_at"]
    sent = newest.state == "sent" and newest.dossier_code is not None
    state = "sent" if sent else ("needs_attention" if newest.state == "needs_attention"
                                 else "queued")
    purged = None if payload is not None else (newest.purged_at or now)
    cursor = conn.execute(
        "INSERT INTO outbox (idempotency_key, local_ref, procedure_code, state, created_at,"
        " updated_at, next_attempt_at, due_boot, due_mono, attempts, outcome_unknown, last_error,"
        " dossier_code, sent_at, nonce, ciphertext, purged_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (newest.key, ref, newest.procedure_code, state, newest.created_at, now, now,
         due["due_boot"], due["due_mono"], newest.attempts, 0 if sent else 1,
         None if newest.last_error is None else short(newest.last_error),
         newest.dossier_code if sent else None, newest.sent_at if sent else None,
         source.nonce if source else b"", source.ciphertext if source else b"", purged))
    entry_id = int(cursor.lastrowid or 0)
    if payload is not None and not sent:
        link(conn, entry_id, _files_of(outbox, payload))
    return ref


def _files_of(outbox: Outbox, payload: dict[str, Any]) -> list[tuple[str, int]]:
    """The entry's document files still on disk, found from the SHA-256s its payload lists."""
    items = payload.get("attachments")
    names = []
    for item in items if isinstance(items, list) else []:
        sha = item.get("sha256") if isinstance(item, dict) else None
        if isinstance(sha, str) and _SHA256.fullmatch(sha):
            name = outbox._files.name_for_sha256(bytes.fromhex(sha))
            size = item.get("size")
            if outbox._files.exists(name):
                names.append((name, size if isinstance(size, int) else 0))
    return names


def recover_into(outbox: Outbox, source: Path) -> RecoveryReport:
    """Recover the set-aside file `source` into `outbox`, in one transaction, and record it."""
    plan = _plan(outbox, _salvage(scan_file(source)))
    due = outbox._due_now()
    recovered = already = 0
    renamed: list[tuple[str, str]] = []
    lost_refs: list[str] = []
    with outbox._write("recover") as conn:
        def here(key: str) -> bool:
            return conn.execute("SELECT 1 FROM outbox WHERE idempotency_key = ?",
                                (key,)).fetchone() is not None

        for newest, payload, version in plan.recover:
            if here(newest.key):
                already += 1
                continue
            ref = _insert(conn, outbox, newest, payload, version, due)
            recovered += 1
            if ref != newest.local_ref:
                renamed.append((newest.local_ref, ref))
        for item in plan.lost:
            if item["idempotency_key"] is not None and here(item["idempotency_key"]):
                already += 1
                continue
            conn.execute(
                "INSERT INTO lost_entry (source, local_ref, idempotency_key, procedure_code, state,"
                " created_at, reason, found_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (source.name, item["local_ref"], item["idempotency_key"], item["procedure_code"],
                 item["state"], item["created_at"], item["reason"], due["next_attempt_at"]))
            lost_refs.append(item["local_ref"] or "?")
        conn.execute("INSERT INTO recovery (source, finished_at, recovered, already_here, lost)"
                     " VALUES (?, ?, ?, ?, ?)", (source.name, due["next_attempt_at"], recovered,
                                                 already, len(lost_refs)))
    return RecoveryReport(source.name, recovered, already, len(lost_refs), tuple(lost_refs),
                          tuple(renamed))
