"""`kiosk doctor` on the scanner and the ESC/POS printer, against their virtual twins: a scanner on
a pty, a network printer (the virtual printer over TCP) with paper, without, and switched off.
`kiosk devices list` with the kinds it lists and the devices the config uses."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from devices.inventory import Attached, attached_devices
from devices.printer.virtual import VirtualPrinterServer
from kiosk.domain.config import load_config
from kiosk.app.doctor import DoctorContext, Status
from kiosk.app.doctor_devices import check_escpos, check_scanner


def context(tmp_path: Path, **overrides: object) -> DoctorContext:
    config = load_config(env={}, overrides={"store.data_dir": str(tmp_path), **overrides})
    return DoctorContext(config, subprocess_timeout_s=30.0)


@pytest.fixture
def printer(tmp_path):
    server = VirtualPrinterServer(out_dir=tmp_path / "slips")
    server.start()
    yield server
    server.stop()


def test_a_ready_network_printer_passes(tmp_path, printer):
    result = check_escpos(context(tmp_path, **{"devices.escpos_printer": printer.connection}))
    assert result.status is Status.PASS and "ready" in result.message
    assert printer.roll.pages == []  # asked, never printed on


def test_a_printer_out_of_paper_fails_and_says_so(tmp_path, printer):
    printer.roll.set_conditions(paper_out=True)
    result = check_escpos(context(tmp_path, **{"devices.escpos_printer": printer.connection}))
    assert result.status is Status.FAIL and "out of paper" in result.message
    assert result.details == {"state": "paper_out"}


def test_a_printer_switched_off_fails_with_a_fix(tmp_path, printer):
    printer.unplug()
    result = check_escpos(context(tmp_path, **{"devices.escpos_printer": printer.connection}))
    assert result.status is Status.FAIL and "could not be opened" in result.message
    assert "devices.escpos_printer" in result.fix


def test_no_or_virtual_escpos_printer(tmp_path):
    assert check_escpos(context(tmp_path)).status is Status.PASS
    assert check_escpos(context(tmp_path, **{"devices.escpos_printer": "virtual"})
                                 ).status is Status.WARN


def test_a_serial_scanner_that_is_there_passes_and_one_that_is_not_fails(tmp_path):
    master, slave = os.openpty()
    try:
        path = os.ttyname(slave)
        ok = check_scanner(context(tmp_path, **{"devices.scanner": "serial",
                                                "devices.scanner_device": path}))
        assert ok.status is Status.PASS and path in ok.message
    finally:
        os.close(slave)
        os.close(master)
    missing = check_scanner(context(tmp_path, **{"devices.scanner": "serial",
                                                 "devices.scanner_device": "/dev/ttyACM97"}))
    assert missing.status is Status.FAIL and "ScannerNotFound" in missing.message
    assert "dialout" in missing.fix


def test_the_virtual_scanner_and_none(tmp_path):
    assert check_scanner(context(tmp_path)).status is Status.WARN
    assert check_scanner(context(tmp_path, **{"devices.scanner": "none"})).status is Status.PASS


def test_devices_list_marks_what_the_config_uses(tmp_path):
    config = load_config(env={}, overrides={
        "devices.scanner": "serial", "devices.scanner_usb_id": "0C2E:0B61",
        "devices.escpos_printer": "usb:/dev/usb/lp0", "devices.camera": "opencv"})
    probes = {
        "serial": lambda: [Attached("serial", "/dev/ttyACM0", "Honeywell", "0c2e:0b61"),
                           Attached("serial", "/dev/ttyS0")],
        "printer": lambda: [Attached("printer", "/dev/usb/lp0")],
        "camera": lambda: [Attached("camera", "/dev/video0", "USB camera")],
        "card_reader": lambda: (_ for _ in ()).throw(TimeoutError("pcscd did not answer")),
    }
    items, notes = attached_devices(config.devices, probes)
    used = {i.node: i.used_by for i in items}
    assert used["/dev/ttyACM0"] == "scanner (serial)" and used["/dev/ttyS0"] == ""
    assert used["/dev/usb/lp0"] == "receipt printer (escpos)"
    assert used["/dev/video0"] == "camera (opencv)"
    assert used["virtual"] == "card reader (virtual)"
    assert notes == {"card_reader": "TimeoutError: pcscd did not answer"}


def test_devices_list_command_prints_json(tmp_path, capsys):
    from kiosk.app.cli import main

    assert main(["devices", "list", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    kinds = {d["kind"] for d in doc["devices"]}
    assert {"scanner", "camera", "card_reader"} <= kinds and isinstance(doc["notes"], dict)
