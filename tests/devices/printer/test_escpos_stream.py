"""The ESC/POS encoder and the virtual printer's interpreter, and the printer connections."""

from __future__ import annotations

import socket
import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from devices.printer import NativeQr, Raster, encode_slip, open_printer
from devices.printer.connection import parse_connection
from devices.printer.escpos import PrinterStatus, decode_status, raster
from devices.printer.stream import Conditions, EscposStream


@settings(max_examples=40, deadline=None)
@given(arrays(bool, st.tuples(st.integers(1, 300), st.integers(1, 576))),
       st.integers(1, 5000))
def test_a_raster_survives_any_chunking(bitmap, chunk):
    data = encode_slip([Raster(bitmap)], 576, feed_dots=0)
    stream = EscposStream(576)
    for i in range(0, len(data), chunk):
        stream.feed(data[i:i + chunk])
    page = stream.pages[0]
    assert np.array_equal(page[:, :bitmap.shape[1]], bitmap) and not page[:, bitmap.shape[1]:].any()


@settings(max_examples=200)
@given(st.binary(max_size=2000))
def test_garbage_never_breaks_the_interpreter(data):
    stream = EscposStream(576)
    stream.feed(data)
    stream.feed(encode_slip([Raster(np.ones((4, 8), bool))], 576))  # and it still prints after
    assert stream.pages or stream.pending_rows or stream._buffer


def test_status_bytes_follow_the_fixed_bit_pattern():
    for flags in ({}, {"paper_out": True}, {"cover_open": True}, {"cutter_error": True}):
        conditions = Conditions(**flags)
        answers = bytes(conditions.status_byte(n) for n in (1, 2, 3, 4))
        assert all(b & 0x93 == 0x12 for b in answers)
    assert decode_status(b"\x00\x00\x00\x00") == PrinterStatus(answered=False)
    assert decode_status(b"\x12\x12") == PrinterStatus(answered=False)
    assert decode_status(b"\x12\x12\x12\x7e").state == "paper_out"


def test_bands_never_exceed_the_band_height():
    data = raster(np.ones((600, 576), bool))
    assert data.count(b"\x1dv0\x00") == 3


@pytest.mark.parametrize("text, scheme, target, number", [
    ("usb:/dev/usb/lp0", "usb", "/dev/usb/lp0", 0),
    ("serial:/dev/ttyUSB0:38400", "serial", "/dev/ttyUSB0", 38400),
    ("serial:/dev/ttyS0", "serial", "/dev/ttyS0", 19200),
    ("tcp:192.0.2.10", "tcp", "192.0.2.10", 9100),
    ("tcp:printer.local:9101", "tcp", "printer.local", 9101),
    ("file:/tmp/out.bin", "file", "/tmp/out.bin", 0),
])
def test_connections_as_it_writes_them(text, scheme, target, number):
    assert parse_connection(text) == parse_connection(text)
    parsed = parse_connection(text)
    assert (parsed.scheme, parsed.target, parsed.number) == (scheme, target, number)


@pytest.mark.parametrize("text", ["", "usb:lp0", "tcp:", "serial:/dev/ttyS0:fast", "lpt:1"])
def test_bad_connections_say_how_to_write_them(text):
    with pytest.raises(ValueError, match="usb:/dev/usb/lp0"):
        parse_connection(text)


def test_a_file_printer_gets_the_slip_and_no_status_is_known(tmp_path):
    out = tmp_path / "job.bin"
    printer = open_printer("escpos", connection=f"file:{out}")
    assert printer.status() == PrinterStatus(answered=False)
    printer.print_slip([Raster(np.ones((10, 576), bool)), NativeQr("HELLO")])
    stream = EscposStream(576)
    stream.feed(out.read_bytes())
    assert len(stream.pages) == 1 and stream.unknown == []


def test_a_printer_that_never_answers_is_printed_to_within_the_deadline():
    received = bytearray()
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def silent() -> None:  # takes everything, answers nothing (no real-time status)
        for _ in range(2):
            conn, _ = listener.accept()
            with conn:
                while chunk := conn.recv(65536):
                    received.extend(chunk)

    thread = threading.Thread(target=silent, name="silent-printer")
    thread.start()
    try:
        printer = open_printer("escpos", connection=f"tcp:127.0.0.1:{port}", status_timeout_s=0.2)
        status = printer.print_slip([Raster(np.ones((8, 576), bool))], timeout=3.0)
        assert status.answered is False
    finally:
        thread.join(5)
        listener.close()
    assert b"\x1dv0" in received and received.endswith(b"\x10\x04\x01")


def test_a_printer_that_is_not_there_is_not_found_quickly():
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nobody listens: connection refused
    printer = open_printer("escpos", connection=f"tcp:127.0.0.1:{port}")
    from devices.printer.errors import PrinterNotFound

    with pytest.raises(PrinterNotFound, match="could not be opened"):
        printer.status(timeout=1.0)
