"""Ways the virtual chip can misbehave, so tests prove the reader copes with real-world failures.

Each mode imitates something seen with real cards and readers: a chip whose MAC does not verify
(a tampered or half-powered card), a response cut short or padded (reader firmware bugs), a wrong
status word, a card pulled out of the field, a chip that answers slowly (weak field, PACE on an
old chip). A mode starts misbehaving after ``after`` well-behaved APDUs, so a test can let the
handshake succeed and break the file reads.

Spec strings (the CLI's ``--hostile``): ``MODE[:AFTER[:PARAM]]``, e.g. ``remove:12``,
``wrong-sw:5:6A82``, ``slow:0:2.5``.
"""

from __future__ import annotations

import dataclasses

__all__ = ["MODES", "ChipRemoved", "Hostile"]

MODES = ("wrong-mac", "truncate", "oversize", "wrong-sw", "remove", "slow")


class ChipRemoved(Exception):
    """Raised by ``VirtualChip.process`` when the card 'leaves the field': transports map it to
    their own way of losing a card (``CardRemoved``, a closed vpcd socket)."""


@dataclasses.dataclass
class Hostile:
    mode: str
    after: int = 0  # this many APDUs are answered honestly first
    sw: int = 0x6F00  # wrong-sw: the status word to answer instead
    delay_s: float = 2.0  # slow: how long each answer takes
    extra: int = 32  # oversize: bytes appended beyond what was asked
    seen: int = dataclasses.field(default=0, init=False)

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown hostile mode {self.mode!r}; known: {', '.join(MODES)}")
        if self.after < 0:
            raise ValueError("'after' must be 0 or more")

    @classmethod
    def parse(cls, spec: str) -> Hostile:
        """``MODE[:AFTER[:PARAM]]``; PARAM is the SW in hex, the delay in s or the extra bytes."""
        mode, _, rest = spec.partition(":")
        after_text, _, param = rest.partition(":")
        try:
            after = int(after_text) if after_text else 0
            hostile = cls(mode, after)
            if param and mode == "wrong-sw":
                hostile.sw = int(param, 16)
            elif param and mode == "slow":
                hostile.delay_s = float(param)
            elif param and mode == "oversize":
                hostile.extra = int(param)
        except ValueError as exc:
            raise ValueError(f"bad hostile spec {spec!r}: {exc}") from None
        return hostile

    def active(self) -> bool:
        return self.seen > self.after

    def before_command(self) -> None:
        """Count the APDU; in ``remove`` mode, the card leaves instead of answering it."""
        self.seen += 1
        if self.mode == "remove" and self.active():
            raise ChipRemoved()

    def delay(self) -> float:
        """Seconds the current answer should take (0 unless ``slow`` and active)."""
        return self.delay_s if self.mode == "slow" and self.active() else 0.0

    def mangle(self, response: bytes, *, secured: bool) -> bytes:
        """The response as the misbehaving chip sends it."""
        if not self.active() or len(response) < 2:
            return response
        data, sw = response[:-2], response[-2:]
        if self.mode == "wrong-mac" and secured and len(data) >= 8:
            # DO'8E' (the MAC) is last in a protected response: flip its final byte.
            return data[:-1] + bytes([data[-1] ^ 0x01]) + sw
        if self.mode == "truncate":
            return response[: len(response) // 2]
        if self.mode == "oversize":
            return data + bytes(i & 0xFF for i in range(self.extra)) + sw
        return response

    def status_word(self, sw: int) -> int:
        """The status word the chip reports (applied before secure messaging wraps it)."""
        return self.sw if self.mode == "wrong-sw" and self.active() else sw
