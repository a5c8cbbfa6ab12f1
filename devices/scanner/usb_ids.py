"""USB vendor:product IDs as IT writes them in the configuration ("0c2e:0b61")."""

from __future__ import annotations

import re

__all__ = ["parse_usb_id"]

_USB_ID = re.compile(r"([0-9a-fA-F]{4}):([0-9a-fA-F]{4})")


def parse_usb_id(text: str) -> tuple[int, int]:
    """``"0c2e:0b61"`` -> ``(0x0C2E, 0x0B61)``; ``ValueError`` for anything else."""
    match = _USB_ID.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"{text!r} is not a USB ID: write it as vendor:product in hex, "
                         f"e.g. 0c2e:0b61 (`lsusb` shows it)")
    return int(match[1], 16), int(match[2], 16)
