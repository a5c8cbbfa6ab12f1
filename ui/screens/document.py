"""The document camera: the citizen lays a paper document under the camera, takes its photo, sees
the straightened page and its size, and uses it, takes it again, or adds another page.

Not a step of the flow: the main window shows it over the form for one attachment field and takes
it away again (like the scan view). The camera bridge runs in "document" mode meanwhile (a preview,
no QR decoding). Finding, flattening and encoding the page take a few hundred milliseconds, so they
run on the window's ``Worker``, never on the GUI thread. Nothing is written to disk: the pages live
in this screen until the citizen uses them (then in the flow's session) and ``clear()`` drops them.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from kiosk.services.documents.errors import human_size
from kiosk.domain.attachments import MAX_ATTACHMENT_BYTES
from kiosk.domain.flow import Flow
from kiosk.domain.procedures import FormField
from ui.screens.base import Screen
from ui.widgets.camera_view import CameraPreview
from ui.widgets.common import Card, ProblemLabel, button, label

__all__ = ["DocumentScreen", "PagePreview", "PageShot", "TakenDocument", "take_page"]

log = logging.getLogger(__name__)

#: pages in one attachment at most (each is a few hundred KB; the size limit usually comes first)
MAX_PAGES = 10
#: the corrected page shown for checking is shrunk to this many pixels on its longer side
_PREVIEW_SIDE = 900
#: a portrait A4 sheet: height / width
_PAGE_RATIO = 297 / 210


@dataclasses.dataclass(frozen=True, eq=False)
class PageShot:
    """One corrected page: its JPEG, its size in pixels, and a smaller picture for the screen."""

    jpeg: bytes = dataclasses.field(repr=False)
    width: int
    height: int
    channels: int
    preview: QImage = dataclasses.field(repr=False)


@dataclasses.dataclass(frozen=True, eq=False)
class TakenDocument:
    """What the citizen chose to use: one JPEG, or a PDF of several pages."""

    data: bytes = dataclasses.field(repr=False)
    pages: int
    thumbnail: QImage = dataclasses.field(repr=False)

    @property
    def size(self) -> int:
        return len(self.data)


def take_page(camera: Any, quality: int = 75, timeout: float = 3.0) -> PageShot:
    """Grab the newest frame, find and flatten the page, encode it (the WORKER's thread).
    Raises ``PageNotFound`` or a ``CameraError``."""
    import cv2

    from kiosk.services.documents.attachment import encode_jpeg
    from kiosk.services.documents.errors import PageNotFound
    from kiosk.services.documents.page import process_photo

    frame = camera.grab_frame(timeout)
    found = process_photo(frame.image)
    if _cut_off(found.corners, frame.image.shape):
        raise PageNotFound()
    page = found.image
    jpeg = encode_jpeg(page, quality)
    height, width = page.shape[:2]
    scale = min(1.0, _PREVIEW_SIDE / max(width, height))
    small = cv2.resize(page, (max(1, round(width * scale)), max(1, round(height * scale))),
                       interpolation=cv2.INTER_AREA) if scale < 1.0 else page
    rgb = cv2.cvtColor(small, cv2.COLOR_BGR2RGB if small.ndim == 3 else cv2.COLOR_GRAY2RGB)
    preview = QImage(rgb.data, rgb.shape[1], rgb.shape[0], rgb.strides[0],
                     QImage.Format_RGB888).copy()  # owns its pixels once rgb is gone
    return PageShot(jpeg, width, height, 1 if page.ndim == 2 else 3, preview)


def _cut_off(corners: Any, shape: tuple[int, ...], share: float = 0.005) -> bool:
    """A corner on the photo's edge: the page goes beyond the view, or what was "found" is the
    whole empty view (a plain scene); either way the citizen must place the whole page again."""
    height, width = shape[:2]
    margin = max(2.0, share * max(width, height))
    return any(x < margin or y < margin or x > width - 1 - margin or y > height - 1 - margin
               for x, y in corners)


def document_bytes(pages: list[PageShot]) -> bytes:
    """One page: its JPEG as it is; several: a PDF with one page each."""
    from kiosk.services.documents.attachment import pdf_bytes

    if len(pages) == 1:
        return pages[0].jpeg
    return pdf_bytes([(p.jpeg, p.width, p.height, p.channels) for p in pages])


class PagePreview(CameraPreview):
    """The live preview with a page-shaped guide (portrait A4) instead of the QR square."""

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.fillRect(self.rect(), QColor("#1B2430"))
        image = self._image
        if image is not None:
            p.drawImage((self.width() - image.width()) // 2, (self.height() - image.height()) // 2,
                        image)
        height = min(self.height() * 0.88, self.width() * 0.88 * _PAGE_RATIO)
        width = height / _PAGE_RATIO
        guide = QRectF((self.width() - width) / 2, (self.height() - height) / 2, width, height)
        p.setRenderHint(QPainter.Antialiasing)
        p.setPen(QPen(QColor("#FFFFFF"), 5, Qt.DashLine))
        p.setBrush(Qt.NoBrush)
        p.drawRoundedRect(guide, 10, 10)
        p.end()


class DocumentScreen(Screen):
    has_cancel = False
    closed = Signal()                       # Back: nothing is attached
    document_taken = Signal(str, object)    # the field's id, a TakenDocument

    def __init__(self, flow: Flow, camera: Any, worker: Any, parent: QWidget | None = None, *,
                 max_bytes: int = MAX_ATTACHMENT_BYTES, jpeg_quality: int = 75) -> None:
        super().__init__(flow, parent)
        self.setObjectName("document-screen")
        self._camera, self._worker = camera, worker
        self.max_bytes, self.jpeg_quality = max_bytes, jpeg_quality
        self.field: FormField | None = None
        self.state = "closed"   # closed, live, busy, review
        self._pages: list[PageShot] = []
        self._data = b""
        self._job = 0  # results of older jobs (before a clear or a new open) are ignored
        self._previewing = False  # the preview asks the shared camera bridge for pictures
        row = QHBoxLayout()
        row.setSpacing(28)
        self.views = QStackedWidget(self)
        self.preview = PagePreview(camera, self.views)
        self.page_view = QLabel(self.views)
        self.page_view.setObjectName("document-page")
        self.page_view.setProperty("kind", "portrait")
        self.page_view.setAlignment(Qt.AlignCenter)
        self.page_view.setMinimumSize(320, 240)
        self.views.addWidget(self.preview)
        self.views.addWidget(self.page_view)
        row.addWidget(self.views, 3)
        side = Card(self)
        side.setMinimumWidth(380)
        self.hint = label("hint", side)
        self.hint.setObjectName("document-hint")
        self.info = label("body", side)
        self.info.setObjectName("document-info")
        self.problem = ProblemLabel(side)
        self.problem.setObjectName("document-problem")
        self.retake_button = button("secondary", side, name="document-retake")
        self.add_page_button = button("secondary", side, name="document-add-page")
        text = QVBoxLayout()
        for widget in (self.hint, self.info, self.problem):
            text.addWidget(widget)
        text.addStretch(1)
        text.addWidget(self.retake_button)
        text.addWidget(self.add_page_button)
        side.body.addLayout(text)
        row.addWidget(side, 2)
        self.body.addLayout(row, 1)
        self.retake_button.clicked.connect(self.retake)
        self.add_page_button.clicked.connect(self.add_page)
        self._set_state("closed")

    # -- opened and closed by the main window --------------------------------------------------
    def open(self, field: FormField) -> None:
        """Start over for ``field``: the live preview, no pages."""
        self.clear()
        self.field = field
        self._set_state("live")

    def stop(self) -> None:
        self._preview(False)

    def _preview(self, on: bool) -> None:
        """Start or stop the live preview; stopping only what this screen started, since the
        camera bridge's preview size is shared with the scan view."""
        if on and not self._previewing:
            self.preview.start()
        elif not on and self._previewing:
            self.preview.stop()
        self._previewing = on
        if not on:
            self.preview.clear()

    def clear(self) -> None:
        """Forget the pages, the pictures and any photo being processed (the session ended)."""
        self._job += 1
        self._pages, self._data = [], b""
        self.field = None
        self._preview(False)
        self.page_view.clear()
        self.problem.clear()
        self.info.clear()
        self.title.clear()
        self._set_state("closed")

    @property
    def pages(self) -> int:
        return len(self._pages)

    @property
    def document_size(self) -> int:
        return len(self._data)

    # -- the citizen's actions -----------------------------------------------------------------
    def on_primary_clicked(self) -> None:
        if self.state == "live":
            self.capture()
        elif self.state == "review":
            self.use()

    def on_back_clicked(self) -> None:
        if self.state == "live" and self._pages:
            self._show_review()  # adding a page was not wanted after all
            return
        if self.state != "busy":
            self.clear()
            self.closed.emit()

    def capture(self) -> bool:
        """Take the photo now; it is processed on the worker. False if that cannot start."""
        if self.state != "live" or self._camera is None or self._worker is None:
            return False
        self._job += 1
        job, camera, quality = self._job, self._camera, self.jpeg_quality
        self.problem.clear()
        self._set_state("busy")
        self._worker.run(lambda: take_page(camera, quality),
                         lambda shot: self._on_page(job, shot),
                         lambda exc: self._on_failed(job, exc), name="document")
        return True

    def retake(self) -> None:
        """Drop the page shown and photograph it again."""
        if self.state == "review" and self._pages:
            self._pages.pop()
            self._data = document_bytes(self._pages) if self._pages else b""
            self.page_view.clear()
            self.problem.clear()
            self._set_state("live")

    def add_page(self) -> None:
        if self.state == "review" and len(self._pages) < MAX_PAGES:
            self.problem.clear()
            self._set_state("live")

    def use(self) -> None:
        if self.state != "review" or not self._pages or self.field is None:
            return
        taken = TakenDocument(self._data, len(self._pages), self._pages[0].preview)
        self.document_taken.emit(self.field.id, taken)

    def show_problem(self, message: str) -> None:
        """The main window could not use the document (the flow refused it)."""
        self.problem.setText(message)

    # -- what the worker reports ----------------------------------------------------------------
    def _on_page(self, job: int, shot: PageShot) -> None:
        if job != self._job or self.state != "busy":
            return
        data = document_bytes([*self._pages, shot])
        if len(data) > self.max_bytes:
            self._set_state("review" if self._pages else "live")
            if self._pages:
                self._show_review()
            self.problem.setText(self._too_large_text(len(data)))
            return
        self._pages.append(shot)
        self._data = data
        self._show_review()

    def _on_failed(self, job: int, exc: BaseException) -> None:
        if job != self._job or self.state != "busy":
            return
        from devices.camera.errors import CameraError
        from kiosk.services.documents.errors import PageNotFound

        self._set_state("live")
        if isinstance(exc, PageNotFound):
            self.problem.setText(self.tr(
                "No page was found in the photo. Lay the paper flat on the dark surface, keep it "
                "still, with all four corners inside the frame, and press Take photo again."))
        elif isinstance(exc, CameraError):
            self.problem.setText(self.tr(
                "The camera did not send a picture. Please try again, or ask a staff member."))
        else:
            log.error("Document photo failed: %s", type(exc).__name__)
            self.problem.setText(self.tr(
                "The photo could not be processed. Please take it again, or ask a staff member."))

    # -- rendering -------------------------------------------------------------------------------
    def _show_review(self) -> None:
        shot = self._pages[-1]
        pixmap = QPixmap.fromImage(shot.preview)
        size = self.views.size()  # the page view may not have been laid out yet
        self.page_view.setPixmap(pixmap.scaled(max(1, size.width() - 16),
                                               max(1, size.height() - 16),
                                               Qt.KeepAspectRatio, Qt.SmoothTransformation))
        self._set_state("review")

    def _set_state(self, state: str) -> None:
        self.state = state
        live = state in {"live", "busy"}
        self.views.setCurrentWidget(self.preview if live else self.page_view)
        self._preview(live)  # no camera picture while a page is checked
        self.retake_button.setVisible(state == "review")
        self.add_page_button.setVisible(state == "review")
        self.add_page_button.setEnabled(len(self._pages) < MAX_PAGES)
        self.primary_button.setVisible(state in {"live", "busy", "review"})
        self.primary_button.setEnabled(state in {"live", "review"})
        self.back_button.setEnabled(state != "busy")
        self.retranslate()

    def _too_large_text(self, size: int) -> str:
        return self.tr("The document would be {size}, more than the {limit} allowed. Use fewer "
                       "pages, and hand the other pages to the staff at the counter.").format(
            size=human_size(size), limit=human_size(self.max_bytes))

    def retranslate(self) -> None:
        super().retranslate()
        field = self.field
        self.title.setText(field.label.get(self.language) if field is not None else "")
        self.retake_button.setText(self.tr("Take this page again"))
        self.add_page_button.setText(self.tr("+  Add another page"))
        if self.state == "review":
            self.subtitle.setText(self.tr("Check that the page is complete and easy to read."))
            self.primary_button.setText(self.tr("✓  Use this photo"))
            self.hint.setText(self.tr("Is every word readable?"))
            count = len(self._pages)
            pages = self.tr("1 page") if count == 1 else self.tr("{n} pages").format(n=count)
            self.info.setText(f"{pages} · {human_size(len(self._data))}")
        else:
            self.subtitle.setText(self.tr("Lay the paper flat on the dark surface under the "
                                          "camera, inside the white frame."))
            self.primary_button.setText(self.tr("📷  Take photo"))
            if self.state == "busy":
                self.hint.setText(self.tr("Straightening the photo…"))
            elif self._pages:
                self.hint.setText(self.tr("Page {n}: keep it still, then press Take photo.")
                                  .format(n=len(self._pages) + 1))
            else:
                self.hint.setText(self.tr("Keep your hands away and the paper still, then press "
                                          "Take photo."))
            if not self._pages:
                self.info.clear()
