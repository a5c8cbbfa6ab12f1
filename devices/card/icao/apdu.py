"""ISO/IEC 7816-4 command and response APDUs, short and extended length.

``le`` is Ne, the most response bytes the terminal accepts: ``None`` means no Le field; in short
form 256 is written ``00``, in extended form 65536 is written ``0000``. ``le=0`` is accepted as
"the maximum" and written the same way. Short form is the default because several common
readers (ACR1281, ACR1252) refuse extended APDUs; asking for a short encoding of a command that
does not fit raises ValueError, a programming error for the caller to fix (smaller blocks).
"""

from __future__ import annotations

import dataclasses

from devices.card.errors import MalformedData

__all__ = ["CLA_CHAINING", "CommandApdu", "ResponseApdu", "SW_OK"]

SW_OK = 0x9000
CLA_CHAINING = 0x10

_SHORT_MAX_DATA = 255
_SHORT_MAX_LE = 256
_EXT_MAX = 65536


def _bad(what: str) -> MalformedData:
    return MalformedData(f"A card command could not be decoded ({what}).")


@dataclasses.dataclass(frozen=True, slots=True)
class CommandApdu:
    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None

    def __post_init__(self) -> None:
        for name in ("cla", "ins", "p1", "p2"):
            if not 0 <= getattr(self, name) <= 0xFF:
                raise ValueError(f"{name} must be one byte")
        object.__setattr__(self, "data", bytes(self.data))
        if len(self.data) > _EXT_MAX - 1:
            raise ValueError("command data too long")
        if self.le is not None and not 0 <= self.le <= _EXT_MAX:
            raise ValueError("le out of range")

    def __repr__(self) -> str:  # data may carry key material or personal data: show its size
        le = "None" if self.le is None else str(self.le)
        return (
            f"CommandApdu({self.cla:02X} {self.ins:02X} {self.p1:02X} {self.p2:02X}, "
            f"<{len(self.data)} bytes>, le={le})"
        )

    @property
    def header(self) -> bytes:
        return bytes([self.cla, self.ins, self.p1, self.p2])

    def fits_short(self) -> bool:
        return len(self.data) <= _SHORT_MAX_DATA and (self.le or 0) <= _SHORT_MAX_LE

    def to_bytes(self, extended: bool = False) -> bytes:
        """Encode; ``extended`` selects the 3-byte Lc / 2- or 3-byte Le form (ISO 7816-3 §12.1)."""
        if not extended:
            if not self.fits_short():
                raise ValueError("command needs an extended-length APDU")
            out = self.header
            if self.data:
                out += bytes([len(self.data)]) + self.data
            if self.le is not None:
                out += bytes([self.le & 0xFF])
            return out
        out = self.header
        if self.data:
            out += b"\x00" + len(self.data).to_bytes(2, "big") + self.data
        if self.le is not None:
            le = (self.le & 0xFFFF).to_bytes(2, "big")
            out += le if self.data else b"\x00" + le
        return out

    @classmethod
    def parse(cls, raw: bytes) -> CommandApdu:
        """Decode any of the seven ISO 7816-3 cases; raises ``MalformedData``."""
        raw = bytes(raw)
        if len(raw) < 4:
            raise _bad("shorter than a header")
        cla, ins, p1, p2 = raw[:4]
        body = raw[4:]
        if not body:
            return cls(cla, ins, p1, p2)
        if len(body) == 1:
            return cls(cla, ins, p1, p2, le=body[0] or _SHORT_MAX_LE)
        if body[0] != 0:
            return cls._parse_short(cla, ins, p1, p2, body)
        return cls._parse_extended(cla, ins, p1, p2, body)

    @classmethod
    def _parse_short(cls, cla: int, ins: int, p1: int, p2: int, body: bytes) -> CommandApdu:
        lc = body[0]
        if len(body) == 1 + lc:
            return cls(cla, ins, p1, p2, body[1:])
        if len(body) == 2 + lc:
            return cls(cla, ins, p1, p2, body[1:-1], body[-1] or _SHORT_MAX_LE)
        raise _bad("length byte does not match the data")

    @classmethod
    def _parse_extended(cls, cla: int, ins: int, p1: int, p2: int, body: bytes) -> CommandApdu:
        if len(body) == 3:
            return cls(cla, ins, p1, p2, le=int.from_bytes(body[1:3], "big") or _EXT_MAX)
        if len(body) < 3:
            raise _bad("truncated extended length")
        lc = int.from_bytes(body[1:3], "big")
        if lc == 0:
            raise _bad("extended Lc of zero")
        rest = body[3:]
        if len(rest) == lc:
            return cls(cla, ins, p1, p2, rest)
        if len(rest) == lc + 2:
            return cls(cla, ins, p1, p2, rest[:lc], int.from_bytes(rest[lc:], "big") or _EXT_MAX)
        raise _bad("extended length does not match the data")


@dataclasses.dataclass(frozen=True, slots=True)
class ResponseApdu:
    data: bytes
    sw: int

    def __post_init__(self) -> None:
        object.__setattr__(self, "data", bytes(self.data))
        if not 0 <= self.sw <= 0xFFFF:
            raise ValueError("status word must be two bytes")

    @property
    def sw1(self) -> int:
        return self.sw >> 8

    @property
    def sw2(self) -> int:
        return self.sw & 0xFF

    @property
    def ok(self) -> bool:
        return self.sw == SW_OK

    def to_bytes(self) -> bytes:
        return self.data + self.sw.to_bytes(2, "big")

    @classmethod
    def parse(cls, raw: bytes) -> ResponseApdu:
        raw = bytes(raw)
        if len(raw) < 2:
            raise MalformedData("The card's answer was cut short (no status word).")
        return cls(raw[:-2], int.from_bytes(raw[-2:], "big"))

    def __repr__(self) -> str:  # never print chip data (it may be personal)
        return f"ResponseApdu(<{len(self.data)} bytes>, sw={self.sw:04X})"
