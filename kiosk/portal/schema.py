"""What the reference portal accepts: the procedure list and the dossier submission payload.

Why messages name the field but never echo its value: the payload carries the citizen's personal
data, and error bodies end up in kiosk logs and staff screens.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from kiosk.identity import IdSource
from kiosk.portal.codes import UNIT_CODE_RE

__all__ = ["PayloadInvalid", "canonical_hash", "load_procedures", "validate_submission"]

log = logging.getLogger(__name__)

_ID_NUMBER_RE = re.compile(r"[0-9]{12}")
_KIOSK_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
IDENTIFIED_BY = tuple(source.value for source in IdSource)  # chip, qr, typed
SEXES = ("M", "F")


@dataclass
class PayloadInvalid(Exception):
    """The submission breaks the contract; `field` is a dotted path, `message` safe to show."""

    field: str
    message: str
    code: str = "invalid_field"

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def canonical_hash(obj: Any) -> str:
    """SHA-256 of the JSON in a canonical form, so key order and spacing do not count as changes."""
    text = json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def load_procedures(folder: Path) -> dict[str, dict]:
    """`{code: {code, name, category}}` from every `*.json` in `folder`; unreadable files are skipped."""
    out: dict[str, dict] = {}
    for path in sorted(Path(folder).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            name = data["name"]
            item = {"code": str(data["code"]), "name": {"vi": str(name["vi"]), "en": str(name["en"])},
                    "category": str(data["category"])}
        except (OSError, ValueError, KeyError, TypeError):
            log.warning("skipping procedure file %s: not an object with code, name{vi,en}, category", path.name)
            continue
        out[item["code"]] = item
    return out


def _text(obj: dict, key: str, prefix: str, *, max_len: int = 200, required: bool = True) -> str | None:
    """The text at `key`; optional fields may be absent or null (the kiosk sends null when unknown)."""
    field = f"{prefix}{key}"
    value = obj.get(key)
    if value is None:
        if required:
            raise PayloadInvalid(field, "is required", "missing_field")
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > max_len:
        raise PayloadInvalid(field, f"must be non-empty text of at most {max_len} characters")
    return value


def _check_pattern(value: str | None, pattern: re.Pattern[str], field: str, message: str) -> None:
    if value is None or not pattern.fullmatch(value):
        raise PayloadInvalid(field, message)


def _check_applicant(applicant: object) -> None:
    """Only the ID number and how it was obtained are always known (a typed ID has nothing else)."""
    if not isinstance(applicant, dict):
        raise PayloadInvalid("applicant", "must be an object")
    p = "applicant."
    _check_pattern(_text(applicant, "id_number", p), _ID_NUMBER_RE, p + "id_number", "must be 12 digits")
    if _text(applicant, "identified_by", p, max_len=16) not in IDENTIFIED_BY:
        raise PayloadInvalid(p + "identified_by", "must be one of " + ", ".join(IDENTIFIED_BY))
    _text(applicant, "full_name", p, required=False)
    dob = _text(applicant, "date_of_birth", p, max_len=10, required=False)
    if dob is not None:
        try:
            date.fromisoformat(dob)
        except ValueError:
            raise PayloadInvalid(p + "date_of_birth", "must be a date YYYY-MM-DD") from None
    if _text(applicant, "sex", p, max_len=1, required=False) not in (None, *SEXES):
        raise PayloadInvalid(p + "sex", "must be M or F")
    _text(applicant, "residence", p, max_len=500, required=False)


def validate_submission(body: object, procedures: dict[str, dict]) -> dict:
    """Return the payload if it follows the contract in docs/architecture.md, else raise PayloadInvalid."""
    if not isinstance(body, dict):
        raise PayloadInvalid("", "the body must be a JSON object", "invalid_body")
    _check_pattern(_text(body, "unit_code", "", max_len=32), UNIT_CODE_RE, "unit_code",
                   "must match [A-Z0-9][A-Z0-9.]{0,31}")
    _check_pattern(_text(body, "kiosk_id", "", max_len=64), _KIOSK_ID_RE, "kiosk_id",
                   "must be 1..64 letters, digits, dot, dash or underscore")
    if _text(body, "procedure_code", "", max_len=64) not in procedures:
        raise PayloadInvalid("procedure_code", "is not a procedure this portal accepts", "unknown_procedure")
    if "applicant" not in body:
        raise PayloadInvalid("applicant", "is required", "missing_field")
    _check_applicant(body["applicant"])
    if not isinstance(body.get("form"), dict):
        raise PayloadInvalid("form", "must be an object", "missing_field" if "form" not in body else "invalid_field")
    submitted = _text(body, "submitted_at", "", max_len=40)
    try:
        parsed = datetime.fromisoformat(submitted)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise PayloadInvalid("submitted_at", "must be an ISO 8601 time with a UTC offset")
    return body
