"""Hardware the kiosk talks to: card readers, cameras and QR decoding. No Qt here.

Each device kind has an abstract interface, a registry that imports a backend only when it is
chosen (so a missing vendor library breaks only its own backend), and a real in-process virtual
backend used by tests and demos. Callbacks run on the device's own thread; the GUI turns them into
Qt signals.
"""

from __future__ import annotations

from devices._registry import BackendUnavailable, UnknownBackend

__all__ = ["BackendUnavailable", "UnknownBackend"]
