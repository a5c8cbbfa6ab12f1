"""Cameras: the interface, the errors and the backend registry (backends imported when chosen)."""

from __future__ import annotations

from devices._registry import BackendUnavailable, UnknownBackend, load_backend
from devices.camera import errors
from devices.camera.base import Camera, Frame

__all__ = ["BACKENDS", "BackendUnavailable", "Camera", "Frame", "UnknownBackend", "errors", "open_camera"]

#: Backend name -> "module:Class".
BACKENDS: dict[str, str] = {
    "virtual": "devices.camera.virtual:VirtualCamera",
    "opencv": "devices.camera.opencv:OpenCvCamera",
}


def open_camera(name: str, **options: object) -> Camera:
    """Build the camera backend called ``name`` with backend-specific ``options`` (not started)."""
    cls = load_backend("camera", BACKENDS, name)
    return cls(**options)
