"""The key that opens a CCCD chip, from what the citizen gives: the ID number, the date of birth.

PACE uses the CAN, the last 6 digits of the 12-digit ID. BAC uses the MRZ's document number (the
ID's last 9 digits), date of birth and expiry date; the kiosk rarely knows the expiry, so it
tries every one the validity rules allow (``candidate_expiries``), likeliest first.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from devices.card.icao.bac import mrz_key_seed

__all__ = ["AccessKey", "NO_EXPIRY", "candidate_expiries"]

_MILESTONES = (14, 25, 40, 60)  # renewal ages (cccd.md section 3; 14 since the 2024 law)
NO_EXPIRY = "<<<<<<"  # the MRZ's expiry field on a card that does not expire


@dataclasses.dataclass(frozen=True)
class AccessKey:
    """What opens the chip: the CAN for PACE, and/or the MRZ data for BAC (dates YYMMDD)."""

    can: str | None = None
    doc_number: str | None = None
    dob: str | None = None
    expiry: str | None = None

    def __repr__(self) -> str:
        return f"AccessKey(can={'set' if self.can else 'none'}, bac={'set' if self.dob else 'none'})"

    @classmethod
    def from_id(cls, id_number: str, dob: str | None = None, expiry: str | None = None) -> AccessKey:
        """From the 12-digit ID: CAN = its last 6 digits, BAC document number = its last 9."""
        if len(id_number) != 12 or not id_number.isascii() or not id_number.isdigit():
            raise ValueError("the ID number has 12 digits")
        for date in (dob, expiry):
            if date is not None and date != NO_EXPIRY and not _yymmdd(date):
                raise ValueError("dates are six digits YYMMDD")
        return cls(id_number[-6:], id_number[3:], dob, expiry)

    def with_birth_date(self, dob: str) -> AccessKey:
        """The same key with the date of birth the citizen typed (BAC then becomes possible)."""
        if not _yymmdd(dob):
            raise ValueError("the date of birth is six digits YYMMDD")
        return dataclasses.replace(self, dob=dob)

    def bac_seeds(self, today: dt.date | None = None) -> list[bytes]:
        """BAC key seeds to try: the given expiry, else every expiry the validity rules allow."""
        if self.doc_number is None or self.dob is None:
            return []
        expiries = [self.expiry] if self.expiry else candidate_expiries(self.dob, today)
        return [mrz_key_seed(self.doc_number, self.dob, e) for e in expiries]


def _yymmdd(text: str) -> bool:
    return len(text) == 6 and text.isascii() and text.isdigit()


def candidate_expiries(dob: str, today: dt.date | None = None) -> list[str]:
    """Every expiry a card for this date of birth can carry (YYMMDD), likeliest first.

    A card expires on the holder's birthday at a renewal age (14, 25, 40 or 60) or never
    (issued at 58 or older). The still-valid ones come first, nearest first (the citizen is
    using a card they can still use), then the expired ones newest first, then "no expiry"."""
    today = today or dt.date.today()
    born = int(dob[:2])
    year = (1900 if born > today.year % 100 else 2000) + born
    month, day = int(dob[2:4]), int(dob[4:6])
    dates: list[tuple[dt.date, str]] = []
    for age in _MILESTONES:
        try:
            expiry = dt.date(year + age, month, day)
        except ValueError:
            if (month, day) != (2, 29):  # not a calendar date: the MRZ copies it as printed
                dates.append((dt.date(year + age, 12, 31), f"{(year + age) % 100:02d}{dob[2:]}"))
                continue
            expiry = dt.date(year + age, 3, 1)  # born 29 February (as profiles.expected_expiry)
        dates.append((expiry, expiry.strftime("%y%m%d")))
    valid = sorted(d for d in dates if d[0] >= today)
    expired = sorted((d for d in dates if d[0] < today), reverse=True)
    return [text for _, text in valid + expired] + [NO_EXPIRY]


