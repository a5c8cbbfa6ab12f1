"""Start, stop, restart on the same port, the subprocess entry point and the CLI."""

from __future__ import annotations

import argparse
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
from portal_helpers import PROCEDURES, TOKEN, make_payload, new_key

from kiosk.app.cli import portal as portal_cli
from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from kiosk.domain.portal_contract import PortalTimeout, PortalUnreachable

REPO = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_restart_on_same_port_keeps_data(tmp_path: Path) -> None:
    db = tmp_path / "portal.sqlite3"
    first = EmbeddedPortal(db, token=TOKEN, procedures_dir=PROCEDURES)
    first.start()
    port = first.port
    with PortalClient(first.url, TOKEN) as client:
        key = new_key()
        created = client.submit_dossier(make_payload(), key)
        first.stop()  # outage: the pooled keep-alive connection is cut too
        with pytest.raises(PortalUnreachable):
            client.health()
        second = EmbeddedPortal(db, token=TOKEN, port=port, procedures_dir=PROCEDURES)
        assert second.start() == f"http://127.0.0.1:{port}"
        try:
            assert client.dossier_status(created.code) == created
            assert client.submit_dossier(make_payload(), key).replayed
            assert client.submit_dossier(make_payload(), new_key()).code.endswith("-0002")
        finally:
            second.stop()
    assert second.store.stats().dossiers == 2


def test_same_object_restarts_on_its_port(tmp_path: Path) -> None:
    portal = EmbeddedPortal(tmp_path / "p.sqlite3", token=None)
    url = portal.start()
    portal.stop()
    portal.stop()  # idempotent
    try:
        assert portal.start() == url
    finally:
        portal.stop()


def test_after_stop_the_port_refuses_connections(tmp_path: Path) -> None:
    portal = EmbeddedPortal(tmp_path / "p.sqlite3")
    portal.start()
    port = portal.port
    portal.stop()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()


def test_stop_cuts_a_slow_request_quickly(tmp_path: Path) -> None:
    portal = EmbeddedPortal(tmp_path / "p.sqlite3", token=TOKEN, procedures_dir=PROCEDURES)
    portal.start()
    portal.faults.latency_ms = 60_000
    errors: list[Exception] = []
    key = new_key()

    def submit() -> None:
        with PortalClient(portal.url, TOKEN, read_timeout=30) as c:
            try:
                c.submit_dossier(make_payload(), key)
            except Exception as exc:  # noqa: BLE001 - collected for the assertion below
                errors.append(exc)

    thread = threading.Thread(target=submit)
    thread.start()
    assert portal.store.wait_in_flight(key, timeout=5)
    started = time.monotonic()
    portal.stop(timeout=5)
    thread.join(10)
    assert time.monotonic() - started < 15  # not the 60 s latency; slack for a loaded machine
    assert len(errors) == 1 and isinstance(errors[0], PortalTimeout)
    assert portal.store.stats().dossiers == 0


def test_subprocess_serves_health_within_2s(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk.portal.server", "--port", str(port), "--db", str(tmp_path / "p.sqlite3"),
         "--procedures-dir", str(PROCEDURES)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        started = time.monotonic()
        line = _wait_for_line(proc, "listening on", deadline=started + 2.0)
        assert f"http://127.0.0.1:{port}" in line
        resp = requests.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=(0.5, 1))
        assert resp.status_code == 200 and resp.json()["status"] == "ok"
        assert time.monotonic() - started < 2.0, "portal did not answer within 2 s of start"
        proc.send_signal(signal.SIGTERM)
        _out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert "Traceback" not in err


def _wait_for_line(proc: subprocess.Popen, needle: str, deadline: float) -> str:
    """Read the child's stderr (blocking on select with a timeout) until a line contains `needle`."""
    assert proc.stderr is not None
    while (remaining := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([proc.stderr], [], [], remaining)
        if not ready:
            break
        line = proc.stderr.readline()
        if not line:
            break
        if needle in line:
            return line
    raise AssertionError(f"no {needle!r} line from the portal in time")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk")
    portal_cli.register(parser.add_subparsers(dest="command", required=True))
    return parser


@pytest.mark.parametrize("flag", ["--fail-rate", "--drop-rate", "--garbage-rate"])
@pytest.mark.parametrize("value", ["1.5", "-0.1", "lots"])
def test_cli_rejects_rates_outside_0_to_1(flag: str, value: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as info:
        _parser().parse_args(["portal", "serve", flag, value])
    assert info.value.code == 2
    assert flag in capsys.readouterr().err


def test_cli_serve_runs_until_stopped_and_warns_on_public_bind(tmp_path: Path, caplog) -> None:
    args = _parser().parse_args(["portal", "serve", "--host", "0.0.0.0", "--port", "0",
                                 "--db", str(tmp_path / "p.sqlite3"), "--fail-rate", "0.5", "--seed", "1"])
    ready, stop = threading.Event(), threading.Event()
    result: list[int] = []
    from kiosk.portal.serve import run_serve

    assert args.func.__module__ == "kiosk.app.cli.portal"
    thread = threading.Thread(target=lambda: result.append(run_serve(args, ready=ready, stop=stop)))
    with caplog.at_level("INFO", logger="kiosk.portal"):
        thread.start()
        assert ready.wait(5)
        stop.set()
        thread.join(10)
    assert result == [0]
    assert any("0.0.0.0" in r.getMessage() and r.levelname == "WARNING" for r in caplog.records)


def test_cli_stats(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    db = tmp_path / "p.sqlite3"
    with EmbeddedPortal(db, token=TOKEN, procedures_dir=PROCEDURES) as portal, \
            PortalClient(portal.url, TOKEN) as c:
        c.submit_dossier(make_payload(), new_key())
    args = _parser().parse_args(["portal", "stats", "--db", str(db), "--json"])
    assert args.func(args) == 0
    assert json.loads(capsys.readouterr().out) == {
        "dossiers": 1, "idempotency_keys": 1, "keys_with_multiple_dossiers": 0, "attachments": 0}
    missing = _parser().parse_args(["portal", "stats", "--db", str(tmp_path / "none.sqlite3")])
    assert missing.func(missing) == 1
    (tmp_path / "junk.sqlite3").write_bytes(b"not a database" * 100)
    junk = _parser().parse_args(["portal", "stats", "--db", str(tmp_path / "junk.sqlite3")])
    assert junk.func(junk) == 1
    assert "not a readable portal database" in capsys.readouterr().err
