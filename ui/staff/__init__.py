"""Staff mode: sign-in, the dashboard and assisted sessions, opened by a hidden gesture.

``StaffMode(StaffParts(...))`` is built by the main window from the parts it names, so the screens
and the flow stay unaware of staff: the window only passes each payload through
``StaffMode.annotate`` before submitting it, and the receipt shows the line staff mode gives it.
"""

from __future__ import annotations

from ui.staff.mode import StaffMode, StaffParts

__all__ = ["StaffMode", "StaffParts"]
