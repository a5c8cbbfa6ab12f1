"""What a scanned code is: the same classification and validation as a code the camera decodes.

A scanner's text goes through ``devices.qr.classify`` like the camera's, and comes back as the
camera's ``ScanResult`` so the GUI routes both the same way. One check is the scanner's own: a
CCCD code that arrives without its Vietnamese letters. A keyboard-wedge scanner types through a
keyboard layout that has no key for "ữ" or "ờ", so it drops them (or types "?"); the parsers
would accept such a text with a mangled name and address. A real CCCD code always has accented
letters (every address names a "Phường", "Xã", "Thôn", "Tỉnh"...), so a CCCD-shaped text with
none is reported as ``MangledCccd``: the ID number's digits did survive and are kept (not in the
message or the repr) so the kiosk can offer them for typing.
"""

from __future__ import annotations

import re

from devices.qr.classify import classify
from devices.qr.errors import CccdQrError, QrPayloadError
from devices.qr.worker import ScanResult
from devices.scanner.base import Scanned

__all__ = ["MangledCccd", "looks_mangled", "to_scan_result"]

_CCCD_SHAPE = re.compile(r"\s*([0-9]{12})\s*\|")


class MangledCccd(CccdQrError):
    """A CCCD code whose Vietnamese letters were lost by a keyboard-mode scanner."""

    MESSAGES = {"mangled": (
        "The scanner lost the Vietnamese letters of this ID card's code (it is set up as a "
        "keyboard). Please check your ID number and continue, put your card on the reader, or "
        "ask a staff member.")}

    def __init__(self, id_number: str | None) -> None:
        super().__init__("mangled")
        self.id_number = id_number  # digits survive a keyboard layout; never in str() or repr()

    def __repr__(self) -> str:
        return "MangledCccd()"


def looks_mangled(text: str) -> bool:
    """A CCCD-shaped text (ID number, then at least five more ``|`` fields) that has no accented
    letter at all, or the marks a lost letter leaves (``?``, U+FFFD)."""
    if not _CCCD_SHAPE.match(text) or text.count("|") < 5:
        return False
    return text.isascii() or "?" in text or "\ufffd" in text


def to_scan_result(scanned: Scanned) -> ScanResult:
    """Classify what the scanner sent; a typed error (never an exception) for bad codes."""
    fmt = f"scanner:{scanned.source}"
    text = scanned.text
    if looks_mangled(text):
        match = _CCCD_SHAPE.match(text)
        return ScanResult(None, MangledCccd(match[1] if match else None), fmt, -1, 0.0)
    try:
        payload = classify(text)
    except QrPayloadError as exc:
        return ScanResult(None, exc, fmt, -1, 0.0)
    return ScanResult(payload, None, fmt, -1, 0.0)
