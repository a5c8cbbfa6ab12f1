"""QrScanner (zxing-cpp) and the Debouncer."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
import segno

from devices.qr import Debouncer, QrScanner
from devices.qr.scanner import best_text

TEXT = "001205067890||Nguyễn Văn Khang|02092005|Nam|Thôn Đông, Xã Vân Nội|15082021"


def qr_image(text: str, **options) -> np.ndarray:
    buffer = io.BytesIO()
    segno.make(text, micro=False, **options).save(buffer, kind="png", scale=4, border=4)
    return cv2.imdecode(np.frombuffer(buffer.getvalue(), np.uint8), cv2.IMREAD_COLOR)


def test_decodes_utf8_text_and_raw_bytes():
    [result] = QrScanner().decode(qr_image(TEXT, encoding="utf-8"))
    assert result.text == TEXT
    assert result.raw == TEXT.encode("utf-8")
    assert result.format == "QRCode"
    assert "Khang" not in repr(result)


def test_decodes_inside_a_larger_scene_and_greyscale():
    scene = np.full((480, 640, 3), 180, np.uint8)
    code = qr_image(TEXT, encoding="utf-8")
    scene[100:100 + code.shape[0], 200:200 + code.shape[1]] = code
    assert [d.text for d in QrScanner().decode(scene)] == [TEXT]
    grey = cv2.cvtColor(scene, cv2.COLOR_BGR2GRAY)
    assert [d.text for d in QrScanner().decode(grey)] == [TEXT]


def test_blank_scene_and_other_formats_are_ignored():
    assert QrScanner().decode(np.full((240, 320, 3), 200, np.uint8)) == []
    assert QrScanner(formats=("DataMatrix",)).decode(qr_image(TEXT, encoding="utf-8")) == []


def test_unknown_format_names_are_rejected():
    with pytest.raises(ValueError):
        QrScanner(formats=("NoSuchCode",))
    with pytest.raises(ValueError):
        QrScanner(formats=())


def test_best_text_repairs_a_wrong_charset_guess_and_normalises():
    raw = "Trần Thị".encode()
    mojibake = raw.decode("latin-1")
    assert best_text(mojibake, raw) == "Trần Thị"
    decomposed = "Tra\u0302\u0300n"
    assert best_text(decomposed, decomposed.encode()) == "Trần"  # NFC
    assert best_text("Caf\xe9", b"Caf\xe9") == "Caf\xe9"  # not UTF-8: keep zxing's text


def test_control_characters_come_through_as_themselves_and_are_refused():
    """zxing-cpp's default text mode shows NUL as "<NUL>", which would pass as text."""
    from devices.qr.cccd import CccdQrError, parse_cccd_qr

    text = TEXT.replace("Thôn Đông", "Thôn\x00Đông")
    [result] = QrScanner().decode(qr_image(text, encoding="utf-8"))
    assert result.text == text and "<NUL>" not in result.text
    with pytest.raises(CccdQrError) as caught:
        parse_cccd_qr(result.text)
    assert caught.value.code == "binary"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_debouncer_reports_a_code_once_while_it_stays_in_view():
    clock = FakeClock()
    debounce = Debouncer(hold_s=3.0, clock=clock)
    assert debounce.accept("A") is True
    for _ in range(10):  # still in front of the camera, seen every second
        clock.now += 1.0
        assert debounce.accept("A") is False
    assert debounce.accept("B") is True
    clock.now += 3.5  # taken away and shown again
    assert debounce.accept("A") is True
    debounce.reset()
    assert debounce.accept("A") is True
