"""The accept loop without polling: serves connections, sleeps otherwise, ends when stopped."""

from __future__ import annotations

import http.client
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from kiosk.portal.serving import QuietServing


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        self.send_response(200)
        self.send_header("Content-Length", "5")
        self.end_headers()
        self.wfile.write(b"hello")

    def log_message(self, *args: object) -> None:
        pass


def _get(port: int) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/")
        return connection.getresponse().read()
    finally:
        connection.close()


def test_it_serves_until_stopped_and_stops_without_waiting_a_poll_interval():
    server = HTTPServer(("127.0.0.1", 0), _Hello)
    serving = QuietServing(server, "test-serving")
    serving.start()
    try:
        assert _get(server.server_address[1]) == b"hello"
        assert _get(server.server_address[1]) == b"hello"
    finally:
        assert serving.stop(timeout=10)  # the loop sleeps with no timeout: only the wake ends it
        server.server_close()
    assert not [t for t in threading.enumerate() if t.name == "test-serving"]


def test_a_never_started_loop_stops_cleanly():
    server = HTTPServer(("127.0.0.1", 0), _Hello)
    try:
        assert QuietServing(server, "unused").stop(timeout=1)
    finally:
        server.server_close()
