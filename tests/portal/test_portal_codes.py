"""Dossier codes: format, per-unit per-day sequence, Vietnam-time day rollover; header parsing."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, UTC

from hypothesis import given
from hypothesis import strategies as st
from portal_helpers import FakeClock, make_payload, new_key

from kiosk.portal.client import PortalClient, parse_retry_after
from kiosk.domain.codes import format_dossier_code, is_dossier_code
from kiosk.portal.embedded import EmbeddedPortal


def test_codes_follow_circular_01_2018_and_count_per_unit(client: PortalClient) -> None:
    codes = [client.submit_dossier(make_payload(), new_key()).code for _ in range(3)]
    assert codes == ["H12.22.10-261127-0001", "H12.22.10-261127-0002", "H12.22.10-261127-0003"]
    other = client.submit_dossier(make_payload(unit_code="000.00.01.H12"), new_key())
    assert other.code == "000.00.01.H12-261127-0001"
    assert re.fullmatch(r"[A-Z0-9][A-Z0-9.]{0,31}-\d{6}-\d{4}", other.code)
    assert other.received_at == "2026-11-27T09:30:00+07:00"


def test_day_rolls_over_at_midnight_vietnam_time(client: PortalClient, clock: FakeClock) -> None:
    clock.set("2026-11-27T23:59:59+07:00")
    assert client.submit_dossier(make_payload(), new_key()).code.endswith("-261127-0001")
    assert client.submit_dossier(make_payload(), new_key()).code.endswith("-261127-0002")
    # 17:00 UTC is already the next day in Vietnam (UTC+7): the sequence starts again.
    clock.set("2026-11-27T17:00:00+00:00")
    first_next_day = client.submit_dossier(make_payload(), new_key())
    assert first_next_day.code == "H12.22.10-261128-0001"
    assert first_next_day.received_at == "2026-11-28T00:00:00+07:00"
    clock.set("2026-11-27T23:59:59+07:00")  # a late dossier for yesterday continues yesterday's count
    assert client.submit_dossier(make_payload(), new_key()).code.endswith("-261127-0003")


def test_health_reports_portal_time(client: PortalClient, clock: FakeClock) -> None:
    health = client.health()
    assert health.ok and health.latency_ms >= 0
    assert health.portal_time == "2026-11-27T09:30:00+07:00"


def test_procedures_lists_valid_files_only(client: PortalClient) -> None:
    procs = client.procedures()
    assert [p["code"] for p in procs] == ["1.001193", "1.004194"]
    assert procs[0] == {"code": "1.001193", "name": {"vi": "Đăng ký khai sinh", "en": "Birth registration"},
                        "category": "civil_status"}


def test_bundled_procedures_are_served(tmp_path) -> None:
    from kiosk.domain import paths

    with EmbeddedPortal(tmp_path / "p.sqlite3", token=None) as portal, PortalClient(portal.url, "x") as c:
        served = {p["code"] for p in c.procedures()}
    on_disk = list(paths.PROCEDURES_DIR.glob("*.json"))
    assert len(served) == len(on_disk)


@given(unit=st.from_regex(r"[A-Z0-9][A-Z0-9.]{0,31}", fullmatch=True),
       day=st.dates(date(2000, 1, 1), date(2099, 12, 31)), seq=st.integers(1, 999_999))
def test_formatted_codes_are_recognised(unit: str, day: date, seq: int) -> None:
    assert is_dossier_code(format_dossier_code(unit, day, seq))


@given(st.text(max_size=60))
def test_code_recogniser_never_crashes(text: str) -> None:
    result = is_dossier_code(text)
    if result:
        assert re.fullmatch(r"[A-Z0-9][A-Z0-9.]{0,31}-\d{6}-\d{4,6}", text)


def test_code_recogniser_rejects_impossible_dates_and_zero_sequence() -> None:
    assert not is_dossier_code("H12-261332-0001")
    assert not is_dossier_code("H12-261127-0000")
    assert not is_dossier_code("h12-261127-0001")
    assert is_dossier_code("H12-240229-0001")


def test_retry_after_seconds_and_http_date() -> None:
    now = datetime(2026, 11, 27, 4, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7", now) == 7.0
    assert parse_retry_after("Fri, 27 Nov 2026 04:00:30 GMT", now) == 30.0
    assert parse_retry_after("Fri, 27 Nov 2026 03:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None
    assert parse_retry_after("99999999999", now) == 24 * 3600.0


@given(st.text(max_size=80))
def test_retry_after_never_crashes(value: str) -> None:
    result = parse_retry_after(value, datetime(2026, 1, 1, tzinfo=UTC))
    assert result is None or 0.0 <= result <= 24 * 3600.0


@given(st.datetimes(datetime(1990, 1, 1), datetime(2090, 1, 1), timezones=st.just(UTC)))
def test_retry_after_http_date_round_trip(when: datetime) -> None:
    from email.utils import format_datetime

    when = when.replace(microsecond=0)
    now = datetime(2040, 1, 1, tzinfo=UTC)
    expected = min(max((when - now).total_seconds(), 0.0), 24 * 3600.0)
    assert parse_retry_after(format_datetime(when, usegmt=True), now) == expected
    assert timedelta(seconds=expected) >= timedelta(0)
