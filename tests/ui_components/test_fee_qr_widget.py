"""The fee panel shows the amount and a VietQR code that a bank app would read back exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest
import zxingcpp
from PySide6.QtCore import Qt

from devices.qr.vietqr import Service, parse_vietqr
from uic_helpers import to_array
from ui.widgets.fee_qr import FeeAccount, FeeQrPanel, ascii_name

pytestmark = pytest.mark.gui

ACCOUNT = FeeAccount("970415", "113000012345", "Kho bạc Nhà nước Khu vực II")


@pytest.fixture
def panel(qtbot):
    widget = FeeQrPanel()
    qtbot.addWidget(widget)
    return widget


def test_qr_decodes_to_the_amount_account_and_code(panel):
    payload = panel.show_fee(135_000, ACCOUNT, "H12.22.10-261127-0001")
    assert panel.amount.text() == "135.000 đ"
    image = panel.qr.pixmap().toImage()
    found = [b.text for b in zxingcpp.read_barcodes(to_array(image))]
    assert found == [payload]
    code = parse_vietqr(found[0])
    assert (code.bank_bin, code.account, code.service) == ("970415", "113000012345", Service.ACCOUNT)
    assert code.amount == Decimal(135_000) and code.purpose == "H12.22.10-261127-0001"
    assert code.dynamic and code.merchant_name == "KHO BAC NHA NUOC KHU VUC"
    assert not panel.qr.isHidden() and "VietinBank" in panel.payee.text()


def test_queued_submission_uses_the_local_reference(panel):
    code = parse_vietqr(panel.show_fee(50_000, ACCOUNT, "Q-261127-0007"))
    assert code.purpose == "Q-261127-0007" and code.amount == Decimal(50_000)


def test_pay_at_the_counter(qtbot, panel):
    panel.show_fee(135_000, ACCOUNT, "H12.22.10-261127-0001")
    assert not panel.counter_button.isHidden() and panel.counter_button.minimumHeight() >= 48
    with qtbot.waitSignal(panel.counter_chosen):
        qtbot.mouseClick(panel.counter_button, Qt.MouseButton.LeftButton)


def test_free_procedure_shows_no_code(panel):
    assert panel.show_fee(0, ACCOUNT, "H12.22.10-261127-0001") == ""
    assert panel.qr.isHidden() and panel.counter_button.isHidden()
    assert panel.amount.text() == "Free of charge"


def test_bad_account_falls_back_to_the_counter(panel, caplog):
    assert panel.show_fee(20_000, FeeAccount("97041", "1"), "H12.22.10-261127-0001") == ""
    assert panel.qr.isHidden() and not panel.counter_button.isHidden()
    assert "counter" in panel.hint.text() and "bad_bank" in caplog.text
    assert panel.show_fee(20_000, None, "H12.22.10-261127-0001") == ""


def test_clear_forgets_the_code(panel):
    panel.show_fee(135_000, ACCOUNT, "H12.22.10-261127-0001")
    panel.clear()
    assert panel.qr_text == "" and panel.qr.pixmap().isNull() and panel.amount.text() == ""


def test_names_become_ascii():
    assert ascii_name("Đoàn Thị Ánh  Nguyệt") == "DOAN THI ANH NGUYET"
    assert len(ascii_name("x" * 40)) == 25
