"""An ESC/POS thermal printer through the real window: the receipt goes to the virtual printer as
a raster (Vietnamese drawn, not sent as text), its QR scans, and a printer out of paper leaves a
PDF, tells the citizen, and shows on the staff dashboard and in the metrics."""

from __future__ import annotations

import numpy as np
import pytest

from devices.qr.scanner import QrScanner
from kiosk.domain.flow import Step
from test_ui_fee_printer import reach_receipt
from ui_helpers import make_config

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def kiosk_config(tmp_path):
    return make_config(tmp_path, **{"devices.escpos_printer": "virtual"})


def test_the_receipt_prints_on_the_thermal_printer(qtbot, window, services, profile):
    screen, receipt = reach_receipt(qtbot, window, services, profile)
    printer = services.receipt_printer
    with qtbot.waitSignal(screen.printer_checked, timeout=10_000) as checked:
        assert screen.print_receipt() is None  # no PDF: it went to the printer
    assert checked.args == [True] and screen.printed_to == printer.name
    assert screen.last_print is None
    roll = printer.roll
    assert len(roll.pages) == 1 and roll.stream.text == b"" and roll.stream.unknown == []
    page = roll.pages[0]
    assert page.shape[1] == 576 and 900 < page.shape[0] < 2500
    codes = QrScanner().decode(np.where(page, 0, 255).astype(np.uint8))
    assert [c.text.split("|")[1] for c in codes] == [receipt.dossier_code]
    assert roll.saved[0].exists()
    assert "printer" in services.ops.metrics.render()


def test_a_printer_out_of_paper_saves_a_pdf_and_tells_staff(qtbot, window, services, profile):
    screen, receipt = reach_receipt(qtbot, window, services, profile)
    services.receipt_printer.set_conditions(paper_out=True)
    with qtbot.waitSignal(screen.printer_checked, timeout=10_000) as checked:
        screen.print_receipt()
    assert checked.args == [False]
    qtbot.waitUntil(lambda: screen.last_print is not None, timeout=10_000)
    assert screen.last_print.name == f"{receipt.dossier_code}.pdf"
    assert services.receipt_printer.roll.pages == []
    assert window.device_watch.printer_state == "paper_out"
    metrics = services.ops.metrics.render()
    assert 'motcua_device_up{device="printer"} 0' in metrics
    assert 'motcua_device_state{device="printer",state="paper_out"} 1' in metrics
    window.set_language("en")
    assert "OUT OF PAPER" in window.staff_mode.dashboard._printer_text()  # what staff see
    window.flow.finish()
    assert window.flow.step is Step.WELCOME
