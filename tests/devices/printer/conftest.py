"""One harness per receipt printer backend: the in-process virtual printer, and the real ESC/POS
backend talking to the virtual printer over TCP as to a network printer."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator

import pytest

from devices.printer import ReceiptPrinter, open_printer
from devices.printer.virtual import PaperRoll, VirtualPrinterServer


@dataclasses.dataclass
class PrinterHarness:
    printer: ReceiptPrinter
    roll: PaperRoll
    unplug: Callable[[], None]
    plug: Callable[[], None]
    break_mid_job: Callable[[int], None]


@pytest.fixture(params=["virtual", "escpos-tcp"])
def printer_harness(request: pytest.FixtureRequest, tmp_path) -> Iterator[PrinterHarness]:
    if request.param == "virtual":
        printer = open_printer("virtual", out_dir=tmp_path / "slips")
        yield PrinterHarness(printer, printer.roll, printer.unplug, printer.plug,
                              printer.break_after)
        return
    server = VirtualPrinterServer(PaperRoll(tmp_path / "slips"))
    connection = server.start()
    printer = open_printer("escpos", connection=connection, status_timeout_s=1.0)
    try:
        yield PrinterHarness(printer, server.roll, server.unplug, server.plug, server.break_after)
    finally:
        server.stop()
