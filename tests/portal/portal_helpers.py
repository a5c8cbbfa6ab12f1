"""Helpers shared by the portal tests (payloads, keys, a hand-moved clock)."""

from __future__ import annotations

import copy
import uuid
from datetime import datetime
from pathlib import Path

PROCEDURES = Path(__file__).parent / "fixtures" / "procedures"
TOKEN = "test-token-123"

BASE_PAYLOAD = {
    "unit_code": "H12.22.10",
    "kiosk_id": "KIOSK-DEMO-01",
    "procedure_code": "1.001193",
    "applicant": {"id_number": "079195012345", "full_name": "Trần Thị Minh Anh",
                  "date_of_birth": "1995-03-14", "sex": "F", "residence": "Phường 1, Quận 3",
                  "identified_by": "chip"},
    "form": {"phone": "0912345678", "copies": 1},
    "submitted_at": "2026-11-27T09:30:00+07:00",
}


def make_payload(**changes: object) -> dict:
    payload = copy.deepcopy(BASE_PAYLOAD)
    payload.update(changes)
    return payload


def new_key() -> str:
    return str(uuid.uuid4())


class FakeClock:
    """Epoch seconds that tests move by hand."""

    def __init__(self, iso: str = "2026-11-27T09:30:00+07:00") -> None:
        self.now = datetime.fromisoformat(iso).timestamp()

    def set(self, iso: str) -> None:
        self.now = datetime.fromisoformat(iso).timestamp()

    def __call__(self) -> float:
        return self.now
