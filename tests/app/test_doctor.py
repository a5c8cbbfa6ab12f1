"""`kiosk doctor` against real files, a real outbox and the real reference portal over HTTP."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from kiosk.app.cli import doctor as doctor_cmd
from kiosk.domain.config import load_config
from kiosk.app import doctor_checks as checks
from kiosk.app import doctor_files as files
from kiosk.services.ops.audit import AuditLog
from kiosk.app.doctor import DoctorContext, Status, exit_status, run_checks
from kiosk.portal.embedded import EmbeddedPortal
from offline_store.outbox import Outbox
from tests.services.ops.conftest import StepClock, run_cli

TOKEN = "test-kiosk-token"


@pytest.fixture
def portal(tmp_path: Path) -> Iterator[EmbeddedPortal]:
    with EmbeddedPortal(tmp_path / "portal.sqlite3", token=TOKEN) as p:
        yield p


@pytest.fixture
def data(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    d.mkdir(mode=0o700)
    Outbox.open(d / "outbox.sqlite3", d / "outbox.key").close()
    return d


def _ctx(data: Path, **overrides: object) -> DoctorContext:
    values = {"store.data_dir": str(data), **overrides}
    return DoctorContext(load_config(env={}, overrides=values))


def _by_name(results) -> dict:
    return {r.name: r for r in results}


def test_healthy_files_pass_and_broken_key_permissions_fail(data: Path) -> None:
    ctx = _ctx(data)
    fs = [files.check_data_dir, files.check_key_files, files.check_outbox, files.check_audit,
          files.check_disk]
    results = _by_name(run_checks(ctx, fs))
    assert results["data_dir"].status is Status.PASS
    assert results["key_files"].status is Status.WARN  # no audit key yet
    assert results["outbox"].status is Status.PASS and "integrity ok" in results["outbox"].message
    (data / "outbox.key").chmod(0o640)
    results = run_checks(ctx, fs)
    broken = _by_name(results)["key_files"]
    assert broken.status is Status.FAIL and "640" in broken.message and "chmod 600" in broken.fix
    assert exit_status(results) == 1


def test_tampered_audit_log_and_world_writable_data_dir_fail(data: Path) -> None:
    log = AuditLog(data / "audit.jsonl")
    for i in range(3):
        log.append("system", "test", details={"i": i})
    lines = (data / "audit.jsonl").read_text().splitlines(keepends=True)
    (data / "audit.jsonl").write_text(lines[0] + lines[2])
    data.chmod(0o777)
    results = _by_name(run_checks(_ctx(data), [files.check_audit, files.check_data_dir]))
    assert results["audit"].status is Status.FAIL and "line 2" in results["audit"].message
    assert results["data_dir"].status is Status.FAIL
    data.chmod(0o700)


def test_missing_outbox_key_is_a_failure(data: Path) -> None:
    with Outbox.open(data / "outbox.sqlite3", data / "outbox.key") as outbox:
        outbox.enqueue("1.001193", {"x": 1})
    (data / "outbox.key").unlink()
    results = _by_name(run_checks(_ctx(data), [files.check_key_files, files.check_outbox]))
    assert results["key_files"].status is Status.FAIL and "restore" in results["key_files"].fix
    assert results["outbox"].status is Status.FAIL


def test_portal_latency_and_clock_skew(data: Path, portal: EmbeddedPortal) -> None:
    ctx = _ctx(data, **{"portal.url": portal.url, "portal.token": TOKEN})
    result = checks.check_portal(ctx)
    assert result.status is Status.PASS and abs(result.details["clock_skew_s"]) < 5
    assert result.details["latency_ms"] > 0
    ctx.clock = StepClock(ctx.clock() + 600)    # this kiosk's clock is 10 minutes fast
    skewed = checks.check_portal(ctx)
    assert skewed.status is Status.FAIL and "clock skew +" in skewed.message
    assert 598 <= skewed.details["clock_skew_s"] <= 602  # the portal's time has 1 s resolution
    portal.stop()
    down = checks.check_portal(ctx)
    assert down.status is Status.FAIL and "PortalUnreachable" in down.message


def test_qt_and_printer_run_in_a_child_process(data: Path) -> None:
    ctx = _ctx(data)
    qt = checks.check_qt(ctx)
    assert qt.status is Status.PASS and qt.details["platform"]
    # doctor itself never loads Qt: run the check in a fresh interpreter and look
    code = ("import sys; from kiosk.domain.config import load_config; from kiosk.app.doctor import "
            "DoctorContext; from kiosk.app.doctor_checks import check_qt; "
            "r = check_qt(DoctorContext(load_config(env={}))); "
            "print(r.status.value, 'PySide6' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True, cwd=Path(__file__).parents[2])
    assert done.stdout.split() == ["PASS", "False"]
    assert checks.check_printer(ctx).status in (Status.PASS, Status.WARN)


def _fake_runner(stdout: str = "", returncode: int = 0, timeout: bool = False):
    """The physical devices (pcscd with readers, a camera) do not exist here: fake the child."""
    def run(argv: Sequence[str], timeout_s: float, env: dict | None):
        if timeout:
            raise subprocess.TimeoutExpired(argv, timeout_s)
        return subprocess.CompletedProcess(argv, returncode, stdout, "boom")
    return run


@pytest.mark.parametrize("answer, reader, status", [
    ('{"service": true, "readers": ["ACS ACR39U 00 00"], "list_error": null}', "pcsc", Status.PASS),
    ('{"service": true, "readers": [], "list_error": null}', "pcsc", Status.FAIL),
    ('{"service": false, "error": "Service not available."}', "pcsc", Status.FAIL),
    ('{"service": false, "error": "Service not available."}', "virtual", Status.WARN),
])
def test_pcscd_outcomes(data: Path, answer: str, reader: str, status: Status) -> None:
    ctx = _ctx(data, **{"devices.card_reader": reader})
    ctx.runner = _fake_runner(answer)
    result = checks.check_pcscd(ctx)
    assert result.status is status and (status is Status.PASS or result.fix)


def test_camera_timeout_and_no_picture(data: Path) -> None:
    ctx = _ctx(data, **{"devices.camera": "opencv", "devices.camera_source": "/dev/video0"})
    ctx.runner = _fake_runner(timeout=True)
    assert "no answer within" in checks.check_camera(ctx).message
    ctx.runner = _fake_runner('{"opened": true, "frame": false}')
    result = checks.check_camera(ctx)
    assert result.status is Status.FAIL and "no picture" in result.message
    ctx.runner = _fake_runner('{"opened": true, "frame": true}')
    assert checks.check_camera(ctx).status is Status.PASS


def test_a_crashing_check_is_reported_not_raised(data: Path) -> None:
    def check_broken(ctx: DoctorContext):
        raise RuntimeError("bug")
    (result,) = run_checks(_ctx(data), [check_broken])
    assert (result.name, result.status) == ("broken", Status.FAIL)


def test_cli_json_and_exit_status(data: Path, portal: EmbeddedPortal,
                                  capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_PORTAL_URL", portal.url)
    monkeypatch.setenv("KIOSK_PORTAL_TOKEN", TOKEN)
    skip = [a for c in ("qt", "printer", "pcscd", "camera", "speech") for a in ("--skip", c)]
    assert run_cli(doctor_cmd, ["doctor", "--json", "--data-dir", str(data), *skip]) == 0
    out = json.loads(capsys.readouterr().out)
    names = [c["name"] for c in out["checks"]]
    assert out["ok"] and names == ["mode", "python", "packages", "escpos", "scanner", "data_dir",
                                   "key_files", "outbox", "audit", "portal", "disk"]
    os.chmod(data / "outbox.key", 0o644)
    assert run_cli(doctor_cmd, ["doctor", "--data-dir", str(data), *skip]) == 1
    text = capsys.readouterr().out
    assert "[FAIL] key_files" in text and "fix: `chmod 600" in text


QT_ANSWER = {"qt": "6.11.3", "platform": "offscreen", "printers": ["EPSON_TM_T82", "Office"],
             "default_printer": "Office"}


@pytest.mark.parametrize("configured, state, status, words", [
    ("", None, Status.WARN, "no receipt printer configured (devices.printer)"),
    ("EPSON_TM_T82", "idle", Status.PASS, "receipt printer 'EPSON_TM_T82' installed (idle)"),
    ("EPSON_TM_T82", "error", Status.WARN, "reports error"),
    ("TM_T20", None, Status.FAIL, "'TM_T20' is not installed (installed: EPSON_TM_T82, Office"),
])
def test_printer_check_uses_the_configured_printer(data: Path, configured: str, state, status,
                                                   words: str) -> None:
    """The print system is faked (no printer here); the check judges the configured name."""
    ctx = _ctx(data, **{"devices.printer": configured})
    asked: list[dict] = []

    def run(argv: Sequence[str], timeout_s: float, env: dict | None):
        asked.append(env or {})
        answer = {**QT_ANSWER, **({"configured_state": state} if configured else {})}
        return subprocess.CompletedProcess(argv, 0, json.dumps(answer), "")

    ctx.runner = run
    result = checks.check_printer(ctx)
    assert result.status is status and words in result.message
    assert status is Status.PASS or result.fix
    assert asked[0]["MOTCUA_DOCTOR_PRINTER"] == configured  # the child asks about that name


def test_printer_check_asks_the_real_print_system_about_the_configured_name(data: Path) -> None:
    ctx = _ctx(data, **{"devices.printer": "no-such-printer-here"})
    result = checks.check_printer(ctx)
    assert result.status is Status.FAIL and "'no-such-printer-here' is not installed" in result.message
    assert "devices.printer" in result.fix


def test_production_needs_an_audit_key_and_the_kiosk_refuses_to_start_without_one(
        tmp_path: Path) -> None:
    from kiosk.services.ops.audit import AuditKeyError
    from kiosk.services.ops.wiring import Operations

    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    production = _ctx(data, **{"kiosk.mode": "production"})
    result = _by_name(run_checks(production, [files.check_key_files]))["key_files"]
    assert result.status is Status.FAIL and "audit keygen" in (result.fix or "")
    assert _by_name(run_checks(_ctx(data), [files.check_key_files]))["key_files"].status \
        is Status.WARN  # a demo kiosk is only warned

    class Engine:
        def stats(self, **_: object) -> None: ...

    with pytest.raises(AuditKeyError, match="audit keygen"):
        Operations.start(production.config, Engine(), None)
