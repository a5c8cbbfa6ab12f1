"""The fee account and the receipt printer come from the config, through the real window and the
embedded portal: the configured account's VietQR, "pay at the counter" without one, the demo
account only on a demo kiosk (and marked); the configured printer is used by name (the Qt printer
boundary is faked: there is no printer here), and a missing or failing printer leaves a PDF and a
message on screen, never a lost receipt."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtPrintSupport import QPrinter

import ui.printing
from devices.qr.vietqr import parse_vietqr
from kiosk.domain.flow import Step
from test_ui_journey import click
from test_ui_sms import reach_consent, send
from ui.printing import FeeStatus
from ui_helpers import make_config

pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore("propagateSizeHints")]

AGENCY = {"fee.bank_bin": "970436", "fee.account_number": "0071000123456",
          "fee.account_name": "KHO BAC NHA NUOC QUAN 1"}
PRODUCTION = {"ui.demo_controls": False}
PRINTER = "EPSON_TM_T82_Counter1"


@pytest.fixture
def kiosk_config(request, tmp_path):
    """The window's config: the demo defaults unless the test passes overrides (indirect)."""
    return make_config(tmp_path, **getattr(request, "param", {}))


def reach_receipt(qtbot, window, services, profile):
    """The criminal-record certificate (200 000 đ) sent to the embedded portal."""
    receipt = send(qtbot, window, reach_consent(qtbot, window, services, profile))
    assert receipt.status.value == "sent"
    return window.screens[Step.RECEIPT], receipt


def screen_text(source: str) -> str:
    return QCoreApplication.translate("ReceiptScreen", source)


# -- the fee account --------------------------------------------------------------------------------

@pytest.mark.parametrize("kiosk_config", [{**AGENCY, **PRODUCTION}], indirect=True)
def test_the_configured_account_gets_the_fee_qr(qtbot, window, services, profile):
    screen, receipt = reach_receipt(qtbot, window, services, profile)
    assert screen.fee_area.isVisible() and screen.fee.qr.isVisible()
    code = parse_vietqr(screen.fee.qr_text)
    assert (code.bank_bin, code.account) == ("970436", "0071000123456")
    assert code.amount == Decimal(200_000) and code.purpose == receipt.dossier_code
    assert code.merchant_name == "KHO BAC NHA NUOC QUAN 1"
    assert screen.fee.demo_mark.isHidden() and "Vietcombank" in screen.fee.payee.text()
    assert screen.fee.counter_button.isVisible()  # the alternative stays on offer


@pytest.mark.parametrize("kiosk_config", [PRODUCTION], indirect=True)
def test_no_account_means_no_qr_only_the_counter(qtbot, window, services, profile):
    screen, _receipt = reach_receipt(qtbot, window, services, profile)
    assert screen.fee_area.isVisible() and screen.fee.qr_text == ""
    assert screen.fee.qr.isHidden() and screen.fee.demo_mark.isHidden()
    assert screen.fee.hint.text() == QCoreApplication.translate(
        "FeeQrPanel", "Please pay this fee at the counter.")
    assert screen.receipt_doc().fee_status is FeeStatus.AT_COUNTER


def test_the_demo_kiosk_shows_the_marked_demo_account(qtbot, window, services, profile):
    screen, _receipt = reach_receipt(qtbot, window, services, profile)
    code = parse_vietqr(screen.fee.qr_text)
    assert code.account == "0000000000" and code.merchant_name == "DEMO - KHONG CHUYEN TIEN"
    assert screen.fee.demo_mark.isVisible()
    assert screen.fee.demo_mark.text() == QCoreApplication.translate(
        "FeeQrPanel", "DEMO ACCOUNT: do not transfer money")


# -- the printer ------------------------------------------------------------------------------------

class FakeInfo:
    """What QPrinterInfo says about a printer the print system knows."""

    def __init__(self, name: str, state=QPrinter.PrinterState.Idle) -> None:
        self.name, self._state = name, state

    def isNull(self) -> bool:  # noqa: N802 - Qt API
        return False

    def state(self):
        return self._state

    def printerName(self) -> str:  # noqa: N802 - Qt API
        return self.name


@pytest.fixture
def print_system(monkeypatch, tmp_path):
    """Fakes the Qt printer boundary: the named printer "prints" to paper.pdf; records the jobs."""
    jobs: list[str] = []
    known: dict[str, FakeInfo] = {}
    real = ui.printing.QPrinterInfo

    class FakePrinterInfo:
        @staticmethod
        def printerInfo(name: str):  # noqa: N802 - Qt API
            return known.get(name) or real.printerInfo(name)

    class PaperPrinter(QPrinter):
        def __init__(self, *args) -> None:
            if args and isinstance(args[0], FakeInfo):
                super().__init__(args[1])
                self.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
                self.setOutputFileName(str(tmp_path / "paper.pdf"))
                jobs.append(args[0].name)
            else:
                super().__init__(*args)

    monkeypatch.setattr(ui.printing, "QPrinterInfo", FakePrinterInfo)
    monkeypatch.setattr(ui.printing, "QPrinter", PaperPrinter)
    return known, jobs, tmp_path / "paper.pdf"


@pytest.mark.parametrize("kiosk_config", [{"devices.printer": PRINTER}], indirect=True)
def test_the_configured_printer_gets_the_receipt(qtbot, window, services, profile, kiosk_config,
                                                 print_system):
    known, jobs, paper = print_system
    known[PRINTER] = FakeInfo(PRINTER)
    screen, receipt = reach_receipt(qtbot, window, services, profile)
    click(qtbot, screen.print_button)
    assert jobs == [PRINTER] and screen.printed_to == PRINTER
    assert paper.read_bytes().startswith(b"%PDF")
    assert screen.print_status.text() == screen_text("Your receipt has been printed.")
    assert screen.last_print is None
    assert not (kiosk_config.data_path() / "receipts" / f"{receipt.dossier_code}.pdf").exists()
    assert services.ops.metrics.health()[1]["devices"]["printer"] is True  # fleet metrics


@pytest.mark.parametrize("kiosk_config", [{"devices.printer": "no-such-printer-here"}],
                         indirect=True)
def test_a_missing_printer_saves_a_pdf_and_says_staff_will_print_it(qtbot, window, services,
                                                                   profile, kiosk_config):
    screen, receipt = reach_receipt(qtbot, window, services, profile)
    click(qtbot, screen.print_button)
    pdf = kiosk_config.data_path() / "receipts" / f"{receipt.dossier_code}.pdf"
    assert screen.last_print == pdf and pdf.read_bytes().startswith(b"%PDF")
    assert screen.printed_to is None and screen.print_status.isVisible()
    assert screen.print_status.text() == screen_text(
        "The printer is not ready. Your receipt has been saved and staff will print it for you.")
    status, health = services.ops.metrics.health()  # IT sees it on the fleet's dashboards
    assert health["devices"]["printer"] is False and "device_down" in health["problems"]


@pytest.mark.parametrize("kiosk_config", [{"devices.printer": PRINTER}], indirect=True)
def test_a_printer_in_error_also_falls_back_to_the_pdf(qtbot, window, services, profile,
                                                       kiosk_config, print_system):
    known, jobs, paper = print_system
    known[PRINTER] = FakeInfo(PRINTER, QPrinter.PrinterState.Error)
    screen, receipt = reach_receipt(qtbot, window, services, profile)
    click(qtbot, screen.print_button)
    assert jobs == [] and not paper.exists()
    pdf = kiosk_config.data_path() / "receipts" / f"{receipt.dossier_code}.pdf"
    assert screen.last_print == pdf and pdf.exists()
    assert screen.print_status.text() == screen_text(
        "The printer is not ready. Your receipt has been saved and staff will print it for you.")


def test_no_printer_configured_saves_the_pdf_and_says_so(qtbot, window, services, profile,
                                                       kiosk_config, print_system):
    _known, jobs, _paper = print_system
    screen, receipt = reach_receipt(qtbot, window, services, profile)
    assert screen.printer_name == ""
    click(qtbot, screen.print_button)
    assert jobs == []
    assert screen.last_print == kiosk_config.data_path() / "receipts" / f"{receipt.dossier_code}.pdf"
    assert screen.print_status.text() == screen_text(  # never "printed" when nothing was
        "This kiosk has no printer. Your receipt has been saved and staff can print it; please "
        "also note your code.")


# -- the staff dashboard's printer line -------------------------------------------------------------

SNAPSHOT_ARGS = dict(counts={}, oldest_queued_age_s=None, breaker="closed", attention=(), today={},
                     readers=(), card_present=None, camera="off", taken_at=0.0, printer="Office")


@pytest.fixture
def dashboard_for(qtbot, tmp_path):
    """A dashboard under a stand-in window that has the two things it uses: config and worker."""
    from PySide6.QtWidgets import QWidget

    from ui.staff.dashboard import StaffDashboard
    from ui.worker import Worker

    made = []

    def build(**overrides):
        host = QWidget()
        qtbot.addWidget(host)
        host.config = make_config(tmp_path, **overrides)
        host.worker = Worker(host)
        made.append(host)  # qtbot holds widgets weakly: keep the host (and its worker) alive
        return StaffDashboard(host)

    yield build
    for host in made:
        assert host.worker.shutdown()


def show(dashboard):
    from ui.staff.snapshot import DashboardSnapshot

    dashboard.show_snapshot(DashboardSnapshot(**SNAPSHOT_ARGS), None)
    return dashboard.values["printer"]


def test_dashboard_without_a_configured_printer_says_pdf(dashboard_for):
    dashboard = dashboard_for()
    line = show(dashboard)
    # the print system's default printer ("Office") is not where receipts go
    assert line.text() == dashboard.tr("no printer configured (receipts are saved as PDF)")


def test_dashboard_names_the_configured_printer_and_its_state(qtbot, dashboard_for, monkeypatch):
    import ui.staff.dashboard as module

    dashboard = dashboard_for(**{"devices.printer": "no-such-printer-here"})
    line = show(dashboard)  # the real print system: no such printer here
    qtbot.waitUntil(lambda: dashboard.printer_state == "missing", timeout=10_000)
    assert line.text() == dashboard.tr("{name} · not installed (receipts are saved as PDF)").format(
        name="no-such-printer-here")

    class FakePrinterInfo:  # the Qt printer boundary: a printer that exists and is idle
        @staticmethod
        def printerInfo(name):  # noqa: N802 - Qt API
            return FakeInfo(name)

    monkeypatch.setattr(module, "QPrinterInfo", FakePrinterInfo)
    dashboard = dashboard_for(**{"devices.printer": PRINTER})
    line = show(dashboard)
    qtbot.waitUntil(lambda: dashboard.printer_state == "ready", timeout=10_000)
    assert line.text() == dashboard.tr("{name} · ready").format(name=PRINTER)
