"""The fee step: the amount, a VietQR code to pay the receiving agency, or pay at the counter.

The code is a dynamic VietQR (NAPAS/EMVCo) for the agency's configured account, carrying the exact
amount and the dossier code (or the local reference while queued) as the transfer's purpose, so
the agency can match the payment. Any banking app in Vietnam reads it. The kiosk cannot see the
payment arrive; the counter confirms it, so the citizen always has the counter as a way out.

The account comes from the ``[fee]`` section of the kiosk's config. With none configured there is
no code, only "pay at the counter". A demo account stands in only on a demo kiosk (demo controls on
and the embedded portal), and the panel then says loudly that it is a demo account.
"""

from __future__ import annotations

import dataclasses
import logging
import unicodedata
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from devices.qr.errors import VietQrError
from devices.qr.vietqr import BANK_NAMES, build_vietqr
from ui.printing import qr_image
from ui.texts import format_fee
from ui.widgets.common import button, label

__all__ = ["DEMO_FEE_ACCOUNT", "FeeAccount", "FeeQrPanel", "ascii_name", "fee_account_for"]

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class FeeAccount:
    """The receiving agency's account, from the kiosk's configuration."""

    bank_bin: str  # 6-digit NAPAS BIN, e.g. "970415" (VietinBank)
    account: str
    account_name: str = ""  # e.g. "Kho bạc Nhà nước quận 1"; shown, and sent without accents
    demo: bool = False  # not a real account: the panel marks it so nobody transfers money

    def __repr__(self) -> str:
        return f"FeeAccount(bank={self.bank_bin}, demo={self.demo})"


#: DEMO ONLY, NOT A REAL ACCOUNT: shown on a demo kiosk that has no ``[fee]`` account configured.
#: 970415 is VietinBank's BIN; the account number is all zeros.
DEMO_FEE_ACCOUNT = FeeAccount("970415", "0000000000", "DEMO - KHONG CHUYEN TIEN", demo=True)


def fee_account_for(config: Any) -> FeeAccount | None:
    """The configured account; the demo account only on a demo kiosk (demo controls on *and* the
    embedded portal, so a production config that forgets ``ui.demo_controls`` still gets none)."""
    fee = config.fee
    if fee.bank_bin and fee.account_number:
        return FeeAccount(fee.bank_bin, fee.account_number, fee.account_name)
    if config.ui.demo_controls and config.portal.url == "embedded":
        return DEMO_FEE_ACCOUNT
    return None


def ascii_name(text: str) -> str:
    """EMVCo names are ASCII: "Kho bạc Nhà nước" -> "KHO BAC NHA NUOC" (at most 25 characters)."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c) and " " <= c <= "~")
    return " ".join(plain.upper().split())[:25].rstrip()


class FeeQrPanel(QWidget):
    counter_chosen = Signal()  # the citizen will pay at the counter instead

    def __init__(self, parent: QWidget | None = None, *, qr_scale: int = 7) -> None:
        super().__init__(parent)
        self.setObjectName("fee-qr")
        self._qr_scale = qr_scale
        self.qr_text = ""
        column = QVBoxLayout(self)
        column.setSpacing(12)
        self.caption = label("caption", self)
        self.amount = label("title", self, wrap=False)
        self.amount.setObjectName("fee-amount")
        self.demo_mark = label("problem", self)
        self.demo_mark.setObjectName("fee-demo-mark")
        self.demo_mark.hide()
        self.qr_label = label("card-title", self)  # "Payment QR code": it says what it is for
        self.qr_label.setObjectName("fee-qr-label")
        self.qr = QLabel(self)
        self.qr.setObjectName("fee-qr-code")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.payee = label("body", self)
        self.hint = label("body", self)
        self.counter_button = button("secondary", self, name="fee-pay-at-counter")
        self.counter_button.clicked.connect(self._on_counter)
        for widget in (self.caption, self.amount, self.demo_mark, self.qr_label, self.qr,
                       self.payee, self.hint):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(widget)
        column.addWidget(self.counter_button)
        self._fee = 0
        self._demo = False
        self._later = False
        self.retranslate()

    def show_fee(self, amount_vnd: int, account: FeeAccount | None, reference: str, *,
                 pay_later: bool = False) -> str:
        """Show the fee and its payment code (the dossier code as the transfer's purpose);
        returns the VietQR payload ("" when none is shown). ``pay_later``: the application is
        not sent yet, so there is no dossier code to pay against: no code, and how to pay later."""
        self._fee = amount_vnd
        self._later = pay_later
        self.amount.setText(format_fee(amount_vnd))
        self.qr_text = ""
        if amount_vnd > 0 and account is not None and not pay_later:
            try:
                self.qr_text = build_vietqr(account.bank_bin, account.account, amount=amount_vnd,
                                            purpose=reference,
                                            merchant_name=ascii_name(account.account_name) or None)
            except VietQrError as exc:
                log.warning("No fee QR code: the configured account is not valid for VietQR (%s). "
                            "IT: check the fee account settings.", exc.code)
        if self.qr_text:
            self.qr.setPixmap(QPixmap.fromImage(qr_image(self.qr_text, scale=self._qr_scale)))
            bank = BANK_NAMES.get(account.bank_bin, account.bank_bin)
            self.payee.setText(f"{account.account_name} · {bank}".strip(" ·"))
        else:
            self.qr.clear()
            self.payee.clear()
        self._demo = bool(self.qr_text) and account.demo
        self._show_code(bool(self.qr_text))
        self.retranslate()
        return self.qr_text

    def _show_code(self, on: bool) -> None:
        for widget in (self.qr_label, self.qr, self.payee):
            widget.setVisible(on)
        self.demo_mark.setVisible(on and self._demo)

    def _on_counter(self) -> None:
        """The citizen will pay at the counter: the code goes, the sentence says where to pay."""
        self.qr_text = ""
        self.qr.clear()
        self._show_code(False)
        self.retranslate()
        self.counter_chosen.emit()

    def clear(self) -> None:
        """Forget the code and the reference (end of session)."""
        self.qr_text = ""
        self._fee = 0
        self._demo = False
        self._later = False
        self.demo_mark.hide()
        self.qr_label.hide()
        for widget in (self.qr, self.payee, self.amount):
            widget.clear()

    def retranslate(self) -> None:
        self.caption.setText(self.tr("Fee to pay"))
        self.qr_label.setText(self.tr("Payment QR code"))
        if self._later and self._fee > 0:
            self.hint.setText(self.tr("Your application is not sent yet, so there is no payment "
                                      "code. Please pay this fee at the counter when you collect "
                                      "the result."))
        elif self.qr_text:
            self.hint.setText(self.tr("Scan this code with your bank's app to pay. The amount and "
                                      "your application code are already filled in."))
        elif self._fee > 0:
            self.hint.setText(self.tr("Please pay this fee at the counter."))
        else:
            self.hint.setText(self.tr("There is nothing to pay."))
        self.demo_mark.setText(self.tr("DEMO ACCOUNT: do not transfer money"))
        self.counter_button.setText(self.tr("Pay at the counter instead"))
        # the alternative to the code; with no code the sentence above already says "counter"
        self.counter_button.setVisible(self._fee > 0 and bool(self.qr_text))
