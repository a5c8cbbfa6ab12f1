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

from kiosk.domain.attachments import MAX_ATTACHMENT_BYTES, MEDIA_TYPES
from kiosk.domain.forms import mobile_number
from kiosk.domain.identity import IdSource
from kiosk.domain.codes import UNIT_CODE_RE

__all__ = ["PUBLIC_PROCEDURE_KEYS", "PayloadInvalid", "attachment_refs", "canonical_hash",
           "load_procedures", "validate_submission"]

log = logging.getLogger(__name__)

_ID_NUMBER_RE = re.compile(r"[0-9]{12}")
_KIOSK_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
IDENTIFIED_BY = tuple(source.value for source in IdSource)  # chip, qr, typed
SEXES = ("M", "F")
_SHA256_RE = re.compile(r"[0-9a-f]{64}")
MAX_ATTACHMENTS = 20
MAX_PAGES = 500
#: What `GET /procedures` shows of a procedure; the rest (attachment field ids) is for validation.
PUBLIC_PROCEDURE_KEYS = ("code", "name", "category")


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


def _attachment_fields(data: dict[str, Any]) -> list[str]:
    """Ids of the procedure's document-photo fields (type "attachment"); none if fields are odd."""
    fields = data.get("fields")
    if not isinstance(fields, list):
        return []
    return sorted(str(f["id"]) for f in fields
                  if isinstance(f, dict) and f.get("type") == "attachment" and "id" in f)


def load_procedures(folder: Path) -> dict[str, dict[str, Any]]:
    """`{code: {code, name, category, attachment_fields}}` from every `*.json` in `folder`;
    unreadable files are skipped. `attachment_fields` is not shown by `GET /procedures`."""
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(Path(folder).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            name = data["name"]
            item = {"code": str(data["code"]), "name": {"vi": str(name["vi"]), "en": str(name["en"])},
                    "category": str(data["category"]), "attachment_fields": _attachment_fields(data)}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            log.warning("skipping procedure file %s: not an object with code, name{vi,en}, category", path.name)
            continue
        out[str(data["code"])] = item
    return out


def _text(obj: dict[str, Any], key: str, prefix: str, *, max_len: int = 200, required: bool = True) -> str | None:
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


def _whole(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _check_attachment(item: object, where: str, allowed: set[str], form: dict[str, Any]) -> str:
    """One `attachments[i]` item; returns its field id."""
    if not isinstance(item, dict):
        raise PayloadInvalid(where, "must be an object")
    field = item.get("field")
    if not isinstance(field, str) or field not in allowed:
        raise PayloadInvalid(where + ".field", "is not a document field of this procedure")
    sha = item.get("sha256")
    if not isinstance(sha, str) or not _SHA256_RE.fullmatch(sha):
        raise PayloadInvalid(where + ".sha256", "must be 64 lowercase hexadecimal digits")
    if form.get(field) != sha:
        raise PayloadInvalid(where + ".sha256", "is not the answer of its field in form")
    if item.get("media_type") not in MEDIA_TYPES:
        raise PayloadInvalid(where + ".media_type", "must be one of " + ", ".join(MEDIA_TYPES))
    if not _whole(item.get("size"), 1, MAX_ATTACHMENT_BYTES):
        raise PayloadInvalid(where + ".size", f"must be a whole number 1..{MAX_ATTACHMENT_BYTES}")
    if "pages" in item and not _whole(item["pages"], 1, MAX_PAGES):
        raise PayloadInvalid(where + ".pages", f"must be a whole number 1..{MAX_PAGES}")
    return field


def _check_attachments(body: dict[str, Any], procedure: dict[str, Any]) -> None:
    """Each listed document belongs to a document field whose answer is its SHA-256, once; and
    every answered document field is listed (else the dossier would name a document never sent)."""
    items = body.get("attachments", [])
    if not isinstance(items, list) or len(items) > MAX_ATTACHMENTS:
        raise PayloadInvalid("attachments", f"must be a list of at most {MAX_ATTACHMENTS} items")
    allowed, form = set(procedure.get("attachment_fields", ())), body["form"]
    listed: set[str] = set()
    for i, item in enumerate(items):
        field = _check_attachment(item, f"attachments[{i}]", allowed, form)
        if field in listed:
            raise PayloadInvalid(f"attachments[{i}].field", "is listed twice")
        listed.add(field)
    for field in sorted(allowed - listed):
        if form.get(field) not in (None, ""):
            raise PayloadInvalid(f"form.{field}", "names a document that is not in attachments")


def _check_notify(body: dict[str, Any]) -> None:
    """Optional `notify: {"sms": "<10-digit Vietnamese mobile>"}` (the citizen's opt-in)."""
    if "notify" not in body or body["notify"] is None:
        return
    notify = body["notify"]
    if not isinstance(notify, dict) or set(notify) - {"sms"}:
        raise PayloadInvalid("notify", "must be an object with only 'sms'")
    sms = notify.get("sms")
    if not isinstance(sms, str) or len(sms) != 10 or mobile_number(sms) != sms:
        raise PayloadInvalid("notify.sms", "must be a 10-digit Vietnamese mobile number")


def attachment_refs(body: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, sha256) of every document a VALID payload lists."""
    return [(item["field"], item["sha256"]) for item in body.get("attachments", [])]


def validate_submission(body: object, procedures: dict[str, dict[str, Any]]) -> dict[str, Any]:
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
    submitted = _text(body, "submitted_at", "", max_len=40) or ""
    try:
        parsed = datetime.fromisoformat(submitted)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise PayloadInvalid("submitted_at", "must be an ISO 8601 time with a UTC offset")
    _check_attachments(body, procedures[body["procedure_code"]])
    _check_notify(body)
    return body
