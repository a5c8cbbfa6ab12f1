"""BER-TLV as ISO 7816-4 and ICAO 9303 use it: multi-byte tags, definite lengths up to 4 bytes.

Tags are handled as integers holding the tag's bytes big-endian (``0x7F49``, ``0x5F1F``), which is
how the standards print them. Decoding is strict: a value running past the end, an indefinite
length, or trailing bytes after the last object raise ``MalformedData`` naming the offset, so a
corrupted chip answer is rejected instead of silently misread. Non-minimal length encodings
(``81 05``) are accepted because real chips emit them.
"""

from __future__ import annotations

from devices.card.errors import MalformedData

__all__ = [
    "decode_all",
    "decode_length",
    "decode_one",
    "decode_tag",
    "encode",
    "encode_length",
    "encode_tag",
    "find",
    "is_constructed",
]

_MAX_LENGTH_BYTES = 4


def _bad(what: str, offset: int) -> MalformedData:
    return MalformedData(f"The card's data could not be decoded ({what} at byte {offset}).")


def decode_tag(data: bytes, offset: int = 0) -> tuple[int, int]:
    """Return ``(tag, next_offset)``; a tag whose low five bits are all ones continues."""
    if offset >= len(data):
        raise _bad("missing tag", offset)
    first = data[offset]
    tag = first
    pos = offset + 1
    if first & 0x1F != 0x1F:
        return tag, pos
    while True:
        if pos >= len(data):
            raise _bad("truncated multi-byte tag", offset)
        if pos - offset >= 4:
            raise _bad("tag longer than 4 bytes", offset)
        byte = data[pos]
        tag = (tag << 8) | byte
        pos += 1
        if not byte & 0x80:
            return tag, pos


def decode_length(data: bytes, offset: int) -> tuple[int, int]:
    """Return ``(length, next_offset)``; rejects the indefinite form ``80``."""
    if offset >= len(data):
        raise _bad("missing length", offset)
    first = data[offset]
    if first < 0x80:
        return first, offset + 1
    count = first & 0x7F
    if count == 0:
        raise _bad("indefinite length", offset)
    if count > _MAX_LENGTH_BYTES:
        raise _bad("length field too long", offset)
    end = offset + 1 + count
    if end > len(data):
        raise _bad("truncated length", offset)
    return int.from_bytes(data[offset + 1 : end], "big"), end


def decode_one(data: bytes, offset: int = 0) -> tuple[int, bytes, int]:
    """Decode the object at ``offset``: ``(tag, value, next_offset)``."""
    tag, pos = decode_tag(data, offset)
    length, pos = decode_length(data, pos)
    end = pos + length
    if end > len(data):
        raise _bad(f"value of tag {tag:X} runs past the end", offset)
    return tag, bytes(data[pos:end]), end


def decode_all(data: bytes) -> list[tuple[int, bytes]]:
    """Decode a concatenation of objects that must fill ``data`` exactly."""
    out: list[tuple[int, bytes]] = []
    offset = 0
    while offset < len(data):
        tag, value, offset = decode_one(data, offset)
        out.append((tag, value))
    return out


def find(data: bytes, tag: int) -> bytes | None:
    """The value of the first top-level object with ``tag`` in ``data``, or None."""
    for found, value in decode_all(data):
        if found == tag:
            return value
    return None


def is_constructed(tag: int) -> bool:
    """Bit 6 of the tag's first byte marks a constructed (nested) object."""
    first = tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")[0]
    return bool(first & 0x20)


def encode_tag(tag: int) -> bytes:
    """The tag's bytes; raises ValueError for an integer that is not a well-formed tag."""
    if tag < 0 or tag > 0xFFFFFFFF:
        raise ValueError(f"tag out of range: {tag:#x}")
    raw = tag.to_bytes(max(1, (tag.bit_length() + 7) // 8), "big")
    multi = raw[0] & 0x1F == 0x1F
    if len(raw) == 1 and multi:
        raise ValueError(f"tag {tag:#x} announces more bytes")
    if len(raw) > 1:
        if not multi:
            raise ValueError(f"tag {tag:#x} has extra bytes")
        if any(not b & 0x80 for b in raw[1:-1]) or raw[-1] & 0x80:
            raise ValueError(f"tag {tag:#x} has bad continuation bits")
    return raw


def encode_length(length: int) -> bytes:
    """Minimal definite length: short form below 128, else ``81``..``84`` and the bytes."""
    if length < 0:
        raise ValueError("negative length")
    if length < 0x80:
        return bytes([length])
    raw = length.to_bytes((length.bit_length() + 7) // 8, "big")
    if len(raw) > _MAX_LENGTH_BYTES:
        raise ValueError("value too long for BER-TLV")
    return bytes([0x80 | len(raw)]) + raw


def encode(tag: int, value: bytes) -> bytes:
    """One TLV object."""
    return encode_tag(tag) + encode_length(len(value)) + bytes(value)
