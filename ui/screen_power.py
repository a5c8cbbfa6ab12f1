"""Keep a kiosk's screen on while it runs: no X screen saver, no blanking, no DPMS power-off.

A citizen walking up to a kiosk must find it awake, and a blanked kiosk looks broken. In kiosk mode
on X11 the kiosk does what ``xset s off s noblank -dpms`` does, through ``xset`` itself (Debian's
x11-xserver-utils), and puts the server's previous settings back when it stops, so a developer's
desktop is left as it was. Under Wayland the compositor decides: the kiosk compositor cage never
blanks (docs/install.md). Nothing here raises: a display that refuses is logged for IT and the
kiosk runs on.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import shutil
import subprocess
from collections.abc import Callable, Sequence

__all__ = ["ScreenPower", "XSettings", "parse_xset_query"]

log = logging.getLogger(__name__)

Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]
TIMEOUT_S = 5.0


@dataclasses.dataclass(frozen=True)
class XSettings:
    """What ``xset q`` reports about the screen saver and DPMS."""

    saver_timeout: int
    saver_cycle: int
    prefer_blanking: bool
    dpms: bool | None  # None: the server has no DPMS extension

    def restore_args(self) -> list[str]:
        args = ["s", str(self.saver_timeout), str(self.saver_cycle),
                "s", "blank" if self.prefer_blanking else "noblank"]
        if self.dpms is not None:
            args.append("+dpms" if self.dpms else "-dpms")
        return args


def parse_xset_query(text: str) -> XSettings | None:
    timing = re.search(r"timeout:\s*(\d+)\s+cycle:\s*(\d+)", text)
    blanking = re.search(r"prefer blanking:\s*(yes|no)", text)
    if timing is None or blanking is None:
        return None
    dpms = re.search(r"DPMS is (Enabled|Disabled)", text)
    return XSettings(int(timing[1]), int(timing[2]), blanking[1] == "yes",
                     None if dpms is None else dpms[1] == "Enabled")


def _run(argv: Sequence[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(list(argv), capture_output=True, text=True, timeout=TIMEOUT_S,
                          check=False)


class ScreenPower:
    """``keep_on()`` at start in kiosk mode, ``restore()`` at exit (safe to call without keep_on)."""

    def __init__(self, platform: str, *, runner: Runner = _run, xset: str | None = None) -> None:
        self.platform = platform
        self._runner = runner
        self._xset = xset if xset is not None else shutil.which("xset")
        self._saved: XSettings | None = None

    def keep_on(self) -> bool:
        if self.platform != "xcb":
            return False  # Wayland: the compositor's idle policy applies
        if not self._xset:
            log.warning("The screen may blank: xset is not installed "
                        "(IT: apt-get install x11-xserver-utils).")
            return False
        before = self._query()
        if before is None:
            return False
        args = ["s", "off", "s", "noblank"] + (["-dpms"] if before.dpms is not None else [])
        if not self._xset_ok(args):
            return False
        self._saved = before
        log.info("Screen saver and DPMS off while the kiosk runs")
        return True

    def restore(self) -> None:
        saved, self._saved = self._saved, None
        if saved is not None and self._xset_ok(saved.restore_args()):
            log.info("Screen saver and DPMS settings restored")

    def _query(self) -> XSettings | None:
        done = self._call(["q"])
        settings = parse_xset_query(done.stdout) if done is not None and done.returncode == 0 else None
        if settings is None:
            log.warning("The screen may blank: the X server's screen saver settings are unreadable.")
        return settings

    def _xset_ok(self, args: list[str]) -> bool:
        done = self._call(args)
        if done is None or done.returncode != 0:
            log.warning("The screen may blank: `xset %s` failed.", " ".join(args))
            return False
        return True

    def _call(self, args: list[str]) -> subprocess.CompletedProcess[str] | None:
        try:
            return self._runner([str(self._xset), *args])
        except (OSError, subprocess.TimeoutExpired) as exc:
            log.warning("xset did not answer (%s)", type(exc).__name__)
            return None
