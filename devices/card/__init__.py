"""Card readers: the interface, the events, the errors and the backend registry.

``open_reader("virtual")`` / ``open_reader("pcsc")`` import the backend only when chosen, so a
kiosk without pyscard can still run the virtual reader.
"""

from __future__ import annotations

from devices._registry import BackendUnavailable, UnknownBackend, load_backend
from devices.card.base import (
    CardEvent,
    CardInserted,
    CardRead,
    CardReader,
    CardRemoved,
    ReaderAdded,
    ReaderRemoved,
    ReadProgress,
)
from devices.card import errors

__all__ = [
    "BACKENDS",
    "BackendUnavailable",
    "CardEvent",
    "CardInserted",
    "CardRead",
    "CardReader",
    "CardRemoved",
    "ReadProgress",
    "ReaderAdded",
    "ReaderRemoved",
    "UnknownBackend",
    "errors",
    "open_reader",
]

#: Backend name -> "module:Class". Add a backend here; nothing is imported until it is chosen.
BACKENDS: dict[str, str] = {
    "virtual": "devices.card.virtual:VirtualCardReader",
    "pcsc": "devices.card.pcsc:PcscCardReader",
}


def open_reader(name: str, **options: object) -> CardReader:
    """Build the reader backend called ``name`` with backend-specific ``options`` (not started)."""
    cls = load_backend("card reader", BACKENDS, name)
    return cls(**options)
