"""What ``kiosk card read`` prints: the identity (masked unless asked), every check, warnings.

Personal data is masked by default (``mask_personal``: name initials, ID as ``***345``, birth
year only, addresses and other free text left out) because a command's stdout lands in journald
when it runs under systemd. The report says which of passive (PA), active (AA) and chip (CA)
authentication were done and passed, which parts of the chip's data could not be used and why,
and warns, as the kiosk's screen does, when the chip's records contradict each other.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["mask_personal", "print_text", "report"]

_NAME_KEYS = frozenset({"full_name", "name", "father_name", "mother_name", "spouse_name",
                        "merchant_name"})
_NUMBER_KEYS = frozenset({"id_number", "old_id", "old_id_number", "document_number", "account",
                          "chip_id"})
_BIRTH_KEYS = frozenset({"date_of_birth", "date_of_birth_text", "birth"})
_OMITTED_KEYS = frozenset({"residence", "place_of_origin", "identifying_marks", "extras",
                           "ethnicity", "religion"})


def mask_personal(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields as a log-safe view: names as initials, numbers as ``***`` + last 3, birth
    dates as the year, addresses and other free text omitted, ``raw`` text as its length."""
    out: dict[str, Any] = {}
    for key, value in fields.items():
        if key in _OMITTED_KEYS or value is None:
            continue
        text = str(value)
        if key in _NAME_KEYS:
            out[key] = " ".join(f"{part[0]}." for part in re.split(r"[\s<]+", text) if part)
        elif key in _NUMBER_KEYS:
            out[key] = f"***{text[-3:]}" if len(text) > 3 else "***"
        elif key in _BIRTH_KEYS:
            year = re.search(r"(?<!\d)\d{4}(?!\d)", text)  # dd/mm/yyyy, yyyy-mm-dd
            if len(text) == 6 and text.isdigit():  # the MRZ's YYMMDD
                out[key] = text[:2] + "****"
            else:
                out[key] = year.group() if year else "***"
        elif key == "raw":
            out[key] = f"({len(text)} characters; --show-personal-data prints them)"
        else:
            out[key] = value
    return out


def _result(result: Any) -> dict[str, str] | None:
    return None if result is None else {"status": result.status.value, "reason": result.reason}


def _authentications(doc: Any) -> dict[str, str]:
    def state(result: Any) -> str:
        return "not offered" if result is None else result.status.value

    passive = "passed" if doc.passive.ok else (
        "failed" if any(c.status.value == "failed" for c in doc.passive.checks) else "not_done")
    return {"PA": passive, "AA": state(doc.active), "CA": state(doc.chip_auth)}


def report(doc: Any, *, show_personal: bool = False) -> dict[str, Any]:
    """The read as a JSON-ready dict (``doc``: a ``devices.card.document.ChipDocument``)."""
    fields = {}
    if doc.dg13 is not None:
        fields = {f.name: getattr(doc.dg13, f.name) for f in dataclasses.fields(doc.dg13)
                  if f.name not in ("unknown", "version", "oid", "rejected")}
    mrz_fields = {}
    if doc.dg1 is not None:
        mrz = doc.dg1.mrz
        mrz_fields = {"document_number": mrz.document_number, "id_number": mrz.id_number,
                      "name": mrz.name, "birth": mrz.birth_yymmdd, "expiry": mrz.expiry_yymmdd}
    portrait = None if doc.portrait is None else {"mime": doc.portrait.mime,
                                                  "bytes": len(doc.portrait.data)}
    identity = {k: v for k, v in fields.items() if v is not None}
    if not show_personal:
        identity, mrz_fields = mask_personal(identity), mask_personal(mrz_fields)
    chip_auth = _result(doc.chip_auth)
    if chip_auth is not None and getattr(doc.chip_auth, "variant", None):
        chip_auth["variant"] = doc.chip_auth.variant
    return {
        "access": doc.access, "verified": doc.verified, "read_ms": round(doc.read_ms),
        "apdus": doc.apdus, "extended_length": doc.extended,
        "personal_data": "shown" if show_personal else "masked",
        "identity": identity, "mrz": mrz_fields, "portrait": portrait,
        "authentications": _authentications(doc),
        "passive_authentication": [{"name": c.name, "status": c.status.value, "reason": c.reason}
                                   for c in doc.passive.checks],
        "active_authentication": _result(doc.active), "chip_authentication": chip_auth,
        "missing": [{"part": p.part, "reason": p.reason} for p in doc.problems],
        "warnings": [c.reason for c in doc.consistency if c.status.value == "failed"],
        "not_read": list(doc.not_read),
    }


def print_text(result: dict[str, Any], *, verbose: bool = False) -> None:
    print(f"Access: {result['access']}   read in {result['read_ms']} ms")
    if verbose:
        mode = "extended-length" if result["extended_length"] else "short"
        print(f"  {result['apdus']} APDUs, {mode} reads")
    if result["personal_data"] == "masked":
        print("  (personal data masked; --show-personal-data prints it in full)")
    for name, value in result["identity"].items():
        print(f"  {name}: {value}")
    portrait = result["portrait"]
    print(f"  portrait: {portrait['mime']}, {portrait['bytes']} bytes" if portrait
          else "  portrait: none")
    for problem in result["missing"]:
        print(f"  not usable: {problem['part']}: {problem['reason']}")
    done = ", ".join(f"{k} {v}" for k, v in result["authentications"].items())
    print(f"Verification ({done}):")
    for check in result["passive_authentication"]:
        print(f"  [{check['status']}] {check['name']}: {check['reason']}")
    for name, label in (("chip_authentication", "chip"), ("active_authentication", "active")):
        entry = result[name]
        print(f"  [{entry['status']}] {name}: {entry['reason']}" if entry
              else f"  [not_done] {name}: the chip does not offer {label} authentication")
    if result["not_read"]:
        names = ", ".join(f"DG{n}" for n in result["not_read"])
        print(f"  not read: {names} (DG3/DG4 need extended access control; any other is "
              "withheld by the chip)")
    for warning in result["warnings"]:
        print(f"WARNING: {warning}. Check the card by eye and ask a supervisor.")
    print("VERIFIED" if result["verified"] else "NOT VERIFIED")
