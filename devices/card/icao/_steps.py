"""Shared helpers for the terminal/card step objects of BAC and PACE."""

from __future__ import annotations

import os
from collections.abc import Callable

from devices.card.errors import AccessDenied, CardError, UnsupportedOperation
from devices.card.icao.apdu import ResponseApdu

__all__ = ["DEFAULT_RNG", "Rng", "as_response", "denied", "refused", "sw_error", "unsupported"]

Rng = Callable[[int], bytes]
"""``rng(n) -> n random bytes``; ``os.urandom`` in production, a script in tests."""

DEFAULT_RNG: Rng = os.urandom

# Status words with which a chip says "wrong password / key".
_REFUSALS = {0x6300, 0x6982, 0x6983, 0x6984}


def as_response(raw: bytes | ResponseApdu) -> ResponseApdu:
    return raw if isinstance(raw, ResponseApdu) else ResponseApdu.parse(raw)


def refused(sw: int) -> bool:
    """6300 / 63Cx (wrong secret, x tries left), 6982, 6983 (blocked), 6984."""
    return sw in _REFUSALS or sw & 0xFFF0 == 0x63C0


def sw_error(err: CardError, sw: int, detail: str) -> CardError:
    """Attach the status word and an IT-facing detail to an error (the message stays plain)."""
    err.sw = sw
    err.detail = detail
    return err


def unsupported(sw: int, step: str) -> CardError:
    return sw_error(UnsupportedOperation(), sw, f"{step} answered {sw:04X}")


def denied(message: str | None, sw: int, step: str) -> CardError:
    return sw_error(AccessDenied(message), sw, f"{step} answered {sw:04X}")
