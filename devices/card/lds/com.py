"""EF.COM: the LDS version and the list of data groups present (ICAO 9303-10 §4.6.1).

The reader reads only what EF.COM lists (cccd.md section 4), so this is the first file parsed::

    60 { 5F01 "0107"  5F36 "040000"  5C <DG tags> }
"""

from __future__ import annotations

import dataclasses

from devices.card.errors import MalformedData
from devices.card.lds import DG_TAGS, TAG_DGS
from devices.card.lds._tlv import children, encode, expect

__all__ = ["Com", "build", "parse"]


@dataclasses.dataclass(frozen=True, slots=True)
class Com:
    lds_version: str = "0107"       # "aabb": version aa, update level bb
    unicode_version: str = "040000"
    data_groups: tuple[int, ...] = ()

    @property
    def tags(self) -> tuple[int, ...]:
        return tuple(DG_TAGS[dg] for dg in self.data_groups)


def parse(raw: bytes) -> Com:
    fields = children(expect(raw, 0x60, "EF.COM"), "EF.COM")
    if 0x5C not in fields:
        raise MalformedData("EF.COM: the data group list (tag 5C) is missing")
    groups = []
    for tag in fields[0x5C]:
        if tag not in TAG_DGS:
            raise MalformedData(f"EF.COM: unknown data group tag {tag:02X}")
        groups.append(TAG_DGS[tag])
    return Com(
        lds_version=_digits(fields.get(0x5F01, b""), "LDS version"),
        unicode_version=_digits(fields.get(0x5F36, b""), "Unicode version"),
        data_groups=tuple(groups),
    )


def build(com: Com) -> bytes:
    body = (
        encode(0x5F01, com.lds_version.encode("ascii"))
        + encode(0x5F36, com.unicode_version.encode("ascii"))
        + encode(0x5C, bytes(com.tags))
    )
    return encode(0x60, body)


def _digits(value: bytes, what: str) -> str:
    if not all(0x30 <= b <= 0x39 for b in value):
        raise MalformedData(f"EF.COM: the {what} is not numeric")
    return value.decode("ascii")
