"""Staff accounts on a real JSON file: hashing, lockout with a hand-moved clock, CLI, audit."""

from __future__ import annotations

import io
import json
import stat
from pathlib import Path

import pytest

from kiosk.app.cli import staff as staff_cmd
from kiosk.services.ops.audit import AuditLog, verify
from kiosk.services.ops.staff import (
    BadCredentials, KdfParams, StaffDirectory, StaffExists, StaffInputError, StaffStoreError,
    UnknownStaff,
)
from tests.services.ops.conftest import StepClock, run_cli

FAST = KdfParams(n=2 ** 10)  # the default (2**15) is exercised once below
PIN = "482913"


@pytest.fixture
def audit(tmp_path: Path, clock: StepClock) -> AuditLog:
    return AuditLog(tmp_path / "audit.jsonl", clock=clock)


@pytest.fixture
def staff(tmp_path: Path, clock: StepClock, audit: AuditLog) -> StaffDirectory:
    return StaffDirectory(tmp_path / "staff.json", clock=clock, kdf=FAST, audit=audit,
                          max_failures=5, lockout_s=300, session_s=900, answer_s=0.0)


def locked_until(staff: StaffDirectory, staff_id: str) -> float | None:
    return next(a.locked_until for a in staff.list() if a.staff_id == staff_id)


def test_pin_is_never_stored_in_clear_and_file_is_private(tmp_path: Path, clock: StepClock) -> None:
    directory = StaffDirectory(tmp_path / "staff.json", clock=clock,  # default scrypt cost
                               answer_s=0.0)
    directory.add("NV001", PIN)
    text = (tmp_path / "staff.json").read_text()
    assert PIN not in text
    record = json.loads(text)["accounts"]["NV001"]
    assert record["kdf"] == {"n": 2 ** 15, "r": 8, "p": 1} and len(record["salt"]) >= 20
    assert stat.S_IMODE((tmp_path / "staff.json").stat().st_mode) == 0o600
    session = directory.authenticate("NV001", PIN)
    assert (session.staff_id, session.started_at, session.expires_at) == ("NV001", clock.now,
                                                                         clock.now + 900)
    assert PIN not in repr(directory.list()) + repr(session)


def test_same_pin_two_accounts_different_hashes(staff: StaffDirectory, tmp_path: Path) -> None:
    staff.add("NV001", PIN)
    staff.add("NV002", PIN)
    accounts = json.loads((tmp_path / "staff.json").read_text())["accounts"]
    assert accounts["NV001"]["hash"] != accounts["NV002"]["hash"]
    with pytest.raises(StaffExists):
        staff.add("NV001", "739102")


def test_lockout_after_five_failures_then_released_by_time(staff: StaffDirectory,
                                                           clock: StepClock) -> None:
    staff.add("NV001", PIN)
    for _ in range(4):
        with pytest.raises(BadCredentials):
            staff.authenticate("NV001", "000001")
    with pytest.raises(BadCredentials):
        staff.authenticate("NV001", "000001")
    assert locked_until(staff, "NV001") == clock.now + 300
    clock.advance(120)
    with pytest.raises(BadCredentials) as still:
        staff.authenticate("NV001", PIN)  # even the right PIN is refused while locked
    assert PIN not in str(still.value) and "locked" in str(still.value)
    clock.advance(181)
    assert staff.authenticate("NV001", PIN).staff_id == "NV001"


def test_each_lockout_lasts_twice_as_long_as_the_last(staff: StaffDirectory, clock: StepClock,
                                                     audit: AuditLog) -> None:
    staff.add("NV001", PIN)
    for wait in (300, 600, 1200):
        for _ in range(5):
            with pytest.raises(BadCredentials):
                staff.authenticate("NV001", "000001")
        assert locked_until(staff, "NV001") == clock.now + wait
        clock.advance(wait + 1)
    lines = [json.loads(x) for x in audit.path.read_text().splitlines()]
    locked = [x["details"] for x in lines if x["action"] == "staff.locked_out"]
    assert [(d["lockouts"], d["locked_for_s"]) for d in locked] == [(1, 300), (2, 600), (3, 1200)]
    assert staff.authenticate("NV001", PIN)  # a good sign-in starts over
    for _ in range(5):
        with pytest.raises(BadCredentials):
            staff.authenticate("NV001", "000001")
    assert locked_until(staff, "NV001") == clock.now + 300


def test_unknown_wrong_and_locked_answer_alike_in_words_and_time(
        tmp_path: Path, clock: StepClock, audit: AuditLog, monkeypatch: pytest.MonkeyPatch) -> None:
    real_derive = KdfParams.derive

    class Counting:
        runs = 0

    def derive(self: KdfParams, pin: str, salt: bytes) -> bytes:
        Counting.runs += 1
        return real_derive(self, pin, salt)

    monkeypatch.setattr(KdfParams, "derive", derive)

    fake = StepClock(0.0)
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        fake.advance(seconds)

    staff = StaffDirectory(tmp_path / "staff.json", clock=clock, kdf=FAST,
                           audit=audit, max_failures=2, answer_s=0.5, monotonic=fake, sleep=sleep)
    staff.add("NV001", PIN)
    staff.add("NV002", PIN)
    for _ in range(2):
        with pytest.raises(BadCredentials):
            staff.authenticate("NV002", "000001")  # NV002 is locked now
    answers, ends = [], []
    for who, pin in (("NV999", PIN), ("NV001", "000001"), ("NV002", PIN)):
        before = Counting.runs
        started = fake.now
        with pytest.raises(BadCredentials) as refused:
            staff.authenticate(who, pin)
        answers.append(str(refused.value))
        ends.append(fake.now - started)
        assert Counting.runs == before + 1  # one KDF each: unknown, wrong and locked alike
    assert len(set(answers)) == 1 and ends == [0.5, 0.5, 0.5]
    lines = [json.loads(x) for x in audit.path.read_text().splitlines()][-3:]
    assert [x["details"]["why"] for x in lines] == ["unknown_id", "wrong_pin", "locked"]


def test_lockout_survives_a_restart_and_unlock_lifts_it(staff: StaffDirectory, tmp_path: Path,
                                                        clock: StepClock) -> None:
    staff.add("NV001", PIN)
    for _ in range(5):
        with pytest.raises(BadCredentials):
            staff.authenticate("NV001", "999990")
    reopened = StaffDirectory(tmp_path / "staff.json", clock=clock, kdf=FAST, answer_s=0.0)
    with pytest.raises(BadCredentials):
        reopened.authenticate("NV001", PIN)
    assert locked_until(reopened, "NV001") is not None
    reopened.unlock("NV001")
    assert reopened.authenticate("NV001", PIN).staff_id == "NV001"


def test_success_resets_the_failure_count(staff: StaffDirectory) -> None:
    staff.add("NV001", PIN)
    for _ in range(3):
        with pytest.raises(BadCredentials):
            staff.authenticate("NV001", "111112")
    staff.authenticate("NV001", PIN)
    for _ in range(4):
        with pytest.raises(BadCredentials):
            staff.authenticate("NV001", "111112")
    assert staff.list()[0].failures == 4


def test_unknown_id_says_the_same_as_a_wrong_pin(staff: StaffDirectory) -> None:
    staff.add("NV001", PIN)
    with pytest.raises(BadCredentials) as unknown:
        staff.authenticate("NV404", PIN)
    with pytest.raises(BadCredentials) as wrong:
        staff.authenticate("NV001", "111112")
    assert str(unknown.value) == str(wrong.value)


@pytest.mark.parametrize("staff_id, pin", [
    ("079195012345", PIN), ("a", PIN), ("NV001", "1234"), ("NV001", "123456"), ("NV001", "777777"),
    ("NV001", "98765a"), ("NV001", "654321"),
])
def test_rules_for_ids_and_pins(staff: StaffDirectory, staff_id: str, pin: str) -> None:
    with pytest.raises(StaffInputError):
        staff.add(staff_id, pin)


def test_session_expiry(staff: StaffDirectory, clock: StepClock) -> None:
    staff.add("NV001", PIN)
    session = staff.authenticate("NV001", PIN)
    clock.advance(899)
    assert not session.expired(clock.now) and session.remaining_s(clock.now) == pytest.approx(1)
    session = session.extended(clock.now, 900)
    clock.advance(900)
    assert session.expired(clock.now)


def test_every_change_and_sign_in_is_audited_without_the_pin(staff: StaffDirectory,
                                                             tmp_path: Path) -> None:
    staff.add("NV001", PIN, by="ADMIN1")
    staff.authenticate("NV001", PIN)
    with pytest.raises(BadCredentials):
        staff.authenticate("NV001", "111112")
    staff.reset_pin("NV001", "739102", by="ADMIN1")
    staff.remove("NV001", by="ADMIN1")
    with pytest.raises(UnknownStaff):
        staff.remove("NV001")
    log = tmp_path / "audit.jsonl"
    actions = [(r["actor"], r["action"], r["target"])
               for r in map(json.loads, log.read_text().splitlines())]
    assert actions == [("ADMIN1", "staff.add", "NV001"), ("NV001", "staff.sign_in", "NV001"),
                       ("system", "staff.sign_in_failed", "NV001"),
                       ("ADMIN1", "staff.reset_pin", "NV001"), ("ADMIN1", "staff.remove", "NV001")]
    assert PIN not in log.read_text() and "739102" not in log.read_text()
    assert verify(log).ok


def test_a_world_readable_staff_file_is_refused(staff: StaffDirectory, tmp_path: Path) -> None:
    staff.add("NV001", PIN)
    (tmp_path / "staff.json").chmod(0o644)
    with pytest.raises(StaffStoreError, match="chmod 600"):
        staff.authenticate("NV001", PIN)


def test_cli_reads_the_pin_from_stdin_never_argv(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path)]
    monkeypatch.setattr("sys.stdin", io.StringIO(PIN + "\n"))
    assert run_cli(staff_cmd, ["staff", "add", "NV001", "--by", "ADMIN1", *data]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("12\n"))
    assert run_cli(staff_cmd, ["staff", "reset-pin", "NV001", *data]) == 5
    assert "6 to 12 digits" in capsys.readouterr().err
    assert run_cli(staff_cmd, ["staff", "list", "--json", *data]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(a["staff_id"], a["role"]) for a in listed] == [("NV001", "staff")]
    assert run_cli(staff_cmd, ["staff", "remove", "NV404", *data]) == 5
    directory = StaffDirectory(tmp_path / "staff.json")
    assert directory.authenticate("NV001", PIN).staff_id == "NV001"
    with pytest.raises(SystemExit):  # there is no --pin option to leak it through argv
        run_cli(staff_cmd, ["staff", "add", "NV002", "--pin", PIN, *data])
    assert verify(tmp_path / "audit.jsonl").ok
