"""Consent: Decree 13/2023/NĐ-CP on personal-data protection needs the citizen's explicit consent
before the kiosk sends their data, so it is asked in plain words, with a clear way to say no.

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
    # the citizen said yes; the main window asks the flow for the payload and sends it
    consent_given = Signal()

    def __init__(self, flow: Flow, parent: QWidget | None = None) -> None:
        super().__init__(flow, parent)
        card = Card(self)
        self.text = label("body", card)
        self.text.setObjectName("consent-text")
        card.body.addWidget(self.text)
        self.refused = ProblemLabel(card)
        self.refused.setObjectName("consent-refused")
        card.body.addWidget(self.refused)
        card.body.addStretch(1)
        self.body.addWidget(card, 1)
        self.body.addWidget(self._build_sms())
        self.no_button = button("secondary", self, name="consent-no")
        self.footer.insertWidget(self.footer.count() - 1, self.no_button)
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
        self.subtitle.setText(self.tr("The law on personal-data protection (Decree 13/2023/NĐ-CP) "
                                      "asks for your agreement before we send your application."))
        self.text.setText(self.tr(
            "Your name, ID number, date of birth, address, phone number and the answers you gave "
            "will be sent to the agency that handles this service. They are used only to handle "
            "your application and to tell you the result. The kiosk keeps nothing after you "
            "finish.\n\nYou can ask the agency to see, correct or delete your data."))
        self.sms_title.setText(self.tr("Receive an SMS with the result?"))
        self.sms_yes.setText(self.tr("Yes, send me an SMS"))
        self.sms_no.setText(self.tr("No SMS"))
        self.sms_phone.setPlaceholderText(QCoreApplication.translate("FieldEditor",
                                                                     "e.g. 0912345678"))
        self.no_button.setText(self.tr("I do not agree"))
        self.primary_button.setText(self.tr("I agree, send  ›"))
        if self.refused.text():
            self._show_refused()

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
        self.refused.setText(self.tr("Without your agreement the kiosk cannot send your application. "
                                     "Nothing has been sent. You can go back, or ask staff at the "
                                     "counter to help you apply on paper."))
