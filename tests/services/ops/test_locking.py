"""A lock held elsewhere makes the audit log and the staff file fail clearly, never hang."""

from __future__ import annotations

import fcntl
import os

import pytest

from kiosk.services.ops.audit import AuditLog, AuditWriteError
from kiosk.services.ops.locking import LockTimeout, lock_exclusive


def test_lock_times_out_when_held_by_another_descriptor(tmp_path):
    path = tmp_path / "f"
    holder = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    other = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with pytest.raises(LockTimeout):
            lock_exclusive(other, timeout_s=0.1)
        fcntl.flock(holder, fcntl.LOCK_UN)
        lock_exclusive(other, timeout_s=0.1)
    finally:
        os.close(holder)
        os.close(other)


def test_audit_append_fails_clearly_while_locked(tmp_path, monkeypatch):
    log = AuditLog.open(tmp_path / "audit.jsonl")
    log.append("system", "kiosk.start")
    holder = os.open(tmp_path / "audit.jsonl", os.O_RDWR)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        monkeypatch.setattr("kiosk.services.ops.audit.lock_exclusive",
                            lambda fd: lock_exclusive(fd, timeout_s=0.1))
        with pytest.raises(AuditWriteError, match="locked by another process"):
            log.append("system", "kiosk.stop")
    finally:
        os.close(holder)
