"""One contract suite for every barcode scanner backend, each against its twin (pty or synthetic
HID events): attach, scan, Vietnamese text, unplug mid-use, plug back, stop."""

from __future__ import annotations

import threading

import pytest
from device_helpers import Recorder

from devices.qr.cccd import CccdQr
from devices.qr.receipt import ReceiptQr, build_receipt_qr
from devices.scanner import Scanned, ScannerAttached, ScannerDetached
from devices.scanner.results import MangledCccd, to_scan_result

CCCD = ("079195012345|025678901|Trần Thị Minh Anh|14031995|Nữ|Số 12 Lê Lợi, Phường Bến Nghé, "
        "Quận 1, Thành phố Hồ Chí Minh|10052021")


def receipt_code() -> str:
    import datetime as dt

    return build_receipt_qr("H12.22.10-261127-0001", "H12.22.10", dt.date(2026, 11, 27))


def started(harness) -> Recorder:
    events = Recorder()
    harness.scanner.subscribe(events)
    harness.scanner.start()
    events.wait_for(lambda e: isinstance(e, ScannerAttached))
    return events


def scans(events: Recorder) -> list[Scanned]:
    return events.of(Scanned)


def test_nothing_before_start(scanner_harness):
    events = Recorder()
    scanner_harness.scanner.subscribe(events)
    assert scanner_harness.scanner.attached is False
    scanner_harness.scanner.stop()  # never started: a no-op
    assert events.items == []


def test_start_reports_the_scanner_on_its_own_thread(scanner_harness):
    events = started(scanner_harness)
    assert scanner_harness.scanner.attached
    assert threading.current_thread().name not in events.threads
    assert scanner_harness.scanner.last_problem == ""


def test_an_ascii_code_arrives_whole_and_classifies(scanner_harness):
    events = started(scanner_harness)
    code = receipt_code()
    scanner_harness.scan(code)
    scanned = events.wait_for(lambda e: isinstance(e, Scanned))
    assert scanned.text == code and scanned.keyboard is scanner_harness.keyboard
    assert code not in repr(scanned)
    result = to_scan_result(scanned)
    assert isinstance(result.payload, ReceiptQr) and result.error is None
    assert result.format.startswith("scanner:")


def test_a_cccd_code_keeps_its_vietnamese_letters_or_is_reported_mangled(scanner_harness):
    events = started(scanner_harness)
    scanner_harness.scan(CCCD)
    result = to_scan_result(events.wait_for(lambda e: isinstance(e, Scanned)))
    if scanner_harness.keyboard:  # a keyboard layout has no key for "ữ": the scanner drops it
        assert isinstance(result.error, MangledCccd) and result.payload is None
        assert result.error.id_number == "079195012345"
        assert "079195012345" not in str(result.error) + repr(result.error)
    else:
        assert isinstance(result.payload, CccdQr)
        assert result.payload.identity.full_name == "Trần Thị Minh Anh"


def test_codes_back_to_back_are_separate_scans(scanner_harness):
    events = started(scanner_harness)
    for n in range(3):
        scanner_harness.scan(f"CODE-{n}")
    events.wait_for(lambda e: isinstance(e, Scanned) and e.text == "CODE-2")
    assert [s.text for s in scans(events)] == ["CODE-0", "CODE-1", "CODE-2"]


def test_unplugged_mid_use_it_is_reported_and_comes_back(scanner_harness):
    events = started(scanner_harness)
    scanner_harness.send_partial("HALF-A-CODE")  # the cable is pulled during a scan
    scanner_harness.unplug()
    detached = events.wait_for(lambda e: isinstance(e, ScannerDetached))
    assert detached.reason and not scanner_harness.scanner.attached
    assert scanner_harness.scanner.last_problem  # staff can see why
    assert scans(events) == []  # half a code is never reported
    scanner_harness.plug()
    events.wait_for(lambda e: len(events.of(ScannerAttached)) >= 2)
    scanner_harness.scan("AFTER-REPLUG")
    events.wait_for(lambda e: isinstance(e, Scanned) and e.text == "AFTER-REPLUG")
    assert [s.text for s in scans(events)] == ["AFTER-REPLUG"]


def test_a_scanner_missing_at_start_is_used_once_plugged_in(scanner_harness):
    scanner_harness.unplug()
    events = Recorder()
    scanner_harness.scanner.subscribe(events)
    scanner_harness.scanner.start()  # never raises for a missing device
    assert not scanner_harness.scanner.attached
    scanner_harness.plug()
    events.wait_for(lambda e: isinstance(e, ScannerAttached))
    scanner_harness.scan("LATE")
    events.wait_for(lambda e: isinstance(e, Scanned) and e.text == "LATE")


def test_stop_ends_reading_promptly_even_while_unplugged(scanner_harness):
    started(scanner_harness)
    scanner_harness.unplug()
    scanner_harness.scanner.stop(timeout=2.0)
    scanner_harness.scanner.stop()  # idempotent
    assert not scanner_harness.scanner.attached


def test_stop_ends_a_waiting_read_at_once(scanner_harness):
    """The reading thread waits for bytes up to the idle wait (seconds) while nothing arrives;
    stop cancels that wait instead of sitting it out (a kiosk's shutdown, a test's teardown)."""
    started(scanner_harness)
    assert scanner_harness.scanner._idle_s > 2.0
    scanner_harness.scanner.stop(timeout=2.0)  # raises ScannerTimeout if it waited the idle wait
    assert not scanner_harness.scanner.attached


def test_a_failing_subscriber_does_not_stop_the_scanner(scanner_harness, caplog):
    def explode(event):
        raise RuntimeError("subscriber bug")

    scanner_harness.scanner.subscribe(explode)
    events = started(scanner_harness)
    scanner_harness.scan("STILL-HERE")
    events.wait_for(lambda e: isinstance(e, Scanned) and e.text == "STILL-HERE")
    assert "subscriber raised" in caplog.text


def test_it_restarts_after_stop(scanner_harness):
    events = started(scanner_harness)
    scanner_harness.scanner.stop()
    assert isinstance(events.items[-1], ScannerDetached)
    scanner_harness.scanner.start()
    events.wait_for(lambda e: len(events.of(ScannerAttached)) >= 2)
    scanner_harness.scan("AGAIN")
    events.wait_for(lambda e: isinstance(e, Scanned) and e.text == "AGAIN")


@pytest.mark.parametrize("name", ["serial", "hidpos", "wedge"])
def test_a_real_backend_needs_a_device(name):
    from devices.scanner import open_scanner

    with pytest.raises(ValueError, match="scanner_device"):
        open_scanner(name)
