"""Helpers shared by the UI component tests."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QImage, QPainter


def to_array(image: QImage) -> np.ndarray:
    """Grey pixels on white paper (the PDF renderer leaves the page transparent), for zxing-cpp."""
    paper = QImage(image.size(), QImage.Format.Format_RGB32)
    paper.fill(QColor("white"))
    painter = QPainter(paper)
    painter.drawImage(0, 0, image)
    painter.end()
    gray = paper.convertToFormat(QImage.Format.Format_Grayscale8)
    rows = np.frombuffer(gray.constBits(), dtype=np.uint8).reshape(gray.height(), gray.bytesPerLine())
    return rows[:, : gray.width()].copy()
