"""Giving memory the kiosk no longer uses back to the system.

The C allocator keeps memory that was freed (start-up's temporary objects, the last citizen's
screens and photos) for reuse and does not hand it back on its own; a kiosk that runs for months
then holds far more than it uses. ``malloc_trim`` (glibc) returns the free pages to the system.
Called at the quiet moments: once start-up has finished, and when a session has ended.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import logging
from collections.abc import Callable

__all__ = ["release_free_memory"]

log = logging.getLogger(__name__)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, looked up once; None elsewhere."""
    name = ctypes.util.find_library("c")
    try:
        trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    except OSError:
        trim = None
    if trim is None:
        log.debug("malloc_trim is not available (not glibc): free memory stays with the kiosk")
    return trim


def release_free_memory(*, collect: bool = False) -> bool:
    """Return the allocator's free pages to the system (well under a millisecond); False where
    that cannot be done. ``collect``: first collect Python's unreachable cycles, which takes tens
    of milliseconds or more (start-up's end, where nobody waits)."""
    if collect:
        gc.collect()
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
