"""The 80 mm receipt prints to PDF, one page, with a QR code that decodes to the receipt payload."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import pytest
import zxingcpp
from PySide6.QtCore import QSize
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument

from devices.qr.receipt import RefKind, parse_receipt_qr
from uic_helpers import to_array
from ui.printing import (FeeStatus, PrinterNotFound, ReceiptContentError, ReceiptDoc, mask_phone,
                         named_printer, pdf_printer, print_receipt, qr_image, receipt_qr_payload,
                         sms_sentence)

pytestmark = pytest.mark.gui

RECEIVED = dt.datetime(2026, 11, 27, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=7)))
MM_PER_POINT = 25.4 / 72


def sent_doc(**changes) -> ReceiptDoc:
    values = dict(centre_name="Trung tâm Phục vụ hành chính công phường Bến Thành",
                  unit_code="H12.22.10", procedure_name="Đổi giấy phép lái xe",
                  procedure_code="1.002804", reference="H12.22.10-261127-0001", received_at=RECEIVED,
                  appointment=dt.date(2026, 12, 4), fee_vnd=135_000, fee_status=FeeStatus.PAID,
                  status_where="dichvucong.gov.vn", sms_to="09•• ••• 678")
    values.update(changes)
    return ReceiptDoc(**values)


def render_pdf(path, dpi: int = 200):
    """(page count, page width in mm, page text, page image) through Qt's own PDF renderer."""
    pdf = QPdfDocument()
    assert pdf.load(str(path)) == QPdfDocument.Error.None_
    points = pdf.pagePointSize(0)
    size = QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi))
    image = pdf.render(0, size)
    text = pdf.getAllText(0).text()
    pages, width_mm = pdf.pageCount(), points.width() * MM_PER_POINT
    pdf.close()
    return pages, width_mm, text, image


def decoded(image: QImage) -> list[str]:
    return [b.text for b in zxingcpp.read_barcodes(to_array(image))
            if b.format == zxingcpp.BarcodeFormat.QRCode]


def test_sent_receipt_is_one_80mm_page_with_a_readable_qr(qapp, tmp_path):
    doc = sent_doc()
    path = tmp_path / "receipt.pdf"
    print_receipt(doc, pdf_printer(path))
    pages, width_mm, text, image = render_pdf(path)
    assert pages == 1 and width_mm == pytest.approx(80, abs=0.5)
    assert decoded(image) == [receipt_qr_payload(doc)]
    assert parse_receipt_qr(decoded(image)[0]).kind is RefKind.DOSSIER
    flat = " ".join(text.split())
    for part in ("H12.22.10-261127-0001", "Đổi giấy phép lái xe", "27/11/2026 09:30", "04/12/2026",
                 "135.000 đ, paid", "dichvucong.gov.vn", "by SMS to 09•• ••• 678"):
        assert part in flat, part
    assert "not yet sent" not in flat


def test_queued_receipt_says_so_and_carries_the_local_reference(qapp, tmp_path):
    doc = sent_doc(reference="Q-261127-0007", queued=True, appointment=None,
                   fee_status=FeeStatus.AT_COUNTER, status_where="", sms_to="")
    path = tmp_path / "queued.pdf"
    print_receipt(doc, pdf_printer(path))
    pages, _width, text, image = render_pdf(path)
    flat = " ".join(text.split())
    assert pages == 1
    qr = parse_receipt_qr(decoded(image)[0])
    assert qr.kind is RefKind.LOCAL and qr.reference == "Q-261127-0007"
    for part in ("Q-261127-0007", "not yet sent", "saved on this kiosk", "to be announced",
                 "to pay at the counter", "did not sign up for SMS"):
        assert part in flat, part


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")
def test_poppler_reads_the_same_qr(qapp, tmp_path):
    doc = sent_doc()
    path = tmp_path / "receipt.pdf"
    print_receipt(doc, pdf_printer(path))
    subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", str(path), str(tmp_path / "page")],
                   check=True, timeout=30)
    image = QImage(str(next(tmp_path.glob("page*.png"))))
    assert decoded(image) == [receipt_qr_payload(doc)]


def test_the_receipt_day_is_vietnam_time(qapp):
    late_utc = dt.datetime(2026, 11, 26, 18, 0, tzinfo=dt.UTC)  # 01:00 on the 27th in Hà Nội
    doc = sent_doc(received_at=late_utc)
    assert doc.day == dt.date(2026, 11, 27) and "|261127|" in receipt_qr_payload(doc)


def test_inconsistent_reference_is_refused_with_advice(qapp, tmp_path):
    doc = sent_doc(reference="H12.22.10-261126-0001")  # another day than received_at
    with pytest.raises(ReceiptContentError, match="Staff"):
        print_receipt(doc, pdf_printer(tmp_path / "x.pdf"))
    assert not (tmp_path / "x.pdf").exists()


def test_unknown_printer_names_the_setting(qapp):
    with pytest.raises(PrinterNotFound, match=r"devices\.printer"):
        named_printer("no-such-printer-here")


def test_qr_image_decodes(qapp):
    assert decoded(qr_image("MCK1|test", scale=4)) == ["MCK1|test"]


def test_phone_numbers_are_masked_in_the_middle():
    assert mask_phone("0912345678") == "09•• ••• 678"
    assert mask_phone("091 234 5678") == "09•• ••• 678"
    assert "2345" not in mask_phone("0912345678")


def test_sms_sentence_says_the_masked_number_or_that_there_is_none(qapp):
    assert sms_sentence("09•• ••• 678") == "The result will be sent by SMS to 09•• ••• 678."
    assert sms_sentence("") == "You did not sign up for SMS messages."


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_poppler_reads_the_sms_line(qapp, tmp_path):
    for doc, expected in ((sent_doc(), "SMS to 09•• ••• 678"),
                          (sent_doc(sms_to=""), "not sign up for SMS")):
        path = tmp_path / "receipt.pdf"
        print_receipt(doc, pdf_printer(path))
        done = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                              check=True, timeout=30)
        assert expected in " ".join(done.stdout.split())
        assert "0912345678" not in done.stdout


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.from_regex(r"0[35789][0-9]{8}", fullmatch=True))
def test_a_masked_number_shows_only_its_first_two_and_last_three_digits(phone):
    masked = mask_phone(phone)
    assert masked.startswith(phone[:2]) and masked.endswith(phone[-3:])
    assert [c for c in masked if c.isdigit()] == list(phone[:2] + phone[-3:])
    assert masked.count("•") == 5
