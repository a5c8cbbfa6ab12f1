"""An ESC/POS interpreter: what a thermal printer does with the bytes it is sent.

The virtual printer's core. It takes the byte stream in whatever pieces it arrives (a socket, a
pty, a file), keeps the dots a real printer would burn onto the paper (``GS v 0`` rasters, ``GS ( k``
QR codes, feeds), finishes a page at each cut (``GS V``), answers real-time status requests
(``DLE EOT n``) from its own paper and cover state, and drops what it is sent while it could not
print (cover open, no paper, offline), as the hardware does. Commands it does not know and text
sent as characters are recorded, so tests can prove the kiosk sends neither.
"""

from __future__ import annotations

import dataclasses

import numpy as np

__all__ = ["Conditions", "EscposStream"]

_LINE_DOTS = 30  # the default line spacing (1/6 inch at 180 dpi; near enough at 203)
_QR_LEVELS = {48: "l", 49: "m", 50: "q", 51: "h"}


@dataclasses.dataclass
class Conditions:
    """The printer's state as a person would change it: open the cover, run out of paper..."""

    cover_open: bool = False
    paper_out: bool = False
    paper_low: bool = False
    offline: bool = False
    cutter_error: bool = False

    @property
    def can_print(self) -> bool:
        return not (self.cover_open or self.paper_out or self.offline or self.cutter_error)

    def status_byte(self, n: int) -> int:
        """The answer to ``DLE EOT n`` (bits 1 and 4 always set)."""
        byte = 0x12
        if n == 1 and not self.can_print:
            byte |= 0x08
        elif n == 2:
            byte |= (0x04 if self.cover_open else 0) | (0x20 if self.paper_out else 0)
        elif n == 3 and self.cutter_error:
            byte |= 0x08
        elif n == 4:
            byte |= (0x0C if self.paper_low or self.paper_out else 0) | \
                (0x60 if self.paper_out else 0)
        return byte


class EscposStream:
    def __init__(self, width_dots: int = 576, conditions: Conditions | None = None) -> None:
        self.width = width_dots
        self.conditions = conditions or Conditions()
        self.pages: list[np.ndarray] = []  # (rows, width) booleans, True = black, one per cut
        self.unknown: list[bytes] = []  # the first bytes of commands not understood
        self.text = bytearray()  # bytes sent as characters (the kiosk sends none)
        self.dropped = 0  # commands ignored because the printer could not print
        self.status_requests = 0
        self._rows: list[np.ndarray] = []
        self._buffer = bytearray()
        self._align = 0
        self._qr_data = b""
        self._qr_module = 3
        self._qr_level = "m"

    # -- input -----------------------------------------------------------------------------------
    def feed(self, data: bytes) -> bytes:
        """Interpret ``data``; returns what the printer sends back (status bytes)."""
        self._buffer += data
        answer = bytearray()
        while self._buffer:
            used = self._one(answer)
            if used == 0:
                break  # an incomplete command: wait for more bytes
            del self._buffer[:used]
        return bytes(answer)

    @property
    def pending_rows(self) -> int:
        """Rows printed since the last cut."""
        return sum(len(r) for r in self._rows)

    def _one(self, answer: bytearray) -> int:
        b = self._buffer
        first = b[0]
        if first == 0x10:
            if len(b) < 3:
                return 0
            if b[1] == 0x04 and 1 <= b[2] <= 4:
                self.status_requests += 1
                answer.append(self.conditions.status_byte(b[2]))
                return 3
            self.unknown.append(bytes(b[:3]))
            return 3
        if first == 0x1B:
            return self._esc()
        if first == 0x1D:
            return self._gs()
        if first == 0x0A:
            self._feed_dots(_LINE_DOTS)
        elif first >= 0x20:
            self.text.append(first)
        return 1

    def _esc(self) -> int:
        b = self._buffer
        if len(b) < 2:
            return 0
        command = b[1]
        if command == ord("@"):
            self._align = 0
            return 2
        if command in (ord("a"), ord("J"), ord("d")):
            if len(b) < 3:
                return 0
            if command == ord("a"):
                self._align = b[2] % 48 if b[2] >= 48 else b[2]
            else:
                self._feed_dots(b[2] if command == ord("J") else b[2] * _LINE_DOTS)
            return 3
        self.unknown.append(bytes(b[:2]))
        return 2

    def _gs(self) -> int:
        b = self._buffer
        if len(b) < 2:
            return 0
        command = b[1]
        if command == ord("v"):
            return self._raster()
        if command == ord("("):
            return self._function()
        if command == ord("V"):
            if len(b) < 3:
                return 0
            size = 4 if b[2] in (65, 66) else 3
            if len(b) < size:
                return 0
            if size == 4:
                self._feed_dots(b[3])
            self._cut()
            return size
        self.unknown.append(bytes(b[:2]))
        return 2

    # -- printing --------------------------------------------------------------------------------
    def _raster(self) -> int:
        b = self._buffer
        if len(b) < 8:
            return 0
        if b[2] not in (0, 48):
            self.unknown.append(bytes(b[:3]))
            return 3
        x = b[4] | b[5] << 8
        y = b[6] | b[7] << 8
        size = 8 + x * y
        if len(b) < size:
            return 0
        data = np.frombuffer(bytes(b[8:size]), np.uint8).reshape(y, x) if x and y else None
        if data is not None:
            self._place(np.unpackbits(data, axis=1).astype(bool))
        return size

    def _function(self) -> int:
        b = self._buffer
        if len(b) < 5:
            return 0
        if b[2] != ord("k"):
            self.unknown.append(bytes(b[:3]))
            return 3
        size = 5 + (b[3] | b[4] << 8)
        if len(b) < size:
            return 0
        body = bytes(b[5:size])
        if len(body) >= 2 and body[0] == 49:
            self._qr(body[1], body[2:])
        else:
            self.unknown.append(bytes(b[:7]))
        return size

    def _qr(self, fn: int, args: bytes) -> None:
        if fn == 67 and args:
            self._qr_module = args[0]
        elif fn == 69 and args:
            self._qr_level = _QR_LEVELS.get(args[0], "m")
        elif fn == 80:
            self._qr_data = args[1:]
        elif fn == 81 and self._qr_data:
            import segno

            matrix = segno.make(self._qr_data.decode("utf-8", "replace"), error=self._qr_level,
                                micro=False, boost_error=False).matrix
            modules = np.pad(np.array(matrix, dtype=bool), 4)  # the quiet zone is white paper
            scale = max(1, self._qr_module)
            self._place(np.kron(modules, np.ones((scale, scale), dtype=bool)))

    def _place(self, dots: np.ndarray) -> None:
        if not self.conditions.can_print:
            self.dropped += 1
            return
        dots = dots[:, :self.width]
        row = np.zeros((dots.shape[0], self.width), dtype=bool)
        left = {1: (self.width - dots.shape[1]) // 2, 2: self.width - dots.shape[1]}.get(
            self._align, 0)
        row[:, left:left + dots.shape[1]] = dots
        self._rows.append(row)

    def _feed_dots(self, dots: int) -> None:
        if dots and self.conditions.can_print:
            self._rows.append(np.zeros((dots, self.width), dtype=bool))

    def _cut(self) -> None:
        if not self.conditions.can_print:
            self.dropped += 1
            return
        if self._rows:
            self.pages.append(np.vstack(self._rows))
        self._rows = []
