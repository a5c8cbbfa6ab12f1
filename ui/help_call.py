"""The header's "Gọi hỗ trợ" (call staff) key: a citizen who is stuck asks for a person.

Pressing it raises a call: the key says that staff are called, the kiosk says so aloud when it has a
voice, rings the display's bell, lights the help lamp where one is configured
(``devices.help_light``: a file such as an LED's ``brightness`` that takes "1" and "0"), writes
``help.requested`` to the audit log and shows the call on the staff dashboard and in the metrics
(``motcua_help_requested``). Pressing it again withdraws the call. A staff member answers it by
taking over the session in assisted mode (the dashboard's first key); the session's end withdraws
it too. Nothing about the citizen is recorded: the step they were on, and the time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QPushButton

__all__ = ["HelpCall"]

log = logging.getLogger(__name__)


class HelpCall(QObject):
    """``changed(active)`` after the call was raised or withdrawn or answered."""

    changed = Signal(bool)

    def __init__(self, key: QPushButton, *, audit: Callable[[str, str, dict], None],
                 say: Callable[[str], bool], step: Callable[[], str],
                 set_metric: Callable[[bool], None], light: str = "",
                 clock: Callable[[], float] = time.time, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.key, self._audit, self._say, self._step = key, audit, say, step
        self._set_metric, self._clock = set_metric, clock
        self._light = Path(light) if light else None
        self.since: float | None = None  # when the call was raised; None: no call
        self.step_name = ""
        key.setCheckable(True)
        key.clicked.connect(self.on_key_clicked)
        self.retranslate()

    @property
    def active(self) -> bool:
        return self.since is not None

    def on_key_clicked(self) -> None:
        if self.active:
            self.end("help.cancelled")
        else:
            self.raise_call()

    def raise_call(self) -> None:
        if self.active:
            return
        self.since, self.step_name = self._clock(), self._step()
        self._audit("help.requested", "citizen", {"step": self.step_name})
        self._signal(True)
        QApplication.beep()
        self._say(self.tr("Staff have been called. Please wait, someone is coming to help you."))

    def end(self, action: str, by: str = "citizen") -> None:
        """Withdraw (``help.cancelled``), answer (``help.answered``, ``by`` the staff ID) or close
        the call with the session (``help.ended``)."""
        if not self.active:
            return
        self.since = None
        self._audit(action, by, {"step": self._step()})
        self._signal(False)

    def _signal(self, on: bool) -> None:
        self.key.setChecked(on)
        self.retranslate()
        self._set_metric(on)
        self._set_light(on)
        self.changed.emit(on)

    def _set_light(self, on: bool) -> None:
        if self._light is None:
            return
        try:
            self._light.write_text("1" if on else "0", encoding="ascii")
        except OSError as exc:
            log.warning("The help light %s cannot be switched (%s). IT: check devices.help_light "
                        "and that the kiosk user may write it.", self._light, type(exc).__name__)

    def retranslate(self) -> None:
        self.key.setText("🛎 " + (self.tr("Staff called") if self.active else self.tr("Call staff")))
        self.key.setAccessibleName(self.tr("Withdraw the call for staff") if self.active
                                   else self.tr("Call a staff member to help you"))
