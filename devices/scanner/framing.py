"""Cut a scanner's byte stream into one code per scan.

Scanners end each code with a configurable suffix (CR, CR LF, LF or TAB are the common factory
settings) and may start it with a prefix (often STX, or a symbology letter). Some are set to send
no suffix at all; then a pause longer than ``idle_s`` after the last byte ends the code, which is
also the safety net for a scanner whose suffix is not the configured one. A code longer than
``max_bytes`` is cut there and reported as it is, so the classifier rejects it as too long rather
than the buffer growing without bound.
"""

from __future__ import annotations

import codecs

__all__ = ["Framer", "parse_affix"]

_NAMES = {"CR": "\r", "LF": "\n", "CRLF": "\r\n", "TAB": "\t", "STX": "\x02", "ETX": "\x03",
          "NONE": ""}


def parse_affix(text: str) -> bytes:
    """A prefix or suffix as configured: a name (``CR``, ``CRLF``, ``LF``, ``TAB``, ``STX``,
    ``ETX``, ``NONE``) or text with Python escapes (``\\r\\n``, ``\\x02``)."""
    named = _NAMES.get(text.strip().upper())
    if named is not None:
        return named.encode("ascii")
    try:
        return codecs.decode(text, "unicode_escape").encode("latin-1")
    except (UnicodeDecodeError, UnicodeEncodeError) as exc:
        raise ValueError(f"cannot use {text!r} as a scanner prefix or suffix") from exc


class Framer:
    def __init__(self, *, prefix: bytes = b"", suffix: bytes = b"\r", idle_s: float = 0.15,
                 max_bytes: int = 4096) -> None:
        if idle_s <= 0 or max_bytes <= 0:
            raise ValueError("idle_s and max_bytes must be positive")
        self.prefix, self.suffix, self.idle_s, self.max_bytes = prefix, suffix, idle_s, max_bytes
        self._buffer = bytearray()
        self._last = 0.0

    def feed(self, data: bytes, now: float) -> list[bytes]:
        """The codes completed by ``data`` (arrived at ``now``), in order."""
        frames: list[bytes] = []
        if data:
            if self._buffer and now - self._last > self.idle_s:
                frames += self._take_all()
            self._buffer += data
            self._last = now
        while self.suffix and (end := self._buffer.find(self.suffix)) >= 0:
            frame = bytes(self._buffer[:end])
            del self._buffer[:end + len(self.suffix)]
            frames.append(frame)
        while len(self._buffer) > self.max_bytes:
            frames.append(bytes(self._buffer[:self.max_bytes + 1]))
            del self._buffer[:self.max_bytes + 1]
        return [self._strip(f) for f in frames if f.strip(b"\r\n")]

    def flush_if_idle(self, now: float) -> list[bytes]:
        """The pending code, once nothing has arrived for ``idle_s``."""
        if self._buffer and now - self._last > self.idle_s:
            return [self._strip(f) for f in self._take_all() if f.strip(b"\r\n")]
        return []

    @property
    def pending(self) -> bool:
        """Part of a code has arrived and its end has not."""
        return bool(self._buffer)

    def reset(self) -> None:
        self._buffer.clear()

    def _take_all(self) -> list[bytes]:
        frame = bytes(self._buffer)
        self._buffer.clear()
        return [frame]

    def _strip(self, frame: bytes) -> bytes:
        if self.prefix and frame.startswith(self.prefix):
            frame = frame[len(self.prefix):]
        return frame.strip(b"\r\n")

