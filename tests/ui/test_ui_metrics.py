"""The metrics endpoint of a running kiosk (the ops wiring's server, started by Services as `kiosk
run` starts it) scraped over HTTP during and after journeys through the real window: every
documented metric name is served, and the values match the real outbox; with the portal down, the
second application shows as waiting with an age."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from kiosk.domain.flow import Step
from test_ui_journey import (CRIMINAL_RECORD, choose, click, fill_criminal_record_rest,
                             identify_with_card, submit_from_review)
from tests.services.ops.test_metrics import get, parse
from ui_helpers import finish_form, make_config, wait_step

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints", "pipewire")]

DOCS = Path(__file__).resolve().parents[2] / "docs" / "operations.md"
STATES = ("queued", "sending", "sent", "failed_retryable", "needs_attention")
UNSENT = ("queued", "sending", "failed_retryable")
#: served once the window's connection check (ConnectionMonitor) has measured it
LATENCY = "motcua_portal_latency_seconds"


@pytest.fixture
def kiosk_config(tmp_path):
    return make_config(tmp_path, **{"ops.metrics_enabled": True, "ops.metrics_host": "127.0.0.1",
                                    "ops.metrics_port": 0})


def documented_names() -> list[str]:
    rows = re.findall(r"^\| `(motcua_[a-z_]+)` \|", DOCS.read_text(encoding="utf-8"), re.M)
    assert len(rows) >= 10, "the metrics table in docs/operations.md moved"
    return rows


def scrape(services) -> tuple[dict, set[str]]:
    """(samples, families with a TYPE line) from /metrics on the kiosk's own server."""
    status, ctype, text = get(services.ops.server.url + "/metrics")
    assert status == 200 and ctype.startswith("text/plain; version=0.0.4")
    families = set(re.findall(r"^# TYPE (\S+) ", text, re.M))
    return parse(text), families


def health(services) -> tuple[int, dict]:
    status, ctype, text = get(services.ops.server.url + "/health")
    assert ctype == "application/json"
    return status, json.loads(text)


def entries(samples: dict) -> dict[str, float]:
    return {state: samples[("motcua_outbox_entries", frozenset({("state", state)}))]
            for state in STATES}


def settled(qtbot, services) -> tuple[dict, dict]:
    """A scrape and a /health taken while the outbox held still (the relay retries on its own
    thread): both agree with ``outbox.stats()`` read before and after them."""
    result: list = []

    def agree() -> bool:
        before = services.outbox.stats().counts
        samples, _ = scrape(services)
        _, doc = health(services)
        after = services.outbox.stats().counts
        counts = {state: float(before.get(state, 0)) for state in STATES}
        if before != after or entries(samples) != counts or doc["outbox"]["counts"] != after:
            return False
        result[:] = [samples, doc]
        return True

    qtbot.waitUntil(agree, timeout=15_000)
    return result[0], result[1]


def journey(qtbot, window, services, profile):
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    form = window.screens[Step.FORM]
    fill_criminal_record_rest(qtbot, form)
    assert finish_form(qtbot, window)
    return submit_from_review(qtbot, window)


def test_metrics_follow_the_outbox_through_journeys_sent_and_queued(qtbot, window, services,
                                                                    profile):
    server = services.ops.server
    assert server is not None and server.port != 9808  # the wiring's server, on a free port

    # during the first journey, before anything is submitted
    identify_with_card(qtbot, window, services, profile)
    choose(qtbot, window, CRIMINAL_RECORD)
    samples, families = scrape(services)
    assert entries(samples) == dict.fromkeys(STATES, 0.0)
    assert samples[("motcua_outbox_oldest_queued_age_seconds", frozenset())] == 0.0
    assert samples[("motcua_outbox_readable", frozenset())] == 1.0
    assert samples[("motcua_device_up", frozenset({("device", "card_reader")}))] == 1.0
    assert "motcua_last_successful_sync_timestamp_seconds" not in families  # nothing sent yet
    form = window.screens[Step.FORM]
    fill_criminal_record_rest(qtbot, form)
    assert finish_form(qtbot, window)
    receipt = submit_from_review(qtbot, window)
    assert receipt.status.value == "sent"

    # after it: every documented name, values as in the outbox
    samples, doc = settled(qtbot, services)
    _, families = scrape(services)
    missing = [name for name in documented_names() if name not in families and name != LATENCY]
    assert not missing, f"documented but not served: {missing}"
    sent = services.outbox.list(states=["sent"])
    assert len(sent) == 1 and entries(samples)["sent"] == 1.0
    key = frozenset({("procedure", CRIMINAL_RECORD), ("outcome", "sent")})
    assert samples[("motcua_submissions_total", key)] == 1.0
    last_sync = samples[("motcua_last_successful_sync_timestamp_seconds", frozenset())]
    assert abs(last_sync - sent[0].sent_at) < 5.0
    assert doc["last_successful_sync"] == last_sync
    assert samples[("motcua_portal_up", frozenset())] == 1.0
    assert samples[("motcua_circuit_breaker_open", frozenset())] == 0.0
    assert samples[("motcua_audit_last_seq", frozenset())] == services.ops.audit.last_seq()
    info = [key for name, key in samples if name == "motcua_info"]
    assert dict(info[0])["kiosk_id"] == services.config.kiosk.kiosk_id
    status, doc = health(services)
    assert status == 200 and doc["status"] == "ok" and doc["problems"] == []

    click(qtbot, window.screens[Step.RECEIPT].primary_button)
    wait_step(qtbot, window, Step.WELCOME)
    services.card_reader.remove()

    # the portal goes away: the second application waits on the kiosk
    services.embedded_portal.stop()
    receipt = journey(qtbot, window, services, profile)
    assert receipt.status.value == "queued"
    samples, doc = settled(qtbot, services)
    waiting = {state: n for state, n in entries(samples).items() if state in UNSENT and n}
    assert sum(waiting.values()) == 1.0, waiting  # queued, or retrying after a failed attempt
    assert entries(samples)["sent"] == 1.0 and entries(samples)["needs_attention"] == 0.0
    stats = services.outbox.stats()
    age = samples[("motcua_outbox_oldest_queued_age_seconds", frozenset())]
    assert 0.0 < age <= stats.oldest_queued_age_s + 1.0
    assert doc["outbox"]["oldest_queued_age_s"] > 0.0
    assert samples[("motcua_submissions_total", key)] == 1.0  # the queued one is not counted yet
    assert samples[("motcua_last_successful_sync_timestamp_seconds", frozenset())] == last_sync
    errors = {dict(k)["class"]: v for (name, k), v in samples.items()
              if name == "motcua_errors_total"}
    assert errors.get("PortalUnreachable", 0) >= 1, errors
    qtbot.waitUntil(lambda: scrape(services)[0][("motcua_portal_up", frozenset())] == 0.0,
                    timeout=10_000)
    status, doc = health(services)
    assert status == 200 and doc["status"] == "degraded" and "portal_down" in doc["problems"]
    assert doc["portal_up"] is False


def test_portal_latency_from_the_connection_check_is_served(qtbot, window, services):
    window.monitor.refresh()
    qtbot.waitUntil(lambda: window.header.indicator.status is not None, timeout=10_000)
    qtbot.waitUntil(lambda: LATENCY in scrape(services)[1], timeout=3_000)
    value = scrape(services)[0][(LATENCY, frozenset())]
    assert 0 < value < 10 and window.header.indicator.status.reachable
