"""A virtual CCCD chip (card side) and the ways to reach it: in process, or through pcscd via vpcd.

``VirtualChip`` answers APDUs like a real card; ``InProcessTransport`` calls it directly;
``VpcdClient`` plugs it into the real PC/SC stack as a card on vsmartcard's virtual reader, so the
kiosk's pyscard code path is exercised end to end without hardware. The names are imported on
first use: the reader imports ``chip.files`` (the file map both sides share) without the
emulator.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "EMRTD_AID",
    "ChipFiles",
    "ChipKeys",
    "ChipRemoved",
    "Hostile",
    "InProcessTransport",
    "Quirks",
    "VirtualChip",
]

_WHERE = {
    "EMRTD_AID": "files", "ChipFiles": "files", "ChipKeys": "emulator",
    "InProcessTransport": "emulator", "VirtualChip": "emulator", "ChipRemoved": "hostile",
    "Hostile": "hostile", "Quirks": "quirks",
}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_WHERE[name]}"), name)
