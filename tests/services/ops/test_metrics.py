"""The metrics endpoint on port 0, against a real outbox and the real reference portal."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.services.ops.audit import AuditLog
from kiosk.services.ops.metrics import KioskMetrics, MetricsServer, error_class
from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from offline_store.outbox import Outbox
from offline_store.sync import StepKind, SyncEngine

TOKEN = "test-kiosk-token"
SAMPLE = re.compile(r'^([a-z_]+)(?:\{(.*)\})? (\S+)$')
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def payload(procedure: str = "1.001193", sex: str = "F") -> dict[str, Any]:
    return {"unit_code": "H12.22.10", "kiosk_id": "KIOSK-DEMO-01", "procedure_code": procedure,
            "applicant": {"id_number": "079195012345", "full_name": "Trần Thị Minh Anh",
                          "sex": sex, "identified_by": "chip"},
            "form": {"copies": 1}, "submitted_at": "2026-11-27T09:30:00+07:00"}


def parse(text: str) -> dict[tuple[str, frozenset], float]:
    """A strict little parser of the text format: every line is HELP, TYPE or a sample."""
    samples, typed = {}, set()
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            typed.add(line.split()[2])
            continue
        if line.startswith("# HELP "):
            continue
        match = SAMPLE.match(line)
        assert match, f"not exposition format: {line!r}"
        name, labels, value = match.groups()
        assert name in typed, f"{name} has no TYPE line"
        samples[(name, frozenset(LABEL.findall(labels or "")))] = float(value)
    return samples


def get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.status, resp.headers["Content-Type"], resp.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read().decode()


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[dict[str, Any]]:
    portal = EmbeddedPortal(tmp_path / "portal.sqlite3", token=TOKEN)
    portal.start()
    outbox = Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key")
    client = PortalClient(portal.url, TOKEN, connect_timeout=1.0, read_timeout=5.0)
    engine = SyncEngine(outbox, client, backoff_base_s=0.01, backoff_cap_s=0.02)
    audit = AuditLog(tmp_path / "audit.jsonl")
    metrics = KioskMetrics(engine.stats, kiosk_id="KIOSK-DEMO-01", version="0.1.0",
                           audit_seq=audit.last_seq)
    detach = metrics.attach(engine, outbox)
    server = MetricsServer(metrics, "127.0.0.1", 0)
    server.start()
    try:
        yield {"portal": portal, "outbox": outbox, "engine": engine, "metrics": metrics,
               "server": server, "audit": audit}
    finally:
        server.stop()
        detach()
        client.close()
        outbox.close()
        portal.stop()


def scrape(rig: dict[str, Any]) -> dict:
    status, ctype, text = get(rig["server"].url + "/metrics")
    assert status == 200 and ctype.startswith("text/plain; version=0.0.4")
    return parse(text)


def test_metrics_follow_the_outbox_through_a_journey(rig: dict[str, Any]) -> None:
    outbox, engine, metrics = rig["outbox"], rig["engine"], rig["metrics"]
    rig["audit"].append("NV001", "staff.sign_in", "NV001")
    metrics.set_device("card_reader", True)
    metrics.set_device("camera", False)
    for procedure in ("1.001193", "1.001193", "2.000815"):
        outbox.enqueue(procedure, payload(procedure))
    outbox.enqueue("1.001193", payload(sex="X"))          # refused by the portal
    results = [engine.step().kind for _ in range(4)]
    assert sorted(k.value for k in results) == ["needs_attention", "sent", "sent", "sent"]
    rig["portal"].stop()
    outbox.enqueue("1.001193", payload())
    outbox.enqueue("1.001193", payload())
    assert engine.step().kind is StepKind.RETRY_SCHEDULED

    samples = scrape(rig)
    stats = outbox.stats()
    for state, count in stats.counts.items():
        assert samples[("motcua_outbox_entries", frozenset({("state", state)}))] == count
    assert stats.counts["queued"] + stats.counts["failed_retryable"] == 2
    sent = {e.procedure_code for e in outbox.list(states=["sent"])}
    assert sent == {"1.001193", "2.000815"}
    for procedure in sent:
        n = sum(1 for e in outbox.list(states=["sent"]) if e.procedure_code == procedure)
        key = frozenset({("procedure", procedure), ("outcome", "sent")})
        assert samples[("motcua_submissions_total", key)] == n
    refused = frozenset({("procedure", "1.001193"), ("outcome", "needs_attention")})
    assert samples[("motcua_submissions_total", refused)] == stats.counts["needs_attention"] == 1
    assert samples[("motcua_errors_total", frozenset({("class", "PortalUnreachable")}))] == 1
    assert samples[("motcua_errors_total", frozenset({("class", "PortalRejected")}))] == 1
    age = samples[("motcua_outbox_oldest_queued_age_seconds", frozenset())]
    assert 0 <= age <= outbox.stats().oldest_queued_age_s + 1
    assert samples[("motcua_device_up", frozenset({("device", "camera")}))] == 0
    assert samples[("motcua_device_up", frozenset({("device", "card_reader")}))] == 1
    assert samples[("motcua_portal_up", frozenset())] == 0
    assert samples[("motcua_circuit_breaker_open", frozenset())] == 0
    last = samples[("motcua_last_successful_sync_timestamp_seconds", frozenset())]
    assert last == pytest.approx(max(e.sent_at for e in outbox.list(states=["sent"])), abs=1)
    assert samples[("motcua_audit_last_seq", frozenset())] == 1
    assert samples[("motcua_outbox_readable", frozenset())] == 1


def test_breaker_open_and_portal_latency(rig: dict[str, Any]) -> None:
    outbox, engine, metrics = rig["outbox"], rig["engine"], rig["metrics"]
    metrics.record_portal_health(True, 0.042)
    rig["portal"].stop()
    for _ in range(6):
        outbox.enqueue("1.001193", payload())
    for _ in range(8):
        if engine.stats().breaker == "open":
            break
        outbox.make_due_now()
        engine.step()
    samples = scrape(rig)
    assert samples[("motcua_circuit_breaker_open", frozenset())] == 1
    assert samples[("motcua_portal_latency_seconds", frozenset())] == pytest.approx(0.042)
    status, ctype, body = get(rig["server"].url + "/health")
    doc = json.loads(body)
    assert status == 200 and ctype == "application/json"
    assert doc["status"] == "degraded" and "breaker_open" in doc["problems"]
    assert doc["outbox"]["counts"] == outbox.stats().counts


def test_health_ok_then_down_when_the_outbox_cannot_be_read(rig: dict[str, Any]) -> None:
    status, _, body = get(rig["server"].url + "/health")
    assert status == 200 and json.loads(body)["status"] == "ok"
    rig["outbox"].close()          # a closed connection: stats() raises
    status, _, body = get(rig["server"].url + "/health")
    assert status == 503 and json.loads(body)["status"] == "down"
    samples = scrape(rig)
    assert samples[("motcua_outbox_readable", frozenset())] == 0
    assert get(rig["server"].url + "/nope")[0] == 404


def test_label_values_are_escaped_and_error_classes_bounded() -> None:
    metrics = KioskMetrics(lambda: None)
    metrics.record_submission('we"ird\\proc\n', "sent")
    text = metrics.render()
    assert 'procedure="we\\"ird\\\\proc\\n"' in text
    parse(text)
    assert error_class("PortalTimeout: no answer") == "PortalTimeout"
    assert error_class("079195012345 leaked?") == "Other"
    assert error_class(None) == "Other"


def test_port_in_use_is_explained(rig: dict[str, Any]) -> None:
    taken = rig["server"].port
    with pytest.raises(OSError, match="ops.metrics_port"):
        MetricsServer(rig["metrics"], "127.0.0.1", taken).start()


def test_operations_wiring_starts_and_stops_everything(tmp_path: Path) -> None:
    from devices.card import ReaderAdded, ReaderRemoved
    from kiosk.domain.config import load_config
    from kiosk.services.ops.audit import verify
    from kiosk.domain.ops_settings import OpsSection
    from kiosk.services.ops.wiring import Operations

    config = load_config(env={}, overrides={"store.data_dir": str(tmp_path)})
    with Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key") as outbox, \
            PortalClient("http://127.0.0.1:9", TOKEN, connect_timeout=0.5, read_timeout=0.5) as c:
        ops = Operations.start(config, SyncEngine(outbox, c), outbox, ops=OpsSection(metrics_port=0))
        try:
            assert ops.server is not None
            ops.on_reader_event(ReaderAdded("ACS ACR39U"))
            samples = scrape({"server": ops.server})
            assert samples[("motcua_device_up", frozenset({("device", "card_reader")}))] == 1
            ops.on_reader_event(ReaderRemoved("ACS ACR39U"))
            samples = scrape({"server": ops.server})
            assert samples[("motcua_device_up", frozenset({("device", "card_reader")}))] == 0
            assert samples[("motcua_audit_last_seq", frozenset())] == 1  # kiosk.start
        finally:
            ops.close()
            ops.close()
    result = verify(tmp_path / "audit.jsonl")
    assert result.ok and result.lines == 2


def test_sample_alert_rules_use_only_exported_metric_names(rig: dict[str, Any]) -> None:
    rig["metrics"].record_portal_health(True, 0.01)
    rig["metrics"].record_sync_success()
    rig["metrics"].set_device("camera", True)
    rig["metrics"].record_error("PortalTimeout")
    rig["metrics"].record_submission("1.001193", "sent")
    exported = {name for name, _ in scrape(rig)}
    rules = (Path(__file__).parents[3] / "deploy" / "prometheus-alerts.yml").read_text()
    used = set(re.findall(r"\bmotcua_[a-z_]+", rules))
    assert used and used <= exported, used - exported
    assert {"motcua_outbox_entries", "motcua_outbox_oldest_queued_age_seconds",
            "motcua_portal_up", "motcua_device_up", "motcua_circuit_breaker_open"} <= used


def test_device_probes_are_asked_at_each_scrape_and_a_failing_probe_is_down():
    from kiosk.services.ops.metrics import KioskMetrics

    class Stats:
        counts: dict = {}
        oldest_queued_age_s = None
        breaker = "closed"

    metrics = KioskMetrics(lambda: Stats(), clock=lambda: 1.0, kiosk_id="K1")
    working = [True]
    metrics.add_device_probe("camera", lambda: working[0])
    metrics.add_device_probe("broken", lambda: 1 / 0)
    assert 'motcua_device_up{device="camera"} 1' in metrics.render()
    assert 'motcua_device_up{device="broken"} 0' in metrics.render()
    working[0] = False
    assert 'motcua_device_up{device="camera"} 0' in metrics.render()
    assert metrics.health()[1]["devices"] == {"broken": False, "camera": False}
