"""The fee panel shows the amount and a VietQR code that a bank app would read back exactly."""

from __future__ import annotations

from decimal import Decimal

import pytest
import zxingcpp
from PySide6.QtCore import Qt

from devices.qr.vietqr import Service, parse_vietqr
from uic_helpers import to_array
from ui.widgets.fee_qr import (DEMO_FEE_ACCOUNT, FeeAccount, FeeQrPanel, ascii_name,
                               fee_account_for)

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
    # the code goes away and the sentence says where to pay instead
    assert panel.qr.isHidden() and panel.qr_text == "" and panel.counter_button.isHidden()
    assert panel.hint.text() == "Please pay this fee at the counter."


def test_a_real_account_carries_no_demo_mark(panel):
    panel.show_fee(135_000, ACCOUNT, "H12.22.10-261127-0001")
    assert panel.demo_mark.isHidden()


def test_the_demo_account_is_marked_as_demo(panel):
    payload = panel.show_fee(135_000, DEMO_FEE_ACCOUNT, "H12.22.10-261127-0001")
    assert parse_vietqr(payload).merchant_name == "DEMO - KHONG CHUYEN TIEN"
    assert not panel.demo_mark.isHidden() and "DEMO" in panel.demo_mark.text()
    panel.clear()
    assert panel.demo_mark.isHidden()


def test_the_account_comes_from_config_and_the_demo_only_on_a_demo_kiosk():
    from kiosk.domain.config import load_config

    demo = load_config(env={})
    assert fee_account_for(demo) is DEMO_FEE_ACCOUNT
    production = load_config(env={"KIOSK_UI_DEMO_CONTROLS": "false"})
    assert fee_account_for(production) is None
    forgot_demo_off = load_config(env={"KIOSK_PORTAL_URL": "https://portal.example.vn"})
    assert fee_account_for(forgot_demo_off) is None  # a real portal never gets the demo account
    configured = load_config(env={"KIOSK_FEE_BANK_BIN": "970436", "KIOSK_UI_DEMO_CONTROLS": "0",
                                  "KIOSK_FEE_ACCOUNT_NUMBER": "0071000123456",
                                  "KIOSK_FEE_ACCOUNT_NAME": "KHO BAC NHA NUOC"})
    assert fee_account_for(configured) == FeeAccount("970436", "0071000123456", "KHO BAC NHA NUOC")


def test_free_procedure_shows_no_code(panel):
    assert panel.show_fee(0, ACCOUNT, "H12.22.10-261127-0001") == ""
    assert panel.qr.isHidden() and panel.counter_button.isHidden()
    assert panel.amount.text() == "Free of charge"


def test_bad_account_falls_back_to_the_counter(panel, caplog):
    assert panel.show_fee(20_000, FeeAccount("97041", "1"), "H12.22.10-261127-0001") == ""
    assert panel.qr.isHidden() and panel.counter_button.isHidden()  # the counter is the only way
    assert "counter" in panel.hint.text() and "bad_bank" in caplog.text
    assert panel.show_fee(20_000, None, "H12.22.10-261127-0001") == ""
    assert panel.qr.isHidden() and panel.hint.text() == "Please pay this fee at the counter."


def test_clear_forgets_the_code(panel):
    panel.show_fee(135_000, ACCOUNT, "H12.22.10-261127-0001")
    panel.clear()
    assert panel.qr_text == "" and panel.qr.pixmap().isNull() and panel.amount.text() == ""


def test_names_become_ascii():
    assert ascii_name("Đoàn Thị Ánh  Nguyệt") == "DOAN THI ANH NGUYET"
    assert len(ascii_name("x" * 40)) == 25
