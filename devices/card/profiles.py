"""Fictitious card-holders for the virtual reader, loaded from TOML files.

A profile holds what the chip would carry: the DG13 fields (cccd.md section 6), the MRZ-relevant
fields (DG1) and an optional portrait (DG2). Profiles are validated on load, because a demo or a
test built on an impossible card (an ID that contradicts the birth date) teaches the wrong thing;
a deliberately inconsistent profile, for testing the kiosk's checks, says ``allow_inconsistent``.

Example::

    id_number = "079195012345"
    full_name = "Trần Thị Minh Anh"
    date_of_birth = 1995-03-14
    sex = "Nữ"
    issue_date = 2021-05-10
    expiry_date = 2035-03-14        # omit for a card without expiry
    portrait = "../samples/portraits/079195012345.jpg"   # relative to the TOML file
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
import unicodedata
from pathlib import Path
from typing import Any

from devices.card.mrz import td1_lines
from kiosk.domain.identity import CitizenIdentity, IdSource, Sex, check_id_number

__all__ = ["CardProfile", "ProfileError", "expected_expiry", "list_profiles", "load_profile"]

_TEXT_FIELDS = (
    "full_name", "nationality", "ethnicity", "religion", "place_of_origin", "residence",
    "identifying_marks", "old_id_number", "father_name", "mother_name", "spouse_name", "label",
)
_DATE_FIELDS = ("date_of_birth", "issue_date", "expiry_date")
_KNOWN = {"id_number", "sex", "portrait", "allow_inconsistent", *_TEXT_FIELDS, *_DATE_FIELDS}
_REQUIRED = ("id_number", "full_name", "date_of_birth", "sex", "issue_date")
_OLD_ID_RE = re.compile(r"\d{9}|\d{12}")


class ProfileError(ValueError):
    """A profile file is unusable; the message names the file and the key."""


@dataclasses.dataclass(frozen=True, slots=True)
class CardProfile:
    id_number: str
    full_name: str
    date_of_birth: dt.date
    sex: Sex
    issue_date: dt.date
    expiry_date: dt.date | None = None  # None: no expiry (issued at 58 or older)
    nationality: str = "Việt Nam"
    ethnicity: str | None = None
    religion: str | None = None
    place_of_origin: str | None = None
    residence: str | None = None
    identifying_marks: str | None = None
    old_id_number: str | None = None
    father_name: str | None = None
    mother_name: str | None = None
    spouse_name: str | None = None
    portrait: Path | None = None
    label: str | None = None  # a staff-facing description, e.g. "elderly, no expiry"
    allow_inconsistent: bool = False
    source_path: Path | None = None

    def __repr__(self) -> str:
        name = self.source_path.name if self.source_path else "-"
        return f"CardProfile(file={name}, id=***{self.id_number[-3:]})"

    def identity(self, source: IdSource = IdSource.CHIP) -> CitizenIdentity:
        return CitizenIdentity(
            id_number=self.id_number, source=source, full_name=self.full_name,
            date_of_birth=self.date_of_birth, sex=self.sex, nationality=self.nationality,
            ethnicity=self.ethnicity, religion=self.religion,
            place_of_origin=self.place_of_origin, residence=self.residence,
            issue_date=self.issue_date, expiry_date=self.expiry_date,
            old_id_number=self.old_id_number, father_name=self.father_name,
            mother_name=self.mother_name, spouse_name=self.spouse_name,
        )

    def mrz(self) -> tuple[str, str, str]:
        sex_code = "F" if self.sex is Sex.FEMALE else "M"
        return td1_lines(
            self.id_number, self.date_of_birth, sex_code, self.expiry_date, self.full_name
        )

    def portrait_bytes(self) -> bytes | None:
        return None if self.portrait is None else self.portrait.read_bytes()


def expected_expiry(date_of_birth: dt.date, issue_date: dt.date) -> dt.date | None:
    """Expiry by cccd.md section 3: the birthday at the first milestone above age-at-issue + 2."""
    age = issue_date.year - date_of_birth.year - (
        (issue_date.month, issue_date.day) < (date_of_birth.month, date_of_birth.day)
    )
    milestones = (14, 25, 40, 60) if issue_date >= dt.date(2024, 7, 1) else (25, 40, 60)
    for milestone in milestones:
        if milestone > age + 2:
            year = date_of_birth.year + milestone
            try:
                return date_of_birth.replace(year=year)
            except ValueError:  # born 29 February
                return dt.date(year, 3, 1)
    return None


def load_profile(path: str | Path) -> CardProfile:
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ProfileError(f"{path}: cannot read the profile ({exc})") from exc
    return _build(path, data)


def list_profiles(directory: str | Path) -> list[CardProfile]:
    """Every ``*.toml`` profile in ``directory``, sorted by file name."""
    return [load_profile(p) for p in sorted(Path(directory).glob("*.toml"))]


def _build(path: Path, data: dict[str, Any]) -> CardProfile:
    def fail(key: str, problem: str) -> ProfileError:
        return ProfileError(f"{path}: key {key!r}: {problem}")

    unknown = sorted(set(data) - _KNOWN)
    if unknown:
        raise fail(unknown[0], f"unknown key (known keys: {', '.join(sorted(_KNOWN))})")
    for key in _REQUIRED:
        if key not in data:
            raise fail(key, "is required")
    values: dict[str, Any] = {"source_path": path}
    for key in _TEXT_FIELDS:
        if key in data:
            if not isinstance(data[key], str) or not data[key].strip():
                raise fail(key, "must be a non-empty string")
            values[key] = unicodedata.normalize("NFC", data[key].strip())
    for key in _DATE_FIELDS:
        if key in data:
            if not isinstance(data[key], dt.date) or isinstance(data[key], dt.datetime):
                raise fail(key, "must be a TOML date like 1995-03-14")
            values[key] = data[key]
    values["id_number"] = _string(data["id_number"], fail("id_number", "must be a string"))
    try:
        values["sex"] = Sex.from_text(_string(data["sex"], fail("sex", "must be a string")))
    except ValueError:
        raise fail("sex", "must be 'Nam' or 'Nữ'") from None
    allow = data.get("allow_inconsistent", False)
    if not isinstance(allow, bool):
        raise fail("allow_inconsistent", "must be true or false")
    values["allow_inconsistent"] = allow
    if "portrait" in data:
        portrait = (path.parent / _string(data["portrait"], fail("portrait", "must be a path")))
        if not portrait.is_file():
            raise fail("portrait", "file not found (run scripts/make_samples.py)")
        values["portrait"] = portrait.resolve()
    profile = CardProfile(**values)
    if not allow:
        _check_consistent(profile, fail)
    return profile


def _string(value: object, error: ProfileError) -> str:
    if not isinstance(value, str):
        raise error
    return value


def _check_consistent(profile: CardProfile, fail: Any) -> None:
    problems = check_id_number(profile.id_number, profile.date_of_birth, profile.sex)
    if problems:
        names = ", ".join(p.value for p in problems)
        raise fail("id_number", f"{names} (set allow_inconsistent = true if deliberate)")
    if profile.old_id_number is not None and not _OLD_ID_RE.fullmatch(profile.old_id_number):
        raise fail("old_id_number", "must be 9 or 12 digits")
    if profile.issue_date < profile.date_of_birth:
        raise fail("issue_date", "is before the date of birth")
    expected = expected_expiry(profile.date_of_birth, profile.issue_date)
    if profile.expiry_date != expected:
        shown = expected.isoformat() if expected else "no expiry (omit the key)"
        raise fail("expiry_date", f"does not follow the renewal ages; expected {shown}")
