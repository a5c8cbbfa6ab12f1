"""Logs: JSON lines, rotation, and no personal data over a whole journey's worth of records."""

from __future__ import annotations

import json
import logging
import stat
import threading
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from kiosk.domain.identity import CitizenIdentity, IdSource
from kiosk.services.ops.logs import configure_logging
from kiosk.services.ops.pii import redact
from kiosk.portal.client import PortalClient
from kiosk.portal.embedded import EmbeddedPortal
from offline_store.outbox import Outbox
from offline_store.sync import SyncEngine, StepKind

TOKEN = "test-kiosk-token"
NAME, NAME_ASCII = "Trần Thị Minh Anh", "TRAN THI MINH ANH"
ID_NUMBER, OLD_ID, PHONE = "079195012345", "271234567", "0912345678"
ADDRESS = "12 Lê Lợi, Phường Bến Nghé, Quận 1, TP. Hồ Chí Minh"
EMAIL = "minhanh.tran@example.vn"
SECRETS = [NAME, NAME_ASCII, "Minh Anh", ID_NUMBER, OLD_ID, PHONE, "912345678", "912 345 678",
           "Lê Lợi", "Bến Nghé", "Hồ Chí Minh", EMAIL, "Nguyễn Văn Bình"]


def payload(**form: Any) -> dict[str, Any]:
    return {
        "unit_code": "H12.22.10", "kiosk_id": "KIOSK-DEMO-01", "procedure_code": "1.001193",
        "applicant": {"id_number": ID_NUMBER, "full_name": NAME, "date_of_birth": "1995-03-14",
                      "sex": "F", "residence": ADDRESS, "identified_by": "chip"},
        "form": {"phone": PHONE, "copies": 1, **form},
        "submitted_at": "2026-11-27T09:30:00+07:00",
    }


def _careless_code(log: logging.Logger) -> None:
    """What a hurried developer might write: personal data in messages, args, extras, exceptions."""
    identity = CitizenIdentity(id_number=ID_NUMBER, source=IdSource.CHIP, full_name=NAME,
                               residence=ADDRESS, old_id_number=OLD_ID)
    log.info("card read for %s (%s), old ID %s", NAME, ID_NUMBER, OLD_ID)
    log.info("identity %r name=%s", identity, identity.full_name)
    log.warning("form answers: %s", payload()["form"] | {"email": EMAIL})
    log.info("applicant", extra={"applicant": payload()["applicant"]})
    log.debug("calling citizen back on +84 912 345 678 or 091.234.5678")
    log.info("mrz name %s lives at %s", NAME_ASCII, ADDRESS)
    log.info("father Nguyễn Văn Bình")
    try:
        try:
            raise KeyError(ID_NUMBER)
        except KeyError as inner:
            raise ValueError(f"bad residence {ADDRESS!r} for {NAME}") from inner
    except ValueError:
        log.exception("could not prefill the form for %s", NAME)
    log.error("payload was %s", json.dumps(payload(), ensure_ascii=False))
    log.info("bad format %s %s", NAME)  # noqa: PLE1206 -- a wrong argument count must not leak or crash


@pytest.fixture
def logged(tmp_path: Path):
    setup = configure_logging(tmp_path / "logs" / "kiosk.jsonl", max_bytes=20_000, backup_count=50,
                              level=logging.DEBUG, console=False, excepthooks=True)
    try:
        yield tmp_path / "logs"
    finally:
        setup.close()


def _journey(tmp_path: Path) -> None:
    log = logging.getLogger("kiosk.test_journey")
    portal = EmbeddedPortal(tmp_path / "portal.sqlite3", token=TOKEN)
    portal.start()
    try:
        with Outbox.open(tmp_path / "outbox.sqlite3", tmp_path / "outbox.key") as outbox, \
                PortalClient(portal.url, TOKEN, connect_timeout=2.0, read_timeout=5.0) as client:
            engine = SyncEngine(outbox, client, backoff_base_s=0.01, backoff_cap_s=0.02)
            outbox.enqueue("1.001193", payload())
            assert engine.step().kind is StepKind.SENT
            refused = payload()
            refused["applicant"]["sex"] = "X"                # the portal refuses this one
            outbox.enqueue("1.001193", refused)
            assert engine.step().kind is StepKind.NEEDS_ATTENTION
            _careless_code(log)
            portal.stop()
            outbox.enqueue("1.001193", payload())
            assert engine.step().kind is StepKind.RETRY_SCHEDULED
            worker = threading.Thread(target=lambda: 1 / 0, name="careless-worker")
            worker.start()
            worker.join(timeout=5)
    finally:
        portal.stop()


def test_no_personal_data_in_a_journeys_logs(tmp_path: Path, logged: Path) -> None:
    _journey(tmp_path)
    for handler in logging.getLogger().handlers:
        handler.flush()
    files = sorted(logged.iterdir())
    text = "".join(f.read_text(encoding="utf-8") for f in files)
    records = [json.loads(line) for line in text.splitlines()]
    messages = " | ".join(r["message"] for r in records)
    # the journey really was logged: our lines, the relay's, the uncaught thread error
    assert "could not prefill the form" in messages
    assert "needs staff attention" in messages
    assert any("careless-worker" in r["message"] for r in records)
    assert any("ZeroDivisionError" in r.get("exception", "") for r in records)
    assert any("ValueError" in r.get("exception", "") for r in records)
    for secret in SECRETS:
        assert secret.lower() not in text.lower(), secret
    assert stat.S_IMODE((logged / "kiosk.jsonl").stat().st_mode) == 0o600


def test_rotation_keeps_size_and_count(tmp_path: Path) -> None:
    setup = configure_logging(tmp_path / "k.jsonl", max_bytes=2_000, backup_count=3, console=False)
    try:
        for i in range(200):
            logging.getLogger("kiosk.rot").info("line %d of the rotation test", i)
    finally:
        setup.close()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["k.jsonl", "k.jsonl.1", "k.jsonl.2", "k.jsonl.3"]
    assert all((tmp_path / n).stat().st_size <= 2_000 for n in names)
    last = json.loads((tmp_path / "k.jsonl").read_text().splitlines()[-1])
    assert last["message"] == "line 199 of the rotation test" and last["level"] == "INFO"


def test_close_removes_only_its_handlers(tmp_path: Path) -> None:
    root = logging.getLogger()
    before = list(root.handlers)
    setup = configure_logging(tmp_path / "k.jsonl", console=True)
    assert len(root.handlers) == len(before) + 2
    setup.close()
    assert root.handlers == before


@given(st.from_regex(r"0[35789][0-9]{8}", fullmatch=True),
       st.from_regex(r"0[0-9]{2}[0-9]{9}", fullmatch=True),
       st.sampled_from(["Nguyễn", "Trần", "LÊ", "pham", "Hoàng", "Đỗ", "Võ", "Bùi"]),
       st.lists(st.sampled_from(["Thị", "Văn", "Minh", "ANH", "Hùng", "Lan", "Đức"]),
                min_size=1, max_size=3))
@settings(max_examples=200, deadline=None)
def test_redact_removes_generated_personal_data(phone: str, id_number: str, surname: str,
                                                given_names: list[str]) -> None:
    name = " ".join([surname, *given_names])
    spaced = f"+84 {phone[1:4]} {phone[4:7]} {phone[7:]}"
    text = f"x {name}, id {id_number}; call {phone} / {spaced}; entry 12 state=sent"
    out = redact(text)
    for secret in (name, id_number, phone, spaced, phone[1:]):
        assert secret not in out
    assert "state=sent" in out and out.startswith("x ")


@pytest.mark.parametrize("text", [
    "outbox entry 12: attempt 3 failed (PortalTimeout); retry in 1.5 s",
    "sent Q-261127-0001 as H12.22.10-261127-0001",
    "portal is reachable again: sending resumes",
    "staff NV001 signed in at 2026-11-27T09:30:00+07:00",
])
def test_redact_leaves_operational_text_alone(text: str) -> None:
    assert redact(text) == text
