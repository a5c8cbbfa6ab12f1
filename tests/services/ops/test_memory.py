"""Free memory goes back to the system at the kiosk's quiet moments (glibc's malloc_trim)."""

from __future__ import annotations

import os
import platform

import pytest

from kiosk.services.ops.memory import release_free_memory

PAGE = os.sysconf("SC_PAGE_SIZE")


def resident_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * PAGE


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_memory_freed_inside_the_heap_is_handed_back():
    # 64 MB in blocks the C allocator keeps in its heap, then one small block above them, so the
    # freed space is not at the heap's top (which the allocator would give back by itself)
    blocks = [bytearray(8192) for _ in range(8192)]
    for block in blocks:
        block[::PAGE] = b"x" * len(block[::PAGE])  # touched: resident
    keep = bytearray(8192)
    del blocks
    before = resident_bytes()
    assert release_free_memory(collect=True)
    after = resident_bytes()
    assert before - after > 32 * 2**20, (before, after)
    del keep


def test_it_says_so_where_it_cannot(monkeypatch):
    from kiosk.services.ops import memory

    monkeypatch.setattr(memory, "_malloc_trim", lambda: None)
    assert release_free_memory() is False
