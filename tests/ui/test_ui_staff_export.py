"""The staff dashboard's printer line and "Export for manual entry" through the real GUI: a real
needs-attention entry (the embedded portal does not know its procedure), its decrypted data shown
to the signed-in staff member, printed to a 0600 PDF when there is no printer, wiped on close, and
one audit line with the staff ID and local reference only. The print system is the only fake."""

from __future__ import annotations

import stat

import pytest

import ui.staff.dashboard
import ui.staff.manual
from test_ui_journey import click
from test_ui_staff import (PIN, STAFF_ID, UNKNOWN_PROCEDURE, audit_lines, english,  # noqa: F401
                           kiosk_config, sign_in, staff)

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints", "pipewire")]

NAME, ID_NUMBER = "Trần Thị Minh Anh", "079195012345"


class FakePrinterInfo:
    """The print system (no printer can be installed here): ``names`` are the printers."""

    names: list[str] = []

    def __init__(self, name: str = "") -> None:
        self._name = name

    @classmethod
    def defaultPrinter(cls) -> FakePrinterInfo:  # noqa: N802 - Qt API
        return cls(cls.names[0] if cls.names else "")

    @classmethod
    def availablePrinterNames(cls) -> list[str]:  # noqa: N802 - Qt API
        return list(cls.names)

    def isNull(self) -> bool:  # noqa: N802 - Qt API
        return not self._name

    def printerName(self) -> str:  # noqa: N802 - Qt API
        return self._name


@pytest.fixture
def printers(monkeypatch):
    FakePrinterInfo.names = []
    monkeypatch.setattr(ui.staff.dashboard, "QPrinterInfo", FakePrinterInfo)
    monkeypatch.setattr(ui.staff.manual, "QPrinterInfo", FakePrinterInfo)
    return FakePrinterInfo


@pytest.fixture
def stuck_entry(qtbot, services):
    payload = {"unit_code": services.config.kiosk.unit_code,
               "kiosk_id": services.config.kiosk.kiosk_id, "procedure_code": UNKNOWN_PROCEDURE,
               "applicant": {"id_number": ID_NUMBER, "full_name": NAME,
                             "date_of_birth": "1995-03-14", "sex": "F", "identified_by": "chip"},
               "form": {"copies": 2, "purpose": "Xin việc"},
               "submitted_at": "2026-11-27T09:30:00+07:00"}
    entry = services.outbox.enqueue(UNKNOWN_PROCEDURE, payload)
    services.sync_thread.wake()
    qtbot.waitUntil(lambda: services.outbox.get(entry.id).state == "needs_attention",
                    timeout=15_000)
    return entry


def test_dashboard_shows_no_printer_as_pdf_receipts(qtbot, window, services, staff, printers):
    sign_in(qtbot, window)
    text = window.staff_mode.dashboard.values["printer"].text()
    assert text == "no printer configured (receipts are saved as PDF)"


def test_dashboard_ignores_a_printer_that_is_not_configured(qtbot, window, services, staff,
                                                            printers):
    """Receipts go to `devices.printer` only (tests/ui/test_ui_fee_printer.py covers a configured
    one): a system printer nobody chose is not where the citizen's receipt is printed."""
    printers.names = ["Receipt-80"]
    sign_in(qtbot, window)
    text = window.staff_mode.dashboard.values["printer"].text()
    assert text == "no printer configured (receipts are saved as PDF)"
    assert window.staff_mode.dashboard.captions["printer"].text() == "Printer"


def test_export_for_manual_entry_shows_prints_and_wipes_the_sheet(qtbot, window, services, staff,
                                                                  printers, stuck_entry, caplog):
    sign_in(qtbot, window)
    mode = window.staff_mode
    with qtbot.waitSignal(mode.audited, timeout=10_000,
                          check_params_cb=lambda action: action == "outbox.export_manual"):
        click(qtbot, mode.dashboard.export_buttons[stuck_entry.id])
    qtbot.waitUntil(mode.manual.isVisible, timeout=5_000)
    sheet = mode.manual.view.toPlainText()
    for expected in (stuck_entry.local_ref, UNKNOWN_PROCEDURE, NAME, ID_NUMBER, "1995-03-14",
                     "Xin việc", "Full name", "ID number", "copies"):
        assert expected in sheet
    assert NAME not in repr(mode.manual.sheet)

    line = next(line for line in audit_lines(services) if line["action"] == "outbox.export_manual")
    assert (line["actor"], line["target"]) == (STAFF_ID, stuck_entry.local_ref)
    audit_text = services.ops.audit.path.read_text(encoding="utf-8")
    assert NAME not in audit_text and ID_NUMBER not in audit_text
    assert NAME not in caplog.text and ID_NUMBER not in caplog.text

    with qtbot.waitSignal(mode.manual.printed, timeout=10_000) as printed:
        click(qtbot, mode.manual.print_button)
    pdf = mode.manual.last_pdf
    assert printed.args == [str(pdf)]
    assert pdf.parent == services.config.data_path() / "exports"
    assert stat.S_IMODE(pdf.stat().st_mode) == 0o600
    assert pdf.read_bytes().startswith(b"%PDF")
    click(qtbot, mode.manual.print_button)  # a second print never overwrites the first
    assert mode.manual.last_pdf != pdf and pdf.exists()

    click(qtbot, mode.manual.close_button)
    assert not mode.manual.isVisible() and mode.manual.view.toPlainText() == ""
    assert mode.manual.sheet is None
    assert services.outbox.get(stuck_entry.id).state == "needs_attention"  # untouched


def test_signing_out_wipes_an_open_sheet(qtbot, window, services, staff, printers, stuck_entry):
    sign_in(qtbot, window)
    mode = window.staff_mode
    with qtbot.waitSignal(mode.audited, timeout=10_000,
                          check_params_cb=lambda action: action == "outbox.export_manual"):
        mode.export_manual(stuck_entry.id)
    qtbot.waitUntil(mode.manual.isVisible, timeout=5_000)
    mode.sign_out("signed_out")
    assert not mode.manual.isVisible() and NAME not in mode.manual.view.toPlainText()


def test_export_needs_a_signed_in_staff_member(qtbot, window, services, staff, stuck_entry):
    window.staff_mode.export_manual(stuck_entry.id)
    assert not window.staff_mode.manual.isVisible()
    assert all(line["action"] != "outbox.export_manual" for line in audit_lines(services))
