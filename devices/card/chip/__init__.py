"""A virtual CCCD chip (card side) and the ways to reach it: in process, or through pcscd via vpcd.

``VirtualChip`` answers APDUs like a real card; ``InProcessTransport`` calls it directly;
``VpcdClient`` plugs it into the real PC/SC stack as a card on vsmartcard's virtual reader, so the
kiosk's pyscard code path is exercised end to end without hardware.
"""

from __future__ import annotations

from devices.card.chip.emulator import EMRTD_AID, ChipKeys, InProcessTransport, VirtualChip
from devices.card.chip.files import ChipFiles
from devices.card.chip.hostile import ChipRemoved, Hostile
from devices.card.chip.quirks import Quirks

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
