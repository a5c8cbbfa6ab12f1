"""The HTTP rules a real gateway enforces, for the reference portal (RFC 9110, RFC 9112, RFC 8259).

Why: the kiosk is tested against this portal, so it must refuse what a real gateway refuses, or the
kiosk could come to rely on leniency that the province's gateway does not have, and a hostile or
broken client must never get a 500 or an HTML page from it:

* a request with two `Content-Length` fields (RFC 9112 §6.3: unrecoverable, a smuggling vector), a
  `Content-Length` that is not digits only, both `Content-Length` and `Transfer-Encoding`, or two
  `Idempotency-Key`, `Authorization`, `Content-Type` or `Host` fields (RFC 9110 §5.3: fields that
  are not lists) is refused `400 invalid_header`;
* a JSON body must be strict RFC 8259: UTF-8 without lone surrogates (raw or escaped), no `NaN` or
  `Infinity`, no control characters in strings (escaped or not; tab, newline and carriage return
  are allowed in values), no repeated member names (two readers would see two different
  dossiers): otherwise `400 invalid_json`, never a 500.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from email.message import Message
from typing import Any

from kiosk.portal.replies import Reply, error

__all__ = ["StrictJSONError", "audit_head_invalid", "check_headers", "strict_json"]

_SINGLE = ("Content-Length", "Idempotency-Key", "Authorization", "Content-Type", "Host")
_ALLOWED_CONTROLS = {"\t", "\n", "\r"}


class StrictJSONError(ValueError):
    """The body is not strict JSON; the message names the rule, never the value."""


def check_headers(headers: Message) -> Reply | None:
    """A `400 invalid_header` reply for a request a gateway must refuse, else None."""
    for name in _SINGLE:
        if len(headers.get_all(name) or []) > 1:
            return 400, error("invalid_header", f"The {name} field appears more than once.", name), {}
    length = headers.get("Content-Length")
    if length is not None and not (length.isascii() and length.strip().isdigit()
                                   and length == length.strip()):
        return 400, error("invalid_header", "Content-Length must be digits only.",
                          "Content-Length"), {}
    if length is not None and headers.get("Transfer-Encoding") is not None:
        return 400, error("invalid_header", "Content-Length and Transfer-Encoding together.",
                          "Transfer-Encoding"), {}
    return None


def _no_constants(name: str) -> Any:
    raise StrictJSONError(f"{name} is not JSON")


def _unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    names = [name for name, _ in pairs]
    if len(set(names)) != len(names):
        raise StrictJSONError("a member name appears twice in one object")
    return dict(pairs)


def _check_text(text: str, *, key: bool) -> None:
    for ch in text:
        code = ord(ch)
        if 0xD800 <= code <= 0xDFFF:
            raise StrictJSONError("a lone surrogate is not text")
        if (code < 0x20 or code == 0x7F) and (key or ch not in _ALLOWED_CONTROLS):
            raise StrictJSONError("a control character in a string")


def _walk(value: Any) -> None:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            _check_text(item, key=False)
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, Mapping):
            for name, member in item.items():
                _check_text(name, key=True)
                stack.append(member)


def strict_json(body: bytes) -> Any:
    """The body parsed as strict JSON, or StrictJSONError (ValueError) naming the rule broken."""
    try:
        text = body.decode("utf-8")  # strict: encoded surrogates and bad bytes are refused here
    except UnicodeDecodeError:
        raise StrictJSONError("the body is not UTF-8") from None
    try:
        value = json.loads(text, parse_constant=_no_constants, object_pairs_hook=_unique)
    except StrictJSONError:
        raise
    except (ValueError, RecursionError):
        raise StrictJSONError("the body is not JSON") from None
    _walk(value)
    return value


def audit_head_invalid(head: Any) -> Reply | None:
    """`422` unless `head` is `{"kiosk_id": text, "seq": whole number >= 1, "hash": 64 hex}`."""
    import re

    if not isinstance(head, dict) or set(head) != {"kiosk_id", "seq", "hash"}:
        return 422, error("invalid_body", "Send exactly kiosk_id, seq and hash."), {}
    if not isinstance(head["kiosk_id"], str) or not 0 < len(head["kiosk_id"]) <= 64:
        return 422, error("invalid_field", "kiosk_id must be text.", "kiosk_id"), {}
    if isinstance(head["seq"], bool) or not isinstance(head["seq"], int) or head["seq"] < 1:
        return 422, error("invalid_field", "seq must be a whole number from 1.", "seq"), {}
    if not isinstance(head["hash"], str) or not re.fullmatch(r"[0-9a-f]{64}", head["hash"]):
        return 422, error("invalid_field", "hash must be 64 lowercase hex digits.", "hash"), {}
    return None
