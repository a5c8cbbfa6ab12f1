"""The editor of an ``attachment`` field: a document photographed at the kiosk.

Its value is the SHA-256 the flow gave the photo (``flow.attach``); the editor itself never holds
the document's bytes, only a small thumbnail so the citizen sees what will be sent. Taking and
removing the photo are intents (``capture_requested``, ``remove_requested``): the form screen and
the main window act on them. Where the kiosk has no camera the editor says so plainly, and whether
the application can go on without the paper depends on the field being required.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.services.documents.errors import human_size
from kiosk.domain.procedures import FormField
from ui.widgets.common import Card, button, label
from ui.widgets.fields import FieldEditor
from ui.widgets.flow import FlowLayout

__all__ = ["DocumentFieldEditor", "THUMBNAIL_SIZE"]

#: the thumbnail's box (width, height) in pixels: a page, upright
THUMBNAIL_SIZE = (120, 160)


class DocumentFieldEditor(FieldEditor):
    capture_requested = Signal(str)  # the field's id: open the document camera for it
    remove_requested = Signal(str)   # the field's id: forget the photo taken for it

    def __init__(self, field: FormField, parent: QWidget | None = None, *,
                 camera_available: bool = True) -> None:
        super().__init__(parent)
        self._field = field
        self._camera = camera_available
        self._sha = ""
        self._pages = 0
        self._size = 0
        box = Card(self)
        box.body.setContentsMargins(18, 14, 18, 14)
        self.take_button = button("secondary", box, name=f"take-{field.id}")
        self.take_button.setMinimumHeight(72)
        self.thumbnail = QLabel(box)
        self.thumbnail.setObjectName(f"thumbnail-{field.id}")
        self.thumbnail.setProperty("kind", "portrait")
        self.thumbnail.setFixedSize(*THUMBNAIL_SIZE)
        self.thumbnail.setAlignment(Qt.AlignCenter)
        self.info = label("body", box)
        self.info.setObjectName(f"document-info-{field.id}")
        self.retake_button = button("secondary", box, name=f"retake-{field.id}")
        self.remove_button = button("quiet", box, name=f"remove-{field.id}")
        self.no_camera = label("caption", box)
        self.no_camera.setObjectName(f"no-camera-{field.id}")
        taken = QHBoxLayout()
        taken.setSpacing(18)
        taken.addWidget(self.thumbnail)
        side = QVBoxLayout()
        side.addWidget(self.info)
        actions = FlowLayout(spacing=12)
        actions.addWidget(self.retake_button)
        actions.addWidget(self.remove_button)
        side.addLayout(actions)
        side.addStretch(1)
        taken.addLayout(side, 1)
        box.body.addWidget(self.take_button)
        box.body.addLayout(taken)
        box.body.addWidget(self.no_camera)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        self.take_button.clicked.connect(lambda: self.capture_requested.emit(field.id))
        self.retake_button.clicked.connect(lambda: self.capture_requested.emit(field.id))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(field.id))
        self._render()

    # -- the FieldEditor interface ----------------------------------------------------------------
    def value(self) -> str:
        return self._sha

    def set_value(self, text: str) -> None:
        """The answer the flow holds; a different one than shown drops the thumbnail (the photo it
        names is described by ``set_document``)."""
        if text == self._sha:
            return
        self._sha, self._pages, self._size = text, 0, 0
        self.thumbnail.clear()
        self._render()
        self.value_changed.emit()

    def clear(self) -> None:
        self._sha, self._pages, self._size = "", 0, 0
        self.thumbnail.clear()  # the picture of the citizen's document goes with the session
        self._render()

    def retranslate(self, language: str) -> None:
        translate = QCoreApplication.translate
        self.take_button.setText(translate("DocumentField", "📷  Take a photo of the document"))
        self.retake_button.setText(translate("DocumentField", "Take it again"))
        self.remove_button.setText(translate("DocumentField", "Remove"))
        self.take_button.setAccessibleName(self._field.label.get(language))
        if self._field.required:
            self.no_camera.setText(QCoreApplication.translate(
                "DocumentField", "This kiosk cannot photograph documents, and this one is needed. "
                "Please take the paper document to the staff at the counter to finish your "
                "application."))
        else:
            self.no_camera.setText(QCoreApplication.translate(
                "DocumentField", "This kiosk cannot photograph documents. You may leave this "
                "empty and hand the paper document to the staff at the counter."))
        self._render_info()

    # -- what this editor adds -------------------------------------------------------------------
    def set_camera_available(self, available: bool) -> None:
        self._camera = available
        self._render()

    def set_document(self, sha256: str, pages: int, size: int,
                     thumbnail: QImage | None = None) -> None:
        """Show the photo the flow now holds for this field (its SHA-256 is the answer)."""
        changed = sha256 != self._sha
        self._sha, self._pages, self._size = sha256, pages, size
        if thumbnail is not None and not thumbnail.isNull():
            width, height = THUMBNAIL_SIZE
            self.thumbnail.setPixmap(QPixmap.fromImage(thumbnail).scaled(
                width - 8, height - 8, Qt.KeepAspectRatio, Qt.SmoothTransformation))
        else:
            self.thumbnail.clear()
        self._render()
        if changed:
            self.value_changed.emit()

    @property
    def has_document(self) -> bool:
        return bool(self._sha)

    def _render(self) -> None:
        taken = bool(self._sha)
        self.take_button.setVisible(self._camera and not taken)
        self.no_camera.setVisible(not self._camera and not taken)
        for widget in (self.thumbnail, self.info, self.retake_button, self.remove_button):
            widget.setVisible(taken)
        self.retake_button.setEnabled(self._camera)
        self._render_info()

    def _render_info(self) -> None:
        if not self._sha:
            self.info.clear()
            return
        text = QCoreApplication.translate("DocumentField", "✓  Photo taken")
        if self._pages == 1:
            text += "\n" + QCoreApplication.translate("DocumentField", "1 page")
        elif self._pages > 1:
            text += "\n" + QCoreApplication.translate("DocumentField", "{n} pages").format(
                n=self._pages)
        if self._size:
            text += " · " + human_size(self._size)
        self.info.setText(text)
