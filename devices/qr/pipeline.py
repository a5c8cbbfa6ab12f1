"""The kiosk's QR decoding pipeline: cheap passes first, expensive ones only when those fail.

A camera frame is mostly background and the code is usually big enough, so the first pass decodes a
downscaled greyscale copy with zxing-cpp restricted to the expected formats and no extra tries. Only
when that finds nothing does a full-resolution pass with zxing's own tries (downscale pyramid,
inverted codes) run, then a pass with the other binarizer on a contrast-stretched copy (CLAHE) for
dim or washed-out frames. Each pass is one ``Stage``; ``kiosk bench qr`` measures the result.

Codes zxing-cpp locates but cannot read (``return_errors``) are kept as ``located`` quads so the scan
worker can say "hold the card closer" or "hold still" rather than nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import cv2
import numpy as np
import zxingcpp

from devices.qr.scanner import Decoded, best_text

__all__ = ["DEFAULT_STAGES", "PipelineResult", "QrPipeline", "Stage"]


@dataclasses.dataclass(frozen=True, slots=True)
class Stage:
    max_side: int | None = None  # downscale so the long side is at most this (None: full size)
    binarizer: str = "LocalAverage"
    try_downscale: bool = False
    try_invert: bool = False
    clahe: bool = False  # stretch local contrast first (low-contrast prints, glare-washed codes)
    smooth: float = 0.0  # Gaussian sigma in pixels: wipes out a phone screen's pixel grid (moiré)


DEFAULT_STAGES: tuple[Stage, ...] = (
    Stage(max_side=960),
    Stage(max_side=None, try_downscale=True, try_invert=True),
    Stage(max_side=960, smooth=1.0),
    Stage(max_side=None, binarizer="GlobalHistogram", try_downscale=True, clahe=True),
)


@dataclasses.dataclass(frozen=True, slots=True)
class PipelineResult:
    decoded: list[Decoded]
    stage: int | None  # index of the stage that decoded, None when nothing was read
    located: list[np.ndarray]  # (4, 2) float corner quads, in frame pixels, of codes seen but not read


class QrPipeline:
    def __init__(self, formats: Sequence[str] = ("QRCode",), stages: Sequence[Stage] = DEFAULT_STAGES) -> None:
        if not formats or not stages:
            raise ValueError("give at least one barcode format and one stage")
        self.formats = tuple(formats)
        self._formats = zxingcpp.barcode_formats_from_str(",".join(self.formats))
        self.stages = tuple(stages)
        self._clahe = cv2.createCLAHE(clipLimit=3.0, tileGridSize=(8, 8))

    def decode(self, image: np.ndarray | object) -> list[Decoded]:
        return self.run(image).decoded

    def run(self, image: np.ndarray | object) -> PipelineResult:
        """Decode a BGR or greyscale array (or a ``Frame``), stage by stage until one reads a code."""
        grey = _grey(getattr(image, "image", image))
        located: list[np.ndarray] = []
        for index, stage in enumerate(self.stages):
            decoded, seen = self._stage(grey, stage, want_located=index == 0)
            located.extend(seen)
            if decoded:
                return PipelineResult(decoded, index, [])
        return PipelineResult([], None, located)

    def _stage(self, grey: np.ndarray, stage: Stage, want_located: bool) -> tuple[list[Decoded], list[np.ndarray]]:
        scaled, factor = _downscale(grey, stage.max_side)
        if stage.smooth > 0:
            scaled = cv2.GaussianBlur(scaled, (0, 0), stage.smooth)
        if stage.clahe:
            scaled = self._clahe.apply(scaled)
        results = zxingcpp.read_barcodes(
            scaled, formats=self._formats, try_rotate=False, try_downscale=stage.try_downscale,
            try_invert=stage.try_invert, binarizer=getattr(zxingcpp.Binarizer, stage.binarizer),
            return_errors=want_located,
        )
        decoded, located = [], []
        for result in results:
            if result.valid:
                raw = bytes(result.bytes)
                decoded.append(Decoded(best_text(result.text, raw), raw, result.format.name))
            else:
                located.append(_quad(result.position) / factor)
        return decoded, located


def _grey(image: np.ndarray) -> np.ndarray:
    if image.ndim == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return image


def _downscale(grey: np.ndarray, max_side: int | None) -> tuple[np.ndarray, float]:
    long_side = max(grey.shape[:2])
    if max_side is None or long_side <= max_side:
        return grey, 1.0
    factor = max_side / long_side
    size = (round(grey.shape[1] * factor), round(grey.shape[0] * factor))
    return cv2.resize(grey, size, interpolation=cv2.INTER_AREA), factor


def _quad(position: object) -> np.ndarray:
    points = [position.top_left, position.top_right, position.bottom_right, position.bottom_left]
    return np.array([[p.x, p.y] for p in points], dtype=np.float64)
