"""Consent: the Law on Personal Data Protection (91/2025/QH15, in force since 1 January 2026) and
Decree 356/2025/NĐ-CP need the citizen's informed, explicit consent before the kiosk sends their
data. It is asked in plain words (what is sent, to whom, why, what the kiosk keeps and for how
long, the citizen's rights) with two equal choices side by side at the foot of the screen, always
in sight: agree and send, or do not agree (which stands in for Cancel here).

The same screen asks whether to be told the result by SMS: an explicit opt-in (off until the
citizen says yes), with the mobile number from the form offered and editable. The choice goes to
the flow before the consent; a bad number stops the sending and says what to change beside it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QRegularExpression, Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLineEdit, QWidget

from kiosk.domain.flow import ConsentRefused, Flow, FormInvalid
from kiosk.domain.forms import FieldProblem, ProblemCode
from ui.screens.base import Screen
from ui.texts import describe_problem
from ui.widgets.common import Card, ProblemLabel, button, label

__all__ = ["ConsentScreen"]


class ConsentScreen(Screen):
    has_cancel = False  # "I do not agree" is the way out; the footer keeps room for both answers
    # the citizen said yes; the main window asks the flow for the payload and sends it
    consent_given = Signal()

    def __init__(self, flow: Flow, parent: QWidget | None = None, *,
                 retention_days: float = 30.0) -> None:
        super().__init__(flow, parent)
        self.retention_days = retention_days
        # a refusal is said first, where the eye lands (the keys are in the footer: nothing moves
        # under the finger)
        self.refused = ProblemLabel(self)
        self.refused.setObjectName("consent-refused")
        self.body.addWidget(self.refused)
        card = Card(self)
        self.text = label("body", card)
        self.text.setObjectName("consent-text")
        card.body.addWidget(self.text)
        self.body.addWidget(card)
        self.body.addWidget(self._build_sms())
        # the answer: two keys side by side in the footer, in sight without scrolling
        self.no_button = button("secondary", self, name="consent-no")
        self.footer.insertWidget(self.footer.indexOf(self.primary_button), self.no_button)
        self.footer.setAlignment(self.no_button, Qt.AlignmentFlag.AlignBottom)
        self.body.addStretch(1)
        self.no_button.clicked.connect(self.on_no_clicked)

    def _build_sms(self) -> Card:
        sms = Card(self)
        sms.setObjectName("consent-sms")
        self.sms_title = label("card-title", sms)
        row = QHBoxLayout()
        row.setSpacing(12)
        self.sms_group = QButtonGroup(self)
        self.sms_yes = button("toggle", sms, name="sms-yes")
        self.sms_no = button("toggle", sms, name="sms-no")
        for toggle in (self.sms_yes, self.sms_no):
            toggle.setCheckable(True)
            toggle.setMinimumWidth(220)
            self.sms_group.addButton(toggle)
            row.addWidget(toggle)
        self.sms_no.setChecked(True)  # explicit opt-in: no SMS until the citizen says yes
        self.sms_phone = QLineEdit(sms)
        self.sms_phone.setObjectName("sms-phone")
        self.sms_phone.setMinimumHeight(60)
        self.sms_phone.setMaxLength(20)
        self.sms_phone.setInputMethodHints(Qt.ImhDialableCharactersOnly)
        # the same phone layout of the on-screen keyboard as the form's phone fields (ui/assist.py)
        self.sms_phone.setProperty("keyboard", "phone")
        self.sms_phone.setProperty("complete_at", 10)  # a mobile number: the keys go when typed
        self.sms_phone.setValidator(QRegularExpressionValidator(
            QRegularExpression(r"[0-9+ .\-]*"), self.sms_phone))
        row.addWidget(self.sms_phone, 1)
        self.sms_problem = ProblemLabel(sms)
        self.sms_problem.setObjectName("sms-problem")
        sms.body.addWidget(self.sms_title)
        sms.body.addLayout(row)
        sms.body.addWidget(self.sms_problem)
        self.sms_group.buttonToggled.connect(self._on_sms_toggled)
        self.sms_phone.textEdited.connect(lambda _text: self.sms_problem.clear())
        self._suggested = ""
        self._on_sms_toggled()
        return sms

    def _on_sms_toggled(self, *_args: object) -> None:
        on = self.sms_yes.isChecked()
        self.sms_phone.setVisible(on)
        self.sms_problem.clear()
        if on and not self.sms_phone.text():
            self.sms_phone.setFocus(Qt.OtherFocusReason)

    def enter(self) -> None:
        """Offer the form's mobile number, unless the citizen already typed another one here."""
        self.text.setText(self._consent_text())
        self.refused.clear()
        self.sms_problem.clear()
        suggested = self.flow.suggested_sms_phone() or ""
        if self.flow.sms_phone:
            self.sms_yes.setChecked(True)
            self.sms_phone.setText(self.flow.sms_phone)
        elif self.sms_phone.text() in ("", self._suggested):
            self.sms_phone.setText(suggested)
        self._suggested = suggested

    def clear(self) -> None:
        self.refused.clear()
        self.sms_problem.clear()
        self.sms_phone.clear()
        self._suggested = ""
        self.sms_no.setChecked(True)

    def retranslate(self) -> None:
        super().retranslate()
        self.title.setText(self.tr("Do you agree to the use of your personal data?"))
        self.subtitle.setText(self.tr("The Law on Personal Data Protection (91/2025/QH15) and "
                                      "Decree 356/2025/NĐ-CP ask for your agreement before we "
                                      "send your application."))
        self.text.setText(self._consent_text())
        self.sms_title.setText(self.tr("Receive an SMS with the result?"))
        self.sms_yes.setText(self.tr("Yes, send me an SMS"))
        self.sms_no.setText(self.tr("No SMS"))
        self.sms_phone.setPlaceholderText(QCoreApplication.translate("FieldEditor",
                                                                     "e.g. 0912345678"))
        self.no_button.setText(self.tr("I do not agree"))
        self.primary_button.setText(self.tr("I agree, send  ›"))
        if self.refused.text():
            self._show_refused()

    def _consent_text(self) -> str:
        procedure = self.flow.procedure
        agency = procedure.agency.get(self.language) if procedure is not None else \
            self.tr("the agency that handles this service")
        days = round(self.retention_days)
        text = self.tr(
            "What is sent: your name, ID number, date of birth, address, phone number and the "
            "answers you gave, to {agency}, only to handle your application and tell you the "
            "result.").format(agency=agency)
        if self.flow.attachments:
            text += " " + self.tr("The photos of documents you took here are sent with them.")
        text += "\n" + self.tr(
            "What this kiosk keeps: your application, encrypted, until it has been sent, and for "
            "{days} days after that; then only its code. If you do not agree, nothing is kept.") \
            .format(days=days)
        text += "\n" + self.tr("You can ask {agency} to see, correct or delete your data, or "
                               "withdraw your agreement.").format(agency=agency)
        return text

    def on_primary_clicked(self) -> None:
        if self.flow.allowed("consent") and self._record_sms():
            self.consent_given.emit()

    def _record_sms(self) -> bool:
        """Hand the SMS choice to the flow; False (and the reason beside the number) when the
        number is not a mobile number, so nothing is sent until it is fixed or SMS is turned off."""
        wanted = self.sms_yes.isChecked()
        number = self.sms_phone.text().strip() if wanted else None
        try:
            if wanted and not number:  # "yes" with no number must not quietly become "no"
                raise FormInvalid([FieldProblem("sms_phone", ProblemCode.BAD_PHONE)])
            self.flow.set_sms_phone(number)
        except FormInvalid as exc:
            self.sms_problem.setText(describe_problem(exc.problems[0]))
            self.sms_phone.setFocus(Qt.OtherFocusReason)
            return False
        self.sms_problem.clear()
        return True

    def on_no_clicked(self) -> None:
        """The refusal goes through the flow too, so it can never count as a yes."""
        if not self.flow.allowed("consent"):
            return
        try:
            self.flow.consent(False)
        except ConsentRefused:
            self._show_refused()

    def _show_refused(self) -> None:
        self.scroll_body.verticalScrollBar().setValue(0)
        self.refused.setText(self.tr("Without your agreement the kiosk cannot send your application. "
                                     "Nothing has been sent. You can go back, or ask staff at the "
                                     "counter to help you apply on paper."))
