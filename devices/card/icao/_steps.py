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

# Status words with which a chip says "wrong password / key" (or "no tries left") at any step,
# and the further ones issued chips use for a key that did not match at the step that checks it
# (BAC's EXTERNAL AUTHENTICATE, PACE's token): "wrong data" and "SM data objects incorrect".
_REFUSALS = {0x6300, 0x6982, 0x6983, 0x6984}
_FINAL_REFUSALS = _REFUSALS | {0x6988, 0x6A80}


def as_response(raw: bytes | ResponseApdu) -> ResponseApdu:
    return raw if isinstance(raw, ResponseApdu) else ResponseApdu.parse(raw)


def refused(sw: int, *, final: bool = False) -> bool:
    """6300 / 63Cx (wrong secret, x tries left), 6982, 6983 (blocked), 6984; at the step that
    checks the key (``final``) also 6988 and 6A80. None of them means "this reader cannot read
    the chip": the key did not match."""
    return sw in (_FINAL_REFUSALS if final else _REFUSALS) or sw & 0xFFF0 == 0x63C0


def sw_error(err: CardError, sw: int, detail: str) -> CardError:
    """Attach the status word and an IT-facing detail to an error (the message stays plain)."""
    err.sw = sw
    err.detail = detail
    return err


def unsupported(sw: int, step: str) -> CardError:
    return sw_error(UnsupportedOperation(), sw, f"{step} answered {sw:04X}")


def denied(message: str | None, sw: int, step: str) -> CardError:
    return sw_error(AccessDenied(message), sw, f"{step} answered {sw:04X}")
