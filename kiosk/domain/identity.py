"""The citizen's identity, as read from a card, a QR code or typed in, and the ID number rules.

The 12-digit personal ID number is ``PPP S YY RRRRRR``: ``PPP`` the province (or country) where the
birth was registered, ``S`` century and sex, ``YY`` the last two digits of the birth year.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re

__all__ = [
    "CitizenIdentity",
    "IdProblem",
    "IdSource",
    "PROVINCE_CODES",
    "Sex",
    "check_id_number",
]


class Sex(enum.Enum):
    MALE = "M"
    FEMALE = "F"

    @classmethod
    def from_text(cls, text: str) -> Sex:
        """Parse ``Nam``/``Nữ`` (as printed on the card), ``M``/``F`` or English words."""
        key = text.strip().casefold()
        if key in {"nam", "m", "male"}:
            return cls.MALE
        if key in {"nữ", "nu", "f", "female"}:
            return cls.FEMALE
        raise ValueError(f"unknown sex value {text!r}")


class IdSource(enum.Enum):
    CHIP = "chip"
    QR = "qr"
    TYPED = "typed"


#: Province codes used in ID numbers (the 63 provinces before the 2025 merger; still used in IDs).
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội", "002": "Hà Giang", "004": "Cao Bằng", "006": "Bắc Kạn", "008": "Tuyên Quang",
    "010": "Lào Cai", "011": "Điện Biên", "012": "Lai Châu", "014": "Sơn La", "015": "Yên Bái",
    "017": "Hòa Bình", "019": "Thái Nguyên", "020": "Lạng Sơn", "022": "Quảng Ninh",
    "024": "Bắc Giang", "025": "Phú Thọ", "026": "Vĩnh Phúc", "027": "Bắc Ninh", "030": "Hải Dương",
    "031": "Hải Phòng", "033": "Hưng Yên", "034": "Thái Bình", "035": "Hà Nam", "036": "Nam Định",
    "037": "Ninh Bình", "038": "Thanh Hóa", "040": "Nghệ An", "042": "Hà Tĩnh", "044": "Quảng Bình",
    "045": "Quảng Trị", "046": "Thừa Thiên Huế", "048": "Đà Nẵng", "049": "Quảng Nam",
    "051": "Quảng Ngãi", "052": "Bình Định", "054": "Phú Yên", "056": "Khánh Hòa",
    "058": "Ninh Thuận", "060": "Bình Thuận", "062": "Kon Tum", "064": "Gia Lai", "066": "Đắk Lắk",
    "067": "Đắk Nông", "068": "Lâm Đồng", "070": "Bình Phước", "072": "Tây Ninh",
    "074": "Bình Dương", "075": "Đồng Nai", "077": "Bà Rịa–Vũng Tàu", "079": "TP Hồ Chí Minh",
    "080": "Long An", "082": "Tiền Giang", "083": "Bến Tre", "084": "Trà Vinh", "086": "Vĩnh Long",
    "087": "Đồng Tháp", "089": "An Giang", "091": "Kiên Giang", "092": "Cần Thơ",
    "093": "Hậu Giang", "094": "Sóc Trăng", "095": "Bạc Liêu", "096": "Cà Mau",
}

_ID_RE = re.compile(r"[0-9]{12}")  # ASCII digits: \d also takes other scripts' digits


class IdProblem(enum.Enum):
    """Why an ID number is not acceptable. The UI turns each into a translated sentence."""

    NOT_12_DIGITS = "not_12_digits"
    UNKNOWN_PROVINCE = "unknown_province"
    CENTURY_MISMATCH = "century_mismatch"
    YEAR_MISMATCH = "year_mismatch"
    SEX_MISMATCH = "sex_mismatch"


def check_id_number(
    id_number: str, date_of_birth: dt.date | None = None, sex: Sex | None = None
) -> list[IdProblem]:
    """Return the problems with ``id_number`` (empty when it is acceptable).

    Structure is always checked; agreement with the date of birth and sex when they are given.
    Codes that do not start with ``0`` denote a country of birth abroad and are accepted as is.
    """
    if not _ID_RE.fullmatch(id_number or ""):
        return [IdProblem.NOT_12_DIGITS]
    problems: list[IdProblem] = []
    province = id_number[:3]
    if province.startswith("0") and province not in PROVINCE_CODES:
        problems.append(IdProblem.UNKNOWN_PROVINCE)
    gender_century = int(id_number[3])
    century = 1900 + 100 * (gender_century // 2)
    if date_of_birth is not None:
        if date_of_birth.year // 100 * 100 != century:
            problems.append(IdProblem.CENTURY_MISMATCH)
        if date_of_birth.year % 100 != int(id_number[4:6]):
            problems.append(IdProblem.YEAR_MISMATCH)
    if sex is not None:
        id_sex = Sex.MALE if gender_century % 2 == 0 else Sex.FEMALE
        if sex is not id_sex:
            problems.append(IdProblem.SEX_MISMATCH)
    return problems


@dataclasses.dataclass(frozen=True, slots=True)
class CitizenIdentity:
    """Who the citizen is. Only ``id_number`` and ``source`` are always known (a typed ID)."""

    id_number: str
    source: IdSource
    full_name: str | None = None
    date_of_birth: dt.date | None = None
    sex: Sex | None = None
    nationality: str | None = None
    ethnicity: str | None = None
    religion: str | None = None
    place_of_origin: str | None = None
    residence: str | None = None
    issue_date: dt.date | None = None
    expiry_date: dt.date | None = None
    old_id_number: str | None = None
    father_name: str | None = None
    mother_name: str | None = None
    spouse_name: str | None = None

    def __repr__(self) -> str:  # never leak personal data into logs or tracebacks
        return f"CitizenIdentity(source={self.source.value}, id=***{self.id_number[-3:]})"

    __str__ = __repr__

    @property
    def can(self) -> str:
        """The card access number used for PACE: the last 6 digits of the ID number."""
        return self.id_number[-6:]

    def age_on(self, day: dt.date) -> int | None:
        """Age in whole years on ``day``, or None when the date of birth is unknown."""
        if self.date_of_birth is None:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
