"""Dossier codes (Circular 01/2018/TT-VPCP art. 19) and other identifiers shared by client and portal.

A dossier code is `<unit code>-YYMMDD-NNNN`: the receiving unit's code, the receipt date in Vietnam
time (UTC+7, no daylight saving) and a per-unit, per-day sequence number starting at 0001.  The
sequence is zero-padded to four digits; a unit that receives more than 9999 dossiers in a day gets
five or six digits rather than a failure, so the pattern accepts 4 to 6.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

__all__ = [
    "DOSSIER_CODE_RE",
    "IDEMPOTENCY_KEY_RE",
    "UNIT_CODE_RE",
    "VIETNAM_TZ",
    "format_dossier_code",
    "is_dossier_code",
    "is_idempotency_key",
    "vietnam_day",
]

VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")

UNIT_CODE_RE = re.compile(r"[A-Z0-9][A-Z0-9.]{0,31}")
DOSSIER_CODE_RE = re.compile(r"(?P<unit>[A-Z0-9][A-Z0-9.]{0,31})-(?P<day>[0-9]{6})-(?P<seq>[0-9]{4,6})")
#: Printable ASCII, 1..255 characters (IETF httpapi Idempotency-Key draft; we accept any token).
IDEMPOTENCY_KEY_RE = re.compile(r"[\x20-\x7e]{1,255}")


def vietnam_day(epoch_s: float) -> date:
    """The calendar day in Vietnam at that instant: receipt dates follow local office time."""
    return datetime.fromtimestamp(epoch_s, VIETNAM_TZ).date()


def format_dossier_code(unit_code: str, day: date, seq: int) -> str:
    if not UNIT_CODE_RE.fullmatch(unit_code):
        raise ValueError("unit code must match [A-Z0-9][A-Z0-9.]{0,31}")
    if not 1 <= seq <= 999_999:
        raise ValueError("sequence number out of range")
    return f"{unit_code}-{day:%y%m%d}-{seq:04d}"


def is_dossier_code(text: object) -> bool:
    """True when `text` is a well-formed dossier code whose date part is a real calendar date."""
    if not isinstance(text, str):
        return False
    match = DOSSIER_CODE_RE.fullmatch(text)
    if match is None or int(match["seq"]) == 0:
        return False
    try:
        datetime.strptime(match["day"], "%y%m%d")
    except ValueError:
        return False
    return True


def is_idempotency_key(text: object) -> bool:
    return isinstance(text, str) and IDEMPOTENCY_KEY_RE.fullmatch(text) is not None
