"""One contract suite for every receipt printer backend, against the virtual ESC/POS printer:
status read back, a slip printed dot for dot, refused when not ready, unplugged mid-use."""

from __future__ import annotations

import numpy as np
import pytest

from devices.printer import NativeQr, Raster, errors


def pattern(rows: int = 120, width: int = 576) -> np.ndarray:
    """Stripes and a diagonal: any shift, flip or lost byte shows."""
    yy, xx = np.mgrid[0:rows, 0:width]
    return ((xx // 8 + yy // 5) % 3 == 0) | (xx == yy)


def test_a_ready_printer_says_so(printer_harness):
    status = printer_harness.printer.status(timeout=2.0)
    assert status.answered and status.ready and status.state == "ready"


@pytest.mark.parametrize("flag, state", [("paper_out", "paper_out"), ("cover_open", "cover_open"),
                                         ("offline", "offline"),
                                         ("cutter_error", "cutter_error")])
def test_why_it_cannot_print_is_read_back(printer_harness, flag, state):
    printer_harness.roll.set_conditions(**{flag: True})
    status = printer_harness.printer.status(timeout=2.0)
    assert status.answered and not status.ready and status.state == state


def test_low_paper_still_prints_but_says_so(printer_harness):
    printer_harness.roll.set_conditions(paper_low=True)
    status = printer_harness.printer.status()
    assert status.ready and status.state == "paper_low"


def test_a_slip_is_printed_dot_for_dot_and_cut(printer_harness):
    bitmap = pattern()
    printer_harness.printer.print_slip([Raster(bitmap)])
    roll = printer_harness.roll
    assert len(roll.pages) == 1
    page = roll.pages[0]
    assert page.shape[1] == 576 and np.array_equal(page[:bitmap.shape[0]], bitmap)
    assert not page[bitmap.shape[0]:].any()  # then only the feed before the cut
    assert roll.stream.text == b"" and roll.stream.unknown == []
    assert roll.saved and roll.saved[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_native_qr_code_prints_and_scans(printer_harness):
    from devices.qr.scanner import QrScanner

    text = "MCK1|H12.22.10-261127-0001|H12.22.10|261127|X"
    printer_harness.printer.print_slip([Raster(pattern(40)), NativeQr(text, module=6)])
    page = printer_harness.roll.pages[0]
    image = np.where(page, 0, 255).astype(np.uint8)
    assert [d.text for d in QrScanner().decode(image)] == [text]
    columns = np.flatnonzero(page[60:].any(axis=0))
    assert abs((columns[0] + columns[-1]) / 2 - 288) < 8  # centred on the paper


def test_several_slips_are_several_pages(printer_harness):
    for rows in (30, 50, 70):
        printer_harness.printer.print_slip([Raster(pattern(rows))])
    assert [p.shape[0] for p in printer_harness.roll.pages] == [30 + 96, 50 + 96, 70 + 96]


def test_a_long_slip_goes_in_bands_and_comes_out_whole(printer_harness):
    bitmap = pattern(1000)
    printer_harness.printer.print_slip([Raster(bitmap)])
    assert np.array_equal(printer_harness.roll.pages[0][:1000], bitmap)


def test_nothing_is_sent_to_a_printer_that_cannot_print(printer_harness):
    printer_harness.roll.set_conditions(cover_open=True)
    with pytest.raises(errors.PrinterNotReady) as info:
        printer_harness.printer.print_slip([Raster(pattern())])
    assert info.value.status.state == "cover_open" and "cover is open" in str(info.value)
    assert printer_harness.roll.pages == [] and printer_harness.roll.stream.dropped == 0
    printer_harness.roll.set_conditions(cover_open=False)
    printer_harness.printer.print_slip([Raster(pattern())])
    assert len(printer_harness.roll.pages) == 1


def test_an_unplugged_printer_is_reported_and_found_again(printer_harness):
    printer_harness.unplug()
    with pytest.raises(errors.PrinterError) as info:
        printer_harness.printer.status(timeout=1.0)
    assert isinstance(info.value, (errors.PrinterNotFound, errors.PrinterDisconnected))
    with pytest.raises(errors.PrinterError):
        printer_harness.printer.print_slip([Raster(pattern())], timeout=2.0)
    printer_harness.plug()
    printer_harness.printer.print_slip([Raster(pattern())], timeout=5.0)
    assert len(printer_harness.roll.pages) == 1


def test_unplugged_mid_job_fails_without_hanging_and_cuts_nothing(printer_harness):
    printer_harness.break_mid_job(10_000)
    with pytest.raises(errors.PrinterError):
        printer_harness.printer.print_slip([Raster(pattern(2000))], timeout=5.0)
    assert printer_harness.roll.pages == []


def test_a_raster_wider_than_the_head_is_refused(printer_harness):
    with pytest.raises(ValueError, match="576"):
        printer_harness.printer.print_slip([Raster(pattern(10, 600))])
