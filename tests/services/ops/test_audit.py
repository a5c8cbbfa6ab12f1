"""The audit chain: appends, and `kiosk audit verify` on tampered copies of a real log."""

from __future__ import annotations

import json
import os
import shutil
import stat
import threading
from pathlib import Path

import pytest

from kiosk.app.cli import audit as audit_cmd
from kiosk.services.ops.audit import (
    AuditDataError, AuditKeyError, AuditLog, create_key_file, load_key_file, verify,
)
from tests.services.ops.conftest import StepClock, run_cli


def _write_log(path: Path, clock: StepClock, key: bytes | None = None, n: int = 6) -> AuditLog:
    log = AuditLog(path, key=key, clock=clock)
    log.append("NV001", "staff.sign_in")
    for i in range(n - 2):
        clock.advance(30)
        log.append("NV001", "outbox.retry", target=f"Q-261127-{i + 1:04d}", details={"attempt": i})
    log.append("system", "config.change", details={"key": "ui.theme", "new": "large"})
    return log


def _lines(path: Path) -> list[bytes]:
    return path.read_bytes().splitlines(keepends=True)


def _verify_cli(tmp_path: Path, log: Path, capsys: pytest.CaptureFixture[str],
                *extra: str) -> tuple[int, dict]:
    status = run_cli(audit_cmd, ["audit", "verify", str(log), "--json",
                                 "--data-dir", str(tmp_path / "data"), *extra])
    return status, json.loads(capsys.readouterr().out)


def test_intact_log_verifies_and_lines_are_durable_json(tmp_path: Path, clock: StepClock,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "audit.jsonl"
    _write_log(path, clock)
    records = [json.loads(line) for line in _lines(path)]
    assert [r["seq"] for r in records] == list(range(1, 7))
    assert records[0]["actor"] == "NV001" and records[0]["time"].endswith("+07:00")
    assert records[1]["prev"] == records[0]["hash"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    status, out = _verify_cli(tmp_path, path, capsys)
    assert (status, out["ok"], out["lines"]) == (0, True, 6)


@pytest.mark.parametrize("tamper, bad_line", [
    ("edit", 3), ("delete", 3), ("reorder", 2), ("truncate_tail", 6), ("cut_mid_line", 6),
    ("delete_first", 1), ("recompute_edit", 3),
])
def test_verify_names_the_first_bad_line(tmp_path: Path, clock: StepClock, tamper: str,
                                         bad_line: int, capsys: pytest.CaptureFixture[str]) -> None:
    original = tmp_path / "audit.jsonl"
    _write_log(original, clock)
    copy = tmp_path / "copy.jsonl"
    shutil.copy(original, copy)
    shutil.copy(original.with_name("audit.jsonl.head"), tmp_path / "copy.jsonl.head")
    lines = _lines(copy)
    if tamper == "edit":
        lines[2] = lines[2].replace(b"Q-261127-0002", b"Q-261127-0009")
    elif tamper == "delete":
        del lines[2]
    elif tamper == "delete_first":
        del lines[0]
    elif tamper == "reorder":
        lines[1], lines[2] = lines[2], lines[1]
    elif tamper == "truncate_tail":
        del lines[-1]
    elif tamper == "cut_mid_line":
        lines[-1] = lines[-1][:20]
    elif tamper == "recompute_edit":
        # the attacker edits line 3 and re-hashes it (no key): line 4's link then breaks
        record = json.loads(lines[2])
        record["actor"] = "NV999"
        body = {k: v for k, v in record.items() if k != "hash"}
        from kiosk.services.ops.audit import _canonical, _digest
        record["hash"] = _digest(record["prev"], body, None)
        lines[2] = _canonical(record) + b"\n"
        bad_line = 4
    copy.write_bytes(b"".join(lines))
    status, out = _verify_cli(tmp_path, copy, capsys)
    assert status == 1
    assert out["ok"] is False and out["first_bad_line"] == bad_line, out["reason"]
    assert verify(original).ok  # the original is untouched


def test_keyed_chain_cannot_be_recomputed_without_the_key(tmp_path: Path, clock: StepClock,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    key_path = tmp_path / "data" / "audit.key"
    create_key_file(key_path)
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    key = load_key_file(key_path)
    path = tmp_path / "audit.jsonl"
    _write_log(path, clock, key=key)
    assert verify(path, key=key).ok
    # The default key path (<data dir>/audit.key) is picked up by the CLI.
    status, out = _verify_cli(tmp_path, path, capsys)
    assert (status, out["keyed"]) == (0, True)
    # An attacker rewrites the whole chain with plain SHA-256 after editing line 2.
    forged = AuditLog(tmp_path / "forged.jsonl", clock=clock)
    for record in (json.loads(x) for x in _lines(path)):
        details = record["details"] | ({"attempt": 99} if record["seq"] == 2 else {})
        forged.append(record["actor"], record["action"], record["target"], details)
    assert verify(tmp_path / "forged.jsonl").ok          # consistent without the key...
    result = verify(tmp_path / "forged.jsonl", key=key)  # ...but not with it
    assert not result.ok and result.first_bad_line == 1


def test_key_file_readable_by_others_is_refused(tmp_path: Path) -> None:
    key_path = tmp_path / "audit.key"
    create_key_file(key_path)
    os.chmod(key_path, 0o644)
    with pytest.raises(AuditKeyError, match="chmod 600"):
        load_key_file(key_path)
    with pytest.raises(AuditKeyError, match="already exists"):
        create_key_file(key_path)


@pytest.mark.parametrize("details", [
    {"citizen": "Trần Thị Minh Anh"}, {"id": "079195012345"}, {"phone": "+84 912 345 678"},
    {"note": "12 Lê Lợi, Phường Bến Nghé"}, {"when": object()},
])
def test_personal_data_is_refused(tmp_path: Path, clock: StepClock, details: dict) -> None:
    log = AuditLog(tmp_path / "audit.jsonl", clock=clock)
    with pytest.raises(AuditDataError):
        log.append("NV001", "assist.start", details=details)
    assert not (tmp_path / "audit.jsonl").exists() or (tmp_path / "audit.jsonl").read_bytes() == b""


def test_two_writers_extend_one_chain(tmp_path: Path, clock: StepClock) -> None:
    """The kiosk and a `kiosk staff` command append to the same file through separate objects."""
    path = tmp_path / "audit.jsonl"
    writers = [AuditLog(path, clock=clock), AuditLog(path, clock=clock)]
    start = threading.Barrier(4)

    def work(n: int) -> None:
        start.wait(timeout=10)
        for i in range(25):
            writers[n % 2].append("system", "test.append", details={"writer": n, "i": i})

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    result = verify(path)
    assert result.ok and result.lines == 100
    assert writers[0].last_seq() == 100


def test_missing_log_is_a_file_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = run_cli(audit_cmd, ["audit", "verify", str(tmp_path / "nope.jsonl"),
                                 "--data-dir", str(tmp_path)])
    assert status == 3
    assert "cannot read" in capsys.readouterr().err
