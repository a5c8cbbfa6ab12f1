"""Who holds a lease, and whether it is still running: leases that survive wall-clock jumps.

Why not the wall clock alone: a lease written while the clock was a year ahead (or in local time
instead of UTC) expires, by the wall clock, a year later; an entry would stay `sending` all that
time. So each lease also records its holder (this boot's id, the process id and the process's
start time) and its expiry on the machine's monotonic clock, which never jumps:

* the holder's process is gone (another boot, or no process with that id and start time): the
  lease is dead now, whatever the clocks say (a killed kiosk's entries come back at once);
* same boot: the monotonic expiry decides (wall-clock jumps either way change nothing);
* nothing comparable (no holder recorded, or no /proc): the wall clock decides, and an expiry
  further ahead than one lease length is treated as expired (it was written by a clock that was
  ahead).

Due times of backed-off entries follow the same idea (`Clocks.due_*`): on this boot the monotonic
time decides; across a reboot the wall time does, and a due time impossibly far ahead is due now.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DUE_AT_SQL", "DUE_SQL", "Clocks", "Holder", "holder_gone", "lease_left_s", "this_process"]

_BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


@dataclass(frozen=True)
class Holder:
    """A process on a boot of this machine; `boot_id` None where the OS does not tell it."""

    boot_id: str | None
    pid: int
    started: str | None  # the process's start time in clock ticks since boot (/proc/<pid>/stat)

    def text(self) -> str | None:
        """What the outbox stores in `lease_holder` (None without a boot id: nothing to compare)."""
        if self.boot_id is None:
            return None
        return f"{self.boot_id}:{self.pid}:{self.started or ''}"

    @staticmethod
    def parse(text: str | None) -> Holder | None:
        if not text or text.count(":") < 2:
            return None
        boot, pid, started = text.rsplit(":", 2)
        try:
            return Holder(boot, int(pid), started or None)
        except ValueError:
            return None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip() or None
    except (OSError, UnicodeDecodeError):
        return None


def process_started(pid: int, proc: Path = Path("/proc")) -> str | None:
    """Field 22 of /proc/<pid>/stat (start time since boot): with the pid it names one process,
    even after the pid is reused. None if there is no such process (or no /proc)."""
    stat = _read(proc / str(pid) / "stat")
    if stat is None:
        return None
    fields = stat.rpartition(")")[2].split()  # the command name may hold spaces and brackets
    return fields[19] if len(fields) > 19 else None


def this_process() -> Holder:
    pid = os.getpid()
    return Holder(_read(_BOOT_ID), pid, process_started(pid))


def holder_gone(stored: str | None, here: Holder,
                started: Callable[[int], str | None] = process_started) -> bool | None:
    """True: the process that wrote this lease is certainly not running; False: it may be (same
    boot, the process is there); None: cannot tell (no holder recorded, or no boot id here)."""
    holder = Holder.parse(stored)
    if holder is None or here.boot_id is None:
        return None
    if holder.boot_id != here.boot_id:
        return True  # a reboot ended every process of the previous boot
    if holder.pid == here.pid and holder.started == here.started:
        return False
    now_started = started(holder.pid)
    return now_started is None or (holder.started is not None and now_started != holder.started)


@dataclass(frozen=True)
class Clocks:
    """The outbox's view of time: the wall clock (stored, shown), this boot's monotonic clock
    (leases and due times on this boot) and who we are (the lease holder)."""

    wall: Callable[[], float] = time.time
    monotonic: Callable[[], float] = time.monotonic
    holder: Holder | None = None

    def me(self) -> Holder:
        return self.holder if self.holder is not None else _current()

    @property
    def boot(self) -> str | None:
        return self.me().boot_id


_cache: dict[int, Holder] = {}


def _current() -> Holder:
    """This process (looked up once per pid: a forked child is another holder than its parent)."""
    pid = os.getpid()
    found = _cache.get(pid)
    if found is None:
        found = _cache[pid] = this_process()
    return found


def lease_left_s(stored_holder: str | None, lease_mono: float | None, lease_wall: float | None,
                 *, me: Holder, now: float, mono: float, lease_s: float) -> float:
    """Seconds until a `sending` row's lease expires; 0 when it has (see the module's rules)."""
    if holder_gone(stored_holder, me):
        return 0.0
    holder = Holder.parse(stored_holder)
    if (holder is not None and me.boot_id is not None and holder.boot_id == me.boot_id
            and lease_mono is not None):
        return max(0.0, lease_mono - mono)
    if lease_wall is None or lease_wall > now + lease_s:  # written by a clock that was ahead
        return 0.0
    return max(0.0, lease_wall - now)


#: SQL: is a pending row due? (parameters :boot, :mono, :now, :max_delay)
DUE_SQL = ("(CASE WHEN due_boot = :boot AND due_mono IS NOT NULL THEN due_mono <= :mono"
           " ELSE next_attempt_at <= :now OR next_attempt_at > :now + :max_delay END)")
#: SQL: when a pending row is due, in wall-clock seconds (same parameters)
DUE_AT_SQL = ("(CASE WHEN due_boot = :boot AND due_mono IS NOT NULL THEN :now + (due_mono - :mono)"
              " WHEN next_attempt_at > :now + :max_delay THEN :now ELSE next_attempt_at END)")
