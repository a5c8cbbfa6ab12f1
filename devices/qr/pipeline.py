"""The kiosk's QR decoding pipeline: one cheap pass on every frame, fallbacks only when worth it.

Most frames either show a readable code or no code at all, and both are settled by one pass of
zxing-cpp on the full-resolution greyscale frame, restricted to QR, with none of its extra tries
(no downscale pyramid, no inverted copy): that pass is cheaper than zxing-cpp's defaults and reads
as many of our frames. The fallbacks are for the rest and cost more, so they run only when they can
help: when a pass located a code it could not read (a finder pattern was seen), or on a "thorough"
frame — a single image, or every few frames of the camera's stream (``ScanWorker`` decides) — so a
code the cheap pass cannot even locate is still read within a fraction of a second, while a camera
looking at an empty counter costs one cheap pass a frame.

The fallbacks, in order: contrast stretching (CLAHE) for dim, washed-out or low-contrast codes; a
half-size pass with zxing's pyramid and inverted codes for big, blurred or light-on-dark ones; the
located regions only, enlarged, for codes too small to read at full size; a light blur that wipes
out a phone screen's pixel grid (moiré); the global-histogram binarizer with CLAHE. ``kiosk bench
qr`` measures rate and time against plain zxing-cpp on the same frames.

Codes zxing-cpp locates but cannot read (``return_errors``) are kept as ``located`` quads so the scan
worker can say "hold the card closer" or "hold still" rather than nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, Literal

import cv2
import numpy as np
import zxingcpp

from devices.qr.scanner import Decoded, best_text

__all__ = ["DEFAULT_STAGES", "PipelineResult", "QrPipeline", "Stage"]

#: "always": every frame; "fallback": on thorough frames, or after a code was located but not read;
#: "located": only after a code was located, on the located regions alone.
When = Literal["always", "fallback", "located"]
_REGION_MARGIN = 0.35  # share of a located code's size added around it before enlarging the region


@dataclasses.dataclass(frozen=True, slots=True)
class Stage:
    scale: float = 1.0  # < 1 shrinks the frame; > 1 enlarges (for "located" stages: the regions)
    binarizer: str = "LocalAverage"
    try_downscale: bool = False
    try_invert: bool = False
    clahe: bool = False  # stretch local contrast first (low-contrast prints, glare-washed codes)
    smooth: float = 0.0  # Gaussian sigma in pixels: wipes out a phone screen's pixel grid (moiré)
    when: When = "always"

    def __post_init__(self) -> None:
        if self.scale <= 0 or (self.scale > 1 and self.when != "located"):
            raise ValueError("a stage shrinks the frame (scale <= 1); only 'located' stages enlarge")


DEFAULT_STAGES: tuple[Stage, ...] = (
    Stage(),
    Stage(binarizer="GlobalHistogram", try_invert=True, when="fallback"),
    Stage(scale=0.5, try_downscale=True, try_invert=True, when="fallback"),
    Stage(smooth=1.0, try_invert=True, when="fallback"),
    Stage(clahe=True, try_invert=True, when="located"),
    Stage(scale=2.0, when="located"),
    Stage(scale=2.0, clahe=True, when="located"),
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

    def run(self, image: np.ndarray | object, thorough: bool = True) -> PipelineResult:
        """Decode a BGR or greyscale array (or a ``Frame``), stage by stage until one reads a code.

        ``thorough``: run the fallbacks even when no code was located (a single image, or every few
        frames of a stream); otherwise they run only after a pass located a code it could not read.
        """
        frame: Any = getattr(image, "image", image)  # a Frame carries its array
        grey = _grey(frame)
        located: list[np.ndarray] = []
        for index, stage in enumerate(self.stages):
            if stage.when == "located" or (stage.when == "fallback" and not thorough):
                if not located:
                    continue
            decoded, seen = self._stage(grey, stage, located)
            if decoded:
                return PipelineResult(decoded, index, [])
            if stage.when != "located":
                located.extend(seen)
        return PipelineResult([], None, located)

    def _stage(self, grey: np.ndarray, stage: Stage, located: list[np.ndarray]) -> tuple[list[Decoded], list[np.ndarray]]:
        if stage.when == "located":
            decoded: list[Decoded] = []
            for quad in located:
                region = _region(grey, quad)
                if region is not None:
                    decoded.extend(self._read(region, stage)[0])
            return _unique(decoded), []
        return self._read(grey, stage)

    def _read(self, grey: np.ndarray, stage: Stage) -> tuple[list[Decoded], list[np.ndarray]]:
        scaled, factor = _rescale(grey, stage.scale)
        if stage.smooth > 0:
            scaled = cv2.GaussianBlur(scaled, (0, 0), stage.smooth)
        if stage.clahe:
            scaled = self._clahe.apply(scaled)
        results = zxingcpp.read_barcodes(
            scaled, formats=self._formats, try_rotate=False, try_downscale=stage.try_downscale,
            try_invert=stage.try_invert, binarizer=getattr(zxingcpp.Binarizer, stage.binarizer),
            return_errors=True, text_mode=zxingcpp.TextMode.Plain,
        )
        decoded, located = [], []
        for result in results:
            if result.valid:
                raw = bytes(result.bytes)
                decoded.append(Decoded(best_text(result.text, raw), raw, result.format.name))
            else:
                located.append(_quad(result.position) / factor)
        return _unique(decoded), located


def _grey(image: np.ndarray) -> np.ndarray:
    if image.ndim == 3:
        return cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return image


def _rescale(grey: np.ndarray, scale: float) -> tuple[np.ndarray, float]:
    if scale == 1.0:
        return grey, 1.0
    size = (max(1, round(grey.shape[1] * scale)), max(1, round(grey.shape[0] * scale)))
    interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    return cv2.resize(grey, size, interpolation=interpolation), scale


def _region(grey: np.ndarray, quad: np.ndarray) -> np.ndarray | None:
    """The part of the frame around a located code, with a margin for the quiet zone and error."""
    low, high = quad.min(axis=0), quad.max(axis=0)
    margin = (high - low) * _REGION_MARGIN + 8
    height, width = grey.shape[:2]
    x0, y0 = (int(max(0, v)) for v in low - margin)
    x1, y1 = int(min(width, high[0] + margin[0])), int(min(height, high[1] + margin[1]))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    return grey[y0:y1, x0:x1]


def _unique(decoded: list[Decoded]) -> list[Decoded]:
    seen: set[bytes] = set()
    unique = []
    for item in decoded:
        if item.raw not in seen:
            seen.add(item.raw)
            unique.append(item)
    return unique


def _quad(position: Any) -> np.ndarray:
    points = [position.top_left, position.top_right, position.bottom_right, position.bottom_left]
    return np.array([[p.x, p.y] for p in points], dtype=np.float64)
