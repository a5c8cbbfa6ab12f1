"""Dossier codes (Circular 01/2018/TT-VPCP art. 19) and other identifiers shared by client and portal.

A dossier code is `<unit code>-YYMMDD-NNNN`: the receiving unit's code, the receipt date in Vietnam
time (UTC+7, no daylight saving) and a per-unit, per-day sequence number starting at 0001.  The
sequence is zero-padded to four digits; a unit that receives more than 9999 dossiers in a day gets
five or six digits rather than a failure, so the pattern accepts 4 to 6.

A submission the kiosk had to queue gets the kiosk's own reference first, `Q-YYMMDD-NNNN` (the
outbox's per-day counter, same date and sequence rules); the portal's dossier code replaces it
once the dossier is sent. "Q" alone is never a unit code on a receipt, so the two never mix.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

__all__ = [
    "DOSSIER_CODE_RE",
    "IDEMPOTENCY_KEY_RE",
    "LOCAL_REF_RE",
    "UNIT_CODE_RE",
    "VIETNAM_TZ",
    "format_dossier_code",
    "format_local_ref",
    "is_dossier_code",
    "is_idempotency_key",
    "vietnam_day",
]

VIETNAM_TZ = timezone(timedelta(hours=7), "ICT")

UNIT_CODE_RE = re.compile(r"[A-Z0-9][A-Z0-9.]{0,31}")
DOSSIER_CODE_RE = re.compile(r"(?P<unit>[A-Z0-9][A-Z0-9.]{0,31})-(?P<day>[0-9]{6})-(?P<seq>[0-9]{4,6})")
#: The kiosk's own reference of a queued submission (see the module's docstring).
LOCAL_REF_RE = re.compile(r"Q-(?P<day>[0-9]{6})-(?P<seq>[0-9]{4,6})")
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


def format_local_ref(day: str, seq: int) -> str:
    """``Q-<day>-<seq>``; ``day`` is the ``YYMMDD`` text the outbox counts by."""
    reference = f"Q-{day}-{seq:04d}"
    if not LOCAL_REF_RE.fullmatch(reference) or seq < 1:
        raise ValueError("a local reference needs a YYMMDD day and a sequence of 1 to 999999")
    return reference


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
