"""Fleet metrics in the Prometheus text format, and a JSON health document, on a local port.

Why hand-written exposition instead of ``prometheus_client``: ten metrics, one text format, and the
same tiny server must also answer ``/health`` as JSON; the library's process-global registry and
its own server would add a dependency without removing code. The format written here is the text
exposition format 0.0.4 (HELP/TYPE lines, escaped label values).

Values are read when scraped: queue depth, oldest age and the breaker come from
``SyncEngine.stats()`` (one cheap query on trigger-maintained counts). Counters (submissions,
errors) and the last successful sync come from the engine's state-change events (``attach``);
device and portal gauges are set by whoever watches them (``set_device``,
``record_portal_health``). No label carries personal data: procedure codes, device names, error
class names, all from bounded sets.

Errors: ``MetricsServer.start`` raises ``OSError`` when the port is taken; the message says which.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from kiosk.portal.serving import QuietServing

log = logging.getLogger(__name__)

__all__ = ["KioskMetrics", "MetricsServer", "error_class"]

_CLASS = re.compile(r"([A-Z][A-Za-z0-9_]{0,47})\b")
_STATES = ("queued", "sending", "sent", "failed_retryable", "needs_attention")
#: The relay's configuration alarms (offline_store.failures.alarm_for).
ALARMS = ("misrouted", "refused", "config")


def error_class(text: str | None) -> str:
    """The exception class at the start of an outbox error text ("PortalTimeout: ..."), bounded."""
    match = _CLASS.match(text or "")
    return match[1] if match else "Other"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _sample(name: str, value: float, labels: dict[str, str] | None = None) -> str:
    text = ",".join(f'{k}="{_escape(str(v))}"' for k, v in (labels or {}).items())
    number = "NaN" if value != value else repr(float(value))
    return f"{name}{{{text}}} {number}" if text else f"{name} {number}"


class KioskMetrics:
    """Thread-safe metric values; ``render()`` reads the live outbox state."""

    def __init__(self, stats: Callable[[], Any], *, clock: Callable[[], float] = time.time,
                 kiosk_id: str = "", version: str = "",
                 audit_seq: Callable[[], int] | None = None) -> None:
        self._stats = stats
        self._clock = clock
        self._kiosk_id = kiosk_id
        self._version = version
        self._audit_seq = audit_seq
        self._lock = threading.Lock()
        self._submissions: dict[tuple[str, str], int] = {}
        self._errors: dict[str, int] = {}
        self._devices: dict[str, bool] = {}
        self._state_words: dict[str, str] = {}
        self._probes: dict[str, Callable[[], bool]] = {}
        self._portal_up: bool | None = None
        self._portal_latency_s: float | None = None
        self._last_sync: float | None = None
        self._help_requested = False  # a citizen called staff ("Call staff")
        self._help_calls = 0
        self._ratings: dict[int, int] = {}  # satisfaction score -> count (no personal data)

    # -- recording (any thread) ------------------------------------------------------------------

    def record_submission(self, procedure: str, outcome: str) -> None:
        with self._lock:
            key = (procedure, outcome)
            self._submissions[key] = self._submissions.get(key, 0) + 1

    def record_error(self, error_class_name: str) -> None:
        with self._lock:
            self._errors[error_class_name] = self._errors.get(error_class_name, 0) + 1

    def set_device(self, device: str, up: bool) -> None:
        with self._lock:
            self._devices[device] = bool(up)

    def set_help_requested(self, requested: bool) -> None:
        """A citizen called staff (True) or the call was withdrawn or answered (False)."""
        with self._lock:
            if requested and not self._help_requested:
                self._help_calls += 1
            self._help_requested = bool(requested)

    def record_rating(self, score: int) -> None:
        with self._lock:
            self._ratings[score] = self._ratings.get(score, 0) + 1

    def set_device_state(self, device: str, state: str) -> None:
        """Why a device is up or down, in one word from a bounded set (for the receipt printer:
        ready, paper_low, paper_out, cover_open, cutter_error, error, offline, no_answer,
        unreachable)."""
        with self._lock:
            self._state_words[device] = state

    def add_device_probe(self, device: str, probe: Callable[[], bool]) -> None:
        """``probe`` says whether ``device`` works, asked at each scrape (so it must be cheap and
        safe from any thread: e.g. reading the camera's last capture error); raising means down."""
        with self._lock:
            self._probes[device] = probe

    def _device_states(self) -> dict[str, bool]:
        """The devices set by events plus the probed ones (called with the lock held)."""
        states = dict(self._devices)
        for device, probe in self._probes.items():
            try:
                states[device] = bool(probe())
            except Exception:  # noqa: BLE001 - a probe that fails reports its device down
                states[device] = False
        return states

    def record_portal_health(self, ok: bool, latency_s: float | None = None) -> None:
        with self._lock:
            self._portal_up = bool(ok)
            if latency_s is not None:
                self._portal_latency_s = latency_s

    def record_sync_success(self, when: float | None = None) -> None:
        with self._lock:
            self._last_sync = self._clock() if when is None else when

    def attach(self, engine: Any, outbox: Any) -> Callable[[], None]:
        """Count the relay's outcomes; returns a function that detaches. The last successful sync
        starts from the newest sent entry, so a restart does not look like a stall."""
        sent = outbox.list(states=["sent"], limit=1)
        if sent and sent[0].sent_at is not None:
            self.record_sync_success(sent[0].sent_at)

        def on_change(entry_id: int, state: str) -> None:
            if state not in ("sent", "needs_attention", "failed_retryable"):
                return
            entry = outbox.get(entry_id)
            if state == "sent":
                self.record_submission(entry.procedure_code, "sent")
                self.record_sync_success()
                self.record_portal_health(True)
            elif state == "needs_attention":
                self.record_submission(entry.procedure_code, "needs_attention")
                self.record_error(error_class(entry.last_error))
            else:
                self.record_error(error_class(entry.last_error))

        def on_health(snapshot: Any, failed: bool) -> None:
            if failed:
                self.record_portal_health(False)
            elif getattr(getattr(snapshot, "state", None), "value", "") == "closed":
                self.record_portal_health(True)

        unsubscribes = [engine.subscribe(on_change), engine.subscribe_health(on_health)]

        def detach() -> None:
            for unsubscribe in unsubscribes:
                unsubscribe()

        return detach

    # -- reading ---------------------------------------------------------------------------------

    def _outbox_stats(self) -> Any | None:
        try:
            return self._stats()
        except Exception as exc:  # noqa: BLE001 - a busy store must not break the scrape
            log.warning("metrics: outbox stats unavailable (%s)", type(exc).__name__)
            return None

    def render(self) -> str:
        stats = self._outbox_stats()
        with self._lock:
            lines = self._render_outbox(stats) + self._render_recorded()
        return "\n".join(lines) + "\n"

    def _render_outbox(self, stats: Any | None) -> list[str]:
        out = _family("motcua_outbox_readable", "gauge", "1 if the outbox could be read")
        out.append(_sample("motcua_outbox_readable", 0 if stats is None else 1))
        if stats is None:
            return out
        out += _family("motcua_outbox_entries", "gauge", "Outbox entries by state")
        out += [_sample("motcua_outbox_entries", stats.counts.get(s, 0), {"state": s})
                for s in _STATES]
        out += _family("motcua_outbox_oldest_queued_age_seconds", "gauge",
                       "Age of the oldest unsent entry (0 when none)")
        out.append(_sample("motcua_outbox_oldest_queued_age_seconds",
                           stats.oldest_queued_age_s or 0.0))
        out += _family("motcua_circuit_breaker_open", "gauge",
                       "1 while the relay's circuit breaker is open (portal considered down)")
        out.append(_sample("motcua_circuit_breaker_open", 1 if stats.breaker == "open" else 0))
        out += _family("motcua_outbox_stuck_entries", "gauge",
                       "Unsent entries whose state has not changed for sync.stuck_after_s")
        out.append(_sample("motcua_outbox_stuck_entries", getattr(stats, "stuck", 0)))
        out += _family("motcua_outbox_lost_entries", "gauge",
                       "Entries a damaged outbox lost that staff have not dealt with yet")
        out.append(_sample("motcua_outbox_lost_entries", getattr(stats, "lost", 0)))
        alarm = getattr(stats, "alarm", None)
        out += _family("motcua_portal_config_alarm", "gauge",
                       "1 while the path to the portal is wrong (reason: misrouted = answers not "
                       "from the portal's API, refused = credential refused, config)")
        out += [_sample("motcua_portal_config_alarm", int(alarm == reason), {"reason": reason})
                for reason in ALARMS]
        anchor = getattr(stats, "audit_anchor", None)
        out += _family("motcua_audit_anchor_refused", "gauge",
                       "1 once the portal refused this kiosk's audit head (the log was cut or "
                       "rewritten)")
        out.append(_sample("motcua_audit_anchor_refused", int(anchor is not None)))
        return out

    def _render_recorded(self) -> list[str]:
        out = _family("motcua_info", "gauge", "Kiosk identity (always 1)")
        out.append(_sample("motcua_info", 1, {"kiosk_id": self._kiosk_id, "version": self._version}))
        out += _family("motcua_submissions_total", "counter",
                       "Submissions decided by the relay, by procedure and outcome")
        out += [_sample("motcua_submissions_total", n, {"procedure": p, "outcome": o})
                for (p, o), n in sorted(self._submissions.items())]
        out += _family("motcua_errors_total", "counter", "Failed attempts by error class")
        out += [_sample("motcua_errors_total", n, {"class": c}) for c, n in sorted(self._errors.items())]
        out += _family("motcua_device_up", "gauge", "1 if the device is present and working")
        out += [_sample("motcua_device_up", int(up), {"device": d})
                for d, up in sorted(self._device_states().items())]
        out += _family("motcua_device_state", "gauge",
                       "1 for the device's current state (why it is up or down)")
        out += [_sample("motcua_device_state", 1, {"device": d, "state": s})
                for d, s in sorted(self._state_words.items())]
        out += _family("motcua_help_requested", "gauge",
                       "1 while a citizen at the kiosk has called staff and nobody answered yet")
        out.append(_sample("motcua_help_requested", int(self._help_requested)))
        out += _family("motcua_help_calls_total", "counter", "Calls for staff by citizens")
        out.append(_sample("motcua_help_calls_total", self._help_calls))
        out += _family("motcua_ratings_total", "counter",
                       "Satisfaction ratings by score (3 very satisfied, 2 satisfied, 1 not)")
        out += [_sample("motcua_ratings_total", n, {"score": str(score)})
                for score, n in sorted(self._ratings.items())]
        out += self._render_portal()
        if self._audit_seq is not None:
            out += _family("motcua_audit_last_seq", "gauge", "Sequence number of the last audit line")
            out.append(_sample("motcua_audit_last_seq", self._audit_seq()))
        return out

    def _render_portal(self) -> list[str]:
        out: list[str] = []
        if self._portal_up is not None:
            out += _family("motcua_portal_up", "gauge", "1 if the portal answered its last check")
            out.append(_sample("motcua_portal_up", int(self._portal_up)))
        if self._portal_latency_s is not None:
            out += _family("motcua_portal_latency_seconds", "gauge", "Last portal health latency")
            out.append(_sample("motcua_portal_latency_seconds", self._portal_latency_s))
        if self._last_sync is not None:
            out += _family("motcua_last_successful_sync_timestamp_seconds", "gauge",
                           "Unix time of the last submission the portal accepted")
            out.append(_sample("motcua_last_successful_sync_timestamp_seconds", self._last_sync))
        return out

    def health(self) -> tuple[int, dict[str, Any]]:
        """(HTTP status, document): 200 ok/degraded, 503 when the outbox cannot be read."""
        stats = self._outbox_stats()
        with self._lock:
            doc: dict[str, Any] = {
                "kiosk_id": self._kiosk_id, "time": self._clock(), "devices": self._device_states(),
                "device_states": dict(self._state_words),
                "portal_up": self._portal_up, "portal_latency_s": self._portal_latency_s,
                "last_successful_sync": self._last_sync,
            }
        if stats is None:
            return 503, {**doc, "status": "down", "reason": "the outbox cannot be read"}
        doc["outbox"] = {"counts": stats.counts, "oldest_queued_age_s": stats.oldest_queued_age_s,
                         "breaker": stats.breaker}
        alarm = getattr(stats, "alarm", None)
        doc["outbox"].update(stuck=getattr(stats, "stuck", 0), lost=getattr(stats, "lost", 0),
                             alarm=alarm)
        problems = [name for name, bad in (
            ("breaker_open", stats.breaker == "open"), ("portal_down", doc["portal_up"] is False),
            ("device_down", not all(doc["devices"].values())),
            ("needs_attention", stats.counts.get("needs_attention", 0) > 0),
            ("stuck", getattr(stats, "stuck", 0) > 0), ("lost", getattr(stats, "lost", 0) > 0),
            (f"portal_{alarm}", alarm is not None)) if bad]
        return 200, {**doc, "status": "degraded" if problems else "ok", "problems": problems}


def _family(name: str, kind: str, help_text: str) -> list[str]:
    return [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    timeout = 5.0

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        path = self.path.split("?", 1)[0]
        if path == "/metrics":
            body = self.server.metrics.render().encode()
            self._send(200, "text/plain; version=0.0.4; charset=utf-8", body)
        elif path == "/health":
            status, doc = self.server.metrics.health()
            self._send(status, "application/json", json.dumps(doc).encode())
        else:
            self._send(404, "text/plain; charset=utf-8", b"try /metrics or /health\n")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        log.debug("metrics: " + format, *args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = True  # server_close() joins the request threads

    def __init__(self, address: tuple[str, int], metrics: KioskMetrics) -> None:
        self.metrics = metrics
        super().__init__(address, _Handler)


class MetricsServer:
    """Serves ``/metrics`` and ``/health``; ``start()`` returns once it is listening."""

    def __init__(self, metrics: KioskMetrics, host: str = "127.0.0.1", port: int = 9808) -> None:
        self._metrics = metrics
        self._address = (host, port)
        self._server: _Server | None = None
        self._serving: QuietServing | None = None

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("metrics server not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://{self._address[0]}:{self.port}"

    def start(self) -> str:
        try:
            self._server = _Server(self._address, self._metrics)
        except OSError as exc:
            raise OSError(exc.errno, f"cannot serve metrics on {self._address[0]}:"
                          f"{self._address[1]} ({exc.strerror}); set ops.metrics_port") from None
        self._serving = QuietServing(self._server, "metrics-http")
        self._serving.start()
        return self.url

    def stop(self, timeout: float = 5.0) -> None:
        server, serving = self._server, self._serving
        if server is None or serving is None:
            return
        serving.stop(timeout)
        server.server_close()
        self._server = self._serving = None

    def __enter__(self) -> MetricsServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
