"""The audit log: who did what and when, append-only JSON Lines, each line hash-chained.

Each line is one JSON object ``{"seq", "time", "actor", "action", "target", "details", "prev",
"hash"}``. ``hash`` is SHA-256 (or, with a key, HMAC-SHA256) over the previous line's hash and this
line's canonical JSON (sorted keys, no spaces, without ``hash``). Editing, deleting or reordering a
line breaks the chain at that line; ``seq`` makes a deleted line's gap visible even when the chain
is recomputed without the key. A sidecar ``<log>.head`` file (the last seq and hash, replaced
atomically after every append) reveals a truncated tail. Without a key, anyone who can write the
file can recompute the whole chain; with the key (a 0600 file the kiosk user alone can read) they
cannot. Only a copy of the head kept elsewhere (the metrics expose the sequence number) proves that
a keyed log was not truncated together with its head.

Each append takes an exclusive ``flock`` and reads the tail, so the kiosk and a ``kiosk staff``
command running beside it extend one chain. Every line is fsynced before ``append`` returns.
Details must not hold personal data: ``append`` refuses text that looks like names, ID numbers,
phone numbers or addresses (``kiosk.services.ops.pii``).

Errors (phase order)::

    AuditError
     +-- AuditKeyError      opening: the key file is missing, the wrong size or readable by others
     +-- AuditDataError     append: details are not plain JSON, or look like personal data
     +-- AuditWriteError    append: the operating system refused the write (disk full, permissions)
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import os
import secrets
import stat
import threading
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from kiosk.services.ops.locking import LockTimeout, lock_exclusive
from kiosk.services.ops.pii import contains_personal_data

__all__ = ["ACTORS", "AuditDataError", "AuditError", "AuditKeyError", "AuditLog", "AuditWriteError",
           "GENESIS", "VerifyResult", "create_key_file", "load_key_file", "verify",
           "verify_anchors"]

GENESIS = "0" * 64
ACTORS = ("citizen", "system")   # besides staff IDs
KEY_BYTES = 32
_TZ = timezone(timedelta(hours=7), "ICT")
_TAIL_BYTES = 65536


class AuditError(Exception):
    """The audit log cannot be used; the message says what IT can do."""


class AuditKeyError(AuditError):
    pass


class AuditDataError(AuditError, ValueError):
    pass


class AuditWriteError(AuditError):
    pass


def create_key_file(path: str | Path) -> None:
    """Write a new random HMAC key, mode 0600, never overwriting an existing one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise AuditKeyError(f"the audit key file {path} already exists; it was not replaced") from None
    try:
        os.write(fd, secrets.token_bytes(KEY_BYTES))
        os.fsync(fd)
    finally:
        os.close(fd)


def load_key_file(path: str | Path) -> bytes:
    """The key, refusing a file others could read (they could then forge the chain)."""
    path = Path(path)
    try:
        st = path.stat()
        key = path.read_bytes()
    except OSError as exc:
        raise AuditKeyError(f"cannot read the audit key file {path} ({exc.strerror}); IT: restore "
                            "it from backup or make one with `kiosk audit keygen`") from None
    if st.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise AuditKeyError(f"the audit key file {path} is readable by other users; IT: run "
                            f"`chmod 600 {path}`")
    if len(key) != KEY_BYTES:
        raise AuditKeyError(f"the audit key file {path} has {len(key)} bytes, expected {KEY_BYTES}")
    return key


def _canonical(record: Mapping[str, Any]) -> bytes:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")


def _digest(prev: str, body: Mapping[str, Any], key: bytes | None) -> str:
    data = prev.encode("ascii") + _canonical(body)
    if key is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def _check_details(value: Any, where: str = "details") -> None:
    """Plain JSON only, and no text that looks like personal data."""
    if value is None or isinstance(value, (bool, int, float)):
        return
    if isinstance(value, str):
        if contains_personal_data(value):
            raise AuditDataError(f"audit {where} looks like personal data; record a reference "
                                 "(local ref, dossier code) instead")
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_details(item, where)
        return
    if isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                raise AuditDataError(f"audit {where} keys must be text")
            _check_details(k, where)
            _check_details(v, f"{where}.{k}")
        return
    raise AuditDataError(f"audit {where} must be plain JSON, got {type(value).__name__}")


class AuditLog:
    """Appends hash-chained lines to one file; thread-safe and safe beside other processes."""

    def __init__(self, path: str | Path, *, key: bytes | None = None,
                 clock: Callable[[], float] = time.time) -> None:
        self.path = Path(path)
        self._key = key
        self._clock = clock
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"AuditLog({str(self.path)!r}, keyed={self._key is not None})"

    @classmethod
    def open(cls, path: str | Path, key_path: str | Path | None = None, *,
             clock: Callable[[], float] = time.time) -> AuditLog:
        key = load_key_file(key_path) if key_path else None
        return cls(path, key=key, clock=clock)

    @property
    def head_path(self) -> Path:
        return self.path.with_name(self.path.name + ".head")

    def append(self, actor: str, action: str, target: str = "",
               details: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Write one line durably and return it. ``actor``: a staff ID, "citizen" or "system"."""
        if not actor or not action:
            raise AuditDataError("audit actor and action must not be empty")
        _check_details({"actor": actor, "action": action, "target": target,
                        "details": dict(details or {})})
        with self._lock:
            return self._append_locked(actor, action, target, dict(details or {}))

    def _append_locked(self, actor: str, action: str, target: str,
                       details: dict[str, Any]) -> dict[str, Any]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o600)
        except OSError as exc:
            raise AuditWriteError(f"cannot open the audit log {self.path} ({exc.strerror})") from None
        try:
            try:
                lock_exclusive(fd)
            except LockTimeout:
                raise AuditWriteError("the audit log is locked by another process (a stuck "
                                      "`kiosk staff` or `kiosk audit` command?); IT: check it") from None
            seq, prev = _last_link(fd)
            now = self._clock()
            body = {"seq": seq + 1,
                    "time": datetime.fromtimestamp(now, _TZ).isoformat(timespec="milliseconds"),
                    "actor": actor, "action": action, "target": target, "details": details,
                    "prev": prev}
            digest = _digest(prev, body, self._key)
            record = {**body, "hash": digest}
            os.write(fd, _canonical(record) + b"\n")
            os.fsync(fd)
            self._write_head(seq + 1, digest)
        except OSError as exc:
            raise AuditWriteError(f"cannot write the audit log {self.path} ({exc.strerror}); IT: "
                                  "check the disk space and the folder's owner") from None
        finally:
            os.close(fd)  # also releases the flock
        return record

    def _write_head(self, seq: int, digest: str) -> None:
        tmp = self.head_path.with_name(self.head_path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, json.dumps({"seq": seq, "hash": digest}).encode() + b"\n")
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.head_path)

    def head(self) -> tuple[int, str] | None:
        """(seq, hash) of the last line, None for an empty log: what the relay anchors at the
        portal (`SyncEngine.set_audit_anchor`)."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return None
        try:
            seq, digest = _last_link(fd)
        finally:
            os.close(fd)
        return None if seq == 0 else (seq, digest)

    def last_seq(self) -> int:
        """The sequence number of the last line (0 for an empty log): for the metrics."""
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return 0
        try:
            return _last_link(fd)[0]
        finally:
            os.close(fd)


def _last_link(fd: int) -> tuple[int, str]:
    """(seq, hash) of the file's last complete line, (0, GENESIS) for an empty file."""
    size = os.fstat(fd).st_size
    if size == 0:
        return 0, GENESIS
    start = max(0, size - _TAIL_BYTES)
    tail = os.pread(fd, size - start, start)
    if not tail.endswith(b"\n"):
        raise AuditWriteError("the audit log ends with an incomplete line; IT: run "
                              "`kiosk audit verify` and keep the damaged file as evidence")
    last = tail.rstrip(b"\n").rsplit(b"\n", 1)[-1]
    try:
        record = json.loads(last)
        return int(record["seq"]), str(record["hash"])
    except (ValueError, KeyError, TypeError):
        raise AuditWriteError("the audit log's last line is damaged; IT: run `kiosk audit verify`"
                              ) from None


@dataclasses.dataclass(frozen=True)
class VerifyResult:
    ok: bool
    lines: int                      # complete, valid lines read before the first problem
    first_bad_line: int | None      # 1-based line number of the first problem
    reason: str | None
    keyed: bool

    def describe(self) -> str:
        mode = "HMAC" if self.keyed else "SHA-256 (no key: an attacker could recompute the chain)"
        if self.ok:
            return f"OK: {self.lines} lines, chain intact ({mode})"
        return f"BROKEN at line {self.first_bad_line}: {self.reason} ({self.lines} good lines before it)"


def verify(path: str | Path, *, key: bytes | None = None,
           head_path: str | Path | None = None) -> VerifyResult:
    """Check every line's sequence, link and hash, and the tail against the head file."""
    path = Path(path)
    head_path = Path(head_path) if head_path else path.with_name(path.name + ".head")
    data = path.read_bytes()
    lines = data.split(b"\n")
    complete, partial = lines[:-1], lines[-1]
    prev, seq = GENESIS, 0

    def bad(n: int, why: str) -> VerifyResult:
        return VerifyResult(False, n - 1, n, why, key is not None)

    for n, raw in enumerate(complete, start=1):
        problem = _check_line(raw, seq + 1, prev, key)
        if problem:
            return bad(n, problem)
        record = json.loads(raw)
        seq, prev = record["seq"], record["hash"]
    if partial:
        return bad(len(complete) + 1, "incomplete last line (the file was cut mid-write)")
    return _check_head(head_path, seq, prev, len(complete), key is not None)


def _check_line(raw: bytes, want_seq: int, prev: str, key: bytes | None) -> str | None:
    try:
        record = json.loads(raw)
    except ValueError:
        return "not valid JSON"
    if not isinstance(record, dict) or not isinstance(record.get("hash"), str):
        return "not an audit record"
    body = {k: v for k, v in record.items() if k != "hash"}
    if record.get("seq") != want_seq:
        return (f"sequence number {record.get('seq')!r} where {want_seq} was expected "
                "(a line was deleted, inserted or moved)")
    if record.get("prev") != prev:
        return "its link to the previous line does not match (a line before it changed or moved)"
    if not hmac.compare_digest(_digest(prev, body, key), record["hash"]):
        return "its hash does not match its content (the line was edited" + (
            ", or it was written with another key)" if key else ")")
    return None


def verify_anchors(path: str | Path, anchors: list[dict[str, Any]]) -> list[str]:
    """What the heads the portal keeps (`anchors`) say about the local log: empty when every
    anchored line is still there with its hash; otherwise the problems (lines cut from the end,
    a line rewritten even if the chain was re-signed with the key)."""
    hashes: dict[int, str] = {}
    for raw in Path(path).read_bytes().split(b"\n"):
        try:
            record = json.loads(raw)
            hashes[int(record["seq"])] = str(record["hash"])
        except (ValueError, KeyError, TypeError):
            continue
    last = max(hashes, default=0)
    problems = []
    for anchor in anchors:
        seq, digest = int(anchor["seq"]), str(anchor["hash"])
        if seq > last:
            problems.append(f"the portal keeps line {seq} but the log ends at line {last}: "
                            "lines were cut from the end")
        elif hashes.get(seq) != digest:
            problems.append(f"line {seq} is not the line the portal keeps: the log was rewritten")
    return problems


def _check_head(head_path: Path, seq: int, digest: str, lines: int, keyed: bool) -> VerifyResult:
    try:
        head = json.loads(head_path.read_text())
    except FileNotFoundError:
        if seq == 0:
            return VerifyResult(True, 0, None, None, keyed)
        return VerifyResult(False, lines, lines + 1, f"the head file {head_path.name} is missing: "
                            "cannot tell whether lines were cut from the end", keyed)
    except (OSError, ValueError):
        return VerifyResult(False, lines, lines + 1, "the head file is damaged", keyed)
    if head.get("seq") != seq or head.get("hash") != digest:
        return VerifyResult(False, lines, lines + 1,
                            f"the log ends at line {seq} but the head says {head.get('seq')}: "
                            "lines were cut from the end", keyed)
    return VerifyResult(True, lines, None, None, keyed)
