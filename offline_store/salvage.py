"""Page-level salvage of a damaged SQLite file: every record still readable on any page.

Why our own reader: SQLite's `.recover` needs the `sqlite_dbpage` table, which the `sqlite3` 3.40
of Debian 12 is built without (`.recover` fails there with "no such table: sqlite_dbpage"), and
Python's sqlite3 has no recovery API. The file format is small and documented
(https://www.sqlite.org/fileformat2.html): pages of one size; b-tree pages start with a flag
(0x0D table leaf, 0x0A index leaf, 0x02 index interior) and a cell pointer array; a cell holds a
record (a header of serial types, then the values), spilling into a chain of overflow pages when
large. This module walks every page of the file and of its `-wal` (each frame is a newer copy of
a page) and yields what it can parse; it never follows the b-tree's structure, so a damaged page
costs only its own cells, and a damaged cell only itself. Each cell is bounds-checked: damaged
bytes end that cell's parse, never the scan.

What it yields is raw: table-leaf records with their rowid, and index records (whose last value is
the rowid of the row they point to, which is how a destroyed row's reference can still be known).
`offline_store.recovery` decides which records are outbox rows and which can be trusted (each
payload is AES-GCM: a damaged one does not decrypt).
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Cell", "Value", "scan_file"]

Value = int | float | bytes | str | None

_TABLE_LEAF, _INDEX_LEAF, _INDEX_INTERIOR = 0x0D, 0x0A, 0x02
_WAL_HEADER, _FRAME_HEADER = 32, 24
_WAL_MAGIC = (0x377F0682, 0x377F0683)
_MAX_OVERFLOW_PAGES = 4096  # a 16 MiB record at 4 KiB pages: far beyond any outbox row


class _Bad(Exception):
    """The bytes at hand cannot be what they claim: skip this cell."""


@dataclass(frozen=True)
class Cell:
    kind: str                 # "table" (a row) or "index"
    rowid: int | None         # table cells: the row's id
    values: tuple[Value, ...]
    generation: int           # 0 for the database file; n for the WAL's n-th frame (newer)


def _varint(buf: bytes | mmap.mmap, pos: int, end: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        if pos + i >= end:
            raise _Bad("varint past the end")
        byte = buf[pos + i]
        if i == 8:
            return (value << 8) | byte, pos + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, pos + i + 1
    raise _Bad("unreachable")  # pragma: no cover


def _signed(value: int, bits: int) -> int:
    return value - (1 << bits) if value >= 1 << (bits - 1) else value


def parse_record(data: bytes) -> tuple[Value, ...]:
    """The values of one record (https://www.sqlite.org/fileformat2.html#record_format)."""
    size, pos = _varint(data, 0, len(data))
    if not 1 <= size <= len(data):
        raise _Bad("record header size")
    types = []
    while pos < size:
        serial, pos = _varint(data, pos, size)
        types.append(serial)
    out: list[Value] = []
    body = size
    for serial in types:
        value, body = _value(data, body, serial)
        out.append(value)
    return tuple(out)


def _value(data: bytes, pos: int, serial: int) -> tuple[Value, int]:
    widths = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}
    if serial == 0:
        return None, pos
    if serial in widths:
        n = widths[serial]
        if pos + n > len(data):
            raise _Bad("integer past the end")
        return _signed(int.from_bytes(data[pos:pos + n], "big"), 8 * n), pos + n
    if serial == 7:
        if pos + 8 > len(data):
            raise _Bad("float past the end")
        return struct.unpack(">d", data[pos:pos + 8])[0], pos + 8
    if serial in (8, 9):
        return serial - 8, pos
    if serial in (10, 11):
        raise _Bad("reserved serial type")
    n = (serial - 12) // 2
    if pos + n > len(data):
        raise _Bad("blob or text past the end")
    raw = bytes(data[pos:pos + n])
    if serial % 2 == 0:
        return raw, pos + n
    try:
        return raw.decode("utf-8"), pos + n
    except UnicodeDecodeError:
        raise _Bad("text is not UTF-8") from None


class _Pages:
    """Page access for overflow chains: the database file's pages, newest WAL copy first."""

    def __init__(self, db: bytes | mmap.mmap, size: int, wal: dict[int, bytes]) -> None:
        self._db, self._size, self._wal = db, size, wal

    def get(self, number: int) -> bytes:
        if number in self._wal:
            return self._wal[number]
        start = (number - 1) * self._size
        if number < 1 or start + self._size > len(self._db):
            raise _Bad("overflow page out of range")
        return bytes(self._db[start:start + self._size])


def _payload(page: bytes, pos: int, length: int, usable: int, max_local: int,
             pages: _Pages) -> bytes:
    """A cell's payload, following its overflow chain when it does not fit in the page."""
    if length <= max_local:
        if pos + length > len(page):
            raise _Bad("payload past the page")
        return page[pos:pos + length]
    min_local = (usable - 12) * 32 // 255 - 23
    local = min_local + (length - min_local) % (usable - 4)
    if local > max_local:
        local = min_local
    if pos + local + 4 > len(page):
        raise _Bad("payload past the page")
    parts = [page[pos:pos + local]]
    next_page = int.from_bytes(page[pos + local:pos + local + 4], "big")
    remaining = length - local
    for _ in range(_MAX_OVERFLOW_PAGES):
        if remaining <= 0:
            break
        if next_page == 0:
            raise _Bad("overflow chain ends early")
        overflow = pages.get(next_page)
        take = min(remaining, usable - 4)
        parts.append(overflow[4:4 + take])
        remaining -= take
        next_page = int.from_bytes(overflow[:4], "big")
    if remaining > 0:
        raise _Bad("overflow chain too long")
    return b"".join(parts)


def _cells(page: bytes, header_at: int, usable: int, pages: _Pages,
           generation: int) -> Iterator[Cell]:
    flag = page[header_at]
    if flag not in (_TABLE_LEAF, _INDEX_LEAF, _INDEX_INTERIOR):
        return
    count = int.from_bytes(page[header_at + 3:header_at + 5], "big")
    pointers = header_at + (12 if flag == _INDEX_INTERIOR else 8)
    max_local = usable - 35 if flag == _TABLE_LEAF else (usable - 12) * 64 // 255 - 23
    for i in range(min(count, (usable - pointers) // 2)):
        offset = int.from_bytes(page[pointers + 2 * i:pointers + 2 * i + 2], "big")
        if not pointers < offset < usable:
            continue
        try:
            yield _cell(page, offset, flag, usable, max_local, pages, generation)
        except (_Bad, IndexError, ValueError, struct.error):
            continue


def _cell(page: bytes, pos: int, flag: int, usable: int, max_local: int, pages: _Pages,
          generation: int) -> Cell:
    if flag == _INDEX_INTERIOR:
        pos += 4  # the left child's page number
    length, pos = _varint(page, pos, usable)
    rowid = None
    if flag == _TABLE_LEAF:
        rowid, pos = _varint(page, pos, usable)
        rowid = _signed(rowid, 64)
    if length > 64 * 1024 * 1024:
        raise _Bad("implausible payload length")
    values = parse_record(_payload(page, pos, length, usable, max_local, pages))
    return Cell("table" if flag == _TABLE_LEAF else "index", rowid, values, generation)


def _geometry(db: bytes | mmap.mmap) -> tuple[int, int]:
    """(page size, usable bytes per page) from the header, or SQLite's defaults if it is damaged."""
    if len(db) >= 100 and db[:16] == b"SQLite format 3\x00":
        raw = int.from_bytes(db[16:18], "big")
        size = 65536 if raw == 1 else raw
        reserved = db[20]
        if 512 <= size <= 65536 and size & (size - 1) == 0 and reserved < size - 480:
            return size, size - reserved
    return 4096, 4096


def _wal_frames(path: Path, page_size: int) -> list[tuple[int, bytes]]:
    """(page number, page bytes) of every frame of the `-wal` file, oldest first."""
    try:
        data = path.read_bytes()
    except OSError:
        return []
    if len(data) < _WAL_HEADER or int.from_bytes(data[:4], "big") not in _WAL_MAGIC:
        return []
    size = int.from_bytes(data[8:12], "big") or page_size
    frames = []
    pos = _WAL_HEADER
    while pos + _FRAME_HEADER + size <= len(data):
        number = int.from_bytes(data[pos:pos + 4], "big")
        frames.append((number, data[pos + _FRAME_HEADER:pos + _FRAME_HEADER + size]))
        pos += _FRAME_HEADER + size
    return frames


def scan_file(path: Path) -> Iterator[Cell]:
    """Every parseable cell of the database file `path` and of `<path>-wal`."""
    with path.open("rb") as handle:
        try:
            db: bytes | mmap.mmap = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except ValueError:  # an empty file cannot be mapped
            db = b""
        try:
            size, usable = _geometry(db)
            frames = _wal_frames(path.with_name(path.name + "-wal"), size)
            latest = {number: page for number, page in frames}
            pages = _Pages(db, size, latest)
            for index in range(len(db) // size):
                page = bytes(db[index * size:(index + 1) * size])
                yield from _cells(page, 100 if index == 0 else 0, usable, pages, 0)
            for generation, (number, page) in enumerate(frames, start=1):
                yield from _cells(page, 100 if number == 1 else 0, usable, pages, generation)
        finally:
            if isinstance(db, mmap.mmap):
                db.close()
