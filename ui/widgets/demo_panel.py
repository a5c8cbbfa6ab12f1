"""A clearly labelled "Demo devices" strip for the virtual card reader, so anyone running the kiosk
without hardware can play the citizen's hand: put a sample card on the reader, take it off, hold
its QR or a sample paper document in front of the camera."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QWidget

from ui.widgets.common import button, label

__all__ = ["DemoPanel"]

log = logging.getLogger(__name__)


class DemoPanel(QFrame):
    """Collapsible; the buttons call the virtual reader's ``insert``/``remove`` directly."""

    def __init__(self, profiles: Sequence[Any], insert: Callable[[Any], None],
                 remove: Callable[[], None], parent: QWidget | None = None, *,
                 show_qr: Callable[[Any], None] | None = None,
                 hide_qr: Callable[[], None] | None = None,
                 show_document: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self._show_qr, self._hide_qr = show_qr, hide_qr
        self._show_document = show_document
        self.setObjectName("demo-panel")
        self._profiles, self._insert, self._remove = list(profiles), insert, remove
        self.heading = label("demo", self, wrap=False)
        self.toggle = button("demo", self, name="demo-toggle")
        self.toggle.setMinimumHeight(44)
        self.controls = self._build_controls(show_qr is not None, show_document is not None)
        outer = QHBoxLayout(self)
        outer.setContentsMargins(20, 3, 20, 3)  # a developer's strip: thin, so screens keep 800 px
        outer.setSpacing(12)
        outer.addWidget(self.heading)
        outer.addWidget(self.controls, 1)
        outer.addWidget(self.toggle)
        self.toggle.clicked.connect(self._on_toggle)
        self.insert_button.clicked.connect(self.on_insert_clicked)
        self.remove_button.clicked.connect(self.on_remove_clicked)
        self.qr_button.clicked.connect(self.on_qr_clicked)
        self.document_button.clicked.connect(self.on_document_clicked)
        self.retranslate()

    def _build_controls(self, with_qr: bool, with_document: bool) -> QWidget:
        controls = QWidget(self)
        row = QHBoxLayout(controls)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(8)
        self.profile_choice = QComboBox(controls)
        self.profile_choice.setObjectName("demo-profiles")
        self.profile_choice.setMinimumHeight(44)
        # the profile names are long: the strip must still fit a 1280 px screen with every button
        self.profile_choice.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.profile_choice.setMinimumContentsLength(14)
        for index, profile in enumerate(self._profiles):
            self.profile_choice.addItem(profile.label or f"Profile {index + 1}")
        row.addWidget(self.profile_choice, 1)
        self.insert_button = button("demo", controls, name="demo-insert")
        self.remove_button = button("demo", controls, name="demo-remove")
        self.qr_button = button("demo", controls, name="demo-qr")
        self.qr_button.setVisible(with_qr)
        self.document_button = button("demo", controls, name="demo-document")
        self.document_button.setVisible(with_document)
        for widget in (self.insert_button, self.remove_button, self.qr_button, self.document_button):
            widget.setMinimumHeight(44)
            row.addWidget(widget)
        return controls

    def _on_toggle(self) -> None:
        self.controls.setHidden(not self.controls.isHidden())
        self.retranslate()

    def on_insert_clicked(self) -> None:
        index = self.profile_choice.currentIndex()
        if 0 <= index < len(self._profiles):
            self._insert(self._profiles[index])

    def on_remove_clicked(self) -> None:
        self._remove()
        if self._hide_qr is not None:
            self._hide_qr()

    def on_qr_clicked(self) -> None:
        index = self.profile_choice.currentIndex()
        if self._show_qr is not None and 0 <= index < len(self._profiles):
            self._show_qr(self._profiles[index])

    def on_document_clicked(self) -> None:
        if self._show_document is not None:
            self._show_document()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("DEMO\nDEVICES"))
        self.toggle.setText(self.tr("Show") if self.controls.isHidden()
                            else self.tr("Hide"))
        self.insert_button.setText(self.tr("Put card on reader"))
        self.remove_button.setText(self.tr("Take card off"))
        self.qr_button.setText(self.tr("Show QR to camera"))
        self.document_button.setText(self.tr("Show a document"))
        self.setToolTip(self.tr("Sample cards from assets/profiles"))
        self.setAttribute(Qt.WA_StyledBackground, True)
