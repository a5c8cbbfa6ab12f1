"""How issued chips differ from the textbook one: behaviours the virtual chip can take on.

``Hostile`` (hostile.py) makes the chip misbehave the way broken cards and readers do; ``Quirks``
makes it behave the way correct but different chips do, each seen on issued documents and each
something a reader has to cope with:

- ``sfi_status``: no short file identifiers. READ BINARY by SFI is answered with this status
  (6A82, 6A86, 6D00 and 6986 are all seen); the file has to be SELECTed by its file ID.
- ``wrong_key_sw``: the status a wrong BAC or PACE key gets (6300, 63Cx with the tries left,
  6982, 6983, 6984, 6988, 6A80).
- ``no_do99``: protected answers without DO'99' (the status only in the trailer).
- ``plain_errors``: error statuses answered without secure messaging (and not counted).
- ``max_response``: the longest answer the chip sends in one extended-length APDU; the chip
  says so in EF.ATR/INFO (and its historical bytes) when ``VirtualChip(extended_length=True)``.
"""

from __future__ import annotations

import dataclasses

__all__ = ["Quirks", "WRONG_KEY_STATUSES"]

#: Every status an issued chip has been seen to answer a wrong access key with.
WRONG_KEY_STATUSES = (0x6300, 0x63C2, 0x6982, 0x6983, 0x6984, 0x6988, 0x6A80)


@dataclasses.dataclass(frozen=True)
class Quirks:
    sfi_status: int | None = None
    wrong_key_sw: int = 0x6300
    no_do99: bool = False
    plain_errors: bool = False
    max_response: int = 0x8000

    def wrong_key(self, tries_left: int) -> int:
        """The status for a wrong key; a 63Cx chip reports the tries left in x."""
        if self.wrong_key_sw & 0xFFF0 == 0x63C0:
            return 0x63C0 | max(0, min(tries_left, 15))
        return self.wrong_key_sw
