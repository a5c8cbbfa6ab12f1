"""Backend lookup by name, importing the backend's module only when it is chosen.

Modelled on python-can's interface registry: a dict ``name -> "module:Class"``. Configuration
errors (an unknown name, a missing library) are not device errors: they are raised at start-up and
are for IT to fix, so they live outside the per-device error trees.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping

__all__ = ["BackendUnavailable", "UnknownBackend", "load_backend"]

#: Import name -> the distribution to install, so the message names what IT must install.
_DISTRIBUTIONS = {
    "smartcard": "pyscard",
    "cv2": "opencv-python-headless",
    "zxingcpp": "zxing-cpp",
    "numpy": "numpy",
    "serial": "pyserial",
    "evdev": "evdev",
    "pyudev": "pyudev",
}


class UnknownBackend(LookupError):
    """The configured backend name is not one we know."""


class BackendUnavailable(ImportError):
    """The backend exists but a library it needs is missing or broken."""

    def __init__(self, message: str, missing: str | None) -> None:
        super().__init__(message)
        self.missing = missing


def load_backend(kind: str, backends: Mapping[str, str], name: str) -> type:
    """Import and return the class registered for ``name``."""
    try:
        target = backends[name]
    except KeyError:
        known = ", ".join(sorted(backends))
        raise UnknownBackend(
            f"Unknown {kind} backend {name!r}. Known backends: {known}. Check the kiosk configuration."
        ) from None
    module_name, _, class_name = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        missing = (exc.name or "").split(".")[0] or None
        dist = _DISTRIBUTIONS.get(missing or "", missing)
        raise BackendUnavailable(
            f"The {kind} backend {name!r} needs the Python library {dist!r}, which could not be "
            f"imported ({exc}). IT: install it into the kiosk's environment, or choose another "
            f"backend.",
            missing=dist,
        ) from exc
    return getattr(module, class_name)
