"""How good a camera frame is for reading a code, and what to tell the citizen about it.

Measures are taken on a small greyscale copy (about 320 pixels wide, well under a millisecond):
sharpness is the variance of the Laplacian (low = blurred or moving), brightness the mean grey
level, glare the share of nearly white pixels in blobs (so a white quiet zone is not glare), contrast the
standard deviation (a featureless view is "nothing shown", not "blurred"). Thresholds are in ``HintThresholds`` so a site with a
different camera can tune them; hints have a stable ``code`` for the UI plus Vietnamese and English.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy comes with the scan worker: the screens only show the hints' text
    import numpy as np

__all__ = ["HINTS", "Hint", "HintThresholds", "Quality", "choose_hint", "measure"]

#: code -> (Vietnamese, English). Plain words, one instruction each.
HINTS: dict[str, tuple[str, str]] = {
    "show_code": ("Đưa mã QR vào trong khung", "Hold the QR code inside the frame"),
    "closer": ("Đưa thẻ lại gần camera hơn", "Hold the card closer"),
    "glare": ("Bị lóa sáng: nghiêng thẻ một chút", "Too much glare: tilt the card a little"),
    "still": ("Giữ yên thẻ", "Hold still"),
    "dark": ("Quá tối: đưa thẻ ra chỗ sáng hơn", "Too dark: move the card into the light"),
}


@dataclasses.dataclass(frozen=True, slots=True)
class Quality:
    sharpness: float  # variance of the Laplacian on the measuring copy
    brightness: float  # mean grey level, 0..255
    glare: float  # share of pixels in saturated (>= 250) blobs bigger than a few pixels, 0..1
    contrast: float = 0.0  # standard deviation of the grey level: ~0 means nothing is in view


@dataclasses.dataclass(frozen=True, slots=True)
class HintThresholds:
    min_brightness: float = 50.0
    max_glare: float = 0.01
    min_sharpness: float = 60.0
    min_contrast: float = 5.0  # below this the view is featureless: nothing to focus on
    min_code_share: float = 0.12  # a located code narrower than this share of the frame is "far"


@dataclasses.dataclass(frozen=True, slots=True)
class Hint:
    code: str
    quality: Quality

    @property
    def vietnamese(self) -> str:
        return HINTS[self.code][0]

    @property
    def english(self) -> str:
        return HINTS[self.code][1]


@functools.cache
def _kernel() -> np.ndarray:
    import cv2

    return cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (5, 5))


def measure(image: np.ndarray, width: int = 320) -> Quality:
    """Sharpness, brightness and glare of a BGR or greyscale frame."""
    import cv2  # loaded by the scan worker, not by the screens that only show the hints' text
    import numpy as np

    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    if grey.shape[1] > width:
        height = max(1, round(grey.shape[0] * width / grey.shape[1]))
        grey = cv2.resize(grey, (width, height), interpolation=cv2.INTER_AREA)
    sharpness = float(cv2.Laplacian(grey, cv2.CV_64F).var())
    saturated = (grey >= 250).astype(np.uint8)
    blobs = cv2.morphologyEx(saturated, cv2.MORPH_OPEN, _kernel())  # specks and thin white lines go
    mean, std = cv2.meanStdDev(grey)
    return Quality(sharpness, float(mean[0, 0]), float(np.count_nonzero(blobs)) / grey.size, float(std[0, 0]))


def choose_hint(
    quality: Quality, frame_width: int, located: Sequence[np.ndarray] = (),
    thresholds: HintThresholds = HintThresholds(),
) -> Hint:
    """The one thing most worth saying when no code was read in this frame.

    Light comes first (nothing else can be judged in the dark or in glare); then a code the decoder
    located but could not read is either too small (closer) or blurred (still); then overall blur.
    """
    t = thresholds
    if quality.brightness < t.min_brightness:
        return Hint("dark", quality)
    if quality.glare > t.max_glare:
        return Hint("glare", quality)
    if located:
        widest = max(float(quad[:, 0].max() - quad[:, 0].min()) for quad in located)
        return Hint("closer" if widest < t.min_code_share * frame_width else "still", quality)
    if quality.contrast >= t.min_contrast and quality.sharpness < t.min_sharpness:
        return Hint("still", quality)
    return Hint("show_code", quality)
