"""Camera errors, ordered by phase. Messages are for staff; the citizen is told to show the QR.

::

    CameraError                    anything the camera layer cannot do
     +-- CameraNotFound            opening: no such device or file                  (staff/IT)
     +-- CameraDisconnected        capturing: the device stopped delivering frames  (staff/IT)
     +-- FrameTimeout              waiting: no new frame arrived in time            (retry)
"""

from __future__ import annotations

__all__ = ["CameraDisconnected", "CameraError", "CameraNotFound", "FrameTimeout"]


class CameraError(Exception):
    default_message = "The camera is not working. Please type your ID number, or ask a staff member."

    def __init__(self, message: str | None = None) -> None:
        super().__init__(message or self.default_message)


class CameraNotFound(CameraError):
    default_message = (
        "The camera could not be opened. Staff: check that it is plugged in and that no other "
        "program is using it. Citizens can type their ID number meanwhile."
    )


class CameraDisconnected(CameraError):
    default_message = (
        "The camera stopped sending pictures. Staff: check its cable, then restart the kiosk. "
        "Citizens can type their ID number meanwhile."
    )


class FrameTimeout(CameraError):
    default_message = "The camera did not send a picture in time. Please try again."
