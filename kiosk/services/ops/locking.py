"""An exclusive file lock with a finite wait (``flock`` itself has no timeout)."""

from __future__ import annotations

import fcntl
import time

__all__ = ["LockTimeout", "lock_exclusive"]


class LockTimeout(TimeoutError):
    """Another process held the lock for longer than the wait allowed."""


def lock_exclusive(fd: int, timeout_s: float = 5.0, poll_s: float = 0.02) -> None:
    """Take an exclusive ``flock`` on ``fd`` or raise LockTimeout after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockTimeout(f"a file stayed locked for more than {timeout_s:g} s") from None
            time.sleep(poll_s)
