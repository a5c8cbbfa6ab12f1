"""Find and decode QR codes in camera frames with zxing-cpp, and report each scan once.

zxing guesses the character set of QR byte segments without an ECI header; CCCD QR codes are
UTF-8, so when the raw bytes are valid UTF-8 with non-ASCII content we trust our own decoding over
the guess. All text is normalised to NFC so comparisons with typed or chip data work.
"""

from __future__ import annotations

import dataclasses
import time
import unicodedata
from collections.abc import Callable, Sequence

import numpy as np
import zxingcpp

__all__ = ["Debouncer", "Decoded", "QrScanner"]


@dataclasses.dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    raw: bytes
    format: str  # zxing-cpp's format name, e.g. "QRCode"

    def __repr__(self) -> str:  # the text is a citizen's identity: never show it
        return f"Decoded(format={self.format}, {len(self.raw)} bytes)"


def best_text(zxing_text: str, raw: bytes) -> str:
    """The code's bytes decoded as strict UTF-8 (what CCCD QR codes hold), else zxing-cpp's text
    in plain mode; NFC either way. zxing-cpp's default text mode would turn a control character
    into a visible "<NUL>" that no parser could tell from real text."""
    text = zxing_text
    if raw:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return unicodedata.normalize("NFC", text)


class QrScanner:
    def __init__(self, formats: Sequence[str] = ("QRCode",), try_harder: bool = True) -> None:
        """``formats``: zxing-cpp format names; restricting them makes decoding faster and safer."""
        if not formats:
            raise ValueError("give at least one barcode format")
        self.formats = tuple(formats)
        self._formats = zxingcpp.barcode_formats_from_str(",".join(self.formats))
        self._try_harder = try_harder

    def decode(self, image: np.ndarray | object) -> list[Decoded]:
        """Decode every code of the configured formats in a BGR/greyscale array (or a ``Frame``)."""
        array = getattr(image, "image", image)
        results = zxingcpp.read_barcodes(
            array,
            formats=self._formats,
            try_rotate=self._try_harder,
            try_downscale=self._try_harder,
            text_mode=zxingcpp.TextMode.Plain,
        )
        decoded = []
        for result in results:
            if not result.valid:
                continue
            raw = bytes(result.bytes)
            decoded.append(Decoded(best_text(result.text, raw), raw, result.format.name))
        return decoded


class Debouncer:
    """Report a code once while it stays in front of the camera.

    A code seen again within ``hold_s`` of its previous sighting is a repeat of the same scan; one
    unseen for longer than ``hold_s`` counts as a new scan.
    """

    def __init__(self, hold_s: float = 3.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.hold_s = hold_s
        self._clock = clock
        self._last_seen: dict[str, float] = {}

    def accept(self, text: str) -> bool:
        """True when ``text`` should be reported now."""
        now = self._clock()
        self._last_seen = {t: s for t, s in self._last_seen.items() if now - s <= self.hold_s}
        fresh = text not in self._last_seen
        self._last_seen[text] = now
        return fresh

    def reset(self) -> None:
        """Forget everything (e.g. when a session ends, so the next citizen's scan always counts)."""
        self._last_seen.clear()
