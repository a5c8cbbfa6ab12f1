"""Card readers: the interface, the events, the errors and the backend registry.

``open_reader("virtual")`` / ``open_reader("pcsc")`` import the backend only when chosen, so a
kiosk without pyscard can still run the virtual reader. The names below are imported on first
use, so ``from devices.card import errors`` (the CLI's first import) stays light.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from devices.card.base import CardReader

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

_BASE = {"CardEvent", "CardInserted", "CardRead", "CardReader", "CardRemoved", "ReadProgress",
         "ReaderAdded", "ReaderRemoved"}
_REGISTRY = {"BackendUnavailable", "UnknownBackend"}


def __getattr__(name: str) -> Any:
    if name in _BASE:
        return getattr(importlib.import_module("devices.card.base"), name)
    if name in _REGISTRY:
        return getattr(importlib.import_module("devices._registry"), name)
    if name == "errors":
        return importlib.import_module("devices.card.errors")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def open_reader(name: str, **options: object) -> CardReader:
    """Build the reader backend called ``name`` with backend-specific ``options`` (not started)."""
    from devices._registry import load_backend

    cls = load_backend("card reader", BACKENDS, name)
    return cls(**options)
