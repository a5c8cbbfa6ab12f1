"""Staff mode: sign-in, the dashboard and assisted sessions, opened by a hidden gesture.

``StaffMode(window)`` attaches everything to the main window from the outside, so the screens and
the flow stay unaware of staff: the main window only passes each payload through
``StaffMode.annotate`` before submitting it.
"""

from __future__ import annotations

from ui.staff.mode import StaffMode

__all__ = ["StaffMode"]
