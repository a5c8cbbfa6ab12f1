"""When the kiosk next asks the portal whether it is there (the connection pill's check).

While a citizen uses the kiosk the pill is on screen and must tell the truth: a check every
``base_s``, and one at once when a session starts and the last check is older than that. While
the welcome screen waits (the pill is hidden there) nobody reads the answer but the fleet's
metrics and the staff dashboard, so the gap doubles after each check up to ``idle_max_s``: an
idle kiosk wakes its radio, the portal and the outbox's database a few times an hour instead of
six times a minute. A change of answer (reachable to unreachable or back) is followed closely
again: the gap starts over from ``base_s``.
"""

from __future__ import annotations

__all__ = ["HealthSchedule"]


class HealthSchedule:
    """Seconds until the next check, from what happened: a check finished, a session began or
    ended. Times are the caller's (seconds on a monotonic clock); nothing here sleeps."""

    def __init__(self, base_s: float, idle_max_s: float) -> None:
        if base_s <= 0 or idle_max_s <= 0:
            raise ValueError("the check intervals must be positive")
        self.base_s = float(base_s)
        self.idle_max_s = max(float(base_s), float(idle_max_s))
        self.active = False
        self._idle_gap_s = self.base_s
        self._last_reachable: bool | None = None

    def checked(self, reachable: bool) -> float:
        """A check has finished: the seconds until the next one."""
        changed = self._last_reachable is not None and reachable != self._last_reachable
        self._last_reachable = reachable
        if self.active or changed:
            self._idle_gap_s = min(self.base_s * 2, self.idle_max_s)
            return self.base_s
        gap = self._idle_gap_s
        self._idle_gap_s = min(gap * 2, self.idle_max_s)
        return gap

    def set_active(self, active: bool, since_last_check_s: float | None) -> float | None:
        """A session began (``active``) or the kiosk went back to waiting. Returns the seconds
        until the next check when that changes (0: check now), None when the current plan holds.

        ``since_last_check_s``: how long ago the last check finished (None: none has yet)."""
        if active == self.active:
            return None
        self.active = active
        self._idle_gap_s = self.base_s
        if not active:
            return None  # the check already planned comes; the gaps grow from there
        if since_last_check_s is None:
            return 0.0
        return max(0.0, self.base_s - since_last_check_s)
