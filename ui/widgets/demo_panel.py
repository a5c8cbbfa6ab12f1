"""A clearly labelled "Demo devices" strip for the virtual card reader, so anyone running the kiosk
without hardware can play the citizen's hand: put a sample card on the reader, take it off, hold
its QR code to the camera or the barcode scanner (the "QR to" choice), hold a sample paper
document in front of the camera, and send receipts to a PDF file or to the virtual ESC/POS
printer (the "Receipt to" choice; its slips are PNG files in the data folder)."""

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
                 show_document: Callable[[], None] | None = None,
                 scan_qr: Callable[[Any], None] | None = None,
                 choose_printer: Callable[[str], None] | None = None) -> None:
        super().__init__(parent)
        self._show_qr, self._hide_qr, self._scan_qr = show_qr, hide_qr, scan_qr
        self._choose_printer = choose_printer
        self._show_document = show_document
        self.setObjectName("demo-panel")
        self._profiles, self._insert, self._remove = list(profiles), insert, remove
        self.heading = label("demo", self, wrap=False)
        self.toggle = button("demo", self, name="demo-toggle")
        self.toggle.setMinimumHeight(44)
        self.controls = self._build_controls(show_qr is not None or scan_qr is not None,
                                             show_document is not None)
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
        self.printer_choice.toggled.connect(self.on_printer_chosen)
        self.qr_target.toggled.connect(lambda _on: self.retranslate())
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
        self.qr_target = self._switch(controls, "demo-qr-target",
                                      self._show_qr is not None and self._scan_qr is not None)
        self.document_button = button("demo", controls, name="demo-document")
        self.document_button.setVisible(with_document)
        self.printer_choice = self._switch(controls, "demo-printer",
                                           self._choose_printer is not None)
        for widget in (self.insert_button, self.remove_button, self.qr_target, self.qr_button,
                       self.document_button, self.printer_choice):
            widget.setMinimumHeight(44)
            row.addWidget(widget)
        return controls

    @staticmethod
    def _switch(parent: QWidget, name: str, visible: bool) -> Any:
        """A two-way switch as a checkable button (the strip has no room for drop-downs)."""
        switch = button("demo", parent, name=name)
        switch.setCheckable(True)
        switch.setVisible(visible)
        return switch

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
        if not 0 <= index < len(self._profiles):
            return
        to_scanner = self._scan_qr is not None and (self._show_qr is None
                                                    or self.qr_target.isChecked())
        show = self._scan_qr if to_scanner else self._show_qr
        if show is not None:
            show(self._profiles[index])

    def on_printer_chosen(self, escpos: bool) -> None:
        if self._choose_printer is not None:
            self._choose_printer("escpos" if escpos else "pdf")
        self.retranslate()

    def on_document_clicked(self) -> None:
        if self._show_document is not None:
            self._show_document()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("DEMO\nDEVICES"))
        self.toggle.setText(self.tr("Show") if self.controls.isHidden()
                            else self.tr("Hide"))
        self.insert_button.setText(self.tr("Put card on reader"))
        self.remove_button.setText(self.tr("Take card off"))
        self.qr_button.setText(self.tr("Show QR"))
        self.qr_target.setText(self.tr("to the scanner") if self.qr_target.isChecked()
                               else self.tr("to the camera"))
        self.printer_choice.setText(self.tr("Receipt: ESC/POS") if self.printer_choice.isChecked()
                                    else self.tr("Receipt: PDF"))
        self.document_button.setText(self.tr("Show a document"))
        self.setToolTip(self.tr("Sample cards from assets/profiles"))
        self.setAttribute(Qt.WA_StyledBackground, True)


def build_demo_panel(window: Any) -> DemoPanel | None:
    """The strip for a demo kiosk (demo controls on, the virtual reader), wired to the virtual
    camera, scanner and printer the window's services have."""
    services, config = window.services, window.config
    reader = services.card_reader
    if not config.ui.demo_controls or not hasattr(reader, "insert"):
        return None
    from devices.card.profiles import ProfileError, list_profiles

    try:
        profiles = list_profiles(services.profiles_dir)
    except (OSError, ProfileError) as exc:
        log.warning("Demo card profiles unavailable: %s", type(exc).__name__)
        profiles = []
    samples = services.profiles_dir.parent / "samples"
    camera = services.camera
    show_qr = show_document = None
    if camera is not None and hasattr(camera, "show"):
        def show_qr(profile: Any) -> None:
            path = samples / "qr" / f"{profile.id_number}.png"
            if path.exists():
                camera.show(path)
        document = samples / "documents" / "page-photo.jpg"
        show_document = (lambda: camera.show(document)) if document.exists() else None
    panel = DemoPanel(profiles, reader.insert, reader.remove, window, show_qr=show_qr,
                      hide_qr=getattr(camera, "clear", None), show_document=show_document,
                      scan_qr=_scan_qr(services.scanner),
                      choose_printer=_printer_chooser(window))
    panel.printer_choice.blockSignals(True)  # the configured printer is already in use
    panel.printer_choice.setChecked(services.receipt_printer is not None)
    panel.printer_choice.blockSignals(False)
    panel.retranslate()
    return panel


def _scan_qr(scanner: Any) -> Callable[[Any], None] | None:
    """The card's QR code read by the virtual scanner (over its pty, like a real one)."""
    if scanner is None or not hasattr(scanner, "scan"):
        return None
    from devices.qr.cccd import render_cccd_qr
    from kiosk.domain.identity import IdSource

    def scan(profile: Any) -> None:
        try:
            scanner.scan(render_cccd_qr(profile.identity(IdSource.QR)))
        except Exception as exc:  # noqa: BLE001 - an unplugged demo scanner must not crash
            log.warning("The virtual scanner did not take the code: %s", type(exc).__name__)
    return scan


def _printer_chooser(window: Any) -> Callable[[str], None] | None:
    """PDF or the virtual ESC/POS printer, when no real ESC/POS printer is configured."""
    if window.config.devices.escpos_printer not in ("", "virtual"):
        return None
    made: list[Any] = [window.services.receipt_printer]

    def choose(target: str) -> None:
        from kiosk.domain.flow import Step

        receipt = window.screens[Step.RECEIPT]
        if target == "pdf":
            receipt.use_escpos(None, None)
            return
        if made[0] is None:
            from devices.printer import open_printer

            made[0] = open_printer("virtual", out_dir=window.config.data_path() / "receipts"
                                   / "escpos", width_dots=int(window.config.devices
                                                              .escpos_width_dots))
        receipt.use_escpos(made[0], window.worker.run, window.config.devices.escpos_native_qr)
        window.device_watch.check_printer()
    return choose
