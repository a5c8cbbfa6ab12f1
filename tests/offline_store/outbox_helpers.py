"""Shared test helpers for the offline store tests (imported by name; pytest puts this dir on sys.path)."""

from __future__ import annotations

import threading
from datetime import datetime, UTC
from typing import Any

TOKEN = "test-kiosk-token"
NAME = "Trần Thị Minh Anh"
ID_NUMBER = "079195012345"
# 2026-11-27 09:30 in Vietnam (UTC+7).
T0 = datetime(2026, 11, 27, 2, 30, tzinfo=UTC).timestamp()


class FakeClock:
    """A clock the test moves by hand; shared by the outbox and the engine."""

    def __init__(self, now: float = T0) -> None:
        self.now = now
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


def make_payload(i: int = 0, *, name: str = NAME, id_number: str | None = None,
                 procedure_code: str = "1.001193") -> dict[str, Any]:
    return {
        "unit_code": "H12.22.10",
        "kiosk_id": "KIOSK-DEMO-01",
        "procedure_code": procedure_code,
        "applicant": {"id_number": id_number or f"0791950{i:05d}", "full_name": name,
                      "date_of_birth": "1995-03-14", "sex": "F",
                      "residence": "12 Lê Lợi, Phường Bến Nghé", "identified_by": "chip"},
        "form": {"phone": "0912345678", "copies": 1},
        "submitted_at": "2026-11-27T09:30:00+07:00",
    }


def with_documents(i: int = 0, **documents: bytes) -> dict[str, Any]:
    """A temporary-residence (1.004194) payload listing `documents` (field -> bytes) exactly as
    kiosk.domain.flow builds it: each field's answer is its document's SHA-256."""
    from kiosk.domain.attachments import SessionAttachment

    body = make_payload(i, procedure_code="1.004194")
    listed = [SessionAttachment(field, data).describe() for field, data in documents.items()]
    body["form"] = {"phone": "0912345678", **{item["field"]: item["sha256"] for item in listed}}
    body["attachments"] = listed
    return body


class StateLog:
    """Observer that records (entry_id, state) and lets a test wait for a condition on it."""

    def __init__(self) -> None:
        self.events: list[tuple[int, str]] = []
        self._cond = threading.Condition()

    def __call__(self, entry_id: int, state: str) -> None:
        with self._cond:
            self.events.append((entry_id, state))
            self._cond.notify_all()

    def wait_for(self, predicate: Any, timeout: float = 10.0) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: predicate(self.events), timeout)
